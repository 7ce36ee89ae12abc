package restorehub

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// testRedactor knows the test key.
func testRedactor() *redactor {
	r := &redactor{}
	r.addKey(testKey)
	return r
}

// escapeEach spells every character of s as esc does.
func escapeEach(s string, esc func(c byte) string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteString(esc(s[i]))
	}
	return b.String()
}

// TestTextFindsSpelledKey checks that text removes the key, and its part
// after "rh_", in each spelling a transport error, a log or a format can
// give it: split by each control character and quoted by Go, quoted twice,
// JSON- and percent-escaped, interleaved with escaped quotes and octal
// escapes, spelled entirely with escapes.
func TestTextFindsSpelledKey(t *testing.T) {
	r := testRedactor()
	body := testKey[len("rh_"):]
	var cases []struct{ name, s string }
	add := func(name, s string) { cases = append(cases, struct{ name, s string }{name, s}) }
	for _, key := range []string{testKey, body} {
		for c := 0; c <= 0x7f; c++ {
			if c >= 0x20 && c < 0x7f {
				continue
			}
			split := key[:10] + string(rune(c)) + key[10:]
			add(fmt.Sprintf("raw %#02x", c), "X-Echo: "+split)
			add(fmt.Sprintf("%%q %#02x", c), fmt.Sprintf("malformed MIME header line: %q", "X-Echo: "+split))
			add(fmt.Sprintf("%%q twice %#02x", c), strconv.Quote(fmt.Sprintf("line: %q", split)))
			add(fmt.Sprintf("%%#v %#02x", c), fmt.Sprintf("%#v", textproto.ProtocolError("line: "+strconv.Quote(split))))
			j, _ := json.Marshal(split)
			add(fmt.Sprintf("JSON %#02x", c), string(j))
			add(fmt.Sprintf("percent %#02x", c), url.QueryEscape(split))
		}
		add("every other char split", escapeEach(key, func(c byte) string { return string(c) + "\x01" }))
		add("\\u0001", strings.Join(strings.SplitAfter(key, "5"), `\u0001`))
		add("\\U00000001", key[:7]+`\U00000001`+key[7:])
		add("octal", key[:12]+`\001`+key[12:])
		add("escaped quote", key[:12]+`\"`+key[12:])
		add("escaped backslash", key[:12]+`\\`+key[12:])
		add("QuoteToASCII with a line separator", strconv.QuoteToASCII(key[:9]+"\u2028"+key[9:]))
		add("QuoteToASCII with a non-ASCII letter", strconv.QuoteToASCII(key[:9]+"é"+key[9:]))
		add("invalid UTF-8", key[:9]+"\xff"+key[9:])
		add("all \\x escapes", escapeEach(key, func(c byte) string { return fmt.Sprintf(`\x%02x`, c) }))
		add("all \\u escapes", escapeEach(key, func(c byte) string { return fmt.Sprintf(`\u%04X`, c) }))
		add("all percent escapes", escapeEach(key, func(c byte) string { return fmt.Sprintf(`%%%02X`, c) }))
		add("after a backslash", `C:\`+key)
	}
	for _, tc := range cases {
		got := r.text(tc.s)
		if f := leakIn(got); f != "" {
			t.Errorf("%s: text(%q) = %q still holds %q", tc.name, tc.s, got, f)
		}
		if f := leakIn(r.errText(tc.s)); f != "" {
			t.Errorf("%s: errText(%q) still holds %q", tc.name, tc.s, f)
		}
	}
}

// TestErrTextDropsKeyFragments checks that errText drops what a broken
// line or a cut leaves of a key (a run of at least minKeyFragment of its
// characters), and that text, which needs the whole key, does not.
func TestErrTextDropsKeyFragments(t *testing.T) {
	r := testRedactor()
	body := testKey[len("rh_"):]
	cases := []struct{ name, s string }{
		{"second half on a line of its own", fmt.Sprintf("malformed MIME header line: %q", body[17:])},
		{"cut with an ellipsis", "X-Echo: " + truncate(testKey, 20)},
		{"cut inside quotes", strconv.Quote("X-Echo: " + testKey[:3+minKeyFragment])},
		{"cut and escaped", strconv.Quote(body[:5] + "\x01" + body[5:12])},
		{"middle", "token " + body[9:25] + " refused"},
	}
	for _, tc := range cases {
		got := r.errText(tc.s)
		for i := 0; i+minKeyFragment <= len(body); i++ {
			if strings.Contains(got, body[i:i+minKeyFragment]) {
				t.Errorf("%s: errText(%q) = %q holds %q", tc.name, tc.s, got, body[i:i+minKeyFragment])
				break
			}
		}
		if !strings.Contains(got, redactedBody) {
			t.Errorf("%s: errText(%q) = %q says nothing was removed", tc.name, tc.s, got)
		}
	}
	if s := "token " + body[9:25] + " refused"; r.text(s) != s {
		t.Errorf("text removed a fragment: %q", r.text(s))
	}
}

// TestSpelledKeepsOtherText checks that the rule removes nothing from text
// that holds no key, whatever escapes and control characters it holds.
func TestSpelledKeepsOtherText(t *testing.T) {
	r := testRedactor()
	for _, s := range []string{
		`malformed MIME header line: "X-Other: \x01abc\tdef"`,
		`C:\new\table\0123\x41`,
		"/api/v1/servers/srv_1%2Fx/members?q=%E2%82%AC",
		"caf\u00e9 \u2028 \xff\x00\x7f",
		`{"error":"Bad \"thing\"\n","details":"\u0001"}`,
		"0123456\x01xyzw", // seven of the key's characters: shorter than a fragment
		strings.Repeat(`\`, 40),
	} {
		if got := r.text(s); got != s {
			t.Errorf("text(%q) = %q", s, got)
		}
		if got := r.errText(s); got != s {
			t.Errorf("errText(%q) = %q", s, got)
		}
	}
}

// TestRedactorErrorChain checks that error gives back a chain with no key
// reachable by errors.Unwrap, whose *url.Error and textproto.ProtocolError
// keep their types, whose clean errors are the originals (errors.Is of a
// context's error still matches), and that an error without a key is
// returned as it is.
func TestRedactorErrorChain(t *testing.T) {
	r := testRedactor()
	quoted := textproto.ProtocolError(fmt.Sprintf("malformed MIME header line: %q", "X-Echo: "+splitKey(20, 1)))
	op := &net.OpError{Op: "read", Net: "tcp", Err: fmt.Errorf("peer said %q: %w", splitKey(9, '\t'), context.DeadlineExceeded)}
	orig := &url.Error{Op: "Get", URL: "http://127.0.0.1/api/v1/account", Err: errors.Join(quoted, op)}
	got := r.error(orig)
	if got == error(orig) {
		t.Fatal("error returned the original chain, which holds the key")
	}
	for _, tx := range errorTexts("chain", got) {
		if f := leakIn(tx.text); f != "" {
			t.Errorf("%s holds %q: %q", tx.where, f, tx.text)
		}
	}
	var ue *url.Error
	if !errors.As(got, &ue) || ue.Op != "Get" {
		t.Errorf("errors.As *url.Error: %v", got)
	}
	var pe textproto.ProtocolError
	if !errors.As(got, &pe) || !strings.HasPrefix(string(pe), "malformed MIME header line") {
		t.Errorf("errors.As textproto.ProtocolError: %v", got)
	}
	var ne *net.OpError
	if !errors.As(got, &ne) || ne.Op != "read" {
		t.Errorf("errors.As *net.OpError: %v", got)
	}
	if !errors.Is(got, context.DeadlineExceeded) {
		t.Errorf("errors.Is DeadlineExceeded lost: %v", got)
	}
	clean := fmt.Errorf("dial: %w", context.Canceled)
	if r.error(clean) != clean {
		t.Error("an error without a key was replaced")
	}
}

// FuzzRedactorSpelling embeds the key, split by noise (control and
// non-ASCII characters) at a position, into a text, spells the whole the
// ways an error or a log can (raw, %q, QuoteToASCII, quoted twice, JSON,
// %#v of a ProtocolError, percent-encoded), and checks that text leaves
// neither the key nor its part after "rh_", and that errText leaves no
// minKeyFragment characters of it.
func FuzzRedactorSpelling(f *testing.F) {
	f.Add("malformed MIME header line: X-Echo: ", "\x01", 20, "", uint8(1))
	f.Add("", "\t", 3, "\r\n", uint8(0))
	f.Add("C:\\", "\x00\x7f", 10, "…", uint8(3))
	f.Add("Location: /a?k=", "é", 30, "\"", uint8(2))
	f.Add("\\\\", "\u2028", 5, "%", uint8(4))
	f.Add("x", "\x1b[0m", 15, "", uint8(5))
	f.Add("%", "\xff", 25, "\\", uint8(6))
	r := testRedactor()
	body := testKey[len("rh_"):]
	f.Fuzz(func(t *testing.T, prefix, sep string, at int, suffix string, mode uint8) {
		noise := []byte(sep)
		for i, c := range noise {
			if c >= 0x20 && c < 0x7f {
				noise[i] = c & 0x1f
			}
		}
		if at < 0 {
			at = -at
		}
		at %= len(testKey) + 1
		s := prefix + testKey[:at] + string(noise) + testKey[at:] + suffix
		switch mode % 7 {
		case 1:
			s = fmt.Sprintf("line: %q", s)
		case 2:
			s = strconv.QuoteToASCII(s)
		case 3:
			s = strconv.Quote(strconv.Quote(s))
		case 4:
			j, _ := json.Marshal(s)
			s = string(j)
		case 5:
			s = fmt.Sprintf("%#v", textproto.ProtocolError(strconv.Quote(s)))
		case 6:
			s = url.QueryEscape(s)
		}
		got := r.text(s)
		if strings.Contains(got, testKey) || strings.Contains(got, body) {
			t.Fatalf("text(%q) = %q holds the key", s, got)
		}
		got = r.errText(s)
		for i := 0; i+minKeyFragment <= len(body); i++ {
			if strings.Contains(got, body[i:i+minKeyFragment]) {
				t.Fatalf("errText(%q) = %q holds %q", s, got, body[i:i+minKeyFragment])
			}
		}
	})
}
