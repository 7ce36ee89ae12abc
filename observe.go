package restorehub

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// This file is the client's one observer point: the attempt path and Do
// report what happens to a call (its start and end, each attempt, every
// wait, every preflight, guard and retry decision) to the Observers given
// with WithObserver. WithLogger's logging is one of them. The events carry
// only what is safe to export: never the key, never a body, never a header
// value other than the rate-limit ones, and paths with keys removed.

// Observer is told what happens to every call a Client makes. Each field is
// optional. Its functions are called on the calling goroutine, in the order
// things happen, and must not block; several Observers compose (WithObserver
// may be given more than once). An event's fields never hold the key, a
// request or response body, or a header value other than the rate-limit
// headers'.
type Observer struct {
	// OnCallStart is told of a call once Do has decided what it is, before
	// the scope preflight and the guard. The context it returns is the
	// call's from then on (every later event of the call gets it), so an
	// Observer can attach a span to it; return ctx to attach nothing.
	OnCallStart func(ctx context.Context, e CallStart) context.Context
	// OnCallEnd is told of a call's end, once its outcome is known.
	OnCallEnd func(ctx context.Context, e CallEnd)
	// OnAttempt is told of each attempt on the API host: sent, or refused
	// by the budget or the request rate before it was sent.
	OnAttempt func(ctx context.Context, e Attempt)
	// OnRetry is told, after each attempt that got a response or an error,
	// whether the call retries and why.
	OnRetry func(ctx context.Context, e RetryDecision)
	// OnWait is told of every wait of a call once it is over: for an
	// operation's pace, the request rate, the key's budget, a 429's
	// Retry-After or a retry's backoff.
	OnWait func(ctx context.Context, e Wait)
	// OnDecision is told of each preflight decision: the WithScopes check
	// and the destructive guard, allowed or refused.
	OnDecision func(ctx context.Context, e Decision)
	// InjectHeaders may add headers to every attempt, such as a W3C
	// traceparent, through set. set ignores the headers that carry
	// credentials or that the client sets itself (Authorization, Cookie,
	// Host, Content-Type, ...) and values with control characters.
	InjectHeaders func(ctx context.Context, set func(name, value string))
}

// CallStart describes a call as Do classified it.
type CallStart struct {
	// Operation is the matched operation's ID, such as "backups.restore";
	// "" when the request matched none.
	Operation string
	// Method is the HTTP method.
	Method string
	// PathTemplate is the matched operation's path template; "" when the
	// request matched none.
	PathTemplate string
	// Scope and Tier are what the request needs (see Class).
	Scope Scope
	Tier  Tier
	// Destructive reports that the request goes through the guard.
	Destructive bool
	// ServerAddress is the API host, such as "api.restorehub.net".
	ServerAddress string
	// Start is when the call began.
	Start time.Time
}

// The outcomes of a call (CallEnd.Outcome).
const (
	OutcomeOK          = "ok"           // a 2xx response, decoded
	OutcomeAPIError    = "api_error"    // a non-2xx response other than a 429
	OutcomeRateLimited = "rate_limited" // a 429 the retries did not get past
	OutcomeRefused     = "refused"      // refused before sending (NotSent): scopes, guard, a wait too long, a bad request
	OutcomeCanceled    = "canceled"     // the call's context ended
	OutcomeTransport   = "transport_error"
	OutcomeBadResponse = "bad_response" // a 2xx whose body could not be decoded or was too large
)

// CallEnd describes how a call ended.
type CallEnd struct {
	CallStart
	// Outcome is one of the Outcome constants.
	Outcome string
	// StatusCode is the final response's status; 0 when none arrived.
	StatusCode int
	// Attempts counts the attempts begun, Sent those that reached the
	// network.
	Attempts, Sent int
	// RequestID is the final response's request ID (see Response.RequestID).
	RequestID string
	// Duration is the call's length, waits included.
	Duration time.Duration
}

// Attempt describes one attempt.
type Attempt struct {
	// Number counts the call's attempts from 1.
	Number int
	// Method is the request's method and Path its path, keys removed.
	Method, Path string
	// StatusCode is the response's status; 0 when none arrived.
	StatusCode int
	// RateLimit is what the response's rate-limit headers reported, and for
	// a 429 its Retry-After (RateLimit.RetryAfter).
	RateLimit RateLimit
	// RequestID is the response's request ID (see Response.RequestID).
	RequestID string
	// Waited is how long the attempt waited for the request rate and the
	// key's budget before it was sent.
	Waited time.Duration
	// Start is when the attempt was sent (after its waits), Duration how
	// long until its response header or failure.
	Start    time.Time
	Duration time.Duration
	// Err is the attempt's failure with keys removed; "" when a response
	// arrived.
	Err string
	// NotSent reports that the budget or the request rate refused the
	// attempt: it never reached the network.
	NotSent bool

	class *Class // for the logger
	// headers returns the request's headers (credentials included) and the
	// response's as received, for the logger's WithLogHeaders only. A func,
	// so that an Observer formatting the event (%v, %+v, %#v, %s) prints
	// an address, not the Authorization header or a header a server
	// echoed the key in: fmt prints unexported map fields in full.
	headers func() (req, resp http.Header)
}

// RetryDecision says whether a call retries after an attempt.
type RetryDecision struct {
	// Attempt is the number of the attempt decided on.
	Attempt int
	// Retry reports whether another attempt follows (if the retries left
	// allow it).
	Retry bool
	// Reason says why, in words, such as "a 429: the request was not acted on".
	Reason string
}

// WaitCause names what a call waited for.
type WaitCause string

// The causes of a wait.
const (
	WaitRequestRate WaitCause = "request_rate" // WithRequestRate
	WaitBudget      WaitCause = "budget"       // the key's budget
	WaitPace        WaitCause = "operation_pace"
	WaitRetryAfter  WaitCause = "retry_after" // a 429's Retry-After
	WaitBackoff     WaitCause = "retry_backoff"
)

// Wait describes one wait, once it is over.
type Wait struct {
	// Cause is what the call waited for.
	Cause WaitCause
	// Start is when the wait began; Duration how long it lasted.
	Start    time.Time
	Duration time.Duration
	// Attempt is the number of the attempt the wait came before (0 for an
	// operation's pace, which comes before the first).
	Attempt int
	// Refused reports that the wait would have been longer than the
	// maximum wait, so the call was refused instead.
	Refused bool
}

// The kinds of preflight decision (Decision.Kind).
const (
	DecisionScope = "scope" // the WithScopes preflight
	DecisionGuard = "guard" // WithDestructiveGuard
)

// Decision describes a preflight decision.
type Decision struct {
	// Kind is DecisionScope or DecisionGuard.
	Kind string
	// Allowed reports the decision.
	Allowed bool
	// Scope is the scope the request needs.
	Scope Scope
}

// WithObserver adds o to the observers of every call. It may be given more
// than once; the observers are told in the order given, after WithLogger's.
func WithObserver(o Observer) Option {
	return func(c *config) error {
		c.observers = append(c.observers, o)
		return nil
	}
}

// observers is the client's list of Observers; the client holds a nil
// *observers when there are none, so each point of the attempt path costs a
// nil check.
type observers struct {
	list []Observer
}

// newObservers returns the client's observers, the logger's first, or nil.
func newObservers(c *Client) *observers {
	var list []Observer
	if c.cfg.logger != nil {
		list = append(list, Observer{OnAttempt: c.logAttempt})
	}
	list = append(list, c.cfg.observers...)
	if len(list) == 0 {
		return nil
	}
	return &observers{list: list}
}

func (o *observers) callStart(ctx context.Context, e CallStart) context.Context {
	for _, x := range o.list {
		if x.OnCallStart != nil {
			if next := x.OnCallStart(ctx, e); next != nil {
				ctx = next
			}
		}
	}
	return ctx
}

// notify calls hook(x) of every observer x that sets it, in order, with e.
func notify[E any](ctx context.Context, o *observers, e E, hook func(Observer) func(context.Context, E)) {
	for _, x := range o.list {
		if fn := hook(x); fn != nil {
			fn(ctx, e)
		}
	}
}

func (o *observers) callEnd(ctx context.Context, e CallEnd) {
	notify(ctx, o, e, func(x Observer) func(context.Context, CallEnd) { return x.OnCallEnd })
}

func (o *observers) attempt(ctx context.Context, e Attempt) {
	notify(ctx, o, e, func(x Observer) func(context.Context, Attempt) { return x.OnAttempt })
}

func (o *observers) retry(ctx context.Context, e RetryDecision) {
	notify(ctx, o, e, func(x Observer) func(context.Context, RetryDecision) { return x.OnRetry })
}

func (o *observers) wait(ctx context.Context, e Wait) {
	notify(ctx, o, e, func(x Observer) func(context.Context, Wait) { return x.OnWait })
}

func (o *observers) decision(ctx context.Context, e Decision) {
	notify(ctx, o, e, func(x Observer) func(context.Context, Decision) { return x.OnDecision })
}

// inject lets every observer add headers to h through a setter that refuses
// the credential headers and those the client owns.
func (o *observers) inject(ctx context.Context, h http.Header) {
	for _, x := range o.list {
		if x.InjectHeaders == nil {
			continue
		}
		x.InjectHeaders(ctx, func(name, value string) {
			if checkHeader(name, value) == nil {
				h.Set(name, value)
			}
		})
	}
}

// callStartOf is the CallStart event of a call.
func (c *Client) callStartOf(method string, class *Class, start time.Time) CallStart {
	return CallStart{
		Operation: class.ID, Method: method, PathTemplate: class.PathTemplate,
		Scope: class.Scope, Tier: class.Tier, Destructive: class.Destructive,
		ServerAddress: c.base.Hostname(), Start: start,
	}
}

// outcomeOf names how a call that returned r and err ended.
func outcomeOf(r *Response, err error) string {
	var api *APIError
	switch {
	case err == nil:
		return OutcomeOK
	case NotSent(err):
		return OutcomeRefused
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return OutcomeCanceled
	case errors.Is(err, ErrRateLimited):
		return OutcomeRateLimited
	case errors.As(err, &api):
		return OutcomeAPIError
	case r != nil:
		return OutcomeBadResponse
	}
	return OutcomeTransport
}

// endCall reports the end of a call that began at start.
func (c *Client) endCall(ctx context.Context, st CallStart, rec *callRecord, r *Response, err error) {
	e := CallEnd{CallStart: st, Outcome: outcomeOf(r, err), Duration: time.Since(st.Start)}
	if r != nil {
		e.StatusCode, e.RequestID = r.StatusCode, r.RequestID
	} else if api := (*APIError)(nil); errors.As(err, &api) && !api.Local {
		e.StatusCode, e.RequestID = api.StatusCode, api.RequestID
	}
	if rec != nil {
		e.Attempts, e.Sent = rec.attempts, rec.sent
		if rec.pending.cause != "" {
			// A retry's wait the call's end cut short.
			c.obs.wait(ctx, Wait{Cause: rec.pending.cause, Start: rec.pending.start, Duration: time.Since(rec.pending.start), Attempt: rec.attempts + 1})
		}
	}
	c.obs.callEnd(ctx, e)
}

// pendingWait is a retry's wait that has begun and not yet been reported.
type pendingWait struct {
	cause WaitCause
	start time.Time
}

// reportRetryWait reports the retry's wait that ended as attempt
// rec.attempts begins.
func (c *Client) reportRetryWait(ctx context.Context, rec *callRecord) {
	p := rec.pending
	rec.pending = pendingWait{}
	c.obs.wait(ctx, Wait{Cause: p.cause, Start: p.start, Duration: time.Since(p.start), Attempt: rec.attempts})
}

// observeWait reports a wait for the request rate or the budget that
// began at start and ended now, refused when err is the client's local
// *RateLimitError.
func (c *Client) observeWait(ctx context.Context, rec *callRecord, cause WaitCause, start time.Time, err error) {
	var rle *RateLimitError
	c.obs.wait(ctx, Wait{Cause: cause, Start: start, Duration: time.Since(start), Attempt: rec.attempts, Refused: errors.As(err, &rle)})
}

// observeAttempt reports an attempt sent at sentAt that got resp (with the
// rate-limit state rl) or err at at; resp and err are both nil-able, and a
// zero sentAt is an attempt the budget or the request rate refused.
func (c *Client) observeAttempt(req *http.Request, rec *callRecord, resp *http.Response, rl RateLimit, sentAt, at time.Time, err error) {
	e := Attempt{
		Number: rec.attempts, Method: req.Method, Path: c.redactor.text(req.URL.Path),
		Waited: rec.wait, Start: sentAt, class: &rec.class,
		NotSent: sentAt.IsZero(),
	}
	if !sentAt.IsZero() {
		e.Duration = at.Sub(sentAt)
	}
	if resp != nil {
		e.StatusCode = resp.StatusCode
		e.RateLimit = rl
		if resp.StatusCode == http.StatusTooManyRequests {
			e.RateLimit.RetryAfter = rec.retryAfter
		}
		e.RequestID = c.requestID(resp.Header)
	}
	if err != nil {
		e.Err = c.redactor.errText(err.Error())
	}
	if c.cfg.logHeaders {
		e.headers = func() (http.Header, http.Header) {
			if resp != nil {
				return req.Header, resp.Header
			}
			return req.Header, nil
		}
	}
	c.obs.attempt(req.Context(), e)
}

// decided reports a preflight decision.
func (c *Client) decided(ctx context.Context, kind string, allowed bool, scope Scope) {
	if c.obs != nil {
		c.obs.decision(ctx, Decision{Kind: kind, Allowed: allowed, Scope: scope})
	}
}
