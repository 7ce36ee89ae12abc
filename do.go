package restorehub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
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
	// RequestID is the final response's X-Request-Id header, "" when it
	// has none. Restore Hub's docs name no request ID header: X-Request-Id
	// is an assumption, the common convention. A server's value is cut to
	// 128 bytes and keeps only printable ASCII, and API keys in it are
	// redacted.
	RequestID string
}

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
// It decides what the request is, refuses what must not be sent, waits for
// the operation's own pace, and hands the request to go-retryablehttp, whose
// every attempt runs the attempt path (attempt.go).
func (c *Client) do(ctx context.Context, req *Request, out any, cfg *resources.RequestConfig) (r *Response, err error) {
	var callMax time.Duration
	if cfg != nil {
		if cfg.Err != nil {
			return nil, cfg.Err
		}
		if err := c.checkCallHeaders(cfg.Header); err != nil {
			return nil, err
		}
		callMax = cfg.MaxWait
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
		class = classify(method, req.Path, req.Scope)
	}
	var rec *callRecord
	if c.obs != nil {
		st := c.callStartOf(method, &class, time.Now())
		ctx = c.obs.callStart(ctx, st)
		defer func() { c.endCall(ctx, st, rec, r, err) }()
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
		return nil, err
	}
	rec = newCallRecord(ctx, method, req.Path, class, c.callMaxWait(callMax))
	if cfg != nil {
		rec.callHeaders = cfg.Header
	}

	if class.Spec != nil && class.Spec.Pace != nil {
		paceStart := time.Now()
		release, err := c.paces.reserve(ctx, class.Spec, body, rec.maxWait)
		rec.paceWaited = time.Since(paceStart)
		if c.obs != nil {
			c.observeWait(ctx, rec, WaitPace, paceStart, err)
		}
		if err != nil {
			var rle *RateLimitError
			if errors.As(err, &rle) {
				return nil, localized(rle, rec)
			}
			return nil, err
		}
		defer func() { release(time.Now()) }()
	}

	u := c.endpoint(req.Path, req.Query)
	var rbody any
	if body != nil {
		rbody = body
	}
	hreq, err := retryablehttp.NewRequestWithContext(rec.context(), method, u, rbody)
	if err != nil {
		return nil, fmt.Errorf("restorehub: %s %s: %w", method, req.Path, err)
	}
	// Authorization is set per attempt by the attempt path (authorize).
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
		return nil, c.transportError(ctx, rec, err)
	}
	defer resp.Body.Close()
	c.redactor.header(resp.Header)
	rl := rec.rl
	if rec.rlResp != resp {
		// Not read by the attempt path: a response from another host.
		rl, _ = rateLimitOf(resp, time.Now())
	}
	rec.rlResp = nil // the Response Do returns keeps the record alive, not the raw response
	r = &rec.response
	*r = Response{StatusCode: resp.StatusCode, Header: resp.Header, RateLimit: rl, RequestID: c.requestID(resp.Header)}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return r, c.decodeError(resp, rec, r.RequestID)
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
		return r, nil
	}
	return r, c.decodeBody(ctx, rec, resp, out)
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
			c.decided(ctx, DecisionScope, false, class.Scope)
			return &MissingScopeError{
				APIError: &APIError{
					StatusCode: 0, Method: method, Path: req.Path, Local: true,
					Message: "the request matches no known operation and names no scope, so WithScopes cannot show it is allowed; set Request.Scope",
				},
				YourScopes: c.cfg.scopes.Scopes(),
			}
		case !c.cfg.scopes.Allows(class.Scope) && !slices.ContainsFunc(class.AcceptedScopes, c.cfg.scopes.Allows):
			// The key may hold any one of the scopes the operation accepts
			// (class.AcceptedScopes is compact: nil means Scope alone).
			c.decided(ctx, DecisionScope, false, class.Scope)
			return &MissingScopeError{
				APIError: &APIError{
					StatusCode: 0, Method: method, Path: req.Path, Local: true,
					Message: "Missing required scope: " + string(class.Scope),
				},
				RequiredScope: class.Scope,
				AlsoAccepted:  class.acceptedBesides(class.Scope),
				YourScopes:    c.cfg.scopes.Scopes(),
			}
		}
		c.decided(ctx, DecisionScope, true, class.Scope)
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
			c.decided(ctx, DecisionGuard, false, class.Scope)
			return &GuardError{Operation: op, Err: err}
		}
		c.decided(ctx, DecisionGuard, true, class.Scope)
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
func (c *Client) transportError(ctx context.Context, rec *callRecord, err error) error {
	var rle *RateLimitError
	if errors.As(err, &rle) {
		return localized(rle, rec)
	}
	if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
		return fmt.Errorf("restorehub: %s %s: %w", rec.method, c.redactor.text(rec.path), ctxErr)
	}
	// What net/http returned may quote what a hostile server sent: its
	// whole chain is redacted, not only its text.
	return fmt.Errorf("restorehub: %s %s: after %d attempt(s) sent: %w", rec.method, c.redactor.text(rec.path), rec.sent, redactedError{err: c.redactor.error(err), scrub: c.redactor.errText})
}
