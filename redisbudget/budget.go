// Package redisbudget shares one Restore Hub rate budget among every process
// that uses the same API key, by keeping it in Redis.
//
// Restore Hub counts its limit per API key, not per process: several workers,
// pods or agent instances that each pace themselves still overrun the key's
// budget together. A Budget from this package implements restorehub.Budget
// on Redis, so that all of them draw from one budget:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
//	budget, err := redisbudget.New(rdb, apiKey, redisbudget.WithLogger(logger))
//	if err != nil { ... }
//	client, err := restorehub.New(apiKey, restorehub.WithBudget(budget))
//
// The budget models Restore Hub's sliding window exactly as the in-memory
// restorehub.MemoryBudget does, only shared: at most Limit slots are taken in
// any Window, a slot counts from when it is taken until a Window after its
// response arrived, the documented floor of every plan (50 requests per 10
// seconds) is assumed until a response has taught the limit, a 429's
// Retry-After holds back every process, and when the server reports fewer
// requests remaining than the budget counts, the difference (some other user
// of the key) is held for one window. A higher Remaining gives those slots
// back only beyond what the budget's own concurrent requests, which the
// server may not have counted yet, could explain.
//
// An unknown limit is not a small one: when a response shows that the
// server sends no believable limit before any limit was learned, the budget
// becomes unknown for every process (restorehub.BudgetUnknown), grants every
// acquire at once and holds them back only for a Retry-After, until a
// response reports a limit. A limit once learned stays, also when later
// responses omit the headers. Budget.BudgetState reports the state, and so
// restorehub.Client.BudgetState.
//
// Each operation is one Lua script, so it is atomic, and reads the Redis
// server's clock, so processes with skewed clocks agree. The Redis keys are
// named by a SHA-256 prefix of the API key, never the key itself, and expire
// when the budget is idle. A taken slot whose process dies before releasing it
// frees after the in-flight timeout (WithInflightTimeout).
//
// Callers that have to wait are served first come, first served across
// processes: each takes a ticket in a queue kept in Redis. Only a process's
// first waiting ticket asks Redis again, when a slot frees by time or when
// it is woken through Redis pub/sub (a release handed a slot back, a ticket
// was granted or left, a response freed slots), and at least once a second.
//
// Redis being slow or down never fails or stalls a request: each Redis call
// is bounded by a short timeout (WithTimeout), and on an error the budget
// paces with an in-process fallback budget at this process's share of the
// key (the limit divided by the processes recently seen on it), logs once,
// and tries Redis again after half to one and a half retry intervals
// (WithRetryInterval). When Redis answers again the budget adds what the
// fallback spent to the shared budget, and keeps to its share for a while
// longer, until the other processes must be back too. With a Cluster
// client, a failure reloads the cluster's slot map, so that a promoted
// replica is used as soon as it is promoted.
package redisbudget

import (
	"context"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/restorehub/restorehub-go"
)

// Defaults of the options.
const (
	// DefaultTimeout bounds each Redis call. A Redis that answers later
	// counts as unavailable; on a loaded host 100ms was too short for the
	// first calls (dialling, loading the scripts), and every process then
	// paced alone. While Redis is down only one call per retry interval
	// waits for it.
	DefaultTimeout = 250 * time.Millisecond
	// DefaultRetryInterval is how long the budget paces in process after a
	// Redis error before it tries Redis again.
	DefaultRetryInterval = 3 * time.Second
	// DefaultInflightTimeout is how long a taken slot may stay unreleased
	// before the budget gives it up (its process is presumed dead).
	DefaultInflightTimeout = 2 * time.Minute
	// DefaultIdleTTL is how long the budget's Redis keys outlive the last
	// use of the budget (longer when a slot or a Retry-After needs it).
	DefaultIdleTTL = 10 * time.Minute
	// DefaultKeyPrefix starts the name of every Redis key the budget uses.
	DefaultKeyPrefix = "restorehub:budget:"
)

// Waiting: the first waiting ticket of a process asks Redis again when a
// slot frees by time or a wake-up message arrives, and at least every
// wakeMax, in case a message was lost (pub/sub does not queue them).
const (
	wakeMax = time.Second
	// procTTL is how long a process may not call Redis before its queued
	// tickets are dropped when they reach the head of the queue. A process
	// with waiting tickets calls at least every wakeMax.
	procTTL = 5 * time.Second
	// procWindow is how long a process counts among those sharing the key
	// after its last call, for the share of the limit it paces with while
	// Redis is unavailable.
	procWindow = time.Minute
	// minRetryAfter is the least RetryAfter of a local RateLimitError.
	minRetryAfter = 10 * time.Millisecond
	// lateCallTimeout bounds a Redis call whose caller has stopped waiting,
	// so that its result (a slot to hand back) can still be used.
	lateCallTimeout = 5 * time.Second
	// firstCallFactor multiplies the timeout of the calls made before
	// Redis has answered once.
	firstCallFactor = 3
	// clusterReloadLead is how long before trying a Cluster again its
	// state is reloaded.
	clusterReloadLead = 300 * time.Millisecond
	// maxPending bounds the releases kept for when Redis answers again.
	maxPending = 10000
)

// Budget is a restorehub.Budget kept in Redis and shared by every Budget,
// in any process, made for the same API key and key prefix. It is safe for
// concurrent use. Its zero value is not usable; call New.
type Budget struct {
	rdb      redis.UniversalClient
	keys     []string
	channel  string // wake-ups of waiting tickets
	hash     string
	proc     string // this Budget's id among the processes on the key
	idPrefix string
	seq      atomic.Uint64
	cfg      config

	procs    atomic.Int64 // processes seen on the key at the last acquire
	procsAt  atomic.Int64 // when procs was last raised or renewed (Unix ns)
	answered atomic.Bool  // Redis has answered at least once
	window   atomic.Int64 // the learned window (ns), 0 until known
	state    atomic.Int32 // the shared budget's state at the last Redis reply (a scriptState)
	fbKnown  atomic.Bool  // the fallback reported a known limit (it keeps it)

	mu           sync.Mutex
	down         bool      // the last Redis call failed
	retryAt      time.Time // when Redis may be tried again
	probing      bool      // one call is trying Redis again
	pending      []pendingRelease
	pendingLeave []string  // tickets to take out of the queue when Redis answers again
	queue        []*waiter // this process's waiting tickets, by ticket number
	sub          bool      // the wake-up subscriber runs
	stopSub      context.CancelFunc
	spent        []time.Time // when the fallback's released slots free
	fbInflight   int         // fallback slots taken and not released
	shareUntil   time.Time   // after an outage, pace also with the share until then
}

type pendingRelease struct {
	id string
	at time.Time
}

type config struct {
	timeout       time.Duration
	retryInterval time.Duration
	inflight      time.Duration
	idleTTL       time.Duration
	prefix        string
	logger        *slog.Logger
	fallback      restorehub.Budget
}

// Option configures a Budget made by New.
type Option func(*config) error

// WithTimeout bounds each Redis call (default DefaultTimeout). A call that
// takes longer counts as Redis being unavailable. Until Redis has answered
// once (the first calls dial and load the scripts), a call may take three
// times as long.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 || d > time.Minute {
			return fmt.Errorf("redisbudget: WithTimeout: %s is outside (0, 1m]", d)
		}
		c.timeout = d
		return nil
	}
}

// WithRetryInterval sets how long the budget paces with its in-process
// fallback after a Redis error before it tries Redis again (default
// DefaultRetryInterval).
func WithRetryInterval(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 || d > time.Hour {
			return fmt.Errorf("redisbudget: WithRetryInterval: %s is outside (0, 1h]", d)
		}
		c.retryInterval = d
		return nil
	}
}

// WithInflightTimeout sets how long a taken slot may stay unreleased before
// the budget frees it, presuming that the process holding it died (default
// DefaultInflightTimeout). Set it above the longest time a request may take,
// including its HTTP timeout; a shorter one lets a slow request's slot be
// reused early.
func WithInflightTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Millisecond || d > 24*time.Hour {
			return fmt.Errorf("redisbudget: WithInflightTimeout: %s is outside [1ms, 24h]", d)
		}
		c.inflight = d
		return nil
	}
}

// WithIdleTTL sets how long the budget's Redis keys are kept after the last
// use of the budget (default DefaultIdleTTL); they are always kept at least
// as long as a slot or a Retry-After in them lasts. An expired budget starts
// over from the documented floor until a response reports the limit.
func WithIdleTTL(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Second || d > 30*24*time.Hour {
			return fmt.Errorf("redisbudget: WithIdleTTL: %s is outside [1s, 720h]", d)
		}
		c.idleTTL = d
		return nil
	}
}

// WithKeyPrefix starts every Redis key of the budget with prefix instead of
// DefaultKeyPrefix. Budgets share state only when their prefixes match.
func WithKeyPrefix(prefix string) Option {
	return func(c *config) error {
		if prefix == "" || len(prefix) > 200 {
			return errors.New("redisbudget: WithKeyPrefix: the prefix must have 1 to 200 bytes")
		}
		c.prefix = prefix
		return nil
	}
}

// WithLogger logs, through l, when Redis becomes unavailable (once per
// outage, at Warn) and when it answers again (at Info). The API key is never
// logged. Without it nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithFallback paces with b while Redis is unavailable, instead of a new
// restorehub.MemoryBudget. The budget also passes every observation to b, so
// that b knows the limit and the key's recent use when it takes over; it
// passes this process's share of them: Limit and Remaining divided by the
// number of processes that used the key in the last minute. Right after an
// outage, b paces each request as well as Redis does.
func WithFallback(b restorehub.Budget) Option {
	return func(c *config) error {
		if b == nil {
			return errors.New("redisbudget: WithFallback: nil budget")
		}
		c.fallback = b
		return nil
	}
}

// New returns a Budget in Redis for apiKey, reached through rdb. Budgets made
// with the same key (and key prefix), in this process or any other, share
// one budget. New does not contact Redis, so it does not fail when Redis is
// down; it fails only on a nil client, an empty key or a bad option.
func New(rdb redis.UniversalClient, apiKey string, opts ...Option) (*Budget, error) {
	if rdb == nil {
		return nil, errors.New("redisbudget: New: nil Redis client")
	}
	if apiKey == "" {
		return nil, errors.New("redisbudget: New: empty API key")
	}
	cfg := config{
		timeout:       DefaultTimeout,
		retryInterval: DefaultRetryInterval,
		inflight:      DefaultInflightTimeout,
		idleTTL:       DefaultIdleTTL,
		prefix:        DefaultKeyPrefix,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.fallback == nil {
		cfg.fallback = restorehub.NewMemoryBudget()
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	h := KeyHash(apiKey)
	// The braces make the keys and the channel one Redis Cluster hash slot.
	base := cfg.prefix + "{" + h + "}:"
	var id [8]byte
	_, _ = crand.Read(id[:])
	return &Budget{
		rdb:      rdb,
		keys:     []string{base + "inflight", base + "used", base + "extra", base + "meta", base + "queue", base + "procs"},
		channel:  base + "wake",
		hash:     h,
		proc:     hex.EncodeToString(id[:]),
		idPrefix: hex.EncodeToString(id[:]) + ":",
		cfg:      cfg,
	}, nil
}

// KeyHash returns the name under which the budget of apiKey is kept in
// Redis: the first 32 hex digits (128 bits) of the key's SHA-256. Restore
// Hub keys are long random strings, so the hash does not reveal the key.
func KeyHash(apiKey string) string {
	sum := sha256.Sum256([]byte(apiKey))
	return hex.EncodeToString(sum[:16])
}

// RedisKeys returns the names of the Redis keys that hold the budget.
func (b *Budget) RedisKeys() []string { return append([]string(nil), b.keys...) }

// UsingFallback reports whether the budget is pacing with its in-process
// fallback because the last Redis call failed.
func (b *Budget) UsingFallback() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.down
}

// String describes the budget without the API key.
func (b *Budget) String() string {
	return "redisbudget.Budget{" + b.keys[3] + "}"
}

// Acquire waits until one request may be sent and takes its slot in the
// shared budget. Callers that have to wait, in this process and every other,
// are served in the order they asked Redis. It returns ctx's error when ctx
// ends first, and a *restorehub.RateLimitError with Local set when maxWait >
// 0 and the wait would be longer. While Redis is unavailable it acquires
// from the fallback budget instead, at this process's share of the limit; it
// never fails because of Redis.
func (b *Budget) Acquire(ctx context.Context, maxWait time.Duration) (restorehub.Grant, error) {
	if ctx == nil {
		return restorehub.Grant{}, restorehub.ErrNilContext
	}
	start := time.Now()
	if !b.sharing(start) {
		return b.acquireShared(ctx, maxWait, start, false)
	}
	// Just back from an outage: the other processes may still be pacing
	// alone, and what they spent reaches Redis only when they are back, so
	// this process keeps to its share as well until they must have.
	local, err := b.cfg.fallback.Acquire(ctx, maxWait)
	if err != nil {
		return local, err
	}
	if local.Release == nil {
		local.Release = func(time.Time) {}
	}
	if maxWait > 0 {
		maxWait = max(maxWait-time.Since(start), time.Nanosecond)
	}
	g, err := b.acquireShared(ctx, maxWait, start, true)
	if err != nil {
		local.Release(time.Now())
		return g, err
	}
	g.Observe = b.sharedObserver(local.Observe)
	if g.Release == nil { // Redis failed again: the local slot is the grant
		local.Waited, local.Observe = g.Waited, g.Observe
		return local, nil
	}
	shared := g.Release
	g.Release = func(at time.Time) { local.Release(at); shared(at) }
	return g, nil
}

// sharedObserver returns the Observe of a Grant that holds a slot of the
// fallback, whose own Observe is slot (nil when it has none): the response
// teaches the shared budget, and the fallback's slot only this process's
// share. Passing the fallback's Grant on with its own Observe would teach
// the fallback the whole limit, and every process would then spend all of
// it while Redis is unavailable.
func (b *Budget) sharedObserver(slot func(restorehub.RateLimit, time.Time)) func(restorehub.RateLimit, time.Time) {
	if slot == nil {
		slot = b.cfg.fallback.Observe
	}
	return func(rl restorehub.RateLimit, at time.Time) { b.observe(rl, at, slot) }
}

// acquireShared takes a slot in Redis, waiting in the queue of tickets, or
// from the fallback when Redis is unavailable (unless haveLocal: the caller
// holds a fallback slot already, and a Grant without Release says so).
func (b *Budget) acquireShared(ctx context.Context, maxWait time.Duration, start time.Time, haveLocal bool) (restorehub.Grant, error) {
	id := b.idPrefix + strconv.FormatUint(b.seq.Add(1), 36)
	w := &waiter{signal: make(chan struct{}, 1)}
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	ticketed := false // the ticket may be in Redis's queue
	giveUp := func() {
		b.dequeue(w)
		if ticketed {
			b.leave(id)
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			giveUp()
			return restorehub.Grant{}, err
		}
		if !b.tryRedis() {
			giveUp()
			if haveLocal {
				return restorehub.Grant{Waited: time.Since(start)}, nil
			}
			return b.acquireFallback(ctx, maxWait, start)
		}
		ticketed = true
		r, err := b.run(ctx, acquireScript, []any{id, micros(b.cfg.inflight), millis(b.cfg.idleTTL),
			b.proc, b.channel, micros(procTTL), micros(procWindow)},
			func(v any) { // the caller gave up before the answer
				if r, ok := parseAcquire(v); ok && r.granted {
					b.handBack(id)
				} else if ok {
					b.leave(id)
				}
			})
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				giveUp()
				return restorehub.Grant{}, ctxErr
			}
			continue // the failure was recorded; the next round uses the fallback
		}
		res, ok := parseAcquire(r)
		if !ok {
			b.failed(fmt.Errorf("unexpected reply %T from the acquire script", r))
			continue
		}
		b.learn(res)
		if res.granted {
			b.dequeue(w)
			return restorehub.Grant{Waited: time.Since(start), Release: b.releaser(id)}, nil
		}
		head := b.enqueue(w, res.ticket)
		waited := time.Since(start)
		if maxWait > 0 && (waited >= maxWait || (res.wait > 0 && waited+res.wait > maxWait)) {
			giveUp()
			retry := res.wait
			if retry <= 0 {
				retry = minRetryAfter
			}
			return restorehub.Grant{}, &restorehub.RateLimitError{
				// A non-nil APIError, so that every field can be read.
				APIError:   &restorehub.APIError{Local: true, Message: "the wait for the shared rate budget is longer than the maximum wait; nothing was sent"},
				RetryAfter: max(retry, minRetryAfter), Limit: res.limit, Window: res.window,
			}
		}
		// Only the first of this process's tickets asks Redis again: when a
		// slot frees by time, or when woken (a release, a ticket granted or
		// gone, a response that freed slots). The others wait for their
		// turn locally. The check at least every wakeMax covers a lost
		// wake-up message.
		var fire <-chan time.Time
		sleep := time.Duration(-1)
		if head {
			sleep = wakeMax
			if res.wait > 0 {
				sleep = min(res.wait, wakeMax)
			}
			// A little jitter keeps waiting processes from asking in lockstep.
			sleep += time.Duration(rand.Int64N(int64(time.Millisecond)))
		}
		if maxWait > 0 {
			if left := maxWait - waited; sleep < 0 || left < sleep {
				sleep = left
			}
		}
		if sleep >= 0 {
			if timer == nil {
				timer = time.NewTimer(sleep)
			} else {
				timer.Reset(sleep)
			}
			fire = timer.C
		}
		select {
		case <-ctx.Done():
		case <-w.signal:
		case <-fire:
		}
	}
}

// acquireFallback acquires from the in-process budget for what is left of
// maxWait, and counts what it spends, to tell Redis when it answers again.
func (b *Budget) acquireFallback(ctx context.Context, maxWait time.Duration, start time.Time) (restorehub.Grant, error) {
	if maxWait > 0 {
		maxWait = max(maxWait-time.Since(start), time.Nanosecond)
	}
	g, err := b.cfg.fallback.Acquire(ctx, maxWait)
	if err != nil {
		return g, err
	}
	g.Waited = time.Since(start)
	g.Observe = b.sharedObserver(g.Observe)
	b.mu.Lock()
	b.fbInflight++
	b.mu.Unlock()
	inner := g.Release
	var once sync.Once
	g.Release = func(at time.Time) {
		once.Do(func() {
			b.spend(at)
			if inner != nil {
				inner(at)
			}
		})
	}
	return g, nil
}

// acquireResult is the reply of acquireScript; limit and window are 0 until
// a response has reported them.
type acquireResult struct {
	granted bool
	wait    time.Duration // < 0: until woken
	limit   int
	window  time.Duration
	procs   int
	ticket  int64
	state   scriptState
}

func parseAcquire(v any) (acquireResult, bool) {
	a, ok := v.([]any)
	if !ok || len(a) != 7 {
		return acquireResult{}, false
	}
	var n [7]int64
	for i, x := range a {
		if n[i], ok = x.(int64); !ok {
			return acquireResult{}, false
		}
	}
	wait := time.Duration(max(n[1], 0)) * time.Microsecond
	if n[1] < 0 {
		wait = -1
	}
	return acquireResult{
		granted: n[0] == 1,
		wait:    wait,
		limit:   int(n[2]),
		window:  time.Duration(n[3]) * time.Microsecond,
		procs:   int(n[4]),
		ticket:  n[5],
		state:   scriptState(n[6]),
	}, true
}

// releaser returns the Release of a slot taken in Redis.
func (b *Budget) releaser(id string) func(time.Time) {
	var once sync.Once
	return func(at time.Time) {
		once.Do(func() { b.finish(id, at) })
	}
}

// finish releases slot id in Redis, so that it counts until a window after
// at, or keeps the release for when Redis answers again.
func (b *Budget) finish(id string, at time.Time) {
	if !b.tryRedis() || b.release(id, at) != nil {
		b.keep(id, at)
	}
}

func (b *Budget) release(id string, at time.Time) error {
	_, err := b.run(context.Background(), releaseScript,
		[]any{id, micros(max(time.Since(at), 0)), "1", micros(b.cfg.inflight), millis(b.cfg.idleTTL), b.channel}, nil)
	return err
}

// handBack frees a slot that was taken for a caller who had stopped waiting.
// Redis has just answered, slowly, so it is asked directly, outside the
// bookkeeping of failures; were the slot left, it would stay taken for the
// whole in-flight timeout.
func (b *Budget) handBack(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), lateCallTimeout)
	defer cancel()
	_ = releaseScript.Run(ctx, b.rdb, b.keys, id, 0, "0", micros(b.cfg.inflight), millis(b.cfg.idleTTL), b.channel).Err()
}

// keep remembers a release that could not reach Redis, to send it when
// Redis answers again (a slot taken in Redis and never released would stay
// taken for the whole in-flight timeout).
func (b *Budget) keep(id string, at time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.pending) < maxPending {
		b.pending = append(b.pending, pendingRelease{id: id, at: at})
	}
}

// flushPending sends the releases kept while Redis was unavailable.
func (b *Budget) flushPending() {
	b.mu.Lock()
	pending, leaves := b.pending, b.pendingLeave
	b.pending, b.pendingLeave = nil, nil
	b.mu.Unlock()
	for _, id := range leaves {
		b.leave(id)
	}
	for i, p := range pending {
		if time.Since(p.at) > b.cfg.inflight {
			continue // its slot has been freed (or lost) anyway
		}
		if err := b.release(p.id, p.at); err != nil {
			b.mu.Lock()
			b.pending = append(b.pending, pending[i:]...)
			b.mu.Unlock()
			return
		}
	}
}

// Observe teaches the shared budget, and the fallback, what a response
// reported: the limit and window, the requests remaining, and a 429's
// Retry-After. at is when the response arrived. Reset is not used: the
// budget knows when each of its slots frees. The fallback is told this
// process's share (see WithFallback).
//
// An rl that is neither Known nor has a RetryAfter stands for a response
// that showed the server sends no believable limit (the Client observes
// that only for a response that shows it, see restorehub.Budget). Before
// any limit was learned, it makes the shared budget unknown for every
// process (restorehub.BudgetUnknown): an unknown budget is not a small one,
// so acquires are then granted at once, and only a Retry-After holds them
// back, until a response reports a limit. A limit once learned stays: a
// server that sends its headers once and then omits them is still paced to
// that limit, and so is one whose shared state Redis lost (it restarted
// empty, or the keys expired) after this process had learned a limit: the
// budget then paces at the floor until a response reports the limit again.
func (b *Budget) Observe(rl restorehub.RateLimit, at time.Time) {
	b.observe(rl, at, b.cfg.fallback.Observe)
}

// observe is Observe, teaching the fallback this process's share through
// teach: the fallback's Observe, or the Observe of the fallback's own Grant
// when the response is to a request that the fallback granted (it then
// reconciles with what that slot knows).
func (b *Budget) observe(rl restorehub.RateLimit, at time.Time, teach func(restorehub.RateLimit, time.Time)) {
	teach(b.shareOf(rl), at)
	known := rl.Known()
	k := "0"
	switch {
	case known:
		b.window.Store(int64(rl.Window))
		b.state.Store(int32(stateKnown))
		k = "1"
	case rl.RetryAfter <= 0:
		// Only a budget still at the floor has something to learn from
		// it: an unknown one knows, a known one keeps its limit.
		if scriptState(b.state.Load()) != stateFloor || b.window.Load() > 0 {
			return
		}
		k = "2"
	}
	if !b.tryRedis() {
		return
	}
	v, err := b.run(context.Background(), observeScript, []any{
		k, rl.Limit, micros(rl.Window), max(rl.Remaining, 0), micros(max(rl.RetryAfter, 0)),
		micros(max(time.Since(at), 0)), micros(b.cfg.inflight), millis(b.cfg.idleTTL), b.channel,
	}, nil)
	if n, ok := v.(int64); err == nil && ok {
		b.setState(scriptState(n))
	}
}

// tryRedis reports whether to call Redis now: yes while it is up, and for
// one caller at a time once the retry interval after a failure has passed.
func (b *Budget) tryRedis() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.down {
		return true
	}
	if b.probing || time.Now().Before(b.retryAt) {
		return false
	}
	b.probing = true
	return true
}

// failed records a Redis failure: the budget uses the fallback until the
// retry interval has passed, and logs the first failure of an outage.
func (b *Budget) failed(err error) {
	b.mu.Lock()
	was := b.down
	b.down, b.probing = true, false
	// Between half and one and a half retry intervals, so that processes
	// that lost Redis together do not come back together.
	delay := b.cfg.retryInterval/2 + rand.N(b.cfg.retryInterval)
	b.retryAt = time.Now().Add(delay)
	b.mu.Unlock()
	if c, ok := b.rdb.(*redis.ClusterClient); ok {
		// A dead master refuses connections and never answers MOVED: only
		// a new view of the cluster routes the slot to its replacement
		// (go-redis refreshes it by itself once a minute). Reload now, and
		// again just before the next try, by when a replica may have been
		// promoted.
		c.ReloadState(context.Background())
		time.AfterFunc(max(delay-clusterReloadLead, 0), func() { c.ReloadState(context.Background()) })
	}
	if !was {
		b.cfg.logger.Warn("redisbudget: Redis is unavailable; pacing with the in-process budget until it answers again",
			"budget", b.hash[:12], "error", err.Error(), "retry_every", b.cfg.retryInterval.String())
	}
}

// succeeded records a Redis answer, ending an outage.
func (b *Budget) succeeded() {
	b.answered.Store(true)
	b.mu.Lock()
	was := b.down
	b.down, b.probing = false, false
	if was {
		b.backLocked(time.Now())
	}
	b.mu.Unlock()
	if was {
		b.cfg.logger.Info("redisbudget: Redis answers again; pacing with the shared budget", "budget", b.hash[:12])
		go func() {
			b.reconcile()
			b.flushPending()
		}()
	}
}

// errTimeout is the failure of a Redis call that did not answer in time.
var errTimeout = errors.New("redisbudget: Redis did not answer in time")

// run runs script, waiting at most the configured timeout (whatever the
// Redis client's own timeouts) or until ctx ends. A call that times out
// still completes in the background, within lateCallTimeout (or the
// client's read timeout, when the client ignores context deadlines), and
// late, when not nil, gets its result. A failure other than ctx ending is recorded
// with failed, a success with succeeded.
func (b *Budget) run(ctx context.Context, script *redis.Script, args []any, late func(any)) (any, error) {
	type result struct {
		v   any
		err error
	}
	ch := make(chan result, 1)
	// state settles who gets the answer: 0 undecided, 1 the caller, 2 late.
	var state atomic.Int32
	go func() {
		// Not canceled with ctx: the answer tells whether a slot was taken.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lateCallTimeout)
		defer cancel()
		v, err := script.Run(cctx, b.rdb, b.keys, args...).Result()
		if state.CompareAndSwap(0, 1) {
			ch <- result{v, err}
			return
		}
		if err == nil && late != nil {
			late(v)
		}
	}()
	timeout := b.cfg.timeout
	if !b.answered.Load() {
		// The first calls dial, load the scripts and (on a Cluster) the
		// slots; until Redis has answered once the budget knows neither
		// the limit nor how many processes share it, and pacing alone
		// would overrun the key, so they may take longer.
		timeout *= firstCallFactor
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var gaveUp error
	select {
	case r := <-ch:
		return b.settle(r.v, r.err)
	case <-timer.C:
		gaveUp = errTimeout
	case <-ctx.Done():
		gaveUp = ctx.Err()
	}
	if !state.CompareAndSwap(0, 2) {
		r := <-ch // the answer came just now
		return b.settle(r.v, r.err)
	}
	if gaveUp == errTimeout {
		b.failed(errTimeout)
	} else {
		b.unprobe()
	}
	return nil, gaveUp
}

// settle records the outcome of a Redis call.
func (b *Budget) settle(v any, err error) (any, error) {
	if err != nil {
		b.failed(err)
		return nil, err
	}
	b.succeeded()
	return v, nil
}

// unprobe lets another caller try Redis when a probing caller gave up.
func (b *Budget) unprobe() {
	b.mu.Lock()
	b.probing = false
	b.mu.Unlock()
}

func micros(d time.Duration) int64 { return d.Microseconds() }
func millis(d time.Duration) int64 { return d.Milliseconds() }
