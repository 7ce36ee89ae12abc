package restorehub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// decodeError turns a non-2xx response into the most precise error type;
// requestID is the response's, as Client.requestID reads it ("" for none).
// It never fails: a body that is not the documented {error, details}
// envelope still gives an *APIError whose Message describes it.
// The client's own keys are removed from the body first, in any form.
//
// A body longer than maxErrorBody is cut, and what the cut may have left of
// a key at its end is dropped; keys a server spelled with JSON escapes are
// removed from what they decode to (Message, Details and Body alike).
func (c *Client) decodeError(resp *http.Response, rec *callRecord, requestID string) error {
	raw, readErr := readCapped(resp.Body, maxErrorBody)
	raw = c.redactor.body(raw)
	err := buildError(resp.StatusCode, resp.Header, raw, c.redactor.error(readErr), rec.method, c.redactor.text(rec.path))
	if ms, ok := err.(*MissingScopeError); ok && ms.RequiredScope != "" && slices.Contains(rec.class.AcceptedScopes, ms.RequiredScope) {
		// The server named one scope; the operation table knows the
		// others that would do.
		ms.AlsoAccepted = append(ms.AlsoAccepted, rec.class.acceptedBesides(ms.RequiredScope)...)
	}
	if requestID != "" {
		var api *APIError
		if errors.As(err, &api) {
			api.RequestID = requestID
		}
	}
	return err
}

// envelopeFields are the documented error fields, each looked for at the
// top level first and then inside details (the docs show both).
type envelopeFields struct {
	message       string
	details       json.RawMessage
	requiredScope string
	yourScopes    []Scope
	upgradeURL    string
	retryAfter    time.Duration
	hasRetryAfter bool // retryAfter was given, possibly as 0
	limit         int
	window        time.Duration
	plan          string
	issues        []ValidationIssue
	ok            bool
}

// buildError is decodeError without the I/O, for tests and fuzzing.
func buildError(status int, h http.Header, raw []byte, readErr error, method, path string) error {
	raw = redactBytes(raw)
	raw = scrubJSON(raw, redact)
	now := time.Now()
	base := &APIError{
		StatusCode: status, Method: method, Path: path,
		RateLimit: ParseRateLimit(h, now), Body: raw,
	}
	f := parseEnvelope(raw)
	if f.ok {
		base.Message = f.message
		base.Details = f.details
	} else {
		base.Message = describeBody(h, raw, readErr)
	}

	switch status {
	case http.StatusForbidden:
		if f.requiredScope != "" {
			return &MissingScopeError{APIError: base, RequiredScope: Scope(f.requiredScope), YourScopes: f.yourScopes}
		}
		if f.upgradeURL != "" {
			return &UpgradeRequiredError{APIError: base, UpgradeURL: f.upgradeURL}
		}
	case http.StatusTooManyRequests:
		e := &RateLimitError{APIError: base, Limit: f.limit, Window: f.window, Plan: f.plan, UpgradeURL: f.upgradeURL}
		_, headerSaid := parseRetryAfter(h.Get("Retry-After"), now)
		switch {
		case headerSaid:
			// "Retry-After: 0" means now, not the default.
			e.RetryAfter = base.RateLimit.RetryAfter
		case f.hasRetryAfter:
			e.RetryAfter = f.retryAfter
		default:
			e.RetryAfter = defaultRetryAfter
		}
		if e.Limit == 0 {
			e.Limit = base.RateLimit.Limit
		}
		if e.Window == 0 {
			e.Window = base.RateLimit.Window
		}
		return e
	case http.StatusBadRequest:
		return &ValidationError{APIError: base, Issues: f.issues}
	}
	return base
}

// parseEnvelope decodes the documented fields leniently: a field of an
// unexpected type is skipped, not an error.
func parseEnvelope(raw []byte) envelopeFields {
	var f envelopeFields
	var top map[string]json.RawMessage
	if json.Unmarshal(raw, &top) != nil || top == nil {
		return f
	}
	msg, hasMsg := top["error"]
	if !hasMsg {
		return f
	}
	f.ok = true
	if !unmarshalString(msg, &f.message) {
		f.message = truncate(string(bytes.TrimSpace(msg)), 200)
	}
	var details map[string]json.RawMessage
	if d, ok := top["details"]; ok && string(d) != "null" {
		f.details = d
		_ = json.Unmarshal(d, &details)
	}
	lookup := func(name string) json.RawMessage {
		if v, ok := top[name]; ok && string(v) != "null" {
			return v
		}
		if v, ok := details[name]; ok && string(v) != "null" {
			return v
		}
		return nil
	}
	unmarshalString(lookup("requiredScope"), &f.requiredScope)
	unmarshalString(lookup("upgradeUrl"), &f.upgradeURL)
	unmarshalString(lookup("plan"), &f.plan)
	f.yourScopes = parseScopeList(lookup("yourScopes"))
	if n, ok := parseJSONNumber(lookup("retryAfter")); ok && n >= 0 && n <= maxRetryAfter.Seconds() {
		f.retryAfter = time.Duration(n * float64(time.Second))
		f.hasRetryAfter = true
	}
	if n, ok := parseJSONNumber(lookup("limit")); ok && n > 0 && n <= maxHeaderLimit {
		f.limit = int(n)
	}
	var w string
	if unmarshalString(lookup("window"), &w) {
		f.window, _ = parseWindow(w)
	} else if n, ok := parseJSONNumber(lookup("window")); ok && n > 0 && n < maxHeaderWindow.Seconds() {
		f.window = time.Duration(n * float64(time.Second))
	}
	f.issues = parseIssues(f.details, lookup("issues"))
	return f
}

func unmarshalString(raw json.RawMessage, dst *string) bool {
	if len(raw) == 0 || raw[0] != '"' {
		return false
	}
	return json.Unmarshal(raw, dst) == nil
}

func parseJSONNumber(raw json.RawMessage) (float64, bool) {
	if len(raw) == 0 {
		return 0, false
	}
	var n float64
	if json.Unmarshal(raw, &n) == nil {
		return n, n == n
	}
	var s string
	if unmarshalString(raw, &s) {
		if d, ok := parseRetryAfter(s, time.Time{}); ok {
			return d.Seconds(), true
		}
	}
	return 0, false
}

// parseScopeList accepts a JSON array of strings or a comma- or
// space-separated string.
func parseScopeList(raw json.RawMessage) []Scope {
	var list []string
	if json.Unmarshal(raw, &list) != nil {
		var s string
		if !unmarshalString(raw, &s) {
			return nil
		}
		list = strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
	}
	out := make([]Scope, 0, len(list))
	for _, s := range list {
		out = append(out, Scope(strings.TrimSpace(s)))
	}
	return out
}

// parseIssues finds a Zod-style issue list: details itself, details.issues,
// details.errors, or a top-level issues array.
func parseIssues(details, top json.RawMessage) []ValidationIssue {
	candidates := []json.RawMessage{details, top}
	var inner map[string]json.RawMessage
	if json.Unmarshal(details, &inner) == nil {
		candidates = append(candidates, inner["issues"], inner["errors"])
	}
	for _, c := range candidates {
		var items []json.RawMessage
		if len(c) == 0 || json.Unmarshal(c, &items) != nil {
			continue
		}
		var out []ValidationIssue
		for _, it := range items {
			var is ValidationIssue
			if json.Unmarshal(it, &is) == nil && (is.Message != "" || is.Code != "") {
				out = append(out, is)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

var htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>\s*(.*?)\s*</title>`)

// describeBody says what a body that is not the JSON envelope was.
func describeBody(h http.Header, raw []byte, readErr error) string {
	trimmed := bytes.TrimSpace(raw)
	ct, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	switch {
	case len(trimmed) == 0 && readErr != nil:
		return "the response body could not be read: " + redact(readErr.Error())
	case len(trimmed) == 0:
		return "empty response body"
	case ct == "text/html" || bytes.HasPrefix(trimmed, []byte("<")):
		if m := htmlTitle.FindSubmatch(trimmed); m != nil {
			return fmt.Sprintf("non-JSON response (an HTML page titled %q, likely from a proxy)", truncate(string(m[1]), 80))
		}
		return "non-JSON response (an HTML page, likely from a proxy)"
	case json.Valid(trimmed):
		return "JSON response without the documented \"error\" field: " + truncate(printable(trimmed), 120)
	case readErr != nil || trimmed[0] == '{' || trimmed[0] == '[':
		return "truncated or malformed JSON body: " + truncate(printable(trimmed), 120)
	}
	return "non-JSON response: " + truncate(printable(trimmed), 120)
}

// printable keeps a body excerpt on one line of plain text.
func printable(b []byte) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			return -1
		}
		return r
	}, string(b))
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
// WithMaxResponseBytes of it once decoded, with the client's own keys
// removed from it first (redactor.success). A body cut by the context (or
// the per-attempt timeout) is reported as that, matching
// context.DeadlineExceeded or context.Canceled, not as malformed.
func (c *Client) decodeBody(ctx context.Context, rec *callRecord, resp *http.Response, out any) error {
	limit := c.cfg.maxResponseBytes
	if limit <= 0 {
		limit = DefaultMaxResponseBytes
	}
	rec.body = cappedReader{r: resp.Body, n: limit} // in the record: no allocation of its own
	// The body is read whole before it is decoded, so that the client's
	// own keys, in whatever spelling a server echoed them, are removed
	// before any caller (typed, raw or an agent's model) can see them.
	var buf bytes.Buffer
	if n := resp.ContentLength; n > 0 && n <= limit {
		buf.Grow(int(n) + bytes.MinRead) // one allocation for a body of announced length
	}
	_, err := buf.ReadFrom(&rec.body)
	if err == nil {
		raw := c.redactor.success(buf.Bytes())
		// Unmarshal decodes in place; a body it refuses is decoded again as
		// a stream, which, as before, takes the first JSON value and
		// ignores what follows it, and reads an empty body as nothing.
		if err = json.Unmarshal(raw, out); err != nil {
			var syntax *json.SyntaxError
			if errors.As(err, &syntax) {
				err = json.NewDecoder(bytes.NewReader(raw)).Decode(out)
			}
		}
		if err == nil || errors.Is(err, io.EOF) {
			return nil
		}
	}
	where := fmt.Sprintf("restorehub: %s %s: %d response", rec.method, c.redactor.text(rec.path), resp.StatusCode)
	if errors.Is(err, ErrResponseTooLarge) {
		return &wrapError{
			msg:  fmt.Sprintf("%s: response body too large: more than %d bytes once decoded; raise WithMaxResponseBytes if it is expected", where, limit),
			errs: []error{ErrResponseTooLarge},
		}
	}
	if cerr := contextError(ctx, err); cerr != nil {
		return &wrapError{
			msg:  fmt.Sprintf("%s: reading the body: %s", where, c.redactor.errText(cerr.Error())),
			errs: []error{c.redactor.error(cerr), c.redactor.error(err)},
		}
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if !errors.Is(err, io.ErrUnexpectedEOF) && !errors.As(err, &syntax) && !errors.As(err, &typ) {
		// The body could not be read (the connection broke): not a
		// malformed body, a transport failure.
		return &wrapError{
			msg:  fmt.Sprintf("%s: reading the body: %s", where, c.redactor.errText(err.Error())),
			errs: []error{c.redactor.error(err)},
		}
	}
	return &wrapError{
		msg:  fmt.Sprintf("%s: malformed response body: %s", where, c.redactor.errText(err.Error())),
		errs: []error{ErrMalformedResponse, c.redactor.error(err)},
	}
}
