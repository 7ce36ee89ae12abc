package restorehub

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/restorehub/restorehub-go/resources"
)

// These tests of pacing, Retry-After, jitter and windows run inside a
// testing/synctest bubble: time there is fake and advances only when every
// goroutine of the bubble is blocked, so a wait of seconds takes none, and
// the times asserted are exact rather than "about". A bubble cannot use real
// sockets, so the client reaches its handler through handlerTransport.
//
// TestBudgetUseShort (budget_memory_use_test.go) stays in real time: the
// one end-to-end proof of pacing over real connections.

// handlerTransport serves each request with an http.Handler in the calling
// goroutine: no network, so it works inside a synctest bubble.
type handlerTransport struct{ h http.Handler }

// RoundTrip runs the handler and returns what it wrote.
func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	if err := r.Context().Err(); err != nil {
		return nil, err // as a real transport, whose connection the deadline closed
	}
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}

// bubbleBase is the base URL of handler-served clients: http is allowed on loopback.
const bubbleBase = "http://127.0.0.1:1/api/v1"

// newHandlerClient returns a client whose every request is served by h in
// process, with fast retries.
func newHandlerClient(t testing.TB, h http.Handler, opts ...Option) *Client {
	t.Helper()
	opts = append([]Option{WithHTTPClient(&http.Client{Transport: handlerTransport{h}})}, opts...)
	return newTestClient(t, bubbleBase, opts...)
}

// TestPacingReachesTheFastestPossibleTime is the pacing target: N requests
// from many goroutines against a server that enforces the documented sliding
// window finish within 5% of Window × floor((N−1)/Limit), with no 429. In
// fake time, with no latency, the result is exact.
func TestPacingReachesTheFastestPossibleTime(t *testing.T) {
	tests := []struct {
		name                 string
		limit, n, workers    int
		window               time.Duration
		maxOverIdealFraction float64
	}{
		{"documented Free plan", 50, 201, 60, 10 * time.Second, 0.05},
		{"Premium, short window", 100, 401, 150, time.Second, 0.05},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ws := &windowServer{limit: tt.limit, window: tt.window, keys: map[string]int{}}
				c := newHandlerClient(t, ws)
				jobs := make(chan int, tt.n)
				for i := range tt.n {
					jobs <- i
				}
				close(jobs)
				var wg sync.WaitGroup
				var mu sync.Mutex
				var last time.Time
				for range tt.workers {
					wg.Go(func() {
						for range jobs {
							if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
								t.Error(err)
								return
							}
							mu.Lock()
							last = time.Now()
							mu.Unlock()
						}
					})
				}
				wg.Wait()
				total, rejected := ws.counts()
				if rejected != 0 {
					t.Errorf("server sent %d 429s, want 0", rejected)
				}
				if total != tt.n {
					t.Errorf("server saw %d requests, want %d", total, tt.n)
				}
				ideal := tt.window * time.Duration((tt.n-1)/tt.limit)
				elapsed := last.Sub(ws.firstOK)
				if elapsed < ideal || elapsed > ideal+time.Duration(float64(ideal)*tt.maxOverIdealFraction) {
					t.Errorf("took %s from the first response, want %s (at most 5%% more)", elapsed, ideal)
				}
			})
		})
	}
}

// TestRetryAfter429 checks the wait between a 429 and its retry: the
// server's Retry-After (header, body, or details) plus 10–25% jitter, exactly.
func TestRetryAfter429(t *testing.T) {
	tests := []struct {
		name   string
		header string
		body   string
		want   time.Duration
	}{
		{"Retry-After header", "1", `{"error":"Rate limit exceeded","retryAfter":30}`, time.Second},
		{"Retry-After header, long", "7", `{"error":"Rate limit exceeded"}`, 7 * time.Second},
		{"body retryAfter when no header", "", `{"error":"Rate limit exceeded","retryAfter":1}`, time.Second},
		{"retryAfter inside details", "", `{"error":"Rate limit exceeded","details":{"retryAfter":3}}`, 3 * time.Second},
		{"no wait named: the 10s default", "", `{"error":"Rate limit exceeded"}`, 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &statusServer{script: []int{429, 200}, header: http.Header{}, body: tt.body}
				if tt.header != "" {
					s.header.Set("Retry-After", tt.header)
				}
				// A destructive POST may be sent again after a 429: the server did not act.
				c := newHandlerClient(t, s)
				if _, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/backups/b1/restore", Scope: ScopeBackupsRestore, Body: restoreBody}, nil); err != nil {
					t.Fatal(err)
				}
				if s.count("") != 2 {
					t.Fatalf("server saw %d requests, want 2", s.count(""))
				}
				seen := s.times()
				gap := seen[1].Sub(seen[0])
				lo, hi := time.Duration(float64(tt.want)*1.10), time.Duration(float64(tt.want)*1.25)
				if gap < lo || gap > hi {
					t.Errorf("waited %s between attempts, want Retry-After %s plus 10–25%% jitter", gap, tt.want)
				}
			})
		})
	}
}

// TestPacingTrustsLowerServerRemaining: another process spent most of the
// key's budget; once a response says so, the client must not send into a 429.
func TestPacingTrustsLowerServerRemaining(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const limit = 50
		window := 10 * time.Second
		ws := &windowServer{limit: limit, window: window, keys: map[string]int{}}
		c := newHandlerClient(t, ws, WithMaxRetries(0))
		ws.spend(limit - 3)
		// This response says 2 remain: the client learns the other spending.
		if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 12 {
			wg.Go(func() {
				if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if _, rejected := ws.counts(); rejected != 0 {
			t.Errorf("%d requests were rejected with 429", rejected)
		}
		// 2 fit at once; the other 10 wait for the other process's slots.
		if el := time.Since(ws.firstOK); el != window {
			t.Errorf("the 13 requests took %s, want exactly one window (%s)", el, window)
		}
	})
}

// TestMaxWaitBoundsEveryWait: WithMaxWait bounds the whole wait of an
// attempt: the 429's Retry-After with its jitter, and WithRequestRate's wait
// together with the budget's.
func TestMaxWaitBoundsEveryWait(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter string
		opts       []Option
		wantSent   int
		wantLocal  bool
		maxElapsed time.Duration
	}{
		// 1s × 1.25 jitter would be 1.25s: the wait is capped at 1.1s.
		{"Retry-After within, jitter capped", "1", []Option{WithMaxWait(1100 * time.Millisecond)}, 2, false, 1100 * time.Millisecond},
		{"Retry-After beyond: not awaited", "30", []Option{WithMaxWait(time.Second)}, 1, false, 0},
		// 1 per second, burst 1: the second call would wait 1s for the rate.
		{"request rate beyond: refused locally", "", []Option{WithMaxWait(500 * time.Millisecond), WithRequestRate(1, 1)}, 1, true, 0},
		{"request rate within", "", []Option{WithMaxWait(1500 * time.Millisecond), WithRequestRate(1, 1)}, 2, false, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				script := []int{200, 200}
				h := http.Header{}
				if tt.retryAfter != "" {
					script = []int{429, 200}
					h.Set("Retry-After", tt.retryAfter)
				}
				s := &statusServer{script: script, header: h}
				c := newHandlerClient(t, s, tt.opts...)
				start := time.Now()
				var err error
				if tt.retryAfter == "" {
					// Two calls: the second waits for the request rate.
					if _, err = c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
						t.Fatal(err)
					}
					start = time.Now()
				}
				_, err = c.Do(context.Background(), &Request{Path: "/account"}, nil)
				elapsed := time.Since(start)
				if s.count("") != tt.wantSent {
					t.Errorf("server saw %d requests, want %d", s.count(""), tt.wantSent)
				}
				if elapsed > tt.maxElapsed {
					t.Errorf("waited %s, more than %s", elapsed, tt.maxElapsed)
				}
				var rle *RateLimitError
				switch {
				case tt.wantLocal && (!errors.As(err, &rle) || !rle.Local || rle.APIError == nil || !rle.APIError.Local):
					t.Errorf("err = %v, want a local *RateLimitError", err)
				case !tt.wantLocal && tt.wantSent == 2 && err != nil:
					t.Errorf("err = %v, want nil", err)
				}
			})
		})
	}
}

// TestRetryAfterOnlyOn429: a Retry-After on a response other than a 429
// holds nothing back; on a 429 it holds back every request.
func TestRetryAfterOnlyOn429(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		wantHold time.Duration
	}{
		{"200 with Retry-After: 3600", 200, 0},
		{"500 with Retry-After: 3600", 500, 0},
		{"503 with Retry-After: 3600", 503, 0},
		{"404 with Retry-After: 3600", 404, 0},
		{"429 with Retry-After: 60", 429, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ra := "3600"
				if tt.status == 429 {
					ra = "60"
				}
				s := &statusServer{script: []int{tt.status, 200}, header: http.Header{"Retry-After": {ra}, "X-Ratelimit-Limit": {"100"}, "X-Ratelimit-Remaining": {"99"}, "X-Ratelimit-Window": {"10s"}}}
				c := newHandlerClient(t, s, WithMaxRetries(0))
				resp, _ := c.Do(context.Background(), &Request{Path: "/account"}, nil)
				if tt.status != 429 && resp != nil && resp.RateLimit.RetryAfter != 0 {
					t.Errorf("Response.RateLimit.RetryAfter = %s on a %d, want 0", resp.RateLimit.RetryAfter, tt.status)
				}
				start := time.Now()
				if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
					t.Fatal(err)
				}
				if hold := time.Since(start); hold != tt.wantHold {
					t.Errorf("the next request was held %s, want %s", hold, tt.wantHold)
				}
			})
		})
	}
}

// TestHTTPClientTimeoutExcludesBudgetWait: the caller's http.Client Timeout
// bounds each attempt's network part, never the wait for budget.
func TestHTTPClientTimeoutExcludesBudgetWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ws := &windowServer{limit: 1, window: 700 * time.Millisecond, keys: map[string]int{}}
		c := newTestClient(t, bubbleBase, WithHTTPClient(&http.Client{Transport: handlerTransport{ws}, Timeout: 300 * time.Millisecond}))
		for i := range 2 {
			if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
				t.Fatalf("request %d: %v (the budget wait must not count against the per-attempt timeout)", i, err)
			}
		}
		if total, rejected := ws.counts(); total != 2 || rejected != 0 {
			t.Errorf("server saw %d requests and rejected %d, want 2 and 0", total, rejected)
		}
		// The timeout still bounds the network part of an attempt.
		slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		})
		c2 := newTestClient(t, bubbleBase, WithHTTPClient(&http.Client{Transport: handlerTransport{slow}, Timeout: 100 * time.Millisecond}), WithMaxRetries(0))
		start := time.Now()
		if _, err := c2.Do(context.Background(), &Request{Path: "/account"}, nil); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want a deadline exceeded", err)
		}
		if el := time.Since(start); el != 100*time.Millisecond {
			t.Errorf("timed out after %s, want 100ms", el)
		}
	})
}

// TestMaxWaitBoundsPaceAndBudgetTogether: an operation's own pacing wait
// and the key's budget wait count together against WithMaxWait.
func TestMaxWaitBoundsPaceAndBudgetTogether(t *testing.T) {
	tests := []struct {
		name      string
		maxWait   time.Duration
		wantLocal bool
	}{
		// The pace frees after 1s, the budget after 2s: 2s in all.
		{"both within", 2500 * time.Millisecond, false},
		{"each within, together beyond", 1500 * time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ws := &windowServer{limit: 1, window: 2 * time.Second, keys: map[string]int{}}
				op := &resources.OperationSpec{ID: "members.pull", Method: "POST", Path: "/members/pull", Scope: "members:pull", Tier: TierDestructive,
					Pace: &resources.Pace{KeyField: "targetServerId", CountField: "memberIds", Limit: 1, Interval: time.Second}}
				c := newHandlerClient(t, ws, WithMaxWait(tt.maxWait))
				pull := func() error {
					_, err := c.Do(context.Background(), &Request{Method: "POST", Path: op.Path, Scope: ScopeMembersPull, op: op,
						Body: map[string]any{"targetServerId": "srv_a", "memberIds": []string{"m1"}}}, nil)
					return err
				}
				if err := pull(); err != nil {
					t.Fatal(err)
				}
				start := time.Now()
				err := pull()
				var rle *RateLimitError
				switch {
				case tt.wantLocal && (!errors.As(err, &rle) || !rle.Local):
					t.Errorf("err = %v, want a local *RateLimitError", err)
				case !tt.wantLocal && err != nil:
					t.Errorf("err = %v, want nil", err)
				}
				if el := time.Since(start); el > tt.maxWait {
					t.Errorf("waited %s, more than WithMaxWait %s", el, tt.maxWait)
				}
			})
		})
	}
}

// TestRetryAfterZeroIsNow: "Retry-After: 0" is reported as 0, not as the
// 10s default for a 429 that names no wait.
func TestRetryAfterZeroIsNow(t *testing.T) {
	tests := []struct {
		name   string
		header string
		body   string
		want   time.Duration
	}{
		{"header 0", "0", `{"error":"Rate limit exceeded"}`, 0},
		{"body 0", "", `{"error":"Rate limit exceeded","retryAfter":0}`, 0},
		{"details 0", "", `{"error":"Rate limit exceeded","details":{"retryAfter":0}}`, 0},
		{"header 0 beats body 5", "0", `{"error":"Rate limit exceeded","retryAfter":5}`, 0},
		{"nothing named: 10s", "", `{"error":"Rate limit exceeded"}`, defaultRetryAfter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := http.Header{}
				if tt.header != "" {
					h.Set("Retry-After", tt.header)
				}
				s := &statusServer{script: []int{429}, header: h, body: tt.body}
				c := newHandlerClient(t, s, WithMaxRetries(0))
				_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
				var rle *RateLimitError
				if !errors.As(err, &rle) || rle.RetryAfter != tt.want {
					t.Errorf("err = %v, want a RateLimitError with RetryAfter %s", err, tt.want)
				}
			})
		})
	}
}

// TestFloorBeforeFirstResponse: before any response has arrived, one hung
// request must not hold back the others: the documented floor (50 per 10s)
// may be sent at once, and no more until the first response (each takes a
// second here) arrives.
func TestFloorBeforeFirstResponse(t *testing.T) {
	tests := []struct {
		name     string
		others   int
		wantHeld int // of the others, sent only after the first response
	}{
		{"10 behind a hung request", 10, 0},
		{"49 behind a hung request", 49, 0},
		{"60 behind a hung request", 60, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				var mu sync.Mutex
				held := 0
				h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Query().Get("hang") != "" {
						time.Sleep(time.Hour)
					} else if time.Since(start) > 0 {
						mu.Lock()
						held++
						mu.Unlock()
					}
					time.Sleep(time.Second)
					writeJSON(w, 200, map[string]string{"id": "x"})
				})
				c := newHandlerClient(t, h)
				hung := make(chan struct{})
				go func() {
					defer close(hung)
					_, _ = c.Do(context.Background(), &Request{Path: "/account", Query: map[string][]string{"hang": {"1"}}}, nil)
				}()
				synctest.Wait()
				var wg sync.WaitGroup
				for range tt.others {
					wg.Go(func() {
						if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
							t.Error(err)
						}
					})
				}
				wg.Wait()
				<-hung
				if held != tt.wantHeld {
					t.Errorf("%d requests were sent only after the first response, want %d", held, tt.wantHeld)
				}
			})
		})
	}
}
