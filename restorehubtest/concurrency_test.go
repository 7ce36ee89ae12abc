package restorehubtest_test

import (
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go/restorehubtest"
)

func TestConcurrentClientsShareOneWindow(t *testing.T) {
	srv, clk := newServer(t)
	var ok, limited atomic.Int64
	var wg sync.WaitGroup
	for g := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				var r response
				if i%2 == 0 {
					r = send(t, srv, "POST", "/servers", allKey, map[string]any{"g": g, "i": i})
				} else {
					r = send(t, srv, "GET", "/servers?limit=3", allKey, nil)
				}
				switch r.status {
				case http.StatusOK, http.StatusCreated:
					ok.Add(1)
				case http.StatusTooManyRequests:
					limited.Add(1)
				default:
					t.Errorf("status %d: %s", r.status, r.body)
				}
			}
		}()
	}
	// Faults and clock moves race with the requests too.
	srv.FailNext(0, 500)
	_ = srv.PendingFaults()
	clk.Advance(0)
	wg.Wait()
	if ok.Load() != 100 || limited.Load() != 400 || srv.RateLimited() != 400 {
		t.Fatalf("%d accepted, %d limited, RateLimited %d; want 100, 400, 400", ok.Load(), limited.Load(), srv.RateLimited())
	}
	if got := len(srv.Requests()); got != 500 {
		t.Fatalf("%d records", got)
	}
	ids := map[string]bool{}
	for _, e := range srv.Entities("/servers") {
		id := fmt.Sprint(e["id"])
		if ids[id] {
			t.Fatalf("duplicate id %s", id)
		}
		ids[id] = true
	}
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 3 {
		srv := restorehubtest.NewServer(restorehubtest.WithOperations(testOps()), restorehubtest.WithKey(allKey, "*"))
		for range 5 {
			send(t, srv, "GET", "/account", allKey, nil)
		}
		srv.ResetNext(1)
		if resp, err := trySend(srv.Client(), srv.URL()+"/account", "GET", allKey, nil); err == nil {
			resp.Body.Close()
		}
		srv.Close()
		srv.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}
