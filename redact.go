package restorehub

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
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
	mu   sync.Mutex              // serialises addKey, so that concurrent rotations lose no key
	keys atomic.Pointer[ownKeys] // replaced only under mu
}

// ownKeys is the part after "rh_" of every key of a client, as strings and
// as bytes, so that scanning every 2xx body (success) converts nothing per
// call. One pointer holds both, so that they always list the same keys.
type ownKeys struct {
	text []string
	raw  [][]byte
}

// addKey adds key to the keys removed. It is called before the key can be
// sent, so that neither a concurrent rotation nor an echo of the new key can
// find it missing.
func (r *redactor) addKey(key string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.own()
	body := strings.TrimPrefix(key, "rh_")
	if slices.Contains(old, body) {
		return
	}
	next := &ownKeys{text: append(slices.Clip(old), body)}
	next.raw = make([][]byte, len(next.text))
	for i, b := range next.text {
		next.raw[i] = []byte(b)
	}
	r.keys.Store(next)
}

// own returns the bodies of the client's keys.
func (r *redactor) own() []string {
	if p := r.keys.Load(); p != nil {
		return p.text
	}
	return nil
}

// ownBytes returns the bodies of the client's keys as bytes (own's).
func (r *redactor) ownBytes() [][]byte {
	if p := r.keys.Load(); p != nil {
		return p.raw
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
// client's own keys without their prefix, in any spelling: plain, or
// with escapes and control characters interleaved (see spelled).
//
// The client's own keys are removed before the pattern runs: the pattern
// would otherwise cut an own key where a control character splits it and
// leave its second part unrecognised.
func (r *redactor) text(s string) string {
	s = r.ownText(s)
	if mayHideKey(s) {
		s = r.spelled(s, false)
	}
	return redact(s)
}

// errText is text for the text of an error or of a failure an observer is
// told about: it also removes every run of at least minKeyFragment
// characters of the client's keys, in any spelling, since a transport error
// may quote a part of a line a server broke or cut.
func (r *redactor) errText(s string) string {
	if len(r.own()) == 0 {
		return r.text(s)
	}
	return redact(r.spelled(r.ownText(s), true))
}

// bytes is text for a response body; it returns b itself when there is
// nothing to remove.
// Like text, it removes the client's own keys, in any spelling, before the
// pattern runs.
func (r *redactor) bytes(b []byte) []byte {
	b = r.ownRaw(b)
	if len(r.own()) > 0 {
		if s := string(b); mayHideKey(s) {
			if t := r.spelled(s, false); t != s {
				b = []byte(t)
			}
		}
	}
	return redactBytes(b)
}

// encoded is text for a value that may spell a key percent-encoded (a
// Location, a query echoed back): when the decoded value carries a key, the
// decoded value is returned with it removed; otherwise s with keys removed.
func (r *redactor) encoded(s string) string { return r.unescaped(s, r.text) }

// unescaped applies clean to s and, when s is percent-encoded, to what it
// decodes to, returning the decoded value cleaned when that removed a key.
func (r *redactor) unescaped(s string, clean func(string) string) string {
	s = clean(s)
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
	if c := clean(u); c != u {
		return c
	}
	return s
}

// ownText removes only the client's own keys from s, with or without their
// "rh_" prefix, and leaves any other key alone.
func (r *redactor) ownText(s string) string {
	for _, body := range r.own() {
		s = strings.ReplaceAll(s, body, redactedBody)
	}
	return s
}

// ownRaw is ownText for bytes; it returns b itself when it holds no key.
func (r *redactor) ownRaw(b []byte) []byte {
	for _, body := range r.ownBytes() {
		if bytes.Contains(b, body) {
			b = bytes.ReplaceAll(b, body, []byte(redactedBody))
		}
	}
	return b
}

// success removes the client's own keys from a 2xx body in every spelling
// (raw, without "rh_", JSON \u-escaped, percent-encoded), and leaves other
// keys alone: a body that creates a key must still carry the new one to its
// caller. It returns raw itself when there is nothing to remove; the JSON
// is decoded and encoded again only when it holds an escape that could
// spell a key's character.
func (r *redactor) success(raw []byte) []byte {
	if len(r.own()) == 0 {
		return raw
	}
	raw = r.ownRaw(raw)
	if !mayEscapeKey(raw) {
		return raw
	}
	return scrubJSON(raw, func(s string) string { return r.unescaped(s, r.ownText) })
}

// mayEscapeKey reports whether b holds a JSON \u escape or a percent
// escape of a character a key can hold (a letter, a digit or "_"): only
// then can a key be in b without being in its bytes.
func mayEscapeKey(b []byte) bool {
	for i := 0; i < len(b); i++ {
		var hex []byte
		switch {
		case b[i] == '%' && i+2 < len(b):
			hex = b[i+1 : i+3]
		case b[i] == '\\' && i+5 < len(b) && b[i+1] == 'u' && b[i+2] == '0' && b[i+3] == '0':
			hex = b[i+4 : i+6]
		case b[i] == '\\' && i+1 < len(b):
			i++ // an escaped character: never the start of another escape
			continue
		default:
			continue
		}
		hi, lo := unhex(hex[0]), unhex(hex[1])
		if hi < 0 || lo < 0 {
			continue
		}
		if c := byte(hi<<4 | lo); isBase62(c) || c == '_' {
			return true
		}
	}
	return false
}

// unhex is the value of a hex digit, or -1.
func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
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
			if strings.Contains(v, "rh_") || mayHideKey(v) || r.hasKey(v) {
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
// errors.Is and errors.As still reach what it wraps (which the client makes
// with redactor.error, so that no key is reachable there). It also drops the
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
