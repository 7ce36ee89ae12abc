package restorehub

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// MemoryBudget is the in-process Budget every Client uses unless WithBudget
// names another. It models Restore Hub's sliding window directly rather than
// approximating it with a token bucket: up to Limit requests may be counted
// in any Window, and each slot frees Window after the request that used it.
//
// A slot counts from the moment its response arrives, which is never earlier
// than the moment the server counted the request, so the budget can only be
// stricter than the server and never trips a 429 by itself. Until the first
// response arrives, the budget assumes the documented floor that every plan
// allows (floorLimit per floorWindow), so that one slow request does not
// hold back every other. A response that carries no believable limit makes
// the budget unknown (BudgetUnknown): an unknown budget is not a small one,
// so it then paces nothing and only a 429's Retry-After holds requests
// back, until a response reports a limit. A known limit stays known: a
// server that sends its headers once and then omits them keeps being paced
// to the last limit it reported. When the
// server reports fewer requests remaining than the budget counts, someone
// else (another process with the same key) is spending it: the difference is
// held as extra occupied slots for one window. When it reports more, those
// slots are given back, but only as many as the budget's own concurrent
// requests cannot explain: a response's count is as old as the moment the
// server counted it, and the others may not have been counted yet. A 429's
// Retry-After holds back every request until it has passed.
type MemoryBudget struct {
	now func() time.Time

	mu       sync.Mutex
	state    BudgetState // BudgetFloor, BudgetKnown or BudgetUnknown
	limit    int
	window   time.Duration
	inFlight int
	// The two slot lists hold times as offsets from epoch: a []time.Time
	// holds a pointer per entry, which the garbage collector scans on every
	// cycle, and a busy key keeps a window's worth of entries.
	epoch        time.Time
	frees        []time.Duration // when each finished slot frees, sorted
	external     []time.Duration // slots spent by other users of the key, sorted
	blockedUntil time.Time
	// released counts every release ever: a request that noted it when it
	// took its slot knows how many others finished while it was out.
	released uint64
	queue    []*budgetWaiter // callers waiting for a slot, first come first served
}

// budgetWaiter is one caller waiting in Acquire.
type budgetWaiter struct {
	// signal is sent to (without blocking) when the waiter may take a slot:
	// it became first in line, or a slot may have freed.
	signal chan struct{}
}

// NewMemoryBudget returns an empty in-process budget.
func NewMemoryBudget() *MemoryBudget {
	return &MemoryBudget{now: time.Now, epoch: time.Now()}
}

// untilRelease stands for a wait that ends only when an in-flight slot is released.
const untilRelease = time.Duration(-1)

// Acquire waits until one request may be sent and takes its slot. Callers
// that have to wait are served in the order they called: a slot that frees
// goes to the one that has waited longest. The Grant's Observe reconciles
// with what the slot's own response reported (see observe).
func (b *MemoryBudget) Acquire(ctx context.Context, maxWait time.Duration) (Grant, error) {
	waited, mark, err := b.acquire(ctx, maxWait)
	if err != nil {
		return Grant{}, err
	}
	s := &memorySlot{b: b, mark: mark}
	return Grant{Waited: waited, Release: s.release, Observe: s.observe}, nil
}

// memorySlot is one slot Acquire granted.
type memorySlot struct {
	b        *MemoryBudget
	mark     uint64 // b.released when the slot was taken
	released atomic.Bool
}

// release frees the slot once, however often it is called.
func (s *memorySlot) release(at time.Time) {
	if s.released.CompareAndSwap(false, true) {
		s.b.release(at)
	}
}

// observe teaches the budget what the slot's response reported.
func (s *memorySlot) observe(rl RateLimit, at time.Time) { s.b.observe(rl, at, s.mark, true) }

// acquire is Acquire without the Grant. It also returns the release count
// when the slot was taken, for observe.
func (b *MemoryBudget) acquire(ctx context.Context, maxWait time.Duration) (time.Duration, uint64, error) {
	if ctx == nil {
		return 0, 0, ErrNilContext
	}
	start := b.now()
	b.mu.Lock()
	now := b.now()
	if len(b.queue) == 0 && b.waitLocked(now) == 0 {
		b.inFlight++
		mark := b.released
		b.mu.Unlock()
		return now.Sub(start), mark, nil
	}
	w := &budgetWaiter{signal: make(chan struct{}, 1)}
	b.queue = append(b.queue, w)
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		// b.mu is held here.
		now = b.now()
		wait := b.waitLocked(now)
		first := b.queue[0] == w
		if first && wait == 0 {
			b.inFlight++
			b.leaveLocked(w)
			mark := b.released
			b.mu.Unlock()
			return now.Sub(start), mark, nil
		}
		_, window := b.limitLocked()
		learnedLimit, learnedWindow := b.limit, b.window
		if maxWait > 0 {
			// A wait for an in-flight slot lasts at least a window.
			least := wait
			if wait == untilRelease {
				least = window
			}
			if waited := now.Sub(start); waited+least > maxWait {
				b.leaveLocked(w)
				b.mu.Unlock()
				return 0, 0, newLocalRateLimitError(least, learnedLimit, learnedWindow)
			}
		}
		// A wait for a release has no known end: bound it by maxWait.
		giveUp := false
		if wait == untilRelease && maxWait > 0 {
			wait, giveUp = maxWait-now.Sub(start), true
		} else if !first && maxWait <= 0 {
			// Behind others: only being signalled can let this one go.
			wait = 0
		}
		b.mu.Unlock()

		var fire <-chan time.Time
		if wait > 0 {
			if timer == nil {
				timer = time.NewTimer(wait)
			} else {
				timer.Reset(wait)
			}
			fire = timer.C
		}
		select {
		case <-ctx.Done():
			b.mu.Lock()
			b.leaveLocked(w)
			b.mu.Unlock()
			return 0, 0, ctx.Err()
		case <-w.signal:
		case <-fire:
			if giveUp {
				b.mu.Lock()
				b.leaveLocked(w)
				b.mu.Unlock()
				return 0, 0, newLocalRateLimitError(max(window, maxWait), learnedLimit, learnedWindow)
			}
		}
		b.mu.Lock()
	}
}

// leaveLocked takes w out of the queue and lets the next in line look.
func (b *MemoryBudget) leaveLocked(w *budgetWaiter) {
	if i := slices.Index(b.queue, w); i >= 0 {
		b.queue = slices.Delete(b.queue, i, i+1)
	}
	b.wakeLocked()
}

// waitLocked returns 0 when a slot is free at now, the time until one frees,
// or untilRelease.
func (b *MemoryBudget) waitLocked(now time.Time) time.Duration {
	if now.Before(b.blockedUntil) {
		return b.blockedUntil.Sub(now)
	}
	if b.state == BudgetUnknown {
		return 0
	}
	limit, _ := b.limitLocked()
	at := b.offset(now)
	b.frees = dropFreed(b.frees, at)
	b.external = dropFreed(b.external, at)
	if b.inFlight+len(b.frees)+len(b.external) < limit {
		return 0
	}
	// Both lists are sorted, so their heads are the next to free.
	switch {
	case len(b.frees) > 0 && (len(b.external) == 0 || b.frees[0] <= b.external[0]):
		return b.frees[0] - at
	case len(b.external) > 0:
		return b.external[0] - at
	}
	return untilRelease
}

// offset is t as an offset from the budget's epoch.
func (b *MemoryBudget) offset(t time.Time) time.Duration { return t.Sub(b.epoch) }

// dropFreed removes the leading times not after now from a sorted list.
// The list is a queue: it is cut from the front and appended at the back, so
// it stays as long as the number of occupied slots, never longer.
func dropFreed(ts []time.Duration, now time.Duration) []time.Duration {
	i := 0
	for i < len(ts) && ts[i] <= now {
		i++
	}
	if i == len(ts) {
		return ts[:0]
	}
	return ts[i:]
}

// insertSorted adds t to a sorted list. Slots are released in nearly the
// order they free, so the search from the back is short.
func insertSorted(ts []time.Duration, t time.Duration) []time.Duration {
	i := len(ts)
	for i > 0 && ts[i-1] > t {
		i--
	}
	ts = append(ts, 0)
	copy(ts[i+1:], ts[i:])
	ts[i] = t
	return ts
}

// release frees a slot taken by acquire; it counts from at for a window.
func (b *MemoryBudget) release(at time.Time) {
	b.mu.Lock()
	b.inFlight--
	b.released++
	if b.state != BudgetUnknown {
		// An unknown budget counts no slots: nothing to free later.
		_, window := b.limitLocked()
		b.frees = insertSorted(b.frees, b.offset(at.Add(window)))
	}
	b.wakeLocked()
	b.mu.Unlock()
}

// wakeLocked tells the first waiter in line that a slot may be free.
func (b *MemoryBudget) wakeLocked() {
	if len(b.queue) == 0 {
		return
	}
	select {
	case b.queue[0].signal <- struct{}{}:
	default: // it has a signal pending already
	}
}

// Observe learns the limit and window, reconciles with the server's count of
// remaining requests, and honours a 429's Retry-After. Not knowing when the
// observed request was sent, it assumes that any of the budget's own
// finished slots may have been counted after it.
//
// An rl that is not Known and has no RetryAfter stands for a response that
// carried no believable limit: before any limit was known, the budget then
// stops pacing (BudgetUnknown) and holds requests back only for a 429's
// Retry-After. The Client observes that only for a response that shows it
// (not a 5xx, 401 or 429).
func (b *MemoryBudget) Observe(rl RateLimit, at time.Time) {
	b.observe(rl, at, 0, false)
}

// observe is Observe for a request that took its slot when b.released was
// mark (sent is false when that is not known).
//
// The server's Remaining counts the observed request and whatever it had
// counted before it. The budget's own other requests that were out at the
// same time (still in flight, or released since mark) may have reached the
// server after it: its Remaining then looks higher than the budget's count
// without anyone's slots having freed. Only the surplus beyond those is
// taken as other users' slots that freed; taking all of it would free a
// slot that the server still counts, and the next request would get a 429.
// A shortfall is always taken: it can only make the budget stricter.
func (b *MemoryBudget) observe(rl RateLimit, at time.Time, mark uint64, sent bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if rl.RetryAfter > 0 {
		if until := at.Add(rl.RetryAfter); until.After(b.blockedUntil) {
			b.blockedUntil = until
		}
	}
	if !rl.Known() {
		if rl.RetryAfter <= 0 && b.state == BudgetFloor {
			b.state = BudgetUnknown
			// Unknown counts no slots: forget the floor's.
			b.frees = b.frees[:0]
		}
		// Slots may be free now (unknown), or after a block: let the
		// waiters look, each waking the next as it takes its slot.
		b.wakeLocked()
		return
	}
	b.state = BudgetKnown
	b.limit, b.window = rl.Limit, rl.Window
	now := b.now()
	b.frees = dropFreed(b.frees, b.offset(now))
	b.external = dropFreed(b.external, b.offset(now))
	free := b.limit - b.inFlight - len(b.frees) - len(b.external)
	switch deficit := free - rl.Remaining; {
	case deficit > 0:
		for range deficit {
			b.external = insertSorted(b.external, b.offset(now.Add(b.window)))
		}
	case deficit < 0 && len(b.external) > 0:
		unsure := max(b.inFlight-1, 0)
		if sent && b.released-mark < uint64(len(b.frees)) {
			unsure += int(b.released - mark)
		} else {
			unsure += len(b.frees)
		}
		if n := min(-deficit-unsure, len(b.external)); n > 0 {
			b.external = b.external[n:]
		}
	}
	b.wakeLocked()
}

// State returns the budget's view of itself: the learned limit and window
// (the documented floor of 50 per 10s before any response arrived), and how
// many slots are free now. While the limit is unknown (BudgetState reports
// BudgetUnknown) it returns zeros: nothing is counted.
func (b *MemoryBudget) State() (limit int, window time.Duration, free int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == BudgetUnknown {
		return 0, 0, 0
	}
	now := b.now()
	b.frees = dropFreed(b.frees, b.offset(now))
	b.external = dropFreed(b.external, b.offset(now))
	limit, window = b.limitLocked()
	return limit, window, limit - b.inFlight - len(b.frees) - len(b.external)
}

// BudgetState reports whether the budget paces at the floor (no response
// yet), to a known limit, or on 429s only (responses carried no believable
// limit).
func (b *MemoryBudget) BudgetState() BudgetState {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}

// The documented floor of every plan's budget: the Free plan's 50 requests
// per 10 seconds. MemoryBudget assumes it until the first response.
const (
	floorLimit  = 50
	floorWindow = 10 * time.Second
)

// limitLocked returns the learned limit and window, or the floor before any
// response has reported them.
func (b *MemoryBudget) limitLocked() (int, time.Duration) {
	if b.limit == 0 || b.window == 0 {
		return floorLimit, floorWindow
	}
	return b.limit, b.window
}
