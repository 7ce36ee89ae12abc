package restorehub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// callState travels in a request's context through go-retryablehttp, so that
// the retry policy, the pacing transport and the logger know what is being
// sent and what the last attempt taught.
//
// The state is itself the request's context (it embeds the caller's), which
// saves a context.WithValue per call.
type callState struct {
	context.Context
	method      string
	path        string
	class       Class          // what the request is, decided once by Do
	gotRedirect bool           // the request the caller made was answered with a redirect
	attempt     int            // attempts begun, counting one refused by the budget
	sent        int            // attempts that reached the network
	wait        time.Duration  // the budget wait of the current attempt
	retryAfter  time.Duration  // the wait a 429 asked for
	rl          RateLimit      // what the last response reported
	rlResp      *http.Response // the response rl was parsed from
	paceWaited  time.Duration  // the operation's own pacing wait, before the first attempt
}

// Value returns st for callStateKey and defers every other key to the
// caller's context.
func (st *callState) Value(key any) any {
	if key == (callStateKey{}) {
		return st
	}
	return st.Context.Value(key)
}

type callStateKey struct{}

func stateOf(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	return st
}

// newRetryClient wires go-retryablehttp over the pacing transport, so that
// every attempt, retries included, is paced and authenticated.
func (c *Client) newRetryClient() *retryablehttp.Client {
	// The caller's Timeout is applied per attempt inside the transport,
	// after the budget wait, so that waiting for budget never times out a
	// request that was not even sent.
	hc := &http.Client{
		Transport:     &transport{c: c},
		CheckRedirect: c.checkRedirect,
	}
	if user := c.cfg.httpClient; user != nil {
		hc.Jar = user.Jar
	}
	return &retryablehttp.Client{
		HTTPClient:   hc,
		Logger:       nil,
		RetryWaitMin: c.cfg.retryMin,
		RetryWaitMax: c.cfg.retryMax,
		RetryMax:     c.cfg.maxRetries,
		CheckRetry:   c.checkRetry,
		Backoff:      c.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
		PrepareRetry: func(req *http.Request) error {
			// A rotated key applies to retries already under way.
			req.Header.Set("Authorization", c.authorization())
			return nil
		},
	}
}

// ErrCrossHostRedirect is wrapped by the error returned when the API
// redirects a request other than GET or HEAD to another host: following it
// would send the request's body, or a GET standing for it, off the API host,
// and return the other host's answer as the request's result.
var ErrCrossHostRedirect = errors.New("restorehub: refused to follow a redirect to another host")

// ErrInsecureRedirect is wrapped by the error returned when a redirect would
// take a request from https to plain http.
var ErrInsecureRedirect = errors.New("restorehub: refused to follow a redirect from https to plain http")

// ErrRedirectChangesOperation is wrapped by the error returned when a 307 or
// 308 redirect would resend a request other than GET or HEAD, with its body,
// to another path where it would be destructive: the destructive guard
// approved the path the caller named, not the one the server points to.
var ErrRedirectChangesOperation = errors.New("restorehub: refused to follow a redirect that resends the request to another destructive path")

// checkRedirect decides whether a redirect is followed. The request the
// caller made (via[0]) was received, whatever happens next, so the retry
// policy is told. It refuses a redirect from https to plain http, one to
// another host unless the caller's request was a GET or HEAD (Go turns a
// POST into a GET on 301, 302 and 303, and that GET's answer would come back
// as the POST's result), and a 307 or 308 that would resend a body to
// another path where it is destructive. It removes the key from any redirect off
// the API host, then applies the caller's redirect policy or Go's default
// limit of 10.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if st := stateOf(req.Context()); st != nil {
		st.gotRedirect = true
	}
	if req.URL.Scheme != "https" {
		for _, prev := range via {
			if prev.URL.Scheme == "https" {
				return fmt.Errorf("%w (to %s)", ErrInsecureRedirect, req.URL.Host)
			}
		}
	}
	original := req.Method
	if len(via) > 0 {
		original = via[0].Method
	}
	if !c.sameHost(req.URL) {
		req.Header.Del("Authorization")
		if original != http.MethodGet && original != http.MethodHead {
			return fmt.Errorf("%w (%s) for a %s", ErrCrossHostRedirect, req.URL.Host, original)
		}
	} else if req.Method != http.MethodGet && req.Method != http.MethodHead {
		if err := c.checkReroute(req); err != nil {
			return err
		}
	}
	if user := c.cfg.httpClient; user != nil && user.CheckRedirect != nil {
		return user.CheckRedirect(req, via)
	}
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	return nil
}

// checkReroute refuses a same-host redirect that resends a request with its
// method and body (307, 308) to another path, when the request there would
// be destructive: the guard approved one path, not wherever the server
// points next.
func (c *Client) checkReroute(req *http.Request) error {
	st := stateOf(req.Context())
	if st == nil {
		return nil
	}
	full := req.URL.EscapedPath()
	path, inside := strings.CutPrefix(full, c.basePath)
	var next Class
	if inside && strings.HasPrefix(path, "/") {
		next = Classify(req.Method, path, "")
	} else {
		// Outside the API's base path: it is no operation of the table.
		next = classifyMatched(normalizeMethod(req.Method), nil, "")
	}
	orig, _, _ := strings.Cut(st.path, "?")
	if next.Destructive && (!inside || strings.TrimSuffix(path, "/") != strings.TrimSuffix(orig, "/")) {
		return fmt.Errorf("%w (%s %s: %s)", ErrRedirectChangesOperation, req.Method, truncate(c.scrub(full), 80), next.Reason)
	}
	return nil
}

// transport authenticates, paces, observes and logs each attempt.
type transport struct{ c *Client }

func (t *transport) base() http.RoundTripper {
	if user := t.c.cfg.httpClient; user != nil && user.Transport != nil {
		return user.Transport
	}
	return defaultHTTPClient.Transport
}

// RoundTrip sends one attempt.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := t.c
	if !c.sameHost(req.URL) {
		// Never let the key leave the API host, whatever set it.
		if req.Header.Get("Authorization") != "" {
			req = req.Clone(req.Context())
			req.Header.Del("Authorization")
		}
		return checkedRoundTrip(t.base(), req)
	}
	ctx := req.Context()
	st := stateOf(ctx)
	if st != nil {
		st.attempt++
		st.wait = 0
	}
	var grant Grant
	// WithMaxWait bounds the attempt's whole wait: the request rate's and
	// the budget's together.
	maxWait := c.maxWaitFor(ctx)
	if maxWait > 0 && st != nil && st.attempt == 1 && st.paceWaited > 0 {
		// The first attempt already waited for the operation's own pace.
		maxWait = max(maxWait-st.paceWaited, time.Nanosecond)
	}
	if c.cfg.requestLimit != nil {
		waited, err := waitRequestRate(ctx, c.cfg.requestLimit, maxWait)
		if err != nil {
			c.logAttempt(ctx, req, st, nil, RateLimit{}, err)
			return nil, err
		}
		if st != nil {
			st.wait = waited
		}
		if maxWait > 0 {
			// At least a nanosecond: 0 would mean "wait as long as it takes".
			maxWait = max(maxWait-waited, time.Nanosecond)
		}
	}
	// The default budget is taken without a Release closure per attempt.
	mem, _ := c.budget.(*MemoryBudget)
	var mark uint64 // mem's release count when this attempt took its slot
	if mem != nil {
		waited, m, err := mem.acquire(ctx, maxWait)
		if err != nil {
			c.logAttempt(ctx, req, st, nil, RateLimit{}, err)
			return nil, err
		}
		mark = m
		if st != nil {
			st.wait += waited
		}
	} else if c.budget != nil {
		var err error
		if grant, err = c.budget.Acquire(ctx, maxWait); err != nil {
			c.logAttempt(ctx, req, st, nil, RateLimit{}, err)
			return nil, err
		}
		if st != nil {
			st.wait += grant.Waited
		}
	}
	if st != nil {
		st.sent++
	}
	// The key is set at send time, after every wait, so that a request
	// that waited for budget while the key rotated goes out with the new one.
	if auth := c.authorization(); req.Header.Get("Authorization") != auth {
		req.Header.Set("Authorization", auth)
	}
	resp, err := t.send(req)
	at := time.Now()
	var rl RateLimit
	if err == nil {
		var remainingOK bool
		rl, remainingOK = parseRateLimit(resp.Header, at)
		if resp.StatusCode != http.StatusTooManyRequests {
			// Only a 429 may hold requests back: a Retry-After on a 200 (or
			// a 5xx) must not freeze every goroutine.
			rl.RetryAfter = 0
		}
		if st != nil {
			st.rl, st.rlResp = rl, resp
		}
		if rl.Known() || rl.RetryAfter > 0 {
			if c.budget != nil {
				obs := rl
				if !remainingOK {
					// Without a readable Remaining the budget learns the
					// limit and window but cannot reconcile: taking the
					// missing value as 0 would hold every slot for a window,
					// so it is taken as "no one else is using the key".
					obs.Remaining = obs.Limit
				}
				switch {
				case !obs.Known() && obs.RetryAfter <= 0:
					// Nothing left to teach the budget.
				case mem != nil:
					mem.observe(obs, at, mark, true)
				default:
					c.budget.Observe(obs, at)
				}
			}
			if rl.Known() {
				c.setLast(rl)
			}
		}
	}
	if mem != nil {
		mem.release(at)
	} else if grant.Release != nil {
		grant.Release(at)
	}
	c.logAttempt(ctx, req, st, resp, rl, err)
	return resp, err
}

// send is the network part of an attempt, bounded by the caller's
// http.Client Timeout when it has one: until the response body is closed, as
// http.Client does it.
func (t *transport) send(req *http.Request) (*http.Response, error) {
	user := t.c.cfg.httpClient
	if user == nil || user.Timeout <= 0 {
		return checkedRoundTrip(t.base(), req)
	}
	ctx, cancel := context.WithTimeout(req.Context(), user.Timeout)
	resp, err := checkedRoundTrip(t.base(), req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose ends an attempt's timeout when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

// Close closes the body and releases the timeout.
func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// logAttempt writes the one record per attempt that WithLogger asks for.
// rl is what resp reported.
func (c *Client) logAttempt(ctx context.Context, req *http.Request, st *callState, resp *http.Response, rl RateLimit, err error) {
	l := c.cfg.logger
	if l == nil {
		return
	}
	level := slog.LevelDebug
	switch {
	case err != nil:
		level = slog.LevelWarn
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		level = slog.LevelWarn
	}
	if !l.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs, slog.String("method", req.Method), slog.String("path", c.scrub(req.URL.Path)))
	if st != nil {
		attrs = append(attrs, slog.Int("attempt", st.attempt), slog.Duration("wait", st.wait))
		attrs = st.class.logAttrs(attrs)
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if rl.Known() {
			attrs = append(attrs, slog.Int("remaining", rl.Remaining), slog.Int("limit", rl.Limit))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", c.scrub(err.Error())))
	}
	if c.cfg.logHeaders {
		attrs = append(attrs, slog.Any("request_headers", c.safeHeaders(req.Header)))
		if resp != nil {
			attrs = append(attrs, slog.Any("response_headers", c.safeHeaders(resp.Header)))
		}
	}
	l.LogAttrs(ctx, level, "restorehub request", attrs...)
}

// safeHeaders copies h for logging, with credentials removed.
func (c *Client) safeHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		switch http.CanonicalHeaderKey(k) {
		case "Authorization", "Cookie", "Set-Cookie", "Proxy-Authorization":
			out[k] = "[REDACTED]"
		default:
			if len(v) > 0 {
				out[k] = c.scrub(v[0])
			}
		}
	}
	return out
}
