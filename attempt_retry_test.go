package restorehub

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// statusServer is a fakeAPI that answers each request with the next status
// of a script (the last one repeats), header and body.
type statusServer struct {
	script []int
	header http.Header
	body   string
	fakeAPI
}

func (s *statusServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i, _ := s.record(r)
	status := s.script[min(i, len(s.script)-1)]
	for k, v := range s.header {
		w.Header()[k] = v
	}
	if status == 200 {
		writeJSON(w, 200, map[string]string{"id": "ok"})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if s.body != "" {
		_, _ = w.Write([]byte(s.body))
	} else {
		_, _ = w.Write([]byte(`{"error":"scripted"}`))
	}
}

func TestRetryPolicy(t *testing.T) {
	tests := []struct {
		name      string
		method    string
		scope     Scope
		script    []int
		wantSent  int
		wantErrIs error
	}{
		{"GET retries 500 then succeeds", "GET", ScopeServersRead, []int{500, 200}, 2, nil},
		{"GET retries 502 and 503", "GET", ScopeServersRead, []int{502, 503, 200}, 3, nil},
		{"GET gives up after 3 attempts", "GET", ScopeServersRead, []int{503}, 3, ErrServer},
		// /x matches no operation: a PUT there is guarded and not resent.
		{"unmatched PUT is not retried on 500", "PUT", ScopeServersWrite, []int{500, 200}, 1, ErrServer},
		// Every DELETE follows the destructive rule.
		{"write-tier DELETE is not retried on 500", "DELETE", ScopeServersWrite, []int{500, 200}, 1, ErrServer},
		{"POST is not retried on 500", "POST", ScopeServersWrite, []int{500, 200}, 1, ErrServer},
		{"PATCH is not retried on 503", "PATCH", ScopeServersWrite, []int{503, 200}, 1, ErrServer},
		{"destructive DELETE is not retried on 500", "DELETE", ScopeServersDelete, []int{500, 200}, 1, ErrServer},
		{"destructive POST is not retried on 502", "POST", ScopeBackupsRestore, []int{502, 200}, 1, ErrServer},
		{"GET is not retried on 404", "GET", ScopeServersRead, []int{404, 200}, 1, ErrNotFound},
		{"GET is not retried on 504", "GET", ScopeServersRead, []int{504, 200}, 1, ErrServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &statusServer{script: tt.script}
			srv := httptest.NewServer(s)
			defer srv.Close()
			c := newTestClient(t, srv.URL, WithoutPacing())
			_, err := c.Do(context.Background(), &Request{Method: tt.method, Path: "/x", Scope: tt.scope, Body: map[string]int{"a": 1}}, nil)
			if got := s.count(""); got != tt.wantSent {
				t.Errorf("server saw %d requests, want %d", got, tt.wantSent)
			}
			if tt.wantErrIs == nil && err != nil {
				t.Errorf("err = %v, want nil", err)
			}
			if tt.wantErrIs != nil && !errors.Is(err, tt.wantErrIs) {
				t.Errorf("err = %v, want %v", err, tt.wantErrIs)
			}
		})
	}
}

func TestBackoffAfter429DefaultsToTenSeconds(t *testing.T) {
	c := newTestClient(t, "https://api.restorehub.net/api/v1")
	resp := &http.Response{StatusCode: 429, Request: httptest.NewRequest("GET", "/", nil)}
	for range 100 {
		d := c.backoffHook(time.Millisecond, time.Second, 0, resp)
		if d < 11*time.Second || d > 12500*time.Millisecond {
			t.Fatalf("backoff after a 429 without Retry-After = %s, want 11s..12.5s", d)
		}
	}
	for attempt := range 10 {
		d := c.backoffHook(100*time.Millisecond, time.Second, attempt, nil)
		if d < 50*time.Millisecond || d > time.Second {
			t.Fatalf("backoff(%d) = %s, outside the cap", attempt, d)
		}
	}
}

func TestRateLimitedAfterThreeAttempts(t *testing.T) {
	s := &statusServer{script: []int{429}, header: http.Header{"Retry-After": {"0"}}, body: `{"error":"Rate limit exceeded","limit":100,"window":"10s","retryAfter":0,"plan":"PREMIUM","upgradeUrl":"https://restorehub.net/pricing"}`}
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
	var rle *RateLimitError
	if !errors.As(err, &rle) {
		t.Fatalf("err = %v, want *RateLimitError", err)
	}
	if s.count("") != 3 {
		t.Errorf("server saw %d attempts, want 3", s.count(""))
	}
	if rle.Limit != 100 || rle.Window != 10*time.Second || rle.Plan != "PREMIUM" || rle.UpgradeURL != "https://restorehub.net/pricing" || rle.Local {
		t.Errorf("RateLimitError = %+v", rle)
	}
}

// TestRetryAfterBeyondMaxWaitIsNotAwaited runs in fake time: a 429 asking
// for more than WithMaxWait returns at once, after one attempt.
func TestRetryAfterBeyondMaxWaitIsNotAwaited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &statusServer{script: []int{429, 200}, header: http.Header{"Retry-After": {"30"}}}
		c := newHandlerClient(t, s, WithMaxWait(time.Second))
		start := time.Now()
		_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
		var rle *RateLimitError
		if !errors.As(err, &rle) || rle.RetryAfter != 30*time.Second {
			t.Fatalf("err = %v, want *RateLimitError with RetryAfter 30s", err)
		}
		if time.Since(start) != 0 || s.count("") != 1 {
			t.Errorf("waited %s and sent %d; want an immediate error after 1", time.Since(start), s.count(""))
		}
	})
}

func TestPostRetriedOnlyWhenItNeverLeft(t *testing.T) {
	// A port nobody listens on: the dial fails, so even a destructive POST
	// may be tried again. Count the dials through a custom dialer.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	var dials atomic.Int32
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
		dials.Add(1)
		return (&net.Dialer{}).DialContext(ctx, network, a)
	}}}
	c := newTestClient(t, "http://"+addr, WithHTTPClient(hc), WithoutPacing())
	_, err = c.Do(context.Background(), &Request{Method: "POST", Path: "/members/pull", Scope: ScopeMembersPull, Body: []byte(`{"targetServerId":"srv_2","memberIds":["m1"]}`)}, nil)
	if err == nil {
		t.Fatal("want an error")
	}
	if n := dials.Load(); n != 3 {
		t.Errorf("dialled %d times, want 3 (a failed dial proves nothing was sent)", n)
	}
	assertNoKey(t, "dial error", err.Error())
}

func TestDestructiveNeverSentTwiceAfterReset(t *testing.T) {
	// The server reads the whole request, then drops the connection: it may
	// have acted, so a destructive call must not be repeated.
	var seen atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL, WithoutPacing())
	for _, tc := range []struct {
		method string
		scope  Scope
		want   int32
	}{{"POST", ScopeBackupsRestore, 1}, {"DELETE", ScopeServersDelete, 1}, {"POST", ScopeServersWrite, 1}} {
		seen.Store(0)
		_, err := c.Do(context.Background(), &Request{Method: tc.method, Path: "/x", Scope: tc.scope}, nil)
		if err == nil {
			t.Fatalf("%s %s: want an error", tc.method, tc.scope)
		}
		if n := seen.Load(); n != tc.want {
			t.Errorf("%s with %s was sent %d times, want %d", tc.method, tc.scope, n, tc.want)
		}
	}
}
