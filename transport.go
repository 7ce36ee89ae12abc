package restorehub

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// newRetryClient wires go-retryablehttp over the client's transport, so that
// every attempt, retries included, goes through the attempt path
// (attempt.go). Its hooks hold no policy of their own: CheckRetry is
// shouldRetry, Backoff is retryWait, and the credentials are set per attempt
// by the transport.
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
		CheckRetry:   c.checkRetryHook,
		Backoff:      c.backoffHook,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

// checkRetryHook is go-retryablehttp's CheckRetry: shouldRetry for the
// call's record.
func (c *Client) checkRetryHook(ctx context.Context, resp *http.Response, err error) (bool, error) {
	rec := recordOf(ctx)
	if rec == nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return false, ctxErr
		}
		return false, err
	}
	retry, reason, stop := c.shouldRetry(ctx, rec, resp, err)
	if c.obs != nil {
		c.obs.retry(ctx, RetryDecision{Attempt: rec.attempts, Retry: retry, Reason: string(reason)})
		if retry && rec.attempts <= c.cfg.maxRetries {
			// go-retryablehttp waits next (Backoff): the wait is reported
			// once over, at the next attempt or at the call's end. It is
			// noted here, not in backoffHook, which gets no response (so
			// no record) after a network error.
			rec.pending = pendingWait{cause: WaitBackoff, start: time.Now()}
			if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
				rec.pending.cause = WaitRetryAfter
			}
		}
	}
	return retry, stop
}

// backoffHook is go-retryablehttp's Backoff: retryWait for the call's record.
func (c *Client) backoffHook(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	var rec *callRecord
	if resp != nil && resp.Request != nil {
		rec = recordOf(resp.Request.Context())
	}
	return c.retryWait(rec, lo, hi, attempt, resp)
}

// transport sends each attempt through the attempt path.
type transport struct{ c *Client }

// base is the transport that reaches the network: the caller's, else the
// client's default pool.
func (t *transport) base() http.RoundTripper {
	if user := t.c.cfg.httpClient; user != nil && user.Transport != nil {
		return user.Transport
	}
	return defaultTransport()
}

// RoundTrip sends one attempt (Client.attempt).
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.c.attempt(t, req)
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

// checkedRoundTrip calls rt and turns a broken contract into an error or a
// well-formed response: (nil, nil) is an error wrapping ErrBadTransport, a
// nil Body becomes http.NoBody, a nil Header an empty one, and a missing
// Request is set to req, so that nothing downstream can panic on them.
func checkedRoundTrip(rt http.RoundTripper, req *http.Request) (*http.Response, error) {
	resp, err := rt.RoundTrip(req)
	if err != nil {
		if resp != nil && resp.Body != nil {
			resp.Body.Close()
		}
		return nil, err
	}
	if resp == nil {
		return nil, fmt.Errorf("%w: %T returned a nil *http.Response and a nil error", ErrBadTransport, rt)
	}
	if resp.Body == nil {
		resp.Body = http.NoBody
	}
	if resp.Header == nil {
		resp.Header = make(http.Header)
	}
	if resp.Request == nil {
		resp.Request = req
	}
	return resp, nil
}
