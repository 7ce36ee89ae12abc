package restorehub

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/restorehub/restorehub-go/resources"
)

// opPacer keeps the operations' own budgets (resources.Pace), such as the
// member-pull budget of 50 members per minute per target server, as one
// weighted sliding window per operation and key.
//
// Restore Hub documents the rate but not the algorithm. A sliding window is
// the strict model: a client that never puts more than Limit in any Interval
// also satisfies a server that refills a token bucket, while a client-side
// token bucket with a burst of Limit would send Limit more a moment after
// its first burst and trip a sliding-window server. As with the key's
// budget, a spend counts from when its response arrived.
type opPacer struct {
	mu      sync.Mutex
	windows map[string]*paceWindow
}

type paceWindow struct {
	inFlight int
	spends   []paceSpend
	wake     chan struct{}
}

type paceSpend struct {
	freeAt time.Time
	n      int
}

func newOpPacer() *opPacer { return &opPacer{windows: make(map[string]*paceWindow)} }

// reserve waits until the request body's cost fits op's budget and takes it.
// The returned release must be called with the time the response arrived.
func (p *opPacer) reserve(ctx context.Context, op *resources.OperationSpec, body []byte, maxWait time.Duration) (func(time.Time), error) {
	if ctx == nil {
		return nil, ErrNilContext
	}
	pace := op.Pace
	if pace.Limit <= 0 || pace.Interval <= 0 {
		return func(time.Time) {}, nil
	}
	key, n := paceKeyAndCount(pace, body)
	if n > pace.Limit {
		return nil, fmt.Errorf("restorehub: %s: %d items exceed the budget of %d per %s per %s; split the call", op.ID, n, pace.Limit, pace.Interval, pace.KeyField)
	}
	start := time.Now()
	for {
		p.mu.Lock()
		w := p.windows[op.ID+"\x00"+key]
		if w == nil {
			w = &paceWindow{wake: make(chan struct{})}
			p.windows[op.ID+"\x00"+key] = w
		}
		now := time.Now()
		used := w.inFlight
		kept := w.spends[:0]
		for _, s := range w.spends {
			if s.freeAt.After(now) {
				kept = append(kept, s)
				used += s.n
			}
		}
		w.spends = kept
		if used+n <= pace.Limit {
			w.inFlight += n
			p.mu.Unlock()
			return p.releaser(w, n, pace.Interval), nil
		}
		// The earliest time enough finished spends have freed, if they can.
		var wait time.Duration = -1
		need := used + n - pace.Limit
		for _, s := range w.spends {
			need -= s.n
			if need <= 0 {
				wait = s.freeAt.Sub(now)
				break
			}
		}
		wake := w.wake
		p.mu.Unlock()
		least := wait
		if wait < 0 {
			least = pace.Interval
		}
		if maxWait > 0 && now.Sub(start)+least > maxWait {
			return nil, newLocalRateLimitError(least, pace.Limit, pace.Interval)
		}
		if err := sleepOrWake(ctx, wait, wake); err != nil {
			return nil, err
		}
	}
}

// sleepOrWake waits for wake, for d when d > 0, or for ctx to end, and
// stops its timer before returning (a timer per loop turn, not one deferred
// per turn until the loop ends).
func sleepOrWake(ctx context.Context, d time.Duration, wake <-chan struct{}) error {
	var fire <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		fire = t.C
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-wake:
	case <-fire:
	}
	return nil
}

func (p *opPacer) releaser(w *paceWindow, n int, interval time.Duration) func(time.Time) {
	var once sync.Once
	return func(at time.Time) {
		once.Do(func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			w.inFlight -= n
			w.spends = append(w.spends, paceSpend{freeAt: at.Add(interval), n: n})
			close(w.wake)
			w.wake = make(chan struct{})
		})
	}
}

// paceKeyAndCount reads the budget's key and cost from a JSON body: the
// KeyField's value, and the length of the CountField array (1 when absent).
func paceKeyAndCount(pace *resources.Pace, body []byte) (string, int) {
	var fields map[string]json.RawMessage
	_ = json.Unmarshal(body, &fields)
	key := string(fields[pace.KeyField])
	count := 1
	if pace.CountField != "" {
		var items []json.RawMessage
		if json.Unmarshal(fields[pace.CountField], &items) == nil && items != nil {
			count = len(items)
		}
	}
	return key, count
}
