package restorehubtest_test

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go/restorehubtest"
)

// wantLimitHeaders checks the X-RateLimit-* headers of r.
func wantLimitHeaders(t *testing.T, r response, limit, remaining int, reset time.Time, window string) {
	t.Helper()
	got := fmt.Sprint(r.header.Get("X-RateLimit-Limit"), " ", r.header.Get("X-RateLimit-Remaining"), " ",
		r.header.Get("X-RateLimit-Reset"), " ", r.header.Get("X-RateLimit-Window"))
	want := fmt.Sprint(limit, " ", remaining, " ", reset.Unix(), " ", window)
	if got != want {
		t.Fatalf("rate-limit headers %q, want %q", got, want)
	}
}

func TestSlidingWindowDefaults(t *testing.T) {
	srv, clk := newServer(t)
	for i := range 100 {
		r := send(t, srv, "GET", "/account", allKey, nil)
		wantStatus(t, r, http.StatusOK)
		wantLimitHeaders(t, r, 100, 99-i, t0.Add(10*time.Second), "10s")
		if r.header.Get("Retry-After") != "" {
			t.Fatal("Retry-After on a 200")
		}
	}
	r := send(t, srv, "GET", "/account", allKey, nil)
	wantStatus(t, r, http.StatusTooManyRequests)
	wantBody(t, r, `{"error":"Rate limit exceeded","limit":100,"window":"10s","retryAfter":10,"plan":"PREMIUM","upgradeUrl":"https://restorehub.net/pricing"}`)
	wantLimitHeaders(t, r, 100, 0, t0.Add(10*time.Second), "10s")
	if got := r.header.Get("Retry-After"); got != "10" {
		t.Fatalf("Retry-After %q, want 10", got)
	}

	// One nanosecond before the slots free: still refused, Retry-After
	// rounded up to 1.
	clk.Advance(10*time.Second - time.Nanosecond)
	r = send(t, srv, "GET", "/account", allKey, nil)
	wantStatus(t, r, http.StatusTooManyRequests)
	if got := r.header.Get("Retry-After"); got != "1" {
		t.Fatalf("Retry-After %q, want 1", got)
	}
	if m := r.json(t); m["retryAfter"] != 1.0 {
		t.Fatalf("retryAfter %v, want 1", m["retryAfter"])
	}
	// Exactly a window after use, all 100 slots are free again: the refused
	// requests did not count.
	clk.Advance(time.Nanosecond)
	for i := range 100 {
		r := send(t, srv, "GET", "/account", allKey, nil)
		wantStatus(t, r, http.StatusOK)
		wantLimitHeaders(t, r, 100, 99-i, t0.Add(20*time.Second), "10s")
	}
	wantStatus(t, send(t, srv, "GET", "/account", allKey, nil), http.StatusTooManyRequests)
	if got := srv.RateLimited(); got != 3 {
		t.Fatalf("RateLimited %d, want 3", got)
	}
}

func TestSlidingWindowSlides(t *testing.T) {
	srv, clk := newServer(t, restorehubtest.WithRateLimit(4, 2*time.Second))
	// Two requests at t0, two at t0+1.5s.
	for range 2 {
		wantStatus(t, send(t, srv, "GET", "/account", allKey, nil), http.StatusOK)
	}
	clk.Advance(1500 * time.Millisecond)
	for range 2 {
		wantStatus(t, send(t, srv, "GET", "/account", allKey, nil), http.StatusOK)
	}
	r := send(t, srv, "GET", "/account", allKey, nil)
	wantStatus(t, r, http.StatusTooManyRequests)
	// The oldest slot frees at t0+2s, 0.5s away: Retry-After rounds up to 1,
	// Reset is t0+2s.
	if r.header.Get("Retry-After") != "1" {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	wantLimitHeaders(t, r, 4, 0, t0.Add(2*time.Second), "2s")
	wantBody(t, r, `{"error":"Rate limit exceeded","limit":4,"window":"2s","retryAfter":1,"plan":"PREMIUM","upgradeUrl":"https://restorehub.net/pricing"}`)

	// At t0+2s the two oldest slots free, not more: a fixed window would
	// have freed all four.
	clk.Set(t0.Add(2 * time.Second))
	for i := range 2 {
		r := send(t, srv, "GET", "/account", allKey, nil)
		wantStatus(t, r, http.StatusOK)
		// The oldest counted slot is now t0+1.5s, freeing at t0+3.5s, which
		// rounds up to t0+4s in Unix seconds.
		wantLimitHeaders(t, r, 4, 1-i, t0.Add(4*time.Second), "2s")
	}
	wantStatus(t, send(t, srv, "GET", "/account", allKey, nil), http.StatusTooManyRequests)
}

func TestRateLimitIsPerKeyAndPerPlan(t *testing.T) {
	srv, _ := newServer(t,
		restorehubtest.WithKey("rh_free", "*"), restorehubtest.WithKeyPlan("rh_free", "FREE"),
		restorehubtest.WithKey("rh_biz", "*"), restorehubtest.WithKeyPlan("rh_biz", "ENTERPRISE"))
	tests := []struct {
		key   string
		limit int
		plan  string
	}{
		{"rh_free", 50, "FREE"},
		{allKey, 100, "PREMIUM"},
		{"rh_biz", 200, "ENTERPRISE"},
	}
	for _, tt := range tests {
		t.Run(tt.plan, func(t *testing.T) {
			for range tt.limit {
				wantStatus(t, send(t, srv, "GET", "/account", tt.key, nil), http.StatusOK)
			}
			r := send(t, srv, "GET", "/account", tt.key, nil)
			wantStatus(t, r, http.StatusTooManyRequests)
			if m := r.json(t); m["plan"] != tt.plan || m["limit"] != float64(tt.limit) {
				t.Fatalf("429 body %s", r.body)
			}
		})
	}
	srv.ResetLimits()
	wantStatus(t, send(t, srv, "GET", "/account", "rh_free", nil), http.StatusOK)
}

func TestMemberPullBudget(t *testing.T) {
	srv, clk := newServer(t)
	ids := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = strconv.Itoa(i)
		}
		return out
	}
	pull := func(target string, n int) response {
		body := map[string]any{"targetServerId": target}
		if n > 0 {
			body["memberIds"] = ids(n)
		}
		return send(t, srv, "POST", "/members/pull", allKey, body)
	}
	r := pull("g1", 30)
	wantStatus(t, r, http.StatusOK)
	if job := r.json(t); job["type"] != "members.pull" || job["total"] != 30.0 || job["status"] != "queued" {
		t.Fatalf("pull job %s", r.body)
	}
	clk.Advance(20 * time.Second)
	wantStatus(t, pull("g1", 20), http.StatusOK)
	// The budget is per target server.
	wantStatus(t, pull("g2", 50), http.StatusOK)

	// g1 has spent 50; one more (no memberIds spends 1) must wait for the
	// first 30 to free at t0+60s, 40s from now.
	r = pull("g1", 0)
	wantStatus(t, r, http.StatusTooManyRequests)
	if r.header.Get("Retry-After") != "40" {
		t.Fatalf("Retry-After %q, want 40", r.header.Get("Retry-After"))
	}
	wantBody(t, r, `{"error":"Budget exceeded for members.pull: at most 50 per 1m0s per targetServerId","limit":50,"window":"1m0s","retryAfter":40,"details":{"remaining":0,"requested":1,"retryAfter":40,"targetServerId":"g1"}}`)
	if r.header.Get("X-RateLimit-Limit") != "100" {
		t.Fatal("pull 429 without the key's rate-limit headers")
	}

	// Pulling 25 needs the first spend (30) to free: also t0+60s.
	clk.Set(t0.Add(60*time.Second - time.Millisecond))
	if r := pull("g1", 25); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1" {
		t.Fatalf("got %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	clk.Set(t0.Add(60 * time.Second))
	wantStatus(t, pull("g1", 25), http.StatusOK)
	wantStatus(t, pull("g1", 5), http.StatusOK)
	wantStatus(t, pull("g1", 1), http.StatusTooManyRequests)

	// More than the whole budget in one call can never succeed: 422.
	r = pull("g3", 51)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if m := r.json(t); m["error"] == nil || m["details"] == nil {
		t.Fatalf("422 body %s", r.body)
	}
	if got := srv.RateLimited(); got != 3 {
		t.Fatalf("RateLimited %d, want 3", got)
	}
}

func TestRealClock(t *testing.T) {
	srv := restorehubtest.NewServer(restorehubtest.WithOperations(testOps()), restorehubtest.WithKey(allKey, "*"),
		restorehubtest.WithRateLimit(2, 150*time.Millisecond))
	defer srv.Close()
	start := time.Now()
	wantStatus(t, send(t, srv, "GET", "/account", allKey, nil), http.StatusOK)
	wantStatus(t, send(t, srv, "GET", "/account", allKey, nil), http.StatusOK)
	r := send(t, srv, "GET", "/account", allKey, nil)
	if time.Since(start) < 150*time.Millisecond {
		wantStatus(t, r, http.StatusTooManyRequests)
		if r.header.Get("Retry-After") != "1" {
			t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
		}
	}
	time.Sleep(160 * time.Millisecond)
	wantStatus(t, send(t, srv, "GET", "/account", allKey, nil), http.StatusOK)
	if got := srv.Requests()[0].Received; got.Before(start) || got.After(time.Now()) {
		t.Fatalf("Received %v is not real time", got)
	}
}
