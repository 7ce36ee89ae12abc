package redisbudget

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// waiter is one Acquire of this process waiting for its ticket's turn.
type waiter struct {
	ticket int64         // its number in Redis's queue; 0 until queued
	signal chan struct{} // sent to (without blocking) when it should ask Redis again
	queued bool
}

// subIdle is how long the wake-up subscriber outlives the last waiting ticket.
const subIdle = 30 * time.Second

// enqueue files w under ticket among this process's waiting tickets, in
// ticket order, and reports whether it is the first: only the first asks
// Redis again, the others wait for their turn. It starts the wake-up
// subscriber if none runs.
func (b *Budget) enqueue(w *waiter, ticket int64) (first bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if w.queued && w.ticket != ticket {
		b.removeLocked(w) // queued again under a new number (Redis lost the queue)
	}
	if !w.queued {
		w.ticket, w.queued = ticket, true
		i := len(b.queue)
		for i > 0 && b.queue[i-1].ticket > ticket {
			i--
		}
		b.queue = append(b.queue, nil)
		copy(b.queue[i+1:], b.queue[i:])
		b.queue[i] = w
		if i == 0 && len(b.queue) > 1 {
			// The one that was first is not any more; it will learn so
			// when it next wakes.
			signal(b.queue[1])
		}
	}
	if !b.sub {
		b.sub = true
		ctx, cancel := context.WithCancel(context.Background())
		b.stopSub = cancel
		go b.subscribe(ctx)
	}
	return b.queue[0] == w
}

// dequeue takes w out of this process's waiting tickets and lets the next
// one ask Redis.
func (b *Budget) dequeue(w *waiter) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if w.queued {
		b.removeLocked(w)
	}
}

func (b *Budget) removeLocked(w *waiter) {
	for i, x := range b.queue {
		if x == w {
			b.queue = append(b.queue[:i], b.queue[i+1:]...)
			if i == 0 && len(b.queue) > 0 {
				signal(b.queue[0])
			}
			break
		}
	}
	w.queued = false
}

func signal(w *waiter) {
	select {
	case w.signal <- struct{}{}:
	default: // one is pending already
	}
}

// wakeFirst tells this process's first waiting ticket to ask Redis again.
func (b *Budget) wakeFirst() {
	b.mu.Lock()
	if len(b.queue) > 0 {
		signal(b.queue[0])
	}
	b.mu.Unlock()
}

// leave takes a ticket out of Redis's queue, now or when Redis answers
// again: a ticket left behind would hold every later one back until its
// process stops calling Redis.
func (b *Budget) leave(id string) {
	if b.tryRedis() {
		if _, err := b.run(context.Background(), leaveScript, []any{id, b.channel, micros(b.cfg.inflight), millis(b.cfg.idleTTL)}, nil); err == nil {
			return
		}
	}
	b.mu.Lock()
	if len(b.pendingLeave) < maxPending {
		b.pendingLeave = append(b.pendingLeave, id)
	}
	b.mu.Unlock()
}

// subscribe wakes this process's first waiting ticket on every message on
// the budget's channel, until ctx ends or no ticket has waited for subIdle.
// go-redis reconnects the subscription after a failure (and, with a
// Sentinel or Cluster client, to the new primary of the slot).
func (b *Budget) subscribe(ctx context.Context) {
	ps := b.rdb.Subscribe(ctx, b.channel)
	defer ps.Close()
	ch := ps.Channel(redis.WithChannelHealthCheckInterval(5 * time.Second))
	idle := time.NewTicker(subIdle)
	defer idle.Stop()
	busy := true
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-ch:
			if !ok { // closed only by ps.Close
				return
			}
			busy = true
			b.wakeFirst()
		case <-idle.C:
			b.mu.Lock()
			if len(b.queue) > 0 {
				busy = true
			}
			stop := !busy
			if stop {
				b.sub = false // under mu: the next enqueue starts another
			}
			b.mu.Unlock()
			if stop {
				return
			}
			busy = false
		}
	}
}

// Close stops the Budget's background wake-up subscriber (it also stops by
// itself when no call has waited for a while). It does not close the Redis
// client. The Budget stays usable; a later wait starts the subscriber again.
func (b *Budget) Close() error {
	b.mu.Lock()
	stop := b.stopSub
	b.stopSub, b.sub = nil, false
	b.mu.Unlock()
	if stop != nil {
		stop()
	}
	return nil
}
