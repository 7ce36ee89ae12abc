package restorehub

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// RateLimit is the budget state Restore Hub reports in the X-RateLimit-*
// headers of every authenticated response.
type RateLimit struct {
	// Limit is the number of requests the plan allows per Window
	// (X-RateLimit-Limit); 0 when not reported.
	Limit int
	// Remaining is the number of requests left in the window (X-RateLimit-Remaining).
	Remaining int
	// Reset is when the window frees up (X-RateLimit-Reset, Unix seconds);
	// zero when not reported.
	Reset time.Time
	// Window is the length of the sliding window (X-RateLimit-Window, "10s"
	// today, parsed rather than assumed); 0 when not reported.
	Window time.Duration
	// RetryAfter is the Retry-After of a 429 response; 0 otherwise.
	RetryAfter time.Duration
}

// Known reports whether the response carried a usable budget (a Limit and a
// Window). A response that does not is no sign of a small budget: see
// BudgetUnknown.
func (rl RateLimit) Known() bool { return rl.Limit > 0 && rl.Window > 0 }

// Bounds used to reject absurd header values rather than act on them; a
// limit above maxHeaderLimit is clamped to it.
const (
	maxHeaderLimit  = 1_000_000
	minHeaderWindow = time.Millisecond
	maxHeaderWindow = 24 * time.Hour
	maxRetryAfter   = time.Hour
	maxResetAhead   = 24 * time.Hour
)

// ParseRateLimit reads the X-RateLimit-* headers and Retry-After from h.
// Values that are missing, malformed, negative or absurd (a window of a day
// or more, a reset more than a day away, a count of more than 18 digits)
// are left zero rather than trusted; a limit or remaining count above a
// million is clamped to a million, the most the client believes. It never
// fails. now anchors Retry-After.
func ParseRateLimit(h http.Header, now time.Time) RateLimit {
	rl, _ := parseRateLimit(h, now)
	return rl
}

// parseRateLimit is ParseRateLimit, also reporting whether
// X-RateLimit-Remaining was usable: a Remaining of 0 that was missing or
// unreadable must not be taken for "none remaining".
func parseRateLimit(h http.Header, now time.Time) (rl RateLimit, remainingOK bool) {
	if n, ok := parseCount(headerValue(h, "X-Ratelimit-Limit")); ok && n > 0 {
		// A limit above the believable maximum is still a large limit:
		// clamped, not discarded (discarding it would pace at the floor).
		rl.Limit = min(n, maxHeaderLimit)
	}
	if n, ok := parseCount(headerValue(h, "X-Ratelimit-Remaining")); ok {
		rl.Remaining = min(n, maxHeaderLimit)
		remainingOK = true
	}
	if n, ok := parseCount(headerValue(h, "X-Ratelimit-Reset")); ok {
		t := time.Unix(int64(n), 0)
		if t.After(now.Add(-maxResetAhead)) && t.Before(now.Add(maxResetAhead)) {
			rl.Reset = t
		}
	}
	if d, ok := parseWindow(headerValue(h, "X-Ratelimit-Window")); ok {
		rl.Window = d
	}
	if d, ok := parseRetryAfter(headerValue(h, "Retry-After"), now); ok {
		rl.RetryAfter = d
	}
	return rl, remainingOK
}

// headerValue is h.Get(key) for a key already in canonical form
// ("X-Ratelimit-Limit"), without canonicalising it again: h.Get of
// "X-RateLimit-Limit" allocates the canonical key on every call.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// parseCount reads a non-negative decimal integer.
func parseCount(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 18 {
		return 0, false
	}
	// Refuse what is not [+-]digits before strconv, whose syntax error allocates.
	digits := s
	if digits[0] == '+' || digits[0] == '-' {
		digits = digits[1:]
	}
	if digits == "" || strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return int(n), true
}

// parseWindow reads "10s", "500ms", or a bare number of seconds.
func parseWindow(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 32 {
		return 0, false
	}
	var d time.Duration
	if n, ok := parseCount(s); ok {
		if n > int(maxHeaderWindow/time.Second) {
			return 0, false
		}
		d = time.Duration(n) * time.Second
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, false
		}
	}
	if d < minHeaderWindow || d >= maxHeaderWindow {
		return 0, false
	}
	return d, true
}

// parseRetryAfter reads delay-seconds (fractions allowed) or an HTTP date.
func parseRetryAfter(s string, now time.Time) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return 0, false
	}
	var d time.Duration
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f != f || f < 0 || f > maxRetryAfter.Seconds() {
			return 0, false
		}
		d = time.Duration(f * float64(time.Second))
	} else if t, err := http.ParseTime(s); err == nil {
		d = max(t.Sub(now), 0)
		if d > maxRetryAfter {
			return 0, false
		}
	} else {
		return 0, false
	}
	return d, true
}

// Budget is the request budget of one API key, shared by every request (and
// every retry) a Client sends. The default is an in-memory budget
// (NewMemoryBudget); the redisbudget module shares one across processes.
// Implementations must be safe for concurrent use.
type Budget interface {
	// Acquire waits until one request may be sent and takes its slot. It
	// returns early with ctx's error when ctx ends, and at once with a
	// *RateLimitError (Local set, RetryAfter the wait) when maxWait > 0 and
	// the wait would be longer.
	Acquire(ctx context.Context, maxWait time.Duration) (Grant, error)
	// Observe teaches the budget what a response reported; at is when the
	// response arrived. The Client calls it, when the response's Grant has
	// no Observe of its own, for every response that teaches something: one
	// with a believable limit (rl.Known), a 429's Retry-After
	// (rl.RetryAfter > 0), and a response that shows the server sends no
	// believable limit (neither: rl.Known false and no RetryAfter; never for
	// a 5xx, 401 or 429). On the last, a budget that has not learned a limit
	// should stop pacing locally and hold requests back only for Retry-After
	// (BudgetUnknown): an unknown budget is not a small one. A limit once
	// learned should stay: MemoryBudget keeps it. A Budget may report its
	// state with a BudgetState() BudgetState method, which
	// Client.BudgetState then returns.
	Observe(rl RateLimit, at time.Time)
}

// Grant is one request slot taken from a Budget.
type Grant struct {
	// Waited is how long Acquire waited.
	Waited time.Duration
	// Release, when not nil, is called exactly once with the time the
	// attempt's response or failure arrived; the slot then counts from that
	// time, which is never earlier than when the server counted it.
	Release func(at time.Time)
	// Observe, when not nil, is called instead of Budget.Observe with what
	// the response to the attempt that used this slot reported, before
	// Release. A budget that knows which of its own requests were out at
	// the same time as this one (MemoryBudget does) reconciles more exactly
	// with the server's count than Budget.Observe can. A Budget that wraps
	// another passes the inner Grant on, Observe included, and so behaves as
	// the inner one does.
	Observe func(rl RateLimit, at time.Time)
}
