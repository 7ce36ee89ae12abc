package restorehub

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestParseRateLimit(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	tests := []struct {
		name string
		h    map[string]string
		want RateLimit
	}{
		{"documented", map[string]string{"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "42", "X-RateLimit-Reset": "1800000007", "X-RateLimit-Window": "10s"},
			RateLimit{Limit: 100, Remaining: 42, Reset: time.Unix(1_800_000_007, 0), Window: 10 * time.Second}},
		{"window in bare seconds", map[string]string{"X-RateLimit-Limit": "50", "X-RateLimit-Window": "60"}, RateLimit{Limit: 50, Window: time.Minute}},
		{"window not assumed", map[string]string{"X-RateLimit-Limit": "50", "X-RateLimit-Window": "250ms"}, RateLimit{Limit: 50, Window: 250 * time.Millisecond}},
		{"negative", map[string]string{"X-RateLimit-Limit": "-5", "X-RateLimit-Remaining": "-1", "X-RateLimit-Window": "-10s"}, RateLimit{}},
		{"huge", map[string]string{"X-RateLimit-Limit": "99999999999999999999", "X-RateLimit-Reset": "99999999999", "X-RateLimit-Window": "876000h"}, RateLimit{}},
		{"non-numeric", map[string]string{"X-RateLimit-Limit": "lots", "X-RateLimit-Remaining": "1e3", "X-RateLimit-Window": "soon"}, RateLimit{}},
		{"retry-after seconds", map[string]string{"Retry-After": "7"}, RateLimit{RetryAfter: 7 * time.Second}},
		{"retry-after date", map[string]string{"Retry-After": now.Add(3 * time.Second).UTC().Format(http.TimeFormat)}, RateLimit{RetryAfter: 3 * time.Second}},
		{"retry-after absurd", map[string]string{"Retry-After": "100000000"}, RateLimit{}},
		{"retry-after NaN", map[string]string{"Retry-After": "NaN"}, RateLimit{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.h {
				h.Set(k, v)
			}
			if got := ParseRateLimit(h, now); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestMaxWaitFailsFastWithRateLimitError runs in fake time: the refusal
// takes no time at all, and the third request is never sent.
func TestMaxWaitFailsFastWithRateLimitError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ws := &windowServer{limit: 2, window: 5 * time.Second, keys: map[string]int{}}
		c := newHandlerClient(t, ws, WithMaxWait(100*time.Millisecond))
		for range 2 {
			if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
		var rle *RateLimitError
		if !errors.As(err, &rle) || !rle.Local || !errors.Is(err, ErrRateLimited) {
			t.Fatalf("err = %v, want a local *RateLimitError", err)
		}
		if rle.RetryAfter != 5*time.Second {
			t.Errorf("RetryAfter = %s, want the 5s window", rle.RetryAfter)
		}
		if el := time.Since(start); el != 0 {
			t.Errorf("refusal took %s, want immediate", el)
		}
		if total, _ := ws.counts(); total != 2 {
			t.Errorf("server saw %d requests, want 2 (the third is never sent)", total)
		}
	})
}

// TestBudgetWaitRespectsContext runs in fake time: a wait of an hour ends
// the moment its context is cancelled.
func TestBudgetWaitRespectsContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ws := &windowServer{limit: 1, window: time.Hour, keys: map[string]int{}}
		c := newHandlerClient(t, ws)
		if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		start := time.Now()
		go func() {
			_, err := c.Do(ctx, &Request{Path: "/account"}, nil)
			done <- err
		}()
		synctest.Wait() // waiting for the budget
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if el := time.Since(start); el != 0 {
			t.Errorf("Do returned after %s, want at once", el)
		}
	})
}

func TestMemoryBudgetModel(t *testing.T) {
	clock := time.Unix(1000, 0)
	b := NewMemoryBudget()
	b.now = func() time.Time { return clock }
	ctx := context.Background()
	// Unknown limit: the documented floor, 50 per 10s, may go at once, and
	// not one more.
	var first []Grant
	for i := range floorLimit {
		g, err := b.Acquire(ctx, time.Nanosecond)
		if err != nil {
			t.Fatalf("request %d of the floor refused before the limit was known: %v", i+1, err)
		}
		first = append(first, g)
	}
	if _, err := b.Acquire(ctx, time.Nanosecond); err == nil {
		t.Fatal("more than the documented floor went out before the limit was known")
	}
	b.Observe(RateLimit{Limit: 100, Remaining: 50, Window: 10 * time.Second}, clock)
	for _, g := range first {
		g.Release(clock)
	}
	clock = clock.Add(10 * time.Second)
	b.Observe(RateLimit{Limit: 3, Remaining: 3, Window: 10 * time.Second}, clock)
	g, err := b.Acquire(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	b.Observe(RateLimit{Limit: 3, Remaining: 2, Window: 10 * time.Second}, clock)
	g.Release(clock)
	for range 2 {
		if _, err := b.Acquire(ctx, time.Nanosecond); err != nil {
			t.Fatal(err)
		}
	}
	if l, w, free := b.State(); l != 3 || w != 10*time.Second || free != 0 {
		t.Fatalf("State = %d %s %d", l, w, free)
	}
	_, err = b.Acquire(ctx, time.Second)
	var rle *RateLimitError
	if !errors.As(err, &rle) || rle.RetryAfter != 10*time.Second {
		t.Fatalf("full budget: %v, want a 10s RateLimitError", err)
	}
	// The first slot frees exactly a window after its response.
	clock = clock.Add(10 * time.Second)
	if _, err := b.Acquire(ctx, time.Nanosecond); err != nil {
		t.Fatalf("slot did not free after the window: %v", err)
	}
	// A 429's Retry-After blocks everything.
	b.Observe(RateLimit{RetryAfter: 4 * time.Second}, clock)
	if _, err := b.Acquire(ctx, time.Second); !errors.As(err, &rle) || rle.RetryAfter != 4*time.Second {
		t.Fatalf("after Retry-After: %v", err)
	}
}

func TestBudgetLearnsLimitWithoutRemaining(t *testing.T) {
	// A server that reports its limit and window but no Remaining still
	// lets the budget leave one-at-a-time mode and send concurrently.
	var mu sync.Mutex
	inFlight, most := 0, 0
	release := make(chan struct{})
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		n := inFlight
		mu.Unlock()
		if r.URL.Query().Get("wait") != "" && n < 3 {
			select { // held until the third arrives; bounded so a failure is quick
			case <-release:
			case <-time.After(3 * time.Second):
			}
		} else if r.URL.Query().Get("wait") != "" {
			close(release)
		}
		w.Header().Set("X-RateLimit-Limit", "100")
		w.Header().Set("X-RateLimit-Window", "10s")
		writeJSON(w, 200, map[string]string{"id": "x"})
		mu.Lock()
		inFlight--
		mu.Unlock()
	}))
	c := newTestClient(t, srv)
	if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Do(context.Background(), &Request{Path: "/account", Query: map[string][]string{"wait": {"1"}}}, nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if most < 3 {
		t.Errorf("at most %d requests were in flight together, want 3", most)
	}
}
