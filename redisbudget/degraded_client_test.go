package redisbudget

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go"
)

// TestShareWhileDownThroughClient: the share holds on the path a Client
// takes. The Client hands a response to the Grant's own Observe when it has
// one, as the fallback's Grant does; passed on as it is, that would teach
// the fallback the whole limit, and each process would spend all of it
// while Redis is down. Two processes on a key of 40 per 10 s: with Redis
// stopped, one of them gets at most its share of 20 before its budget
// refuses.
func TestShareWhileDownThroughClient(t *testing.T) {
	r := ownRedis(t)
	key, prefix := testKey(t), testPrefix(t)
	const limit = 40
	var mu sync.Mutex
	served := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		served++
		left := max(limit-served, 0)
		mu.Unlock()
		w.Header().Set("X-RateLimit-Limit", strconv.Itoa(limit))
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(left))
		w.Header().Set("X-RateLimit-Window", "10s")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"acc"}`))
	}))
	defer srv.Close()
	ctx := context.Background()
	var clients []*restorehub.Client
	var budgets []*Budget
	for range 2 {
		b := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix), WithRetryInterval(time.Hour))
		c, err := restorehub.New(key, restorehub.WithBaseURL(srv.URL), restorehub.WithBudget(b),
			restorehub.WithMaxWait(100*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		clients, budgets = append(clients, c), append(budgets, b)
	}
	get := func(c *restorehub.Client) error {
		var out map[string]any
		_, err := c.Do(ctx, &restorehub.Request{Method: http.MethodGet, Path: "/account"}, &out)
		return err
	}
	// Both processes call once through Redis: each has seen the other.
	for _, c := range []*restorehub.Client{clients[0], clients[1], clients[0]} {
		if err := get(c); err != nil {
			t.Fatal(err)
		}
	}
	r.Stop()
	got := 0
	for range limit {
		err := get(clients[0])
		if err == nil {
			got++
			continue
		}
		var rle *restorehub.RateLimitError
		if !errors.As(err, &rle) || !rle.Local {
			t.Fatalf("during the outage: %v, want a local *RateLimitError once the share is spent", err)
		}
		break
	}
	if !budgets[0].UsingFallback() {
		t.Fatal("not on the fallback with Redis stopped")
	}
	t.Logf("one of two processes got %d of %d calls with Redis down", got, limit)
	if got > limit/2 {
		t.Errorf("one of two processes spent %d of the key's %d with Redis down, more than its share of %d", got, limit, limit/2)
	}
	if got == 0 {
		t.Error("the process got nothing with Redis down")
	}
}
