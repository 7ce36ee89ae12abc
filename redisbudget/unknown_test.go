package redisbudget

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/restorehub/restorehub-go"
)

// The unknown-limit tests: a server that sends no rate-limit headers makes
// the shared budget unknown for every process, which then paces nothing but
// a Retry-After; a limit once learned stays.

// noHeaders is what the Client observes for a response that carried no
// believable limit.
var noHeaders = restorehub.RateLimit{}

// alternate answers n calls, from a and b in turn (a first), each by
// answer with maxWait and rl. It stops at the first that fails and returns
// its index (from 0) and the error; n and nil when all went.
func alternate(ctx context.Context, n int, maxWait time.Duration, rl *restorehub.RateLimit, a, b *Budget) (int, error) {
	for i := range n {
		x := a
		if i%2 == 1 {
			x = b
		}
		if err := answer(ctx, x, maxWait, rl); err != nil {
			return i, err
		}
	}
	return n, nil
}

// unknownMark returns the shared unknown mark of b's budget in Redis ("" if
// none).
func unknownMark(t *testing.T, rdb *redis.Client, b *Budget) string {
	t.Helper()
	v, err := rdb.HGet(context.Background(), b.RedisKeys()[3], "unknown").Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		t.Fatal(err)
	}
	return v
}

// wantState fails unless each budget reports want.
func wantState(t *testing.T, want restorehub.BudgetState, bs map[string]*Budget) {
	t.Helper()
	for name, b := range bs {
		if got := b.BudgetState(); got != want {
			t.Errorf("%s: BudgetState %q, want %q", name, got, want)
		}
	}
}

// TestUnknownNotPacedAcrossProcesses: once a response showed that the server
// sends no limit, 1,000 calls from two Budgets (two processes) on one key go
// through without pacing. At the floor (50 per 10 s) they would wait over
// three minutes in all, and each acquire allows one second of wait, so a
// paced one fails. What they wait is the Redis round trips, which no budget
// in Redis avoids: the test logs it next to the same calls on a key whose
// limit is known and too large to pace (a million per second; its later
// responses carry no headers either, so neither run observes through
// Redis). Unloaded, the 1,000 acquires wait about 0.4 s in total; under the
// race detector on a loaded machine the round trips alone, in both runs,
// come to one or two seconds, so the bound asserted is looser, and still
// far below any pacing.
func TestUnknownNotPacedAcrossProcesses(t *testing.T) {
	r := needRedis(t)
	rdb := r.Client(t)
	ctx := context.Background()
	const calls = 1000
	// run makes the calls from a and b, two goroutines each, observing
	// rl for every response, and returns their wait in total.
	run := func(a, b *Budget, rl restorehub.RateLimit) (time.Duration, time.Duration) {
		var waited atomic.Int64
		start := time.Now()
		var wg sync.WaitGroup
		for _, x := range []*Budget{a, b} {
			for range 2 {
				wg.Go(func() {
					for range calls / 4 {
						g, err := x.Acquire(ctx, time.Second)
						if err != nil {
							t.Errorf("acquire: %v", err)
							return
						}
						waited.Add(int64(g.Waited))
						at := time.Now()
						x.Observe(rl, at)
						g.Release(at)
					}
				})
			}
		}
		wg.Wait()
		if t.Failed() {
			t.FailNow()
		}
		return time.Duration(waited.Load()), time.Since(start)
	}

	// The baseline: a limit that cannot pace.
	key, prefix := testKey(t), testPrefix(t)
	a := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	b := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	a.Observe(restorehub.RateLimit{Limit: 1_000_000, Remaining: 1_000_000, Window: time.Second}, time.Now())
	run(a, b, noHeaders) // warms the connections and the scripts
	baseWait, baseTook := run(a, b, noHeaders)

	key, prefix = testKey(t), testPrefix(t)
	a = newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	b = newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	wantState(t, restorehub.BudgetFloor, map[string]*Budget{"a": a, "b": b})
	// The first response: no headers.
	if err := answer(ctx, a, time.Second, &noHeaders); err != nil {
		t.Fatal(err)
	}
	if m := unknownMark(t, rdb, a); m != "1" {
		t.Fatalf("the unknown mark in Redis is %q, want \"1\"", m)
	}
	// The mark is in the budget's hashed meta key, which expires when idle.
	if ttl, err := rdb.PTTL(ctx, a.RedisKeys()[3]).Result(); err != nil || ttl <= 0 || ttl > DefaultIdleTTL {
		t.Errorf("the meta key holding the mark: PTTL %s (%v), want an expiry within the idle TTL", ttl, err)
	}
	wait, took := run(a, b, noHeaders)
	t.Logf("%d calls from two Budgets, unknown limit: %s in all, acquire wait %s in total (%s each); "+
		"known limit of a million per second: %s in all, acquire wait %s in total",
		calls, took.Round(time.Millisecond), wait.Round(time.Millisecond), (wait / calls).Round(time.Microsecond),
		baseTook.Round(time.Millisecond), baseWait.Round(time.Millisecond))
	if wait >= 5*time.Second {
		t.Errorf("the acquires waited %s in total; an unknown budget must not pace", wait)
	}
	if n, err := rdb.ZCard(ctx, a.RedisKeys()[1]).Result(); err != nil || n != 0 {
		t.Errorf("%d released slots counted (%v); an unknown budget counts none", n, err)
	}
	wantState(t, restorehub.BudgetUnknown, map[string]*Budget{"a": a, "b": b})
}

// TestUnknownClients: the same through restorehub.Client, against a server
// that sends no rate-limit headers: two clients, each with its own Budget on
// one key, make 1,000 calls without pacing; Client.BudgetState is
// BudgetUnknown for both, and the Warn line says how the client paces.
func TestUnknownClients(t *testing.T) {
	r := needRedis(t)
	key, prefix := testKey(t), testPrefix(t)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"acc"}`))
	}))
	defer srv.Close()
	logs := &logRecorder{}
	var clients []*restorehub.Client
	for range 2 {
		budget := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
		c, err := restorehub.New(key, restorehub.WithBaseURL(srv.URL), restorehub.WithBudget(budget),
			restorehub.WithMaxWait(time.Second), restorehub.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
		if err != nil {
			t.Fatal(err)
		}
		if s := c.BudgetState(); s != restorehub.BudgetFloor {
			t.Errorf("before any response: BudgetState %q, want %q", s, restorehub.BudgetFloor)
		}
		clients = append(clients, c)
	}
	ctx := context.Background()
	const calls = 1000
	start := time.Now()
	var wg sync.WaitGroup
	for _, c := range clients {
		for range 2 {
			wg.Go(func() {
				for range calls / 4 {
					var out map[string]any
					if _, err := c.Do(ctx, &restorehub.Request{Method: http.MethodGet, Path: "/account"}, &out); err != nil {
						t.Errorf("call: %v", err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
	took := time.Since(start)
	t.Logf("%d calls through two clients: %s", hits.Load(), took.Round(time.Millisecond))
	if hits.Load() != calls {
		t.Errorf("the server got %d calls, want %d", hits.Load(), calls)
	}
	for i, c := range clients {
		if s := c.BudgetState(); s != restorehub.BudgetUnknown {
			t.Errorf("client %d: BudgetState %q, want %q", i, s, restorehub.BudgetUnknown)
		}
	}
	if n := strings.Count(logs.String(), "paces on 429s and Retry-After only"); n != 2 {
		t.Errorf("%d Warn lines saying the client paces on 429s only, want one per client:\n%s", n, logs)
	}
}

// TestHeadersOnceThenNone: a server that sends its headers once and then
// omits them is still paced to the limit it reported, in every process.
func TestHeadersOnceThenNone(t *testing.T) {
	r := needRedis(t)
	rdb := r.Client(t)
	key, prefix := testKey(t), testPrefix(t)
	a := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	b := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	ctx := context.Background()
	const limit = 20
	a.Observe(restorehub.RateLimit{Limit: limit, Remaining: limit, Window: 10 * time.Second}, time.Now())
	// Every response carries no headers; b has never seen them itself.
	if i, err := alternate(ctx, limit, 50*time.Millisecond, &noHeaders, a, b); err != nil {
		t.Fatalf("acquire %d of %d: %v", i+1, limit, err)
	}
	if m := unknownMark(t, rdb, a); m != "" {
		t.Errorf("the unknown mark is %q after a limit was learned, want none", m)
	}
	for name, x := range map[string]*Budget{"a": a, "b": b} {
		var rle *restorehub.RateLimitError
		if _, err := x.Acquire(ctx, 50*time.Millisecond); !errors.As(err, &rle) || !rle.Local {
			t.Fatalf("%s: acquire past the learned limit: got %v, want a local *RateLimitError", name, err)
		}
		if rle.Limit != limit {
			t.Errorf("%s: the error reports Limit %d, want %d", name, rle.Limit, limit)
		}
	}
	wantState(t, restorehub.BudgetKnown, map[string]*Budget{"a": a, "b": b})

	// Redis loses the budget (an expiry, a restart): a process that had
	// learned the limit does not make it unknown; it paces at the floor
	// until a response reports the limit again.
	if err := rdb.Del(ctx, a.RedisKeys()...).Err(); err != nil {
		t.Fatal(err)
	}
	if err := answer(ctx, b, 50*time.Millisecond, &noHeaders); err != nil {
		t.Fatal(err)
	}
	if m := unknownMark(t, rdb, b); m != "" {
		t.Errorf("the unknown mark is %q after the process had learned a limit, want none", m)
	}
	wantState(t, restorehub.BudgetFloor, map[string]*Budget{"b": b})
}

// TestRetryAfterWhileUnknown: while the budget is unknown a 429's
// Retry-After still holds back every process; when it has passed, the
// waiting calls all go at once, the queue adding no wait.
func TestRetryAfterWhileUnknown(t *testing.T) {
	r := needRedis(t)
	key, prefix := testKey(t), testPrefix(t)
	// What is tested is Retry-After through a healthy Redis: under the race
	// detector on a loaded machine a call among 150 can take longer than
	// DefaultTimeout, and a's fallback, which never saw the 429, would
	// then grant early.
	a := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix), WithTimeout(time.Second))
	b := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix), WithTimeout(time.Second))
	ctx := context.Background()
	a.Observe(noHeaders, time.Now())
	const block = 500 * time.Millisecond
	at := time.Now()
	b.Observe(restorehub.RateLimit{RetryAfter: block}, at)
	for name, x := range map[string]*Budget{"a": a, "b": b} {
		var rle *restorehub.RateLimitError
		if _, err := x.Acquire(ctx, 10*time.Millisecond); !errors.As(err, &rle) || !rle.Local {
			t.Fatalf("%s: acquire during the Retry-After: got %v, want a local *RateLimitError", name, err)
		}
		if rle.RetryAfter < block/2 || rle.RetryAfter > block {
			t.Errorf("%s: RetryAfter %s, want about %s", name, rle.RetryAfter, block)
		}
	}
	wantState(t, restorehub.BudgetUnknown, map[string]*Budget{"a": a, "b": b})

	// More callers than the floor allows wait for the Retry-After, in both
	// processes; all are served as soon as it has passed.
	const waiters = 3 * floorLimit
	granted := make(chan time.Time, waiters)
	var wg sync.WaitGroup
	for i := range waiters {
		x := a
		if i%2 == 1 {
			x = b
		}
		wg.Go(func() {
			g, err := x.Acquire(ctx, 5*time.Second)
			if err != nil {
				t.Errorf("acquire after the Retry-After: %v", err)
				return
			}
			now := time.Now()
			granted <- now
			g.Release(now)
		})
	}
	wg.Wait()
	close(granted)
	var first, last time.Time
	for g := range granted {
		if first.IsZero() || g.Before(first) {
			first = g
		}
		if g.After(last) {
			last = g
		}
	}
	if first.Before(at.Add(block)) {
		t.Errorf("a call went %s after the 429, before its Retry-After of %s", first.Sub(at), block)
	}
	t.Logf("%d waiting calls served from %s to %s after the 429 (Retry-After %s)",
		waiters, first.Sub(at).Round(time.Millisecond), last.Sub(at).Round(time.Millisecond), block)
	if spread := last.Sub(first); spread > time.Second {
		t.Errorf("the waiting calls took %s to be served after the Retry-After; an unknown budget must not pace them", spread)
	}
}

// TestUnknownReleasesFloorWaiters: callers waiting at the floor go as soon
// as a response shows that the limit is unknown, not when the floor's slots
// free.
func TestUnknownReleasesFloorWaiters(t *testing.T) {
	r := needRedis(t)
	rdb := r.Client(t)
	key, prefix := testKey(t), testPrefix(t)
	a := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	b := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	ctx := context.Background()
	var held []restorehub.Grant
	for range floorLimit {
		g, err := a.Acquire(ctx, 10*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, g)
	}
	done := make(chan time.Duration, 1)
	go func() {
		g, err := b.Acquire(ctx, 0)
		if err != nil {
			t.Error(err)
		}
		done <- g.Waited
		g.Release(time.Now())
	}()
	waitFor(t, "b's ticket to queue", func() bool {
		n, err := rdb.ZCard(ctx, b.RedisKeys()[4]).Result()
		return err == nil && n == 1
	})
	at := time.Now()
	held[0].Release(at)
	a.Observe(noHeaders, at) // the first response: no headers
	select {
	case w := <-done:
		t.Logf("the waiter went %s after the response", time.Since(at).Round(time.Millisecond))
		if w >= floorWindow {
			t.Errorf("the waiter waited %s, a floor window", w)
		}
	case <-time.After(floorWindow / 2):
		t.Fatal("the waiter was still held at the floor after the budget became unknown")
	}
	for _, g := range held[1:] {
		g.Release(time.Now())
	}
}

// TestUnknownThenLimit: a budget that was unknown is paced again as soon as
// a response reports a limit, the server's count of recent requests
// included; the mark is cleared.
func TestUnknownThenLimit(t *testing.T) {
	r := needRedis(t)
	rdb := r.Client(t)
	key, prefix := testKey(t), testPrefix(t)
	a := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	b := newBudget(t, r.Client(t), key, WithKeyPrefix(prefix))
	ctx := context.Background()
	a.Observe(noHeaders, time.Now())
	if i, err := alternate(ctx, 2*floorLimit, 10*time.Millisecond, nil, a, b); err != nil {
		t.Fatalf("acquire %d while unknown: %v", i+1, err)
	}
	wantState(t, restorehub.BudgetUnknown, map[string]*Budget{"a": a, "b": b})
	// The server starts reporting: 20 per 10 s, 15 of them spent lately.
	const limit, remaining = 20, 5
	b.Observe(restorehub.RateLimit{Limit: limit, Remaining: remaining, Window: 10 * time.Second}, time.Now())
	if m := unknownMark(t, rdb, a); m != "" {
		t.Errorf("the unknown mark is %q after a limit arrived, want none", m)
	}
	// Omitted headers do not make it unknown again.
	if i, err := alternate(ctx, remaining, 10*time.Millisecond, &noHeaders, a, b); err != nil {
		t.Fatalf("acquire %d of the %d remaining: %v", i+1, remaining, err)
	}
	var rle *restorehub.RateLimitError
	if _, err := a.Acquire(ctx, 10*time.Millisecond); !errors.As(err, &rle) || !rle.Local {
		t.Fatalf("acquire past the remaining: got %v, want a local *RateLimitError", err)
	}
	wantState(t, restorehub.BudgetKnown, map[string]*Budget{"a": a, "b": b})
	if m := unknownMark(t, rdb, a); m != "" {
		t.Errorf("the unknown mark is %q after header-less responses to a known budget, want none", m)
	}
}

// TestUnknownDuringOutage: while Redis is unavailable the fallback follows
// the shared state: an unknown budget stays unpaced (the share pacing does
// not make it a small one), also in a process that has not observed a
// response itself, and in the time after the outage when the process keeps
// to its share; a limit another process learned is paced, at this
// process's share, by a process whose own responses never carried it.
func TestUnknownDuringOutage(t *testing.T) {
	opts := func(prefix string) []Option {
		return []Option{WithKeyPrefix(prefix), WithTimeout(50 * time.Millisecond), WithRetryInterval(200 * time.Millisecond)}
	}
	t.Run("unknown", func(t *testing.T) {
		r := ownRedis(t)
		key, prefix := testKey(t), testPrefix(t)
		a := newBudget(t, r.Client(t), key, opts(prefix)...)
		b := newBudget(t, r.Client(t), key, opts(prefix)...)
		ctx := context.Background()
		a.Observe(noHeaders, time.Now())
		if err := answer(ctx, b, 10*time.Millisecond, nil); err != nil { // b learns the state from Redis only
			t.Fatal(err)
		}
		done := stall(t, r, 600*time.Millisecond)
		defer func() { <-done }()
		for i := range 2 * floorLimit {
			if err := answer(ctx, b, 10*time.Millisecond, nil); err != nil {
				t.Fatalf("acquire %d during the outage: %v", i+1, err)
			}
		}
		if !b.UsingFallback() {
			t.Fatal("b is not on its fallback while Redis stalls")
		}
		wantState(t, restorehub.BudgetUnknown, map[string]*Budget{"b (fallback)": b})
		<-done
		time.Sleep(350 * time.Millisecond) // past the longest jittered retry interval
		if _, err := b.Acquire(ctx, 10*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if b.UsingFallback() || !b.sharing(time.Now()) {
			t.Fatal("b is not back on Redis, keeping to its share")
		}
		for i := range 2 * floorLimit {
			if err := answer(ctx, b, 10*time.Millisecond, nil); err != nil {
				t.Fatalf("acquire %d after the outage: %v", i+1, err)
			}
		}
		wantState(t, restorehub.BudgetUnknown, map[string]*Budget{"b": b})
	})
	t.Run("known elsewhere", func(t *testing.T) {
		r := ownRedis(t)
		key, prefix := testKey(t), testPrefix(t)
		a := newBudget(t, r.Client(t), key, opts(prefix)...)
		b := newBudget(t, r.Client(t), key, opts(prefix)...)
		ctx := context.Background()
		const limit = 40
		for _, x := range []*Budget{a, b} { // both count among the processes
			if err := answer(ctx, x, 10*time.Millisecond, nil); err != nil {
				t.Fatal(err)
			}
		}
		a.Observe(restorehub.RateLimit{Limit: limit, Remaining: limit, Window: 10 * time.Second}, time.Now())
		// b learns the limit from Redis, and its own responses carry none.
		if err := answer(ctx, b, 10*time.Millisecond, &noHeaders); err != nil {
			t.Fatal(err)
		}
		done := stall(t, r, 600*time.Millisecond)
		defer func() { <-done }()
		granted := 0
		for range limit {
			if answer(ctx, b, 10*time.Millisecond, nil) != nil {
				break
			}
			granted++
		}
		if !b.UsingFallback() {
			t.Fatal("b is not on its fallback while Redis stalls")
		}
		// Its share is limit/2 (two processes); unknown, it would grant all.
		t.Logf("the fallback granted %d of the limit of %d during the outage", granted, limit)
		if granted > limit/2 {
			t.Errorf("the fallback granted %d during the outage, want at most the share of %d", granted, limit/2)
		}
		wantState(t, restorehub.BudgetKnown, map[string]*Budget{"b (fallback)": b})
	})
}
