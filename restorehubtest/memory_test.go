package restorehubtest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// TestThousandCallsInVirtualTime runs the example's user-style test in a
// bubble: the documented window is enforced in virtual time (90 s, no 429),
// and the wall clock barely moves.
func TestThousandCallsInVirtualTime(t *testing.T) {
	start := time.Now()
	synctest.Test(t, thousandCallsInVirtualTime)
	wall := time.Since(start)
	t.Logf("1,000 calls under 100 per 10s: %s of wall time", wall)
	if wall > 10*time.Second {
		t.Errorf("1,000 calls took %s of wall time; virtual time should make it about none (the real window needs 90s)", wall)
	}
}

// TestMemoryServerServesOnlyItsHost: the in-memory transport never sends a
// request anywhere: another host is refused, and a listening server's
// Transport answers its own address without a connection.
func TestMemoryServerServesOnlyItsHost(t *testing.T) {
	srv := restorehubtest.NewMemoryServer(restorehubtest.WithKey(exampleKey, restorehub.ScopeAccountRead))
	defer srv.Close()
	if !strings.HasPrefix(srv.URL(), "https://"+restorehubtest.MemoryHost+"/") {
		t.Errorf("URL = %q", srv.URL())
	}
	for _, u := range []string{"https://api.restorehub.net/api/v1/account", "http://127.0.0.1:1/api/v1/account"} {
		req, _ := http.NewRequest("GET", u, nil)
		if resp, err := srv.Client().Do(req); err == nil {
			resp.Body.Close()
			t.Errorf("%s: served, want refused", u)
		}
	}
	live := restorehubtest.NewServer(restorehubtest.WithKey(exampleKey, restorehub.ScopeAccountRead))
	defer live.Close()
	req, _ := http.NewRequest("GET", live.URL()+"/account", nil)
	req.Header.Set("Authorization", "Bearer "+exampleKey)
	resp, err := (&http.Client{Transport: live.Transport()}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || live.Count("account.get") != 1 {
		t.Errorf("listening server's Transport: status %d, %d recorded", resp.StatusCode, live.Count("account.get"))
	}
}

// TestMemoryServerFaults: faults and latency behave in memory as the
// Responder documents, latency on the bubble's clock.
func TestMemoryServerFaults(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := restorehubtest.NewMemoryServer(restorehubtest.WithKey(exampleKey, restorehub.ScopeAccountRead))
		defer srv.Close()
		get := func(ctx context.Context) (*http.Response, error) {
			req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL()+"/account", nil)
			req.Header.Set("Authorization", "Bearer "+exampleKey)
			return srv.Client().Do(req)
		}
		srv.ResetNext(1)
		if _, err := get(context.Background()); !errors.Is(err, syscall.ECONNRESET) {
			t.Errorf("reset: err = %v, want ECONNRESET", err)
		}
		srv.TruncateNext(1)
		resp, err := get(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("truncate: read err = %v, want io.ErrUnexpectedEOF", err)
		}
		srv.SetLatency(time.Minute)
		start := time.Now()
		resp, err = get(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if took := time.Since(start); took != time.Minute {
			t.Errorf("latency took %s of virtual time, want 1m", took)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if _, err := get(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("latency cut by the context: err = %v", err)
		}
	})
}

// TestWithoutRateLimit: the fake's limit switched off accepts far more than
// the plan allows and sends no rate headers; operation budgets stay.
func TestWithoutRateLimit(t *testing.T) {
	srv := restorehubtest.NewMemoryServer(restorehubtest.WithKey(exampleKey, restorehub.ScopeAccountRead),
		restorehubtest.WithPlan("FREE"), restorehubtest.WithRateLimit(1, time.Hour), restorehubtest.WithoutRateLimit())
	defer srv.Close()
	for i := range 300 {
		req, _ := http.NewRequest("GET", srv.URL()+"/account", nil)
		req.Header.Set("Authorization", "Bearer "+exampleKey)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("request %d: status %d", i+1, resp.StatusCode)
		}
		for k := range resp.Header {
			if strings.HasPrefix(k, "X-Ratelimit") {
				t.Fatalf("request %d carries %s", i+1, k)
			}
		}
	}
}
