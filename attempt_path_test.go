package restorehub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestShouldRetryReasons pins every rule of shouldRetry to its named reason.
func TestShouldRetryReasons(t *testing.T) {
	resendable := Class{Idempotent: true}
	destructive := Class{Destructive: true}
	dialErr := &net.OpError{Op: "dial", Err: errors.New("connection refused")}
	readErr := &net.OpError{Op: "read", Err: errors.New("connection reset")}
	status := func(code int) *http.Response { return &http.Response{StatusCode: code} }
	tests := []struct {
		name       string
		class      Class
		redirected bool
		maxWait    time.Duration
		retryAfter time.Duration
		resp       *http.Response
		err        error
		want       bool
		reason     retryReason
		wantStop   error
	}{
		{"budget refused", resendable, false, 0, 0, nil, newLocalRateLimitError(time.Second, 0, 0), false, retryBudgetRefused, ErrRateLimited},
		{"refused redirect", resendable, true, 0, 0, nil, fmt.Errorf("x: %w", ErrCrossHostRedirect), false, retryRedirectRefused, nil},
		{"dial failed after redirect, destructive", destructive, true, 0, 0, nil, dialErr, false, retryAfterRedirect, nil},
		{"dial failed, destructive", destructive, false, 0, 0, nil, dialErr, true, retryNeverSent, nil},
		{"read failed, destructive", destructive, false, 0, 0, nil, readErr, false, retrySentMaybeActed, nil},
		{"read failed, resendable", resendable, false, 0, 0, nil, readErr, true, retrySentMaybeActed, nil},
		{"429, destructive", destructive, false, 0, time.Second, status(429), nil, true, retryRateLimited, nil},
		{"429 after redirect, destructive", destructive, true, 0, time.Second, status(429), nil, false, retryAfterRedirect, nil},
		{"429 longer than max wait", resendable, false, time.Second, 2 * time.Second, status(429), nil, false, retryRateLimitTooLong, nil},
		{"503, resendable", resendable, false, 0, 0, status(503), nil, true, retryServerMaybeActed, nil},
		{"502, destructive", destructive, false, 0, 0, status(502), nil, false, retryServerMaybeActed, nil},
		{"504 is final", resendable, false, 0, 0, status(504), nil, false, retryNot, nil},
		{"404 is final", resendable, false, 0, 0, status(404), nil, false, retryNot, nil},
	}
	c := newTestClient(t, "https://api.restorehub.net/api/v1")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newCallRecord(context.Background(), "POST", "/x", tt.class, tt.maxWait)
			rec.redirected, rec.retryAfter = tt.redirected, tt.retryAfter
			got, reason, stop := c.shouldRetry(rec.context(), rec, tt.resp, tt.err)
			if got != tt.want || reason != tt.reason {
				t.Errorf("shouldRetry = %t (%s), want %t (%s)", got, reason, tt.want, tt.reason)
			}
			if (tt.wantStop == nil) != (stop == nil) || (tt.wantStop != nil && !errors.Is(stop, tt.wantStop)) {
				t.Errorf("stop error = %v, want %v", stop, tt.wantStop)
			}
		})
	}
	t.Run("context ended", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		rec := newCallRecord(ctx, "GET", "/x", resendable, 0)
		got, reason, stop := c.shouldRetry(rec.context(), rec, status(503), nil)
		if got || reason != retryContextDone || !errors.Is(stop, context.Canceled) {
			t.Errorf("shouldRetry = %t (%s, %v), want false (%s, context.Canceled)", got, reason, stop, retryContextDone)
		}
	})
}

// TestAuthorizeIsTheOneCredentialRule: on the API host an attempt carries
// the current key (after a rotation too); off it, none, and the caller's
// request keeps its header.
func TestAuthorizeIsTheOneCredentialRule(t *testing.T) {
	c := newTestClient(t, "https://api.restorehub.net/api/v1")
	req := httptest.NewRequest("GET", "https://api.restorehub.net/api/v1/account", nil)
	req.Header.Set("Authorization", "Bearer "+otherKey)
	if got := c.authorize(req, false).Header.Get("Authorization"); got != "Bearer "+testKey {
		t.Errorf("on the API host Authorization = %q, want the client's key", got)
	}
	if err := c.RotateKey(otherKey); err != nil {
		t.Fatal(err)
	}
	if got := c.authorize(req, false).Header.Get("Authorization"); got != "Bearer "+otherKey {
		t.Errorf("after RotateKey Authorization = %q, want the new key", got)
	}
	off := httptest.NewRequest("GET", "https://elsewhere.example/x", nil)
	off.Header.Set("Authorization", "Bearer "+testKey)
	sent := c.authorize(off, false)
	if got := sent.Header.Get("Authorization"); got != "" {
		t.Errorf("off the API host Authorization = %q, want none", got)
	}
	if off.Header.Get("Authorization") == "" {
		t.Error("authorize changed the caller's request instead of a clone")
	}
}

// wrappedBudget forwards to a MemoryBudget, as a user's instrumented Budget
// would; hideSlot drops the Grant's own Observe, as a Budget unaware of it
// would.
type wrappedBudget struct {
	inner    *MemoryBudget
	hideSlot bool
	acquired int
}

func (w *wrappedBudget) Acquire(ctx context.Context, maxWait time.Duration) (Grant, error) {
	w.acquired++
	g, err := w.inner.Acquire(ctx, maxWait)
	if w.hideSlot {
		g.Observe = nil
	}
	return g, err
}

func (w *wrappedBudget) Observe(rl RateLimit, at time.Time) { w.inner.Observe(rl, at) }

// TestWrappedBudgetReconcilesAsTheBareOne: a Budget that wraps a
// MemoryBudget and passes its Grant on behaves as the bare MemoryBudget the
// client uses by default. The server first reports 2 of 50 remaining (another
// process spends the rest), then 10: nothing of the client's was out at the
// same time, so all 10 are free again. A budget that only learns through
// Budget.Observe cannot tell, and keeps one slot back.
func TestWrappedBudgetReconcilesAsTheBareOne(t *testing.T) {
	run := func(t *testing.T, opt func(*MemoryBudget) Option) int {
		api := &fakeAPI{respond: func(i int, w http.ResponseWriter, r *http.Request, _ string) {
			h := w.Header()
			h.Set("X-RateLimit-Limit", "50")
			h.Set("X-RateLimit-Window", "10s")
			h.Set("X-RateLimit-Remaining", []string{"2", "10"}[min(i, 1)])
			replyOK(w, "")
		}}
		srv := httptest.NewServer(api)
		t.Cleanup(srv.Close)
		mem := NewMemoryBudget()
		c := newTestClient(t, srv.URL+"/api/v1", opt(mem))
		for range 2 {
			if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
				t.Fatal(err)
			}
		}
		_, _, free := mem.State()
		return free
	}
	bare := run(t, func(m *MemoryBudget) Option { return WithBudget(m) })
	wrapped := run(t, func(m *MemoryBudget) Option { return WithBudget(&wrappedBudget{inner: m}) })
	hidden := run(t, func(m *MemoryBudget) Option { return WithBudget(&wrappedBudget{inner: m, hideSlot: true}) })
	if bare != 10 || wrapped != bare {
		t.Errorf("free slots: bare %d, wrapped %d; want 10 for both", bare, wrapped)
	}
	if hidden != 9 {
		t.Errorf("free slots without the Grant's Observe = %d, want 9 (the test would not tell the two apart)", hidden)
	}
}

// TestCallersRedirectPolicySeesNoForeignKey: Go keeps Authorization on a
// redirect to a subdomain of the API host (here on a retry, whose request
// carries the key from its first attempt); the caller's CheckRedirect, which
// may log the headers, must not see the key there, and the subdomain must
// not receive it.
func TestCallersRedirectPolicySeesNoForeignKey(t *testing.T) {
	var received []string
	apiCalls := 0
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		h := http.Header{"Content-Type": {"application/json"}}
		if r.URL.Host == "api.restorehub.test" {
			if apiCalls++; apiCalls == 1 {
				// A retry first: its request already carries the key when
				// Go copies the headers for the redirect.
				return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: h, Body: http.NoBody, Request: r}, nil
			}
			h.Set("Location", "https://sub.api.restorehub.test/api/v1/account")
			return &http.Response{StatusCode: http.StatusFound, Header: h, Body: http.NoBody, Request: r}, nil
		}
		received = append(received, r.Header.Get("Authorization"))
		return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(`{"id":"a"}`)), Request: r}, nil
	})
	var seen []string
	hc := &http.Client{Transport: rt, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		seen = append(seen, req.Header.Get("Authorization"))
		return nil
	}}
	c := newTestClient(t, "https://api.restorehub.test/api/v1", WithHTTPClient(hc))
	if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0] != "" {
		t.Errorf("the caller's CheckRedirect saw Authorization %q, want one redirect without it", seen)
	}
	if len(received) != 1 || received[0] != "" {
		t.Errorf("the subdomain received Authorization %q, want one request without it", received)
	}
}
