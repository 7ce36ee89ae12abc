package restorehubtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/restorehub/restorehub-go/resources"
)

// DefaultWindow is the length of the rate-limit window when WithRateLimit
// does not set one, as Restore Hub documents it.
const DefaultWindow = 10 * time.Second

// spend is one accepted use of a budget.
type spend struct {
	at time.Time
	n  int
}

// window is a sliding-window budget: what was spent in (now-length, now].
// A spend at t frees at exactly t+length.
type window struct {
	spends []spend
}

// used drops what fell out of the window and returns what is still spent.
func (w *window) used(now time.Time, length time.Duration) int {
	cut := now.Add(-length)
	i := 0
	for i < len(w.spends) && !w.spends[i].at.After(cut) {
		i++
	}
	w.spends = w.spends[i:]
	total := 0
	for _, s := range w.spends {
		total += s.n
	}
	return total
}

// take records a spend of n at now. Spends must be taken in time order,
// which holds as long as the clock does not run backwards.
func (w *window) take(now time.Time, n int) {
	w.spends = append(w.spends, spend{at: now, n: n})
}

// freeAt returns when enough of the budget frees for n more to fit under
// limit, given that used (the result of used) is spent now.
func (w *window) freeAt(used, n, limit int, length time.Duration) time.Time {
	for _, s := range w.spends {
		used -= s.n
		if used+n <= limit {
			return s.at.Add(length)
		}
	}
	if len(w.spends) == 0 {
		return time.Time{}
	}
	return w.spends[len(w.spends)-1].at.Add(length)
}

// ceilSeconds rounds d up to whole seconds, at least 1.
func ceilSeconds(d time.Duration) int {
	if d <= 0 {
		return 1
	}
	return max(1, int((d+time.Second-1)/time.Second))
}

// ceilUnix returns t in Unix seconds, rounded up.
func ceilUnix(t time.Time) int64 {
	sec := t.Unix()
	if t.Nanosecond() > 0 {
		sec++
	}
	return sec
}

// limitOf returns the limit and window that apply to a key on plan.
func (s *Server) limitOf(plan string) (int, time.Duration) {
	if s.limit > 0 {
		return s.limit, s.window
	}
	return planLimit(plan), DefaultWindow
}

// admitLocked applies the key's sliding window at now. It sets the
// X-RateLimit-* headers on h, and returns nil when the request is accepted
// (and counted) or the 429 reply when it is not. With WithoutRateLimit it
// accepts everything and sets no header.
func (s *Server) admitLocked(key, plan string, now time.Time, h http.Header) *reply {
	if s.noLimit {
		return nil
	}
	limit, length := s.limitOf(plan)
	w := s.windows[key]
	if w == nil {
		w = &window{}
		s.windows[key] = w
	}
	used := w.used(now, length)
	accepted := used < limit
	if accepted {
		w.take(now, 1)
		used++
	}
	reset := now
	if len(w.spends) > 0 {
		reset = w.spends[0].at.Add(length)
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(0, limit-used)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(ceilUnix(reset), 10))
	h.Set("X-RateLimit-Window", length.String())
	if accepted {
		return nil
	}
	retry := ceilSeconds(w.freeAt(used, 1, limit, length).Sub(now))
	h.Set("Retry-After", strconv.Itoa(retry))
	return jsonReply(http.StatusTooManyRequests, h, rateLimitBodyOf(limit, length, retry, plan))
}

// paceLocked applies op's own budget (such as the member-pull budget) to a
// request with the decoded body and path params. It returns nil and spends
// the budget when the request fits, or the 429 (or, when one request asks
// for more than the whole budget, 422) reply when it does not.
func (s *Server) paceLocked(op *resources.OperationSpec, body map[string]any, params map[string]string, now time.Time, h http.Header) *reply {
	p := op.Pace
	if p == nil || p.Limit <= 0 || p.Interval <= 0 {
		return nil
	}
	target := paceKey(p.KeyField, body, params)
	n := paceCount(p, body)
	details := map[string]any{p.KeyField: target, "requested": n}
	if n > p.Limit {
		details["limit"] = p.Limit
		return errorReply(http.StatusUnprocessableEntity, h, fmt.Sprintf(
			"One request cannot spend %d: the budget is %d per %s per %s.", n, p.Limit, p.Interval, p.KeyField), details)
	}
	id := p.KeyField + "=" + target
	w := s.paces[id]
	if w == nil {
		w = &window{}
		s.paces[id] = w
	}
	used := w.used(now, p.Interval)
	if used+n <= p.Limit {
		w.take(now, n)
		return nil
	}
	retry := ceilSeconds(w.freeAt(used, n, p.Limit, p.Interval).Sub(now))
	details["remaining"] = p.Limit - used
	details["retryAfter"] = retry
	h.Set("Retry-After", strconv.Itoa(retry))
	return jsonReply(http.StatusTooManyRequests, h, paceBody{
		Error:      fmt.Sprintf("Budget exceeded for %s: at most %d per %s per %s", op.ID, p.Limit, p.Interval, p.KeyField),
		Limit:      p.Limit,
		Window:     p.Interval.String(),
		RetryAfter: retry,
		Details:    details,
	})
}

// paceCount returns what a request with body spends of budget p: the
// length of its CountField array, or 1 when that is empty or absent.
func paceCount(p *resources.Pace, body map[string]any) int {
	if arr, ok := body[p.CountField].([]any); ok && len(arr) > 0 {
		return len(arr)
	}
	return 1
}

// paceKey reads the value a budget is kept per: the body field, else the
// path parameter of that name; "" when neither is there.
func paceKey(field string, body map[string]any, params map[string]string) string {
	switch v := body[field].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case nil:
	default:
		return fmt.Sprint(v)
	}
	return params[field]
}

// ResetLimits forgets every key's rate-limit window and every operation
// budget (such as the member-pull budget), as if no request had been sent.
func (s *Server) ResetLimits() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.windows)
	clear(s.paces)
}
