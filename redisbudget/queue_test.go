package redisbudget

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/restorehub/restorehub-go"
)

// TestFairAcrossBudgets: waiters of two Budgets (as two processes would
// have) are served in the order they asked, alternating between them, not
// whoever asks Redis first after a slot frees.
func TestFairAcrossBudgets(t *testing.T) {
	r := needRedis(t)
	rdb := r.Client(t)
	key, prefix := testKey(t), testPrefix(t)
	budgets := []*Budget{
		newBudget(t, r.Client(t), key, WithKeyPrefix(prefix)),
		newBudget(t, r.Client(t), key, WithKeyPrefix(prefix)),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	const win = 150 * time.Millisecond
	budgets[0].Observe(restorehub.RateLimit{Limit: 1, Remaining: 1, Window: win}, time.Now())
	first := take(t, budgets[0]) // the only slot: everyone else queues
	queue := budgets[0].RedisKeys()[4]

	// The order of arrival: 0, 1, 2, ... alternating between the budgets;
	// each waiter is queued in Redis before the next one asks.
	const waiters = 8
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	for i := range waiters {
		wg.Go(func() {
			g, err := budgets[i%2].Acquire(ctx, 0)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			g.Release(time.Now())
		})
		waitFor(t, "the waiter's ticket", func() bool {
			n, err := rdb.ZCard(ctx, queue).Result()
			return err == nil && n == int64(i+1)
		})
	}
	first.Release(time.Now())
	wg.Wait()
	for i, got := range order {
		if got != i {
			t.Fatalf("served in the order %v, want the order of arrival", order)
		}
	}
}

// TestWakeUpAcrossBudgets: a waiter behind the limit is woken by another
// Budget's change (here a response that raises the limit) through Redis
// pub/sub, well before its next timed check.
func TestWakeUpAcrossBudgets(t *testing.T) {
	r := needRedis(t)
	key, prefix := testKey(t), testPrefix(t)
	a := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	b := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	rl := restorehub.RateLimit{Limit: 1, Remaining: 1, Window: 10 * time.Second}
	a.Observe(rl, time.Now())
	take(t, a) // in flight: its slot frees no sooner than a window from now
	done := make(chan time.Duration, 1)
	go func() {
		start := time.Now()
		g, err := b.Acquire(context.Background(), 0)
		if err != nil {
			t.Error(err)
		} else {
			g.Release(time.Now())
		}
		done <- time.Since(start)
	}()
	rdb := r.Client(t)
	waitFor(t, "the waiter's ticket", func() bool {
		n, err := rdb.ZCard(context.Background(), a.RedisKeys()[4]).Result()
		return err == nil && n == 1
	})
	// Give the subscriber time to subscribe; a wake-up before that is lost
	// and the timed check (wakeMax) would serve instead.
	time.Sleep(300 * time.Millisecond)
	raised := time.Now()
	rl.Limit, rl.Remaining = 5, 4
	a.Observe(rl, time.Now())
	select {
	case <-done:
		if d := time.Since(raised); d > wakeMax/2 {
			t.Errorf("the waiter went %s after the limit was raised; want it woken, well before the %s timed check", d, wakeMax)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiter was never served")
	}
}

// TestDeadProcessTicket: a ticket whose process stopped calling Redis does
// not hold back the queue.
func TestDeadProcessTicket(t *testing.T) {
	r := needRedis(t)
	rdb := r.Client(t)
	b := newBudget(t, rdb, testKey(t), WithKeyPrefix(testPrefix(t)))
	b.Observe(restorehub.RateLimit{Limit: 5, Remaining: 5, Window: time.Second}, time.Now())
	ctx := context.Background()
	keys := b.RedisKeys()
	// A process last seen well beyond procTTL ago, with a ticket first in line.
	now, err := rdb.Time(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if err := rdb.ZAdd(ctx, keys[5], redisZ(float64(now.Add(-2*procTTL).UnixMicro()), "deadbeef")).Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.ZAdd(ctx, keys[4], redisZ(0, "deadbeef:1")).Err(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	g, err := b.Acquire(ctx, 2*time.Second)
	if err != nil {
		t.Fatalf("the dead process's ticket held the queue: %v", err)
	}
	g.Release(time.Now())
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("Acquire took %s behind a dead ticket", d)
	}
	if n, _ := rdb.ZCard(ctx, keys[4]).Result(); n != 0 {
		t.Errorf("%d tickets left in the queue, want 0", n)
	}
}

// TestGivenUpTicketLeaves: a waiter that stops waiting (maxWait, ctx) takes
// its ticket out of the queue, so the next one is not held behind it.
func TestGivenUpTicketLeaves(t *testing.T) {
	r := needRedis(t)
	rdb := r.Client(t)
	b := newBudget(t, rdb, testKey(t), WithKeyPrefix(testPrefix(t)))
	b.Observe(restorehub.RateLimit{Limit: 1, Remaining: 1, Window: time.Second}, time.Now())
	take(t, b)
	if _, err := b.Acquire(context.Background(), 20*time.Millisecond); err == nil {
		t.Fatal("acquired past the limit")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := b.Acquire(ctx, 0); err == nil {
		t.Fatal("acquired past the limit")
	}
	if n, _ := rdb.ZCard(context.Background(), b.RedisKeys()[4]).Result(); n != 0 {
		t.Errorf("%d tickets left in the queue after their waiters gave up, want 0", n)
	}
}

func redisZ(score float64, member string) redis.Z { return redis.Z{Score: score, Member: member} }
