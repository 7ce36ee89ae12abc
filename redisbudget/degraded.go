package redisbudget

import (
	"context"
	"time"

	"github.com/restorehub/restorehub-go"
)

// Degraded mode. While Redis is unavailable each process paces alone with
// its fallback budget, which knows the limit and the key's recent use from
// every response the process observed. Alone, each would spend the whole
// limit, and together they would overrun the key by as many times as there
// are processes; so the fallback is taught this process's share: the limit
// divided by the processes that called Redis for the key in the last
// procWindow, and as much of the server's Remaining. The outage then costs
// throughput, not 429s.
//
// When Redis answers again, the slots the fallback spent that still count
// are added to the shared budget (reconcile) before the process draws from
// it, and for a while (until every process that lost Redis at the same time
// must have tried it again, and a window more) it keeps to its share too:
// the others' fallback spending reaches Redis only when they are back.

// shareOf scales what a response reported to this process's share, for the
// fallback. Only a known limit is divided: a response without one passes
// unchanged, so that an unknown budget stays unknown in the fallback (not
// paced) rather than becoming a small share of the floor.
func (b *Budget) shareOf(rl restorehub.RateLimit) restorehub.RateLimit {
	n := int(b.procs.Load())
	if !rl.Known() || n <= 1 {
		return rl
	}
	s := rl
	s.Limit = max(rl.Limit/n, 1)
	s.Remaining = min(max(rl.Remaining, 0)/n, s.Limit)
	return s
}

// learn keeps what an acquire reply told about the key.
func (b *Budget) learn(res acquireResult) {
	// A Redis that restarted empty, or a promoted replica, has not seen
	// every process yet: the count only falls once the higher one is older
	// than procWindow.
	if res.procs > 0 {
		now := time.Now().UnixNano()
		if int64(res.procs) >= b.procs.Load() || now-b.procsAt.Load() > int64(procWindow) {
			b.procs.Store(int64(res.procs))
			b.procsAt.Store(now)
		}
	}
	if res.window > 0 {
		b.window.Store(int64(res.window))
	}
	b.setState(res.state)
	b.teachFallback(res)
}

// windowOrFloor is the learned window, or the floor's before one is known.
func (b *Budget) windowOrFloor() time.Duration {
	if w := time.Duration(b.window.Load()); w > 0 {
		return w
	}
	return floorWindow
}

// spend records that a fallback slot was released at at.
func (b *Budget) spend(at time.Time) {
	free := at.Add(b.windowOrFloor())
	now := time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.fbInflight--
	kept := b.spent[:0]
	for _, t := range b.spent {
		if t.After(now) {
			kept = append(kept, t)
		}
	}
	b.spent = kept
	if free.After(now) && len(b.spent) < maxPending {
		b.spent = append(b.spent, free)
	}
}

// sharing reports whether Acquire must keep to this process's share as
// well as draw from Redis: for a while after an outage.
func (b *Budget) sharing(now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return !b.down && now.Before(b.shareUntil)
}

// backLocked starts the time after an outage during which Acquire keeps to
// the share too. Another process that lost Redis at the same moment tries
// it again at most one and a half retry intervals later; its fallback's
// slots count a window more.
func (b *Budget) backLocked(now time.Time) {
	b.shareUntil = now.Add(b.cfg.retryInterval*3/2 + b.windowOrFloor())
}

// reconcile adds to the shared budget the fallback's slots that still
// count: the released ones until they free, the ones still out for a
// window from now.
func (b *Budget) reconcile() {
	now := time.Now()
	b.mu.Lock()
	frees := b.spent
	b.spent = nil
	for range b.fbInflight {
		frees = append(frees, now.Add(b.windowOrFloor()))
	}
	b.mu.Unlock()
	args := []any{b.proc, micros(b.cfg.inflight), millis(b.cfg.idleTTL)}
	for _, t := range frees {
		if t.After(now) {
			args = append(args, -micros(t.Sub(now)))
		}
	}
	if len(args) == 3 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), lateCallTimeout)
	defer cancel()
	if err := reconcileScript.Run(ctx, b.rdb, b.keys, args...).Err(); err != nil {
		b.cfg.logger.Warn("redisbudget: could not add the fallback's spending to the shared budget",
			"budget", b.hash[:12], "error", err.Error())
	}
}
