package restorehubtest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go/restorehubtest"
)

func TestFailNext(t *testing.T) {
	srv, _ := newServer(t)
	srv.FailNext(2, http.StatusServiceUnavailable)
	srv.FailNext(1, http.StatusTooManyRequests)
	if srv.PendingFaults() != 3 {
		t.Fatalf("PendingFaults %d", srv.PendingFaults())
	}
	for range 2 {
		r := send(t, srv, "GET", "/servers", allKey, nil)
		wantStatus(t, r, http.StatusServiceUnavailable)
		wantBody(t, r, `{"error":"Injected failure: 503 Service Unavailable"}`)
		if r.header.Get("X-RateLimit-Limit") != "" {
			t.Fatal("a fault injected before authentication carries rate-limit headers")
		}
	}
	r := send(t, srv, "GET", "/servers", "", nil) // faults come before authentication
	wantStatus(t, r, http.StatusTooManyRequests)
	if r.header.Get("Retry-After") != "1" {
		t.Fatalf("injected 429 Retry-After %q", r.header.Get("Retry-After"))
	}
	wantBody(t, r, `{"error":"Rate limit exceeded","limit":100,"window":"10s","retryAfter":1,"plan":"PREMIUM","upgradeUrl":"https://restorehub.net/pricing"}`)
	r = send(t, srv, "GET", "/servers", allKey, nil)
	wantStatus(t, r, http.StatusOK)
	// Faulted requests were not counted against the key.
	if r.header.Get("X-RateLimit-Remaining") != "99" {
		t.Fatalf("Remaining %q after faults", r.header.Get("X-RateLimit-Remaining"))
	}
	var faults []restorehubtest.FaultKind
	for _, rec := range srv.Requests() {
		faults = append(faults, rec.Fault)
	}
	if want := []restorehubtest.FaultKind{"status", "status", "status", ""}; !equalKinds(faults, want) {
		t.Fatalf("recorded faults %v, want %v", faults, want)
	}
	if srv.Count("servers.list") != 4 || srv.RateLimited() != 1 {
		t.Fatalf("Count %d RateLimited %d", srv.Count("servers.list"), srv.RateLimited())
	}

	for _, bad := range []int{200, 302, 600} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("FailNext(1, %d) did not panic", bad)
				}
			}()
			srv.FailNext(1, bad)
		}()
	}
	srv.FailNext(0, 500)
	srv.FailNext(5, 500)
	srv.ClearFaults()
	if srv.PendingFaults() != 0 {
		t.Fatal("ClearFaults left faults")
	}
}

func equalKinds(a, b []restorehubtest.FaultKind) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestHTMLNext(t *testing.T) {
	srv, _ := newServer(t)
	srv.HTMLNext(1)
	r := send(t, srv, "GET", "/servers", allKey, nil)
	wantStatus(t, r, http.StatusBadGateway)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("Content-Type %q", ct)
	}
	if !strings.Contains(string(r.body), "<h1>502 Bad Gateway</h1>") {
		t.Fatalf("body %s", r.body)
	}
	wantStatus(t, send(t, srv, "GET", "/servers", allKey, nil), http.StatusOK)
	if rec := srv.Requests()[0]; rec.Fault != restorehubtest.FaultHTML || rec.Status != 502 {
		t.Fatalf("recorded %+v", rec)
	}
}

func TestTruncateNext(t *testing.T) {
	srv, _ := newServer(t)
	srv.TruncateNext(1)
	resp, err := trySend(srv.Client(), srv.URL()+"/servers", "GET", allKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("reading a truncated body: %v, want io.ErrUnexpectedEOF", err)
	}
	if resp.StatusCode != 200 || resp.ContentLength <= 0 {
		t.Fatalf("status %d, Content-Length %d", resp.StatusCode, resp.ContentLength)
	}
	wantStatus(t, send(t, srv, "GET", "/servers", allKey, nil), http.StatusOK)
	if rec := srv.Requests()[0]; rec.Fault != restorehubtest.FaultTruncate || rec.Status != 200 {
		t.Fatalf("recorded %+v", rec)
	}
}

func TestResetNext(t *testing.T) {
	tests := []struct {
		method, path string
		body         any
	}{
		// A GET on a reused keep-alive connection is the case Go's
		// Transport would replay silently.
		{"GET", "/servers", nil},
		{"POST", "/servers", map[string]any{"name": "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			srv, _ := newServer(t)
			// Warm up a keep-alive connection.
			wantStatus(t, send(t, srv, "GET", "/account", allKey, nil), http.StatusOK)
			srv.ResetNext(1)
			resp, err := trySend(srv.Client(), srv.URL()+tt.path, tt.method, allKey, tt.body)
			if err == nil {
				resp.Body.Close()
				t.Fatalf("got status %d, want a connection error", resp.StatusCode)
			}
			if srv.PendingFaults() != 0 {
				t.Fatal("the reset is still queued")
			}
			wantStatus(t, send(t, srv, tt.method, tt.path, allKey, tt.body), map[string]int{"GET": 200, "POST": 201}[tt.method])
			recs := srv.Requests()
			if len(recs) != 3 {
				t.Fatalf("recorded %d requests, want 3: %+v", len(recs), recs)
			}
			if r := recs[1]; r.Fault != restorehubtest.FaultReset || r.Status != 0 || r.Method != tt.method {
				t.Fatalf("reset recorded as %+v", r)
			}
			if n := len(srv.Entities("/servers")); tt.method == "POST" && n != 1 {
				t.Fatalf("%d servers: the reset request reached the store", n)
			}
		})
	}
}

func TestLatency(t *testing.T) {
	srv, _ := newServer(t, restorehubtest.WithLatency(30*time.Millisecond))
	start := time.Now()
	wantStatus(t, send(t, srv, "GET", "/account", allKey, nil), http.StatusOK)
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Fatalf("answered in %v with 30ms latency", d)
	}

	// A request whose context ends during the latency gets no response and
	// is recorded with status 0.
	srv.SetLatency(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL()+"/account", nil)
	req.Header.Set("Authorization", "Bearer "+allKey)
	if _, err := srv.Client().Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want deadline exceeded", err)
	}
	waitFor(t, func() bool { return len(srv.Requests()) == 2 })
	if r := srv.Requests()[1]; r.Status != 0 {
		t.Fatalf("abandoned request recorded as %+v", r)
	}

	// Close ends requests still waiting.
	done := make(chan error, 1)
	go func() {
		resp, err := trySend(srv.Client(), srv.URL()+"/account", "GET", allKey, nil)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	// Give the request time to reach the server; if it has not, it fails
	// to connect instead, and the test still holds.
	time.Sleep(10 * time.Millisecond)
	closed := time.Now()
	srv.Close()
	if err := <-done; err == nil {
		t.Fatal("request during Close succeeded")
	}
	if d := time.Since(closed); d > 5*time.Second {
		t.Fatalf("Close took %v", d)
	}
}

// waitFor polls cond for up to five seconds; the server records abandoned
// requests on its own goroutine.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(time.Millisecond)
	}
}
