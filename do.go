package restorehub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/restorehub/restorehub-go/resources"
)

// Request is a raw API request for Client.Do, the escape hatch for anything
// the typed services do not cover yet. It gets everything a typed call gets:
// authentication, pacing, retries, preflight and typed errors.
type Request struct {
	// Method is the HTTP method; "" means GET.
	Method string
	// Path is below the base URL and starts with "/", such as "/account".
	Path string
	// Query is encoded into the URL.
	Query url.Values
	// Body is encoded as JSON; nil sends no body. A json.RawMessage or
	// []byte is sent as it is.
	Body any
	// Scope is the scope the request needs, when it matches no operation of
	// the table. Do matches every request against the table by method and
	// path template (see Classify) and takes the scope, tier, idempotency
	// and pace of the operation it matches; a Scope of a higher tier makes
	// the request more dangerous, never a lower one safer. A request that
	// matches nothing and names no Scope is refused by WithScopes, and, unless
	// it is a GET or HEAD, goes through the destructive guard and is never
	// sent twice except after a 429 or a failed dial.
	Scope Scope

	op *resources.OperationSpec
}

// Response is what Do returns besides the decoded body.
type Response struct {
	// StatusCode is the HTTP status of the final attempt.
	StatusCode int
	// Header is the final attempt's response header.
	Header http.Header
	// RateLimit is the budget state the response reported.
	RateLimit RateLimit
}

// ErrMalformedResponse is wrapped by the error Do returns when a 2xx
// response's body is not the JSON expected (truncated, HTML, wrong type).
var ErrMalformedResponse = errors.New("restorehub: malformed response body")

// ErrGuardRefused matches the *GuardError returned when
// WithDestructiveGuard refuses a request. Nothing was sent.
var ErrGuardRefused = errors.New("restorehub: destructive guard refused the request")

// GuardError is returned when WithDestructiveGuard refuses a request; nothing
// was sent. It matches ErrGuardRefused and unwraps to the guard's own error.
type GuardError struct {
	// Operation is what the guard was asked about.
	Operation Operation
	// Err is the guard's error.
	Err error
}

// Error names the refused request and the guard's reason.
func (e *GuardError) Error() string {
	if e == nil {
		return "restorehub: <nil GuardError>"
	}
	reason := "no reason given"
	if e.Err != nil {
		reason = strings.TrimPrefix(redact(e.Err.Error()), "restorehub: ")
	}
	return fmt.Sprintf("restorehub: %s %s: the destructive guard refused it, nothing was sent: %s", e.Operation.Method, e.Operation.Path, reason)
}

// Unwrap returns the guard's error.
func (e *GuardError) Unwrap() error { return e.Err }

// Is matches ErrGuardRefused.
func (e *GuardError) Is(target error) bool { return target == ErrGuardRefused }

// Do sends req and decodes a 2xx JSON response into out (nil discards it).
// A non-2xx response returns an error that errors.As finds as *APIError and,
// where it applies, as *MissingScopeError, *UpgradeRequiredError,
// *RateLimitError or *ValidationError. The Response is nil only when no
// response arrived. opts are per-call options such as WithResponseInto,
// WithCallMaxWait and WithHeader. A request that matches an operation whose
// body is required but carries none (Body nil, empty or JSON null) is
// refused with an *InvalidRequestError; nothing is sent.
func (c *Client) Do(ctx context.Context, req *Request, out any, opts ...RequestOption) (*Response, error) {
	if ctx == nil {
		return nil, ErrNilContext
	}
	if len(opts) == 0 {
		return c.do(ctx, req, out, nil)
	}
	cfg := resources.NewRequestConfig(opts...)
	r, err := c.do(ctx, req, out, &cfg)
	report(&cfg, r)
	return r, err
}

// do is Do with the call's options applied; cfg is nil when there are none.
func (c *Client) do(ctx context.Context, req *Request, out any, cfg *resources.RequestConfig) (*Response, error) {
	if cfg != nil {
		if cfg.Err != nil {
			return nil, cfg.Err
		}
		if err := checkCallHeaders(cfg.Header); err != nil {
			return nil, err
		}
		ctx = withCallOptions(ctx, cfg)
	}
	if req == nil {
		return nil, errors.New("restorehub: Do: nil Request")
	}
	method := normalizeMethod(req.Method)
	if !strings.HasPrefix(req.Path, "/") {
		return nil, fmt.Errorf("restorehub: Do: path %q must start with \"/\"", truncate(redact(req.Path), 80))
	}
	// What the request is, decided once: the preflight, the guard, the
	// operation pacer, the retry policy and the logger all read it.
	var class Class
	if req.op != nil {
		class = classifySpec(req.op, req.Scope)
	} else {
		class = Classify(method, req.Path, req.Scope)
	}
	var body []byte
	switch b := req.Body.(type) {
	case nil:
	case json.RawMessage:
		body = b
	case []byte:
		body = b
	default:
		var err error
		if body, err = json.Marshal(b); err != nil {
			return nil, fmt.Errorf("restorehub: %s %s: encoding body: %w", method, req.Path, err)
		}
	}
	// A request of an operation that requires a body, typed or raw, is
	// refused without one before the guard is asked.
	if class.Spec != nil && class.Spec.BodyRequired && noBody(body) {
		return nil, &InvalidRequestError{Operation: class.ID, Param: "body", Reason: "is required by the operation but is missing"}
	}
	if err := c.preflight(ctx, method, req, class); err != nil {
		return nil, markLocal(err)
	}

	var paceWaited time.Duration
	if class.Spec != nil && class.Spec.Pace != nil {
		paceStart := time.Now()
		release, err := c.paces.reserve(ctx, class.Spec, body, c.maxWaitFor(ctx))
		paceWaited = time.Since(paceStart)
		if err != nil {
			var rle *RateLimitError
			if errors.As(err, &rle) {
				return nil, localized(rle, &callState{method: method, path: req.Path})
			}
			return nil, err
		}
		defer func() { release(time.Now()) }()
	}

	st := &callState{
		Context:    ctx,
		method:     method,
		path:       req.Path,
		class:      class,
		paceWaited: paceWaited,
	}
	ctx = st
	u := c.endpoint(req.Path, req.Query)
	var rbody any
	if body != nil {
		rbody = body
	}
	hreq, err := retryablehttp.NewRequestWithContext(ctx, method, u, rbody)
	if err != nil {
		return nil, fmt.Errorf("restorehub: %s %s: %w", method, req.Path, err)
	}
	hreq.Header.Set("Authorization", c.authorization())
	hreq.Header.Set("User-Agent", c.userAgent)
	hreq.Header.Set("Accept", "application/json")
	if body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if cfg != nil {
		addCallHeaders(hreq.Header, cfg.Header)
	}

	resp, err := c.retry.Do(hreq)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, c.transportError(ctx, st, err)
	}
	defer resp.Body.Close()
	c.redactHeader(resp.Header)
	rl := st.rl
	if st.rlResp != resp {
		// Not parsed by the transport: a response from another host.
		rl = ParseRateLimit(resp.Header, time.Now())
		if resp.StatusCode != http.StatusTooManyRequests {
			rl.RetryAfter = 0
		}
	}
	r := &Response{StatusCode: resp.StatusCode, Header: resp.Header, RateLimit: rl}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return r, c.decodeError(resp, st)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
		return r, nil
	}
	return r, c.decodeBody(ctx, st, resp, out)
}

// preflight refuses, without sending anything, a request the declared
// scopes do not allow or cannot show to be allowed, and a destructive one the
// guard turns down. It decides from the request's Class alone.
func (c *Client) preflight(ctx context.Context, method string, req *Request, class Class) error {
	if c.cfg.scopes != nil {
		switch {
		case class.Scope == "" && !class.Matched():
			// Nothing says what this request needs: it cannot be shown to
			// be allowed.
			return &MissingScopeError{
				APIError: &APIError{
					StatusCode: 0, Method: method, Path: req.Path,
					Message: "the request matches no known operation and names no scope, so WithScopes cannot show it is allowed; set Request.Scope",
				},
				YourScopes: c.cfg.scopes.Scopes(),
				Local:      true,
			}
		case !c.cfg.scopes.Allows(class.Scope):
			return &MissingScopeError{
				APIError: &APIError{
					StatusCode: 0, Method: method, Path: req.Path,
					Message: "Missing required scope: " + string(class.Scope),
				},
				RequiredScope: class.Scope,
				YourScopes:    c.cfg.scopes.Scopes(),
				Local:         true,
			}
		}
	}
	if class.Destructive && c.cfg.guard != nil {
		op := Operation{
			ID: class.ID, Method: method, Path: req.Path, PathTemplate: class.PathTemplate,
			Query: req.Query, Body: req.Body, Scope: class.Scope, Tier: class.Tier,
			Reason: class.Reason, Destructive: class.Destructive, Idempotent: class.Idempotent,
		}
		if class.Spec != nil {
			op.Inferred, op.Summary = class.Spec.Inferred, class.Spec.Summary
		}
		if err := c.cfg.guard(ctx, op); err != nil {
			return &GuardError{Operation: op, Err: err}
		}
	}
	return nil
}

// endpoint joins the base URL, path and query.
func (c *Client) endpoint(path string, query url.Values) string {
	var b strings.Builder
	b.Grow(len(c.base.Scheme) + len(c.base.Host) + len(c.basePath) + len(path) + 4)
	b.WriteString(c.base.Scheme)
	b.WriteString("://")
	b.WriteString(c.base.Host)
	b.WriteString(c.basePath)
	b.WriteString(path)
	if len(query) > 0 {
		b.WriteByte('?')
		b.WriteString(query.Encode())
	}
	return b.String()
}

// transportError turns what retryablehttp returned without a response into
// the client's error, keeping the budget's *RateLimitError and ctx errors
// reachable with errors.As and errors.Is.
func (c *Client) transportError(ctx context.Context, st *callState, err error) error {
	var rle *RateLimitError
	if errors.As(err, &rle) {
		return localized(rle, st)
	}
	if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
		return fmt.Errorf("restorehub: %s %s: %w", st.method, st.path, ctxErr)
	}
	return fmt.Errorf("restorehub: %s %s: after %d attempt(s) sent: %w", st.method, c.scrub(st.path), st.sent, redactedError{err: err, scrub: c.scrub})
}

// redactHeader removes API keys from h's values in place, so that a server
// that echoes the key (in a Set-Cookie, WWW-Authenticate or debug header,
// with or without its "rh_" prefix) cannot make a Response carry it into
// the caller's logs.
func (c *Client) redactHeader(h http.Header) {
	for _, vs := range h {
		for i, v := range vs {
			if strings.Contains(v, "rh_") || strings.Contains(v, "%") || c.hasOwnKey(v) {
				vs[i] = c.scrubEncoded(v)
			}
		}
	}
}

// redactedError wraps an error so that its text cannot carry a key, while
// errors.Is and errors.As still reach the original.
// It also drops the "restorehub: " prefix of errors the client made itself
// deeper down, since the text that wraps it starts with one already.
type redactedError struct {
	err   error
	scrub func(string) string
}

func (e redactedError) Error() string {
	return e.scrub(strings.ReplaceAll(e.err.Error(), "restorehub: ", ""))
}
func (e redactedError) Unwrap() error { return e.err }
