package redisbudget

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go"
)

// TestShareWhileDown: with Redis unreachable, a process paces with its
// share of the key (the limit divided by the processes recently seen on
// it, less its share of what the server said was used), not the whole
// limit: three processes alone do not overrun the key together.
func TestShareWhileDown(t *testing.T) {
	r := ownRedis(t)
	key, prefix := testKey(t), testPrefix(t)
	var bs []*Budget
	for range 3 {
		bs = append(bs, newBudget(t, r.Client(t), key, WithKeyPrefix(prefix), WithRetryInterval(time.Hour)))
	}
	bs[0].Observe(restorehub.RateLimit{Limit: 30, Remaining: 30, Window: 10 * time.Second}, time.Now())
	for _, b := range []*Budget{bs[1], bs[2], bs[0]} { // bs[0] asks last: it has seen all three
		take(t, b).Release(time.Now())
	}
	// Three were spent: each process's share is 10, of which 1 is used.
	bs[0].Observe(restorehub.RateLimit{Limit: 30, Remaining: 27, Window: 10 * time.Second}, time.Now())
	r.Stop()
	got := 0
	for range 30 {
		g, err := bs[0].Acquire(context.Background(), 10*time.Millisecond)
		if err != nil {
			break
		}
		got++
		g.Release(time.Now())
	}
	if !bs[0].UsingFallback() {
		t.Fatal("not on the fallback with Redis down")
	}
	if got != 9 {
		t.Errorf("%d requests let out with Redis down, want 9 (a share of 10, one used)", got)
	}
}

// TestReconcileOnReturn: what the fallback spent while Redis was down is
// added to the shared budget when Redis answers again (here a Redis
// restarted empty), and the process keeps to its share for a while.
func TestReconcileOnReturn(t *testing.T) {
	r := ownRedis(t)
	rdb := r.Client(t)
	b := newBudget(t, r.Client(t), testKey(t), WithKeyPrefix(testPrefix(t)), WithRetryInterval(100*time.Millisecond))
	b.Observe(restorehub.RateLimit{Limit: 20, Remaining: 20, Window: 5 * time.Second}, time.Now())
	take(t, b).Release(time.Now())
	r.Stop()
	for range 4 {
		g, err := b.Acquire(context.Background(), 10*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		g.Release(time.Now())
	}
	if !b.UsingFallback() {
		t.Fatal("not on the fallback with Redis down")
	}
	r.Restart(t)
	time.Sleep(160 * time.Millisecond) // past the longest jittered retry interval
	g, err := b.Acquire(context.Background(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	g.Release(time.Now())
	if b.UsingFallback() {
		t.Fatal("the budget did not return to Redis")
	}
	if !b.sharing(time.Now()) {
		t.Error("right after the return the budget does not keep to its share")
	}
	waitFor(t, "the fallback's 4 slots in the shared budget", func() bool {
		ids, err := rdb.ZRange(context.Background(), b.RedisKeys()[1], 0, -1).Result()
		n := 0
		for _, id := range ids {
			if strings.HasPrefix(id, "f:") {
				n++
			}
		}
		return err == nil && n == 4
	})
}
