package restorehub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// DashboardAPIKeysURL is the dashboard page where API keys are minted and
// their scopes edited. The docs name the page by its path,
// /dashboard/api-keys, on the restorehub.net site; the host is assumed to be
// the site the docs are served from.
const DashboardAPIKeysURL = "https://restorehub.net/dashboard/api-keys"

// DefaultMaxResponseBytes is how much of a 2xx response body, once decoded
// (after transparent gzip), the client reads unless WithMaxResponseBytes
// says otherwise.
const DefaultMaxResponseBytes = 32 << 20

// ErrResponseTooLarge is wrapped by the error returned when a response body
// is larger, once decoded, than WithMaxResponseBytes allows (by default
// DefaultMaxResponseBytes). The rest of the body is not read.
var ErrResponseTooLarge = errors.New("restorehub: response body too large")

// ErrNilContext is returned, without sending anything, when a nil
// context.Context is passed to a method that takes one.
var ErrNilContext = errors.New("restorehub: nil context.Context; pass context.Background() or a request's context")

// ErrBadTransport is wrapped by the error returned when the HTTP transport
// (a caller's http.RoundTripper) breaks its contract, for example by
// returning neither a response nor an error.
var ErrBadTransport = errors.New("restorehub: the HTTP transport broke its contract")

// WithMaxResponseBytes bounds how much of a successful response body the
// client reads, counted after decoding (a gzip body is counted as it
// inflates). A larger body fails with an error wrapping ErrResponseTooLarge.
// The default is DefaultMaxResponseBytes; n must be positive.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("restorehub: WithMaxResponseBytes: need a positive size, got %d", n)
		}
		c.maxResponseBytes = n
		return nil
	}
}

// cappedReader reads at most n bytes from r and fails with
// ErrResponseTooLarge when r has more.
type cappedReader struct {
	r io.Reader
	n int64 // bytes still allowed
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		// One byte more tells a body of exactly the cap from a larger one.
		var one [1]byte
		if k, err := c.r.Read(one[:]); k > 0 {
			return 0, ErrResponseTooLarge
		} else if err != nil {
			return 0, err
		}
		return 0, nil
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	k, err := c.r.Read(p)
	c.n -= int64(k)
	return k, err
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

// waitRequestRate waits for the WithRequestRate limiter, but refuses at
// once, with a local *RateLimitError, a wait longer than maxWait (when
// maxWait > 0). It returns how long it waited.
func waitRequestRate(ctx context.Context, l *rate.Limiter, maxWait time.Duration) (time.Duration, error) {
	start := time.Now()
	r := l.Reserve()
	if !r.OK() {
		return 0, fmt.Errorf("restorehub: WithRequestRate: the limiter cannot grant a request")
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

// newLocalRateLimitError is the error for a wait the client refused: its
// *APIError is never nil, so its fields can be read without a check.
func newLocalRateLimitError(retryAfter time.Duration, limit int, window time.Duration) *RateLimitError {
	return &RateLimitError{
		APIError: &APIError{
			StatusCode: 0,
			Message:    "the wait for the rate budget is longer than the maximum wait; nothing was sent",
			Local:      true,
		},
		RetryAfter: retryAfter,
		Limit:      limit,
		Window:     window,
		Local:      true,
	}
}

// scrubJSON returns raw with every key, in any spelling JSON allows (such as
// \u escapes), removed from its strings: a key a server echoed with escapes
// is not in the bytes, but is in what they decode to. raw is returned as it
// is when it is not JSON or nothing in it decodes to a key; otherwise the
// scrubbed value is encoded again. scrub removes keys from one string.
func scrubJSON(raw []byte, scrub func(string) string) []byte {
	if !bytes.Contains(raw, []byte(`\`)) && !bytes.Contains(raw, []byte("%")) {
		return raw // without escapes, the bytes were already scrubbed as text
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return raw
	}
	v, changed := scrubValue(v, scrub)
	if !changed {
		return raw
	}
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if e.Encode(v) != nil {
		return []byte(`"[REDACTED]"`)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func scrubValue(v any, scrub func(string) string) (any, bool) {
	switch x := v.(type) {
	case string:
		s := scrub(x)
		return s, s != x
	case []any:
		changed := false
		for i, e := range x {
			var c bool
			x[i], c = scrubValue(e, scrub)
			changed = changed || c
		}
		return x, changed
	case map[string]any:
		changed := false
		out := make(map[string]any, len(x))
		for k, e := range x {
			sk := scrub(k)
			se, c := scrubValue(e, scrub)
			changed = changed || c || sk != k
			out[sk] = se
		}
		return out, changed
	}
	return v, false
}

// dropCutTail removes what a cut at a size cap may have left of a key at
// the end of b: the trailing run of base62 characters (a key's body) and an
// "rh_" before it, or a trailing "rh", "r" that a key's prefix may have
// been cut to. Text is removed, never added, so the result stays safe.
func dropCutTail(b []byte) []byte {
	i := len(b)
	for i > 0 && isBase62(b[i-1]) {
		i--
	}
	if i >= 1 && b[i-1] == '_' && bytes.HasSuffix(b[:i], []byte("rh_")) {
		i -= len("rh_")
	}
	if i == len(b) {
		return b
	}
	return b[:i]
}

// readCapped reads at most max bytes of r, reporting whether r had more, and
// drops a trailing partial key when it did.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, max+1))
	if int64(len(raw)) > max {
		raw = dropCutTail(raw[:max])
	}
	return raw, err
}

// contextError returns the error of ctx when ctx has ended and err is what
// ending it caused (a read cut by a deadline), else nil.
func contextError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// decodeBody decodes a 2xx body into out, reading at most
// WithMaxResponseBytes of it once decoded. A body cut by the context (or
// the per-attempt timeout) is reported as that, matching
// context.DeadlineExceeded or context.Canceled, not as malformed.
func (c *Client) decodeBody(ctx context.Context, st *callState, resp *http.Response, out any) error {
	limit := c.cfg.maxResponseBytes
	if limit <= 0 {
		limit = DefaultMaxResponseBytes
	}
	err := json.NewDecoder(&cappedReader{r: resp.Body, n: limit}).Decode(out)
	if err == nil || errors.Is(err, io.EOF) {
		return nil
	}
	where := fmt.Sprintf("restorehub: %s %s: %d response", st.method, c.scrub(st.path), resp.StatusCode)
	switch {
	case errors.Is(err, ErrResponseTooLarge):
		return &wrapError{
			msg:  fmt.Sprintf("%s: response body too large: more than %d bytes once decoded; raise WithMaxResponseBytes if it is expected", where, limit),
			errs: []error{ErrResponseTooLarge},
		}
	case contextError(ctx, err) != nil:
		cerr := contextError(ctx, err)
		return &wrapError{
			msg:  fmt.Sprintf("%s: reading the body: %s", where, c.scrub(cerr.Error())),
			errs: []error{cerr, err},
		}
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if !errors.Is(err, io.ErrUnexpectedEOF) && !errors.As(err, &syntax) && !errors.As(err, &typ) {
		// The body could not be read (the connection broke): not a
		// malformed body, a transport failure.
		return &wrapError{
			msg:  fmt.Sprintf("%s: reading the body: %s", where, c.scrub(err.Error())),
			errs: []error{err},
		}
	}
	return &wrapError{
		msg:  fmt.Sprintf("%s: malformed response body: %s", where, c.scrub(err.Error())),
		errs: []error{ErrMalformedResponse, err},
	}
}

// wrapError is an error whose text is written in full by the client (one
// "restorehub: " prefix, keys scrubbed) and that still matches the errors it
// wraps with errors.Is and errors.As.
type wrapError struct {
	msg  string
	errs []error
}

func (e *wrapError) Error() string   { return e.msg }
func (e *wrapError) Unwrap() []error { return e.errs }

// localized makes a local *RateLimitError name the request it refused and
// carry a non-nil *APIError, whatever Budget produced it.
func localized(rle *RateLimitError, st *callState) *RateLimitError {
	cp := *rle // the Budget's error is not changed in place
	if cp.APIError == nil {
		cp.APIError = newLocalRateLimitError(rle.RetryAfter, rle.Limit, rle.Window).APIError
	} else {
		api := *cp.APIError
		api.Local = api.Local || cp.Local
		cp.APIError = &api
	}
	rle = &cp
	if rle.APIError.Method == "" && st != nil {
		rle.APIError.Method, rle.APIError.Path = st.method, st.path
	}
	return rle
}

// markLocal sets Local on the *APIError inside a refusal made before
// sending (WithScopes), so that every local error says so at every level.
func markLocal(err error) error {
	var mse *MissingScopeError
	if errors.As(err, &mse) && mse.Local {
		if mse.APIError == nil {
			mse.APIError = &APIError{}
		}
		mse.APIError.Local = true
	}
	return err
}

// scrubEncoded is scrub for text that may spell a key percent-encoded (a
// Location, a query echoed back): when the decoded text carries a key, the
// decoded text is returned scrubbed; otherwise s scrubbed.
func (c *Client) scrubEncoded(s string) string {
	s = c.scrub(s)
	if !strings.Contains(s, "%") {
		return s
	}
	u, err := url.PathUnescape(s)
	if err != nil {
		u, err = url.QueryUnescape(s)
	}
	if err != nil || u == s {
		return s
	}
	if clean := c.scrub(u); clean != u {
		return clean
	}
	return s
}
