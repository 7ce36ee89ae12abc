package restorehub

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
)

// This file holds every rule that keeps an API key out of what the client
// returns or logs. Two layers:
//   - the package functions redact and redactBytes remove anything that
//     looks like a Restore Hub key ("rh_" and base62), whoever's it is;
//   - a redactor also removes the client's own keys where a server echoed
//     them without their "rh_" prefix, or spelled them percent-encoded or
//     with JSON escapes, which no pattern can tell from other text.

// keyPattern finds anything that looks like a Restore Hub key in text a
// server or a transport produced, so that even an echoed key is redacted.
var keyPattern = regexp.MustCompile(`rh_[0-9A-Za-z]{6,}`)

// redactedKey replaces every key in logs, errors and formatted values.
const redactedKey = "rh_[REDACTED]"

// redactedBody replaces the client's own key where a server echoed it
// without its "rh_" prefix.
const redactedBody = "[REDACTED]"

// redact removes anything that looks like an API key from s.
func redact(s string) string {
	if !strings.Contains(s, "rh_") {
		return s
	}
	return keyPattern.ReplaceAllLiteralString(s, redactedKey)
}

// redactBytes removes anything that looks like an API key from b, returning
// b itself when it has none.
func redactBytes(b []byte) []byte {
	if !bytes.Contains(b, []byte("rh_")) {
		return b
	}
	return keyPattern.ReplaceAllLiteral(b, []byte(redactedKey))
}

// redactor removes a client's API keys, in every spelling the client can
// recognise, from text, bytes, headers and JSON. It owns the list of the
// client's keys: every key the client has sent, rotated-out ones included,
// since a retry under way or a server's cache may still echo one. The zero
// redactor knows no keys and applies the pattern rules only.
type redactor struct {
	mu   sync.Mutex               // serialises addKey, so that concurrent rotations lose no key
	keys atomic.Pointer[[]string] // the part after "rh_" of every key; replaced only under mu
}

// addKey adds key to the keys removed. It is called before the key can be
// sent, so that neither a concurrent rotation nor an echo of the new key can
// find it missing.
func (r *redactor) addKey(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var bodies []string
	if old := r.keys.Load(); old != nil {
		bodies = append(bodies, *old...)
	}
	body := strings.TrimPrefix(key, "rh_")
	for _, b := range bodies {
		if b == body {
			return
		}
	}
	bodies = append(bodies, body)
	r.keys.Store(&bodies)
}

// own returns the bodies of the client's keys.
func (r *redactor) own() []string {
	if p := r.keys.Load(); p != nil {
		return *p
	}
	return nil
}

// hasKey reports whether s contains one of the client's keys, even without
// its "rh_" prefix.
func (r *redactor) hasKey(s string) bool {
	for _, body := range r.own() {
		if strings.Contains(s, body) {
			return true
		}
	}
	return false
}

// text removes keys from s: anything that looks like a key, and the
// client's own keys without their prefix.
func (r *redactor) text(s string) string {
	s = redact(s)
	for _, body := range r.own() {
		s = strings.ReplaceAll(s, body, redactedBody)
	}
	return s
}

// bytes is text for a response body; it returns b itself when there is
// nothing to remove.
func (r *redactor) bytes(b []byte) []byte {
	b = redactBytes(b)
	for _, body := range r.own() {
		if bytes.Contains(b, []byte(body)) {
			b = bytes.ReplaceAll(b, []byte(body), []byte(redactedBody))
		}
	}
	return b
}

// encoded is text for a value that may spell a key percent-encoded (a
// Location, a query echoed back): when the decoded value carries a key, the
// decoded value is returned with it removed; otherwise s with keys removed.
func (r *redactor) encoded(s string) string {
	s = r.text(s)
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
	if clean := r.text(u); clean != u {
		return clean
	}
	return s
}

// body removes keys from a response body in every spelling: as text, and in
// the strings its JSON decodes to (a key a server spelled with \u escapes
// or percent-encoded).
func (r *redactor) body(raw []byte) []byte {
	return scrubJSON(r.bytes(raw), r.encoded)
}

// header removes keys from h's values in place, so that a server that
// echoes the key (in a Set-Cookie, WWW-Authenticate or debug header, with or
// without its "rh_" prefix) cannot make a Response carry it into the
// caller's logs.
func (r *redactor) header(h http.Header) {
	for _, vs := range h {
		for i, v := range vs {
			if strings.Contains(v, "rh_") || strings.Contains(v, "%") || r.hasKey(v) {
				vs[i] = r.encoded(v)
			}
		}
	}
}

// headersForLog copies h for a log record: credentials (Authorization,
// Cookie, Set-Cookie, Proxy-Authorization) replaced, keys removed from the
// first value of every other header.
func (r *redactor) headersForLog(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		switch http.CanonicalHeaderKey(k) {
		case "Authorization", "Cookie", "Set-Cookie", "Proxy-Authorization":
			out[k] = "[REDACTED]"
		default:
			if len(v) > 0 {
				out[k] = r.text(v[0])
			}
		}
	}
	return out
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

// scrubValue applies scrub to every string of a decoded JSON value, keys of
// objects included, and reports whether anything changed.
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

// redactedError wraps an error so that its text cannot carry a key, while
// errors.Is and errors.As still reach the original. It also drops the
// "restorehub: " prefix of errors the client made itself deeper down, since
// the text that wraps it starts with one already.
type redactedError struct {
	err   error
	scrub func(string) string
}

func (e redactedError) Error() string {
	return e.scrub(strings.ReplaceAll(e.err.Error(), "restorehub: ", ""))
}
func (e redactedError) Unwrap() error { return e.err }
