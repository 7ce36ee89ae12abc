package restorehub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

// This file is the attempt path: what happens to every attempt of a call, in
// the order it happens. go-retryablehttp runs the attempts; its hooks
// (CheckRetry, Backoff) and the transport's RoundTrip only call into the
// functions below.
//
// Per attempt, in order:
//  1. wait for the request rate and the key's budget (waitTurn), both
//     against the call's one wait bound (callRecord.maxWait);
//  2. set the credentials (authorize);
//  3. send (transport.send);
//  4. read the rate-limit headers (rateLimitOf) and a 429's wait
//     (retryAfterOf);
//  5. teach the budget (teachBudget);
//  6. log (logAttempt);
//  7. decide whether to retry, with a named reason (shouldRetry), and how
//     long to wait first (retryWait).

// callRecord is what one Client.Do call knows about itself while its
// attempts run: what the request is, how long it may wait, and what the last
// attempt taught. Do makes one per call; the hooks find it from the
// request's context (recordOf).
type callRecord struct {
	method string
	path   string
	class  Class // what the request is, decided once by Do
	// maxWait is the call's longest allowed wait for the budget, the request
	// rate, an operation's pace or a 429's Retry-After: WithCallMaxWait,
	// else WithMaxWait; 0 waits as long as it takes. Decided once by Do.
	maxWait    time.Duration
	paceWaited time.Duration // the operation's own pacing wait, before the first attempt

	// callHeaders are the call's WithHeader headers, never sent off the
	// API host (checkRedirect).
	callHeaders http.Header

	redirected bool          // the request the caller made was answered with a redirect
	attempts   int           // attempts begun, counting one refused by the budget
	sent       int           // attempts that reached the network
	wait       time.Duration // the request-rate and budget wait of the current attempt
	retryAfter time.Duration // the wait the last 429 asked for
	rl         RateLimit     // what the last response from the API host reported
	rlResp     *http.Response
	pending    pendingWait // a retry's wait not yet reported to the observers

	// response is the Response Do returns, and body the capped reader of a
	// 2xx body, both allocated with the record.
	response Response
	body     cappedReader
	// ctx is the caller's context carrying this record; stored here so that
	// the record and its context are one allocation.
	ctx recordContext
}

// recordContext is a call's context with its record attached.
type recordContext struct {
	context.Context
	rec *callRecord
}

type recordKey struct{}

// Value returns the record for recordKey and defers every other key to the
// caller's context.
func (c *recordContext) Value(key any) any {
	if key == (recordKey{}) {
		return c.rec
	}
	return c.Context.Value(key)
}

// newCallRecord makes the record of one call, attached to ctx.
func newCallRecord(ctx context.Context, method, path string, class Class, maxWait time.Duration) *callRecord {
	rec := &callRecord{method: method, path: path, class: class, maxWait: maxWait}
	rec.ctx = recordContext{Context: ctx, rec: rec}
	return rec
}

// context returns the caller's context carrying the record.
func (rec *callRecord) context() context.Context { return &rec.ctx }

// recordOf returns the record of the call ctx belongs to, or nil.
func recordOf(ctx context.Context) *callRecord {
	rec, _ := ctx.Value(recordKey{}).(*callRecord)
	return rec
}

// callMaxWait is the call's longest allowed wait: the call's
// WithCallMaxWait, else the client's WithMaxWait.
func (c *Client) callMaxWait(callMax time.Duration) time.Duration {
	if callMax > 0 {
		return callMax
	}
	return c.cfg.maxWait
}

// attemptAllowance is what the current attempt may wait in all: the call's
// maxWait, less what the first attempt already waited for the operation's
// pace. It is never 0 when maxWait is set, since 0 means "as long as it
// takes".
func (rec *callRecord) attemptAllowance() time.Duration {
	allowed := rec.maxWait
	if allowed > 0 && rec.attempts == 1 && rec.paceWaited > 0 {
		allowed = max(allowed-rec.paceWaited, time.Nanosecond)
	}
	return allowed
}

// attempt is one attempt of a call, from waiting for its turn to logging
// its outcome. A request off the API host (a redirect the client followed)
// is neither paced nor logged, and carries no key.
func (c *Client) attempt(t *transport, req *http.Request) (*http.Response, error) {
	rec := recordOf(req.Context())
	if rec == nil {
		// Not sent by Do: give it a record of its own so the path below
		// holds.
		rec = newCallRecord(req.Context(), req.Method, req.URL.Path, classifyMatched(normalizeMethod(req.Method), nil, ""), c.cfg.maxWait)
	}
	if !c.sameHost(req.URL) {
		resp, err := checkedRoundTrip(t.base(), c.authorize(req, false))
		if err == nil && resp.StatusCode == http.StatusTooManyRequests {
			wait := retryAfterOf(resp, time.Now())
			rec.retryAfter = wait
			c.teachBudget(req.Context(), budgetSlot{}, resp.StatusCode, RateLimit{RetryAfter: wait}, false, time.Now())
		}
		return resp, err
	}

	// 1. Wait for the request rate and the budget.
	rec.attempts++
	if c.obs != nil && rec.pending.cause != "" {
		c.reportRetryWait(req.Context(), rec)
	}
	slot, err := c.waitTurn(req.Context(), rec)
	if err != nil {
		if c.obs != nil {
			c.observeAttempt(req, rec, nil, RateLimit{}, time.Time{}, time.Time{}, err)
		}
		return nil, err
	}
	rec.sent++
	// 2. Set the observers' headers (a traceparent), then the credentials,
	// after every wait, so that a request that waited while the key rotated
	// goes out with the new one, and no observer can set or remove them.
	if c.obs != nil {
		c.obs.inject(req.Context(), req.Header)
	}
	req = c.authorize(req, false)
	// 3. Send.
	var sentAt time.Time
	if c.obs != nil {
		sentAt = time.Now()
	}
	resp, err := t.send(req)
	at := time.Now()
	var rl RateLimit
	if err == nil {
		// 4. Read the rate-limit headers and a 429's wait.
		var remainingOK bool
		rl, remainingOK = rateLimitOf(resp, at)
		rec.rl, rec.rlResp = rl, resp
		if resp.StatusCode == http.StatusTooManyRequests {
			rec.retryAfter = retryAfterOf(resp, at)
			rl.RetryAfter = rec.retryAfter
		}
		// 5. Teach the budget.
		c.teachBudget(req.Context(), slot, resp.StatusCode, rl, remainingOK, at)
	}
	slot.release(at)
	// 6. Tell the observers (the logger is one).
	if c.obs != nil {
		c.observeAttempt(req, rec, resp, rl, sentAt, at, err)
	}
	return resp, err
}

// authorize gives req the credentials its host may see: the current key on
// the API host, none anywhere else. It is the only place that sets or
// removes Authorization. The attempt path applies it to every attempt, and
// checkRedirect to every redirect before the caller's redirect policy sees
// it. owned says req's header may lose the key in place (a redirect request
// net/http made for this call); otherwise a request whose key must go is
// cloned, leaving the original as it was.
func (c *Client) authorize(req *http.Request, owned bool) *http.Request {
	if !c.sameHost(req.URL) {
		if req.Header.Get("Authorization") != "" {
			if !owned {
				req = req.Clone(req.Context())
			}
			req.Header.Del("Authorization")
		}
		return req
	}
	if auth := c.authorization(); req.Header.Get("Authorization") != auth {
		req.Header.Set("Authorization", auth)
	}
	return req
}

// budgetSlot is the key-budget slot an attempt holds while it is out: the
// Budget's Grant.
type budgetSlot struct{ grant Grant }

// release frees the slot as of at, when the response or failure arrived.
func (s budgetSlot) release(at time.Time) {
	if s.grant.Release != nil {
		s.grant.Release(at)
	}
}

// waitTurn waits for the WithRequestRate limiter and then the key's budget,
// the two together no longer than the attempt's allowance, and takes a
// budget slot. rec.wait says how long it waited.
func (c *Client) waitTurn(ctx context.Context, rec *callRecord) (budgetSlot, error) {
	rec.wait = 0
	allowed := rec.attemptAllowance()
	if c.cfg.requestLimit != nil {
		var start time.Time
		if c.obs != nil {
			start = time.Now()
		}
		waited, err := waitRequestRate(ctx, c.cfg.requestLimit, allowed)
		if c.obs != nil && (waited > 0 || err != nil) {
			c.observeWait(ctx, rec, WaitRequestRate, start, err)
		}
		if err != nil {
			return budgetSlot{}, err
		}
		rec.wait = waited
		if allowed > 0 {
			allowed = max(allowed-waited, time.Nanosecond)
		}
	}
	if c.budget == nil {
		return budgetSlot{}, nil
	}
	var start time.Time
	if c.obs != nil {
		start = time.Now()
	}
	grant, err := c.budget.Acquire(ctx, allowed)
	if c.obs != nil && (grant.Waited > 0 || err != nil) {
		c.observeWait(ctx, rec, WaitBudget, start, err)
	}
	if err != nil {
		return budgetSlot{}, err
	}
	rec.wait += grant.Waited
	return budgetSlot{grant: grant}, nil
}

// waitRequestRate waits for the WithRequestRate limiter, but refuses at
// once, with a local *RateLimitError, a wait longer than maxWait (when
// maxWait > 0). It returns how long it waited.
func waitRequestRate(ctx context.Context, l *rate.Limiter, maxWait time.Duration) (time.Duration, error) {
	start := time.Now()
	r := l.Reserve()
	if !r.OK() {
		return 0, errors.New("restorehub: WithRequestRate: the limiter cannot grant a request")
	}
	d := r.Delay()
	if d == 0 {
		return 0, nil
	}
	if maxWait > 0 && d > maxWait {
		r.Cancel()
		return 0, newLocalRateLimitError(d, 0, 0)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		r.Cancel()
		return 0, ctx.Err()
	case <-t.C:
	}
	return time.Since(start), nil
}

// rateLimitOf reads the budget state resp reported, and whether its
// X-RateLimit-Remaining was readable. It is the one place that decides that
// only a 429 may hold requests back: a Retry-After on a 200 (or a 5xx) is
// dropped, so that it cannot freeze every goroutine.
func rateLimitOf(resp *http.Response, at time.Time) (RateLimit, bool) {
	rl, remainingOK := parseRateLimit(resp.Header, at)
	if resp.StatusCode != http.StatusTooManyRequests {
		rl.RetryAfter = 0
	}
	return rl, remainingOK
}

// defaultRetryAfter is the wait after a 429 that names none, as the docs' sample does.
const defaultRetryAfter = 10 * time.Second

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 64 << 10

// retryAfterOf reads a 429's wait: the Retry-After header, else the body's
// retryAfter (at the top level or in details), else defaultRetryAfter. It
// leaves the body readable for the error it becomes.
func retryAfterOf(resp *http.Response, now time.Time) time.Duration {
	if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
		return d
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody+1)) // +1: decodeError tells a cut body
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var fields struct {
		RetryAfter json.Number `json:"retryAfter"`
		Details    struct {
			RetryAfter json.Number `json:"retryAfter"`
		} `json:"details"`
	}
	if json.Unmarshal(body, &fields) == nil {
		for _, n := range []json.Number{fields.RetryAfter, fields.Details.RetryAfter} {
			if d, ok := parseRetryAfter(n.String(), now); ok {
				return d
			}
		}
	}
	return defaultRetryAfter
}

// teachBudget is the one place the key's budget learns from a response:
// its limit, window and remaining count, a 429's wait, or that the server
// sends no believable limit. slot is the attempt's, or the zero slot for a
// response the budget did not pace; status is the response's; remainingOK
// says X-RateLimit-Remaining was readable. The rules:
//   - a believable limit (rl.Known) is recorded as the last known limit and
//     makes the client's state BudgetKnown, for good;
//   - a 429's wait (rl.RetryAfter > 0) holds requests back for that long;
//   - any other response but a 5xx, 401 or 429 shows the server sends no
//     believable limit: before a limit is known the budget becomes
//     BudgetUnknown (paced on 429s only), logged once at Warn;
//   - a 5xx, 401 or 429 without a wait teaches nothing (a proxy or an auth
//     check may have sent it).
func (c *Client) teachBudget(ctx context.Context, slot budgetSlot, status int, rl RateLimit, remainingOK bool, at time.Time) {
	known := rl.Known()
	switch {
	case known:
		c.setLast(rl)
		c.seen.Store(int32(BudgetKnown))
	case rl.RetryAfter > 0:
		// A 429's wait: nothing learned about the limit.
	case teachesBudget(status):
		c.seen.CompareAndSwap(int32(BudgetFloor), int32(BudgetUnknown))
	default:
		return
	}
	if c.budget == nil {
		return
	}
	obs := rl
	if known && !remainingOK {
		// Without a readable Remaining the budget learns the limit and
		// window but cannot reconcile: taking the missing value as 0 would
		// hold every slot for a window, so it is taken as "no one else is
		// using the key".
		obs.Remaining = obs.Limit
	}
	if slot.grant.Observe != nil {
		slot.grant.Observe(obs, at)
	} else {
		c.budget.Observe(obs, at)
	}
	if !known && rl.RetryAfter <= 0 {
		c.warnUnknownBudget(ctx, status)
	}
}

// retryReason names why an attempt is, or is not, retried.
type retryReason string

// The reasons shouldRetry gives.
const (
	retryNot              retryReason = "the response is final"
	retryContextDone      retryReason = "the call's context ended"
	retryBudgetRefused    retryReason = "the budget refused to wait; nothing was sent"
	retryRedirectRefused  retryReason = "the client refused a redirect; it would be refused again"
	retryAfterRedirect    retryReason = "the request was received before a redirect; only a resendable one is resent"
	retryNeverSent        retryReason = "the connection could not be dialled; the request never left"
	retrySentMaybeActed   retryReason = "the request may have reached the server; only a resendable one is resent"
	retryRateLimited      retryReason = "a 429: the request was not acted on"
	retryRateLimitTooLong retryReason = "a 429 asked for a wait longer than the call's maximum"
	retryServerMaybeActed retryReason = "a 500, 502 or 503: the server may have acted; only a resendable one is resent"
)

// shouldRetry decides whether the attempt that got resp or err is retried,
// and says why. It judges the request the caller made, as Do classified it.
// A request is resendable when it is idempotent and not destructive. The
// rules, first match wins:
//   - the call's context ended: no;
//   - the budget or request rate refused to wait: no, and its error is the
//     call's (nothing was sent);
//   - a redirect the client refused: no (it would be refused again);
//   - once the request the caller made was answered with a redirect it was
//     received, so a failure on the way to the redirect's target says
//     nothing about it: only a resendable request is resent;
//   - the dial failed, so the request never left: yes;
//   - any other network error: only a resendable request;
//   - a 429 whose wait is longer than the call's maximum wait: no;
//   - a 429: yes (after a redirect, only a resendable request);
//   - a 500, 502 or 503: only a resendable request;
//   - anything else: no.
func (c *Client) shouldRetry(ctx context.Context, rec *callRecord, resp *http.Response, err error) (bool, retryReason, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, retryContextDone, ctxErr
	}
	resendable := rec.class.Idempotent && !rec.class.Destructive
	if err != nil {
		var rle *RateLimitError
		switch {
		case errors.As(err, &rle):
			return false, retryBudgetRefused, err
		case errors.Is(err, ErrCrossHostRedirect) || errors.Is(err, ErrInsecureRedirect) || errors.Is(err, ErrRedirectChangesOperation):
			return false, retryRedirectRefused, nil
		case rec.redirected:
			return resendable, retryAfterRedirect, nil
		case neverSent(err):
			return true, retryNeverSent, nil
		}
		return resendable, retrySentMaybeActed, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		if rec.maxWait > 0 && rec.retryAfter > rec.maxWait {
			return false, retryRateLimitTooLong, nil
		}
		if rec.redirected {
			return resendable, retryAfterRedirect, nil
		}
		return true, retryRateLimited, nil
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable:
		return resendable, retryServerMaybeActed, nil
	}
	return false, retryNot, nil
}

// neverSent reports whether err proves the request never reached the
// server: the connection could not even be dialled.
func neverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}

// retryWait returns the wait before retry number attempt+1: a 429's
// Retry-After plus 10–25% jitter, or capped exponential backoff (lo to hi)
// with equal jitter. With a maximum wait the jittered wait never exceeds it:
// shouldRetry has already refused a Retry-After longer than it, so the cap
// never cuts a wait below what the server asked for. rec is nil when the
// response is not the call's.
func (c *Client) retryWait(rec *callRecord, lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	var d time.Duration
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
		wait := defaultRetryAfter
		if rec != nil {
			// The attempt stored the 429's wait, the 10s default included:
			// a Retry-After of 0 means now, not the default.
			wait = rec.retryAfter
		}
		d = time.Duration(float64(wait) * (1.10 + 0.15*rand.Float64()))
	} else {
		d = lo << min(attempt, 20)
		if d <= 0 || d > hi {
			d = hi
		}
		// Equal jitter: half fixed, half random.
		d = d/2 + rand.N(d/2+1)
	}
	mw := c.cfg.maxWait
	if rec != nil {
		mw = rec.maxWait
	}
	if mw > 0 && d > mw {
		d = mw
	}
	return d
}
