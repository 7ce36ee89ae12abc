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
)

// defaultRetryAfter is the wait after a 429 that names none, as the docs' sample does.
const defaultRetryAfter = 10 * time.Second

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 64 << 10

// checkRetry decides whether an attempt is retried. It judges the request
// the caller made, as Do classified it (callState.class). The rules:
//   - a 429 is retried after its Retry-After (the request was not acted on),
//     unless that wait exceeds WithMaxWait;
//   - a request that provably never left (the dial failed) is retried;
//   - 500, 502, 503 and other network errors are retried only for an
//     idempotent request that is not destructive (Class.Idempotent and not
//     Class.Destructive), since the server may have acted;
//   - once the request the caller made was answered with a redirect, it was
//     received: a 429 or a failed dial on the way to the redirect's target
//     says nothing about it, so only such an idempotent request is resent;
//   - a redirect checkRedirect refused is not retried: it would be refused
//     again.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	st := stateOf(ctx)
	if st == nil {
		return false, err
	}
	resendable := st.class.Idempotent && !st.class.Destructive
	if err != nil {
		var rle *RateLimitError
		if errors.As(err, &rle) {
			return false, err // the budget refused to wait; nothing was sent
		}
		if errors.Is(err, ErrCrossHostRedirect) || errors.Is(err, ErrInsecureRedirect) || errors.Is(err, ErrRedirectChangesOperation) {
			return false, nil // refused here; it would be refused again
		}
		if st.gotRedirect {
			return resendable, nil
		}
		if neverSent(err) {
			return true, nil
		}
		return resendable, nil
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		wait := c.retryAfterOf(resp)
		st.retryAfter = wait
		if mw := c.maxWaitFor(ctx); mw > 0 && wait > mw {
			return false, nil
		}
		if st.gotRedirect {
			return resendable, nil
		}
		return true, nil
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable:
		return resendable, nil
	}
	return false, nil
}

// retryAfterOf reads a 429's wait: the Retry-After header, else the body's
// retryAfter, else 10 seconds. It leaves the body readable.
func (c *Client) retryAfterOf(resp *http.Response) time.Duration {
	now := time.Now()
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
				if c.budget != nil && d > 0 {
					c.budget.Observe(RateLimit{RetryAfter: d}, now)
				}
				return d
			}
		}
	}
	if c.budget != nil {
		c.budget.Observe(RateLimit{RetryAfter: defaultRetryAfter}, now)
	}
	return defaultRetryAfter
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

// backoff returns the wait before retry number attempt+1: a 429's
// Retry-After plus 10–25% jitter, or capped exponential backoff with jitter.
// With WithMaxWait the jittered wait never exceeds the maximum: checkRetry
// has already refused a Retry-After longer than it, so the cap never cuts a
// wait below what the server asked for.
func (c *Client) backoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	var d time.Duration
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
		wait := defaultRetryAfter
		if resp.Request != nil {
			if st := stateOf(resp.Request.Context()); st != nil {
				// checkRetry stored the 429's wait, the 10s default included:
				// a Retry-After of 0 means now, not the default.
				wait = st.retryAfter
			}
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
	if resp != nil && resp.Request != nil {
		mw = c.maxWaitFor(resp.Request.Context())
	}
	if mw > 0 && d > mw {
		d = mw
	}
	return d
}
