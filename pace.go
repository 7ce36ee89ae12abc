package restorehub

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/restorehub/restorehub-go/resources"
	"golang.org/x/time/rate"
)

// pullPacer keeps an operation's own budget (resources.Pace), such as the
// member-pull budget of 50 members per minute per target server, with one
// token bucket per operation and key. Restore Hub says it "paces" pulls at
// that rate; a token bucket holding one period's worth is the model assumed.
type pullPacer struct {
	mu       sync.Mutex
	limiters map[string]*rate.Limiter
}

func newPullPacer() *pullPacer { return &pullPacer{limiters: make(map[string]*rate.Limiter)} }

// wait spends what the request body asks of op's budget, waiting as needed.
func (p *pullPacer) wait(ctx context.Context, op *resources.Operation, body []byte, maxWait time.Duration) error {
	pace := op.Pace
	if pace.Limit <= 0 || pace.Interval <= 0 {
		return nil
	}
	key, count := paceKeyAndCount(pace, body)
	if count > pace.Limit {
		return fmt.Errorf("restorehub: %s: %d items exceed the budget of %d per %s per %s; split the call", op.ID, count, pace.Limit, pace.Interval, pace.KeyField)
	}
	if count == 0 {
		return nil
	}
	lim := p.limiter(op.ID+"\x00"+key, pace)
	r := lim.ReserveN(time.Now(), count)
	if !r.OK() {
		return fmt.Errorf("restorehub: %s: cannot reserve %d of the %s budget", op.ID, count, pace.KeyField)
	}
	delay := r.Delay()
	if delay == 0 {
		return nil
	}
	if maxWait > 0 && delay > maxWait {
		r.Cancel()
		return &RateLimitError{RetryAfter: delay, Limit: pace.Limit, Window: pace.Interval, Local: true}
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		r.Cancel()
		return ctx.Err()
	}
}

func (p *pullPacer) limiter(key string, pace *resources.Pace) *rate.Limiter {
	p.mu.Lock()
	defer p.mu.Unlock()
	lim, ok := p.limiters[key]
	if !ok {
		lim = rate.NewLimiter(rate.Every(pace.Interval/time.Duration(pace.Limit)), pace.Limit)
		p.limiters[key] = lim
	}
	return lim
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
