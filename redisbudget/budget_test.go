package redisbudget

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/restorehub/restorehub-go"
)

// window is a sliding-window server, as Restore Hub counts: a request is
// accepted iff fewer than limit requests were accepted in (now-window, now].
// It records every accepted request's time.
type window struct {
	limit int
	size  time.Duration

	mu       sync.Mutex
	recent   []time.Time
	accepted []time.Time
	rejected int
}

// hit counts a request arriving at now and returns what the response reports.
func (w *window) hit(now time.Time) (restorehub.RateLimit, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	kept := w.recent[:0]
	for _, t := range w.recent {
		if t.After(now.Add(-w.size)) {
			kept = append(kept, t)
		}
	}
	w.recent = kept
	rl := restorehub.RateLimit{Limit: w.limit, Window: w.size}
	if len(w.recent) >= w.limit {
		w.rejected++
		rl.RetryAfter = w.recent[0].Add(w.size).Sub(now)
		return rl, false
	}
	w.recent = append(w.recent, now)
	w.accepted = append(w.accepted, now)
	rl.Remaining = w.limit - len(w.recent)
	return rl, true
}

// maxInWindow returns the largest number of accepted requests in any
// (t-size, t], recounted from the recorded times.
func (w *window) maxInWindow() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	most := 0
	for i, t := range w.accepted {
		n := 0
		for _, u := range w.accepted[:i+1] {
			if u.After(t.Add(-w.size)) {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// send is one request through b to w, taking latency to answer.
func send(ctx context.Context, b restorehub.Budget, w *window, latency time.Duration) (bool, error) {
	g, err := b.Acquire(ctx, 0)
	if err != nil {
		return false, err
	}
	rl, ok := w.hit(time.Now())
	time.Sleep(latency)
	at := time.Now()
	b.Observe(rl, at)
	if g.Release != nil {
		g.Release(at)
	}
	return ok, nil
}

// answer takes a slot of x, allowing maxWait, and answers it as the
// transport does: it observes rl (when not nil) and releases the slot at one
// instant. It returns Acquire's error, having released nothing.
func answer(ctx context.Context, x *Budget, maxWait time.Duration, rl *restorehub.RateLimit) error {
	g, err := x.Acquire(ctx, maxWait)
	if err != nil {
		return err
	}
	at := time.Now()
	if rl != nil {
		x.Observe(*rl, at)
	}
	g.Release(at)
	return nil
}

func newBudget(t testing.TB, rdb redis.UniversalClient, key string, opts ...Option) *Budget {
	t.Helper()
	b, err := New(rdb, key, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // leave nothing in a Redis that other tests share
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		_ = rdb.Del(ctx, b.RedisKeys()...).Err()
	})
	return b
}

// TestSlidingWindow: many goroutines over two Budgets (as two processes
// would) never have more than the limit accepted in any window.
func TestSlidingWindow(t *testing.T) {
	r := needRedis(t)
	key, prefix := testKey(t), testPrefix(t)
	budgets := []*Budget{
		newBudget(t, r.Client(t), key, WithKeyPrefix(prefix)),
		newBudget(t, r.Client(t), key, WithKeyPrefix(prefix)),
	}
	w := &window{limit: 5, size: 300 * time.Millisecond}
	const goroutines, perGoroutine = 16, 3
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// The test's server allows less than the documented floor that the
	// budget assumes before any response: one request teaches the limit.
	if _, err := send(ctx, budgets[0], w, time.Millisecond); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var failures atomic.Int32
	for i := range goroutines {
		wg.Go(func() {
			for range perGoroutine {
				if _, err := send(ctx, budgets[i%2], w, time.Millisecond); err != nil {
					failures.Add(1)
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if w.rejected != 0 {
		t.Errorf("the server rejected %d requests", w.rejected)
	}
	if got := len(w.accepted); got != 1+goroutines*perGoroutine {
		t.Errorf("accepted %d requests, want %d", got, 1+goroutines*perGoroutine)
	}
	if most := w.maxInWindow(); most > w.limit {
		t.Errorf("%d requests in one window, limit %d", most, w.limit)
	}
}

// TestSharedAndSeparate: Budgets with one key share a budget; another key has its own.
func TestSharedAndSeparate(t *testing.T) {
	r := needRedis(t)
	key, prefix := testKey(t), testPrefix(t)
	a := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	b := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	other := newBudget(t, r.Client(t), testKey(t), WithKeyPrefix(prefix))
	ctx := context.Background()

	a.Observe(restorehub.RateLimit{Limit: 3, Remaining: 3, Window: 10 * time.Second}, time.Now())
	for i, x := range []*Budget{a, b, a} {
		if _, err := x.Acquire(ctx, 10*time.Millisecond); err != nil {
			t.Fatalf("acquire %d: %v", i, err)
		}
	}
	for name, x := range map[string]*Budget{"a": a, "b": b} {
		_, err := x.Acquire(ctx, 10*time.Millisecond)
		var rle *restorehub.RateLimitError
		if !errors.As(err, &rle) || !rle.Local {
			t.Fatalf("%s: acquire over the shared limit: got %v, want a local *RateLimitError", name, err)
		}
	}
	// The other key has learned nothing: it starts from the floor.
	g, err := other.Acquire(ctx, 10*time.Millisecond)
	if err != nil {
		t.Fatalf("other key: %v", err)
	}
	g.Release(time.Now())
}

// TestMaxWait: a wait longer than maxWait fails at once with a local
// *RateLimitError that says how long.
func TestMaxWait(t *testing.T) {
	r := needRedis(t)
	b := newBudget(t, r.Client(t), testKey(t), WithKeyPrefix(testPrefix(t)))
	ctx := context.Background()
	const win = 2 * time.Second
	b.Observe(restorehub.RateLimit{Limit: 1, Remaining: 1, Window: win}, time.Now())
	g, err := b.Acquire(ctx, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	g.Release(time.Now())
	start := time.Now()
	_, err = b.Acquire(ctx, 100*time.Millisecond)
	if d := time.Since(start); d > time.Second {
		t.Errorf("Acquire took %s to refuse", d)
	}
	var rle *restorehub.RateLimitError
	if !errors.As(err, &rle) || !rle.Local {
		t.Fatalf("got %v, want a local *RateLimitError", err)
	}
	if !errors.Is(err, restorehub.ErrRateLimited) {
		t.Error("the error does not match ErrRateLimited")
	}
	if rle.RetryAfter <= 100*time.Millisecond || rle.RetryAfter > win {
		t.Errorf("RetryAfter %s, want within (100ms, %s]", rle.RetryAfter, win)
	}
	if rle.Limit != 1 || rle.Window != win {
		t.Errorf("Limit %d, Window %s; want 1, %s", rle.Limit, rle.Window, win)
	}
}

// TestContextEnds: a waiting Acquire returns ctx's error when ctx ends.
func TestContextEnds(t *testing.T) {
	r := needRedis(t)
	b := newBudget(t, r.Client(t), testKey(t), WithKeyPrefix(testPrefix(t)))
	b.Observe(restorehub.RateLimit{Limit: 1, Remaining: 1, Window: 10 * time.Second}, time.Now())
	if _, err := b.Acquire(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := b.Acquire(ctx, 0)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Acquire returned %s after its deadline", d)
	}

	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := b.Acquire(ctx, 0); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if b.UsingFallback() {
		t.Error("an ended context was taken for a Redis failure")
	}
}

// TestUnknownLimitFloor: before any response reports the limit, the budget
// allows the documented floor (floorLimit per floorWindow) across Budgets,
// not one request at a time: a slow request does not hold back the others.
// Past the floor it waits; a released slot counts for the floor's window.
func TestUnknownLimitFloor(t *testing.T) {
	r := needRedis(t)
	rdb := r.Client(t)
	key, prefix := testKey(t), testPrefix(t)
	a := newBudget(t, rdb, key, WithKeyPrefix(prefix))
	b := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	ctx := context.Background()
	// The first request hangs: it is never released in this test.
	if _, err := a.Acquire(ctx, 10*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	var grants []restorehub.Grant
	for i := 1; i < floorLimit; i++ {
		x := a
		if i%2 == 1 {
			x = b
		}
		g, err := x.Acquire(ctx, 10*time.Millisecond)
		if err != nil {
			t.Fatalf("acquire %d of the floor of %d while the first hangs: %v", i+1, floorLimit, err)
		}
		grants = append(grants, g)
	}
	for name, x := range map[string]*Budget{"a": a, "b": b} {
		var rle *restorehub.RateLimitError
		if _, err := x.Acquire(ctx, 50*time.Millisecond); !errors.As(err, &rle) || !rle.Local {
			t.Fatalf("%s: acquire past the floor: got %v, want a local *RateLimitError", name, err)
		}
		if rle.Limit != 0 || rle.Window != 0 {
			t.Errorf("%s: the error reports Limit %d, Window %s before any was learned; want 0, 0", name, rle.Limit, rle.Window)
		}
		if rle.RetryAfter <= 50*time.Millisecond || rle.RetryAfter > floorWindow {
			t.Errorf("%s: RetryAfter %s, want within (50ms, %s]", name, rle.RetryAfter, floorWindow)
		}
	}
	// A released slot still counts, for the floor's window.
	at := time.Now()
	grants[0].Release(at)
	if _, err := b.Acquire(ctx, 50*time.Millisecond); err == nil {
		t.Fatal("a released slot freed at once; it must count for the floor's window")
	}
	used, err := rdb.ZRangeWithScores(ctx, b.RedisKeys()[1], 0, -1).Result()
	if err != nil || len(used) != 1 {
		t.Fatalf("released slots in Redis: %v (%v), want 1", used, err)
	}
	redisNow, err := rdb.Time(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if left := time.UnixMicro(int64(used[0].Score)).Sub(redisNow); left <= floorWindow-2*time.Second || left > floorWindow {
		t.Errorf("the released slot frees in %s, want about %s", left, floorWindow)
	}
	// A response that reports a larger limit lets the waiting go on at once.
	a.Observe(restorehub.RateLimit{Limit: 200, Remaining: 200 - floorLimit, Window: 10 * time.Second}, time.Now())
	g, err := b.Acquire(ctx, 10*time.Millisecond)
	if err != nil {
		t.Fatalf("after the limit was learned: %v", err)
	}
	g.Release(time.Now())
}

// TestRetryAfterHoldsEveryone: a 429's Retry-After, seen by one Budget,
// holds back every Budget of the key.
func TestRetryAfterHoldsEveryone(t *testing.T) {
	r := needRedis(t)
	key, prefix := testKey(t), testPrefix(t)
	a := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	b := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	a.Observe(restorehub.RateLimit{Limit: 10, Remaining: 10, Window: time.Second, RetryAfter: 400 * time.Millisecond}, time.Now())
	_, err := b.Acquire(context.Background(), 10*time.Millisecond)
	var rle *restorehub.RateLimitError
	if !errors.As(err, &rle) || !rle.Local {
		t.Fatalf("got %v, want a local *RateLimitError", err)
	}
	if rle.RetryAfter < 200*time.Millisecond || rle.RetryAfter > 400*time.Millisecond {
		t.Errorf("RetryAfter %s, want about 400ms", rle.RetryAfter)
	}
	g, err := b.Acquire(context.Background(), time.Second)
	if err != nil {
		t.Fatalf("after Retry-After: %v", err)
	}
	g.Release(time.Now())
}

// TestOtherUsers: a Remaining lower than the free slots counted here is
// someone else's use, held for a window; a higher one hands it back, but
// only beyond what the budget's own concurrent requests could explain.
func TestOtherUsers(t *testing.T) {
	r := needRedis(t)
	b := newBudget(t, r.Client(t), testKey(t), WithKeyPrefix(testPrefix(t)))
	ctx := context.Background()
	b.Observe(restorehub.RateLimit{Limit: 10, Remaining: 10, Window: 10 * time.Second}, time.Now())
	if _, err := b.Acquire(ctx, time.Second); err != nil {
		t.Fatal(err)
	}
	// 9 free here, 3 by the server's count: 6 spent by someone else.
	b.Observe(restorehub.RateLimit{Limit: 10, Remaining: 3, Window: 10 * time.Second}, time.Now())
	for i := range 3 {
		if _, err := b.Acquire(ctx, 10*time.Millisecond); err != nil {
			t.Fatalf("acquire %d of the 3 left: %v", i, err)
		}
	}
	if _, err := b.Acquire(ctx, 10*time.Millisecond); err == nil {
		t.Fatal("acquired past the other user's slots")
	}
	// The server says 6 remain. Three of this budget's requests besides the
	// observed one are in flight and may not have been counted yet: only the
	// 3 slots they cannot explain are handed back.
	b.Observe(restorehub.RateLimit{Limit: 10, Remaining: 6, Window: 10 * time.Second}, time.Now())
	for i := range 3 {
		if _, err := b.Acquire(ctx, 10*time.Millisecond); err != nil {
			t.Fatalf("acquire %d of the 3 handed back: %v", i, err)
		}
	}
	if _, err := b.Acquire(ctx, 10*time.Millisecond); err == nil {
		t.Fatal("acquired past the limit")
	}
}

// TestObserveIgnoresStaleRemaining replays, through the public Budget
// interface, the interleavings in which a response's Remaining is older than
// the shared budget's own count: another user holds 47 of 50 slots, two of
// the budget's requests (one from each of two processes) go out together,
// and the server counts A (Remaining 1) before B (Remaining 0). A's answer
// must not give back one of the other user's slots, whether B is still in
// flight or already answered: the server counts all 50, and a third request
// would get a 429. A Remaining that no concurrent request explains still
// gives slots back. The cases and figures are those of the core's
// TestBudgetReconcileIgnoresStaleRemaining for MemoryBudget.Observe.
func TestObserveIgnoresStaleRemaining(t *testing.T) {
	r := needRedis(t)
	const limit = 50
	window := 10 * time.Second
	rl := func(remaining int) restorehub.RateLimit {
		return restorehub.RateLimit{Limit: limit, Remaining: remaining, Window: window}
	}
	tests := []struct {
		name string
		// run sends the budget's requests after the first has learned that
		// 2 remain, as the transport does (acquire, observe, release);
		// wantFree is checked after it.
		run      func(t *testing.T, a, b *Budget)
		wantFree int
	}{
		{"stale answer while the other is in flight", func(t *testing.T, a, b *Budget) {
			ga, gb := take(t, a), take(t, b)
			at := time.Now()
			a.Observe(rl(1), at)
			ga.Release(at)
			// B is still out: a third request sent now would be the 51st.
			if _, err := a.Acquire(context.Background(), 10*time.Millisecond); err == nil {
				t.Error("after A's answer a third request was let out")
			}
			at = time.Now()
			b.Observe(rl(0), at)
			gb.Release(at)
		}, 0},
		{"stale answer after the other was answered", func(t *testing.T, a, b *Budget) {
			ga, gb := take(t, a), take(t, b)
			at := time.Now()
			b.Observe(rl(0), at)
			gb.Release(at)
			at = time.Now()
			a.Observe(rl(1), at)
			ga.Release(at)
		}, 0},
		// The first request's slot still counts here and may not have been
		// counted by the server when it handled this one.
		{"lone answer gives slots back", func(t *testing.T, a, _ *Budget) {
			g := take(t, a)
			at := time.Now()
			a.Observe(rl(10), at)
			g.Release(at)
		}, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, prefix := testKey(t), testPrefix(t)
			rdb := r.Client(t)
			a := newBudget(t, rdb, key, WithKeyPrefix(prefix))
			b := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
			// Another user spent 47: the first answer says 2 remain.
			g := take(t, a)
			at := time.Now()
			a.Observe(rl(2), at)
			g.Release(at)
			if free := freeSlots(t, rdb, a); free != 2 {
				t.Fatalf("after the first answer %d slots are free, want 2", free)
			}
			tt.run(t, a, b)
			if free := freeSlots(t, rdb, a); free != tt.wantFree {
				t.Errorf("%d slots are free, want %d", free, tt.wantFree)
			}
		})
	}
	// With none of the budget's requests out or still counting, a higher
	// Remaining is the other user's slots freeing: all are handed back.
	t.Run("nothing of the budget's out", func(t *testing.T) {
		key, prefix := testKey(t), testPrefix(t)
		rdb := r.Client(t)
		a := newBudget(t, rdb, key, WithKeyPrefix(prefix))
		a.Observe(rl(2), time.Now())
		if free := freeSlots(t, rdb, a); free != 2 {
			t.Fatalf("%d slots are free, want 2", free)
		}
		a.Observe(rl(30), time.Now())
		if free := freeSlots(t, rdb, a); free != 30 {
			t.Errorf("%d slots are free, want 30", free)
		}
	})
}

// take acquires a slot that must be free at once.
func take(t *testing.T, b *Budget) restorehub.Grant {
	t.Helper()
	g, err := b.Acquire(context.Background(), 10*time.Millisecond)
	if err != nil {
		t.Fatalf("acquire: %v", err)
	}
	if b.UsingFallback() {
		t.Fatal("the budget is on its fallback")
	}
	return g
}

// freeSlots returns the free slots of b's budget as kept in Redis: its
// learned limit less the slots in flight, released and spent by other users.
// The test's windows are long, so none frees on its own meanwhile.
func freeSlots(t *testing.T, rdb *redis.Client, b *Budget) int {
	t.Helper()
	ctx := context.Background()
	keys := b.RedisKeys()
	limit, err := rdb.HGet(ctx, keys[3], "limit").Int()
	if err != nil {
		t.Fatalf("the learned limit: %v", err)
	}
	for _, k := range keys[:3] {
		n, err := rdb.ZCard(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		limit -= int(n)
	}
	return limit
}

// TestInflightTimeout: a slot whose holder never releases it (a crashed
// worker) frees after the in-flight timeout.
func TestInflightTimeout(t *testing.T) {
	r := needRedis(t)
	key, prefix := testKey(t), testPrefix(t)
	crashed := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix), WithInflightTimeout(200*time.Millisecond))
	crashed.Observe(restorehub.RateLimit{Limit: 1, Remaining: 1, Window: time.Second}, time.Now())
	if _, err := crashed.Acquire(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	b := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := b.Acquire(ctx, 0); err != nil {
		t.Fatalf("the unreleased slot never freed: %v", err)
	}
}

// TestKeysHashedAndExpiring: no Redis key or value holds the API key, the
// keys are named by its hash, every key has an expiry, and an idle budget
// leaves nothing behind.
func TestKeysHashedAndExpiring(t *testing.T) {
	r := needRedis(t)
	rdb := r.Client(t)
	key, prefix := testKey(t), testPrefix(t)
	b := newBudget(t, rdb, key, WithKeyPrefix(prefix), WithIdleTTL(time.Second), WithInflightTimeout(time.Second))
	w := &window{limit: 3, size: 100 * time.Millisecond}
	ctx := context.Background()
	b.Observe(restorehub.RateLimit{Limit: 3, Remaining: 3, Window: 100 * time.Millisecond}, time.Now())
	g, err := b.Acquire(ctx, 0) // one slot left in flight
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := send(ctx, b, w, 0); err != nil {
			t.Fatal(err)
		}
	}
	b.Observe(restorehub.RateLimit{Limit: 3, Remaining: 0, Window: 100 * time.Millisecond, RetryAfter: 50 * time.Millisecond}, time.Now())

	names, err := rdb.Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	own := map[string]bool{}
	for _, k := range b.RedisKeys() {
		own[k] = true
	}
	if len(names) < 4 {
		t.Fatalf("keys %v: want the budget's keys", names)
	}
	for _, name := range names {
		if !own[name] {
			t.Errorf("key %q is not one of the budget's %v", name, b.RedisKeys())
		}
	}
	h := KeyHash(key)
	for _, name := range names {
		if !strings.Contains(name, h) {
			t.Errorf("key %q is not named by the key's hash %s", name, h)
		}
		ttl, err := rdb.PTTL(ctx, name).Result()
		if err != nil || ttl <= 0 || ttl > 3*time.Second {
			t.Errorf("key %q: PTTL %s (%v), want an expiry within the idle TTL", name, ttl, err)
		}
	}
	all, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	secret := strings.TrimPrefix(key, "rh_")
	for _, name := range all {
		for _, v := range dump(t, rdb, name) {
			if strings.Contains(v, secret) {
				t.Errorf("Redis key %q holds the API key", name)
			}
		}
	}
	g.Release(time.Now())

	deadline := time.Now().Add(10 * time.Second)
	for {
		left, err := rdb.Keys(ctx, prefix+"*").Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("keys %v are still there after the idle TTL", left)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// dump returns a key's name and everything stored under it.
func dump(t *testing.T, rdb *redis.Client, name string) []string {
	t.Helper()
	ctx := context.Background()
	out := []string{name}
	typ, err := rdb.Type(ctx, name).Result()
	if err != nil {
		t.Fatal(err)
	}
	switch typ {
	case "zset":
		zs, err := rdb.ZRangeWithScores(ctx, name, 0, -1).Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, z := range zs {
			out = append(out, z.Member.(string))
		}
	case "hash":
		m, err := rdb.HGetAll(ctx, name).Result()
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range m {
			out = append(out, k, v)
		}
	case "string":
		v, _ := rdb.Get(ctx, name).Result()
		out = append(out, v)
	case "none":
	default:
		v, _ := rdb.Dump(ctx, name).Result()
		out = append(out, v)
	}
	return out
}

// logRecorder collects log output.
type logRecorder struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logRecorder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logRecorder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestRedisDown: with Redis unreachable, Acquire answers promptly from the
// fallback, which has learned from Observe, and the outage is logged once
// without the key.
func TestRedisDown(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: closedPort(t)})
	defer rdb.Close()
	logs := &logRecorder{}
	key := testKey(t)
	b := newBudget(t, rdb, key, WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	ctx := context.Background()

	start := time.Now()
	g, err := b.Acquire(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Acquire with Redis down took %s", d)
	}
	if !b.UsingFallback() {
		t.Error("UsingFallback is false with Redis down")
	}
	at := time.Now()
	b.Observe(restorehub.RateLimit{Limit: 3, Remaining: 2, Window: 10 * time.Second}, at)
	g.Release(at)
	for i := range 2 {
		if _, err := b.Acquire(ctx, 10*time.Millisecond); err != nil {
			t.Fatalf("acquire %d: %v", i, err)
		}
	}
	var rle *restorehub.RateLimitError
	if _, err := b.Acquire(ctx, 10*time.Millisecond); !errors.As(err, &rle) || !rle.Local {
		t.Fatalf("the fallback did not pace: got %v", err)
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, logs)
	}
	if strings.Contains(logs.String(), strings.TrimPrefix(key, "rh_")) {
		t.Errorf("the log holds the API key:\n%s", logs)
	}
}

// TestRedisHangs: a Redis that accepts connections and never answers costs
// each call no more than the timeout, whatever the client's own timeouts.
func TestRedisHangs(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // read nothing, answer nothing
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()
	rdb := redis.NewClient(&redis.Options{Addr: l.Addr().String(), ReadTimeout: time.Minute, WriteTimeout: time.Minute})
	defer rdb.Close()
	b := newBudget(t, rdb, testKey(t), WithTimeout(50*time.Millisecond))
	start := time.Now()
	for range 5 {
		if err := answer(context.Background(), b, 0, &restorehub.RateLimit{Limit: 100, Remaining: 99, Window: time.Second}); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("5 requests against a hanging Redis took %s", d)
	}
	if !b.UsingFallback() {
		t.Error("UsingFallback is false with Redis hanging")
	}
}

// TestRedisKilledMidRun: workers keep going when Redis dies under them,
// nothing hangs, and the budget returns to Redis once it is back.
func TestRedisKilledMidRun(t *testing.T) {
	r := ownRedis(t)
	key, prefix := testKey(t), testPrefix(t)
	logs := &logRecorder{}
	b := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix), WithRetryInterval(200*time.Millisecond),
		WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	w := &window{limit: 10, size: 200 * time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	const total = 150
	var sent atomic.Int32
	killed := make(chan struct{})
	var wg sync.WaitGroup
	start := time.Now()
	for range 8 {
		wg.Go(func() {
			for sent.Add(1) <= total {
				if _, err := send(ctx, b, w, time.Millisecond); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	go func() {
		for sent.Load() < 40 {
			time.Sleep(time.Millisecond)
		}
		r.Stop()
		close(killed)
	}()
	wg.Wait()
	<-killed
	elapsed := time.Since(start)
	if ctx.Err() != nil {
		t.Fatalf("workers did not finish in time after Redis died")
	}
	t.Logf("%d requests in %s, %d rejected by the server, Redis killed after 40", len(w.accepted), elapsed, w.rejected)
	if !b.UsingFallback() {
		t.Error("UsingFallback is false after Redis died")
	}

	r.Restart(t)
	deadline := time.Now().Add(5 * time.Second)
	for b.UsingFallback() {
		if time.Now().After(deadline) {
			t.Fatal("the budget did not return to Redis")
		}
		if _, err := send(ctx, b, w, time.Millisecond); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), "answers again") {
		t.Errorf("the return to Redis was not logged:\n%s", logs)
	}
	if n := strings.Count(logs.String(), "level=WARN"); n != 1 {
		t.Errorf("%d warnings for one outage, want 1:\n%s", n, logs)
	}
}

// stall keeps the Redis server busy (a Lua loop blocks it) for d, from
// another connection, and returns when the loop has started.
func stall(t *testing.T, r *redisServer, d time.Duration) <-chan struct{} {
	t.Helper()
	rdb := r.Client(t)
	done := make(chan struct{})
	started := make(chan struct{})
	go func() {
		defer close(done)
		close(started)
		err := rdb.Eval(context.Background(), `
local t = redis.call('TIME')
local start = t[1] * 1000000 + t[2]
while true do
  t = redis.call('TIME')
  if t[1] * 1000000 + t[2] - start > tonumber(ARGV[1]) then return 1 end
end`, nil, d.Microseconds()).Err()
		if err != nil {
			t.Error(err)
		}
	}()
	<-started
	// Return once the loop has the server: a PING from another connection
	// no longer answers promptly. A fixed sleep was not enough on a loaded
	// machine, where the loop sometimes had not started yet.
	probe := redis.NewClient(&redis.Options{Addr: r.Addr, ReadTimeout: 20 * time.Millisecond, MaxRetries: -1})
	defer probe.Close()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if probe.Ping(context.Background()).Err() != nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	return done
}

// TestSlowRedis: when Redis answers late, a slot it granted after the
// caller gave up is handed back, so that it does not stay taken for the
// in-flight timeout; and a release that failed is sent once Redis answers
// again, so that the slot counts.
func TestSlowRedis(t *testing.T) {
	r := ownRedis(t)
	rdb := r.Client(t)
	key, prefix := testKey(t), testPrefix(t)
	b := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix), WithTimeout(50*time.Millisecond), WithRetryInterval(100*time.Millisecond))
	ctx := context.Background()
	b.Observe(restorehub.RateLimit{Limit: 5, Remaining: 5, Window: time.Second}, time.Now())
	inflight, used := b.RedisKeys()[0], b.RedisKeys()[1]

	// A grant that arrives after the caller gave up.
	done := stall(t, r, 300*time.Millisecond)
	start := time.Now()
	g, err := b.Acquire(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 200*time.Millisecond {
		t.Errorf("Acquire against a stalled Redis took %s", d)
	}
	if !b.UsingFallback() {
		t.Error("not on the fallback while Redis stalls")
	}
	<-done
	g.Release(time.Now()) // a fallback grant: nothing to release in Redis
	waitFor(t, "the late grant to be handed back", func() bool {
		n, err := rdb.ZCard(ctx, inflight).Result()
		return err == nil && n == 0
	})

	// A release that fails is sent when Redis answers again.
	time.Sleep(150 * time.Millisecond) // past the retry interval
	g, err = b.Acquire(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if b.UsingFallback() {
		t.Fatal("the budget did not return to Redis")
	}
	r.Stop()
	g.Release(time.Now())
	r.Restart(t)
	time.Sleep(160 * time.Millisecond) // past the longest jittered retry interval
	// The first call to the new, empty Redis teaches it the window again and
	// sends the kept release, which then counts for a window.
	b.Observe(restorehub.RateLimit{Limit: 5, Remaining: 4, Window: time.Second}, time.Now())
	waitFor(t, "the kept release to reach Redis", func() bool {
		ids, err := rdb.ZRange(ctx, used, 0, -1).Result()
		for _, id := range ids {
			if strings.HasPrefix(id, b.idPrefix) {
				return true
			}
		}
		_ = err
		return false
	})
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
