package restorehub

import (
	"sort"
	"strings"
)

// This file is the redactor's rule for keys a plain search cannot see: a
// key spelled with escapes or interleaved with characters that are not
// text. A hostile server can make net/http quote what it sent in an error
// (a malformed header line, status line or Location is quoted with %q), and
// a key split there by a control character reaches the error as, say,
// 0123\x01456…; logs and formats may quote it again (0123\\x01456…). The
// rule reads s as its "skeleton": the characters that remain when every
// escape is decoded and every character that is not printable ASCII (a
// control character, a non-ASCII byte or rune, an escaped quote or
// backslash) is dropped. A key found in the skeleton is removed from s with
// everything spelled between its first and last character.
//
// The escapes decoded are those of Go (strconv.Quote, QuoteToASCII, %q and
// %#v), C and JSON: \xHH, \uHHHH, \UHHHHHHHH, three-digit octal, \a \b \f
// \n \r \t \v, an escaped quote, slash or backslash, any run of backslashes
// before them (a text quoted twice), and percent-encoding (%HH). An escape
// of a letter, digit or "_" stands for that character, so a key spelled
// entirely with escapes is found as well.

// minKeyFragment is the shortest run of a key's characters that an error's
// text may not carry: a transport error may quote a line a server cut (a
// header line broken by a line feed leaves the key's second half on a line
// of its own), and a truncation may cut a key. The existing rule for bodies
// cut at their cap drops the cut tail (dropCutTail); errors drop any run
// this long.
const minKeyFragment = 8

// mayHideKey reports whether s holds a byte that can hide a key from a
// plain search: a backslash, a percent sign, a control character or a
// non-ASCII byte. It runs on every text the redactor cleans, so it looks
// for the two escape characters with strings.IndexByte and for the rest
// eight bytes at a time.
func mayHideKey(s string) bool {
	if strings.IndexByte(s, '\\') >= 0 || strings.IndexByte(s, '%') >= 0 {
		return true
	}
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		// A byte below 0x20 borrows (x-0x20…) with its high bit clear; a
		// byte of 0x7f or more sets a high bit in x+0x01… or in x. Either
		// may also flag a neighbour, which only sends s the slow way.
		if ((x-0x20*ones)&^x|(x+ones)|x)&highs != 0 {
			return true
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return true
		}
	}
	return false
}

// isKeyChar reports whether c can be part of a key: base62 or "_".
func isKeyChar(c rune) bool { return c < 0x80 && (isBase62(byte(c)) || c == '_') }

// skeleton is s read as a key would be found in it: chars are the
// printable ASCII characters left once escapes are decoded and the rest
// dropped, and from[i], to[i] the bytes of s that spell chars[i].
type skeleton struct {
	chars    []byte
	from, to []int
}

// readSkeleton reads the skeleton of s. Without decode, a backslash is
// dropped and what follows it read as text: an escape is ambiguous where a
// key's digits follow a backslash (a path ending in "\" before the key's
// bare part "012…" reads as the octal escape \012), so both readings are
// searched.
func readSkeleton(s string, decode bool) skeleton {
	sk := skeleton{chars: make([]byte, 0, len(s)), from: make([]int, 0, len(s)), to: make([]int, 0, len(s))}
	add := func(c byte, from, to int) {
		sk.chars = append(sk.chars, c)
		sk.from = append(sk.from, from)
		sk.to = append(sk.to, to)
	}
	for p := 0; p < len(s); {
		c := s[p]
		switch {
		case c == '\\' && !decode:
			p++
		case c == '\\':
			v, n, ok := readEscape(s[p:])
			if ok && isKeyChar(v) {
				add(byte(v), p, p+n)
			}
			p += n
		case c == '%' && p+2 < len(s) && unhex(s[p+1]) >= 0 && unhex(s[p+2]) >= 0:
			if v := rune(unhex(s[p+1])<<4 | unhex(s[p+2])); isKeyChar(v) {
				add(byte(v), p, p+3)
			}
			p += 3
		case c < 0x20 || c >= 0x7f:
			p++ // a control character or a byte of a non-ASCII character: not text a key is read in
		default:
			add(c, p, p+1)
			p++
		}
	}
	return sk
}

// readEscape reads the escape that starts s (at a backslash): the rune it
// stands for when it stands for one (ok), and how many bytes it spans. A
// run of backslashes is one escape (a text quoted more than once). A
// backslash before a key's character that starts no escape is dropped and
// the character left to be read; before anything else, both are dropped.
func readEscape(s string) (v rune, n int, ok bool) {
	q := 0
	for q < len(s) && s[q] == '\\' {
		q++
	}
	if q == len(s) {
		return 0, q, false
	}
	digits := func(from, count, base int) (rune, bool) {
		if from+count > len(s) {
			return 0, false
		}
		var r rune
		for _, d := range []byte(s[from : from+count]) {
			x := unhex(d)
			if x < 0 || x >= base {
				return 0, false
			}
			r = r*rune(base) + rune(x)
		}
		return r, true
	}
	switch c := s[q]; c {
	case 'x':
		if r, ok := digits(q+1, 2, 16); ok {
			return r, q + 3, true
		}
	case 'u':
		if r, ok := digits(q+1, 4, 16); ok {
			return r, q + 5, true
		}
	case 'U':
		if r, ok := digits(q+1, 8, 16); ok {
			return r, q + 9, true
		}
	case '0', '1', '2', '3':
		if r, ok := digits(q, 3, 8); ok {
			return r, q + 3, true
		}
	case 'a', 'b', 'f', 'n', 'r', 't', 'v':
		return 0, q + 1, false
	}
	if c := rune(s[q]); isKeyChar(c) || c >= 0x80 {
		return 0, q, false
	}
	return 0, q + 1, false // an escaped quote, slash or other punctuation
}

// keySpan is a part of a text, s[from:to], to be replaced with with.
type keySpan struct {
	from, to int
	with     string
}

// spelled removes from s (whose plain spellings are already removed) the
// client's keys in any spelling its skeleton shows, and anything that looks
// like a key there. With fragments, it also removes every run of at least
// minKeyFragment characters of a key.
func (r *redactor) spelled(s string, fragments bool) string {
	var spans []keySpan
	for _, decode := range []bool{true, false} {
		sk := readSkeleton(s, decode)
		var found []keySpan
		for _, m := range keyPattern.FindAllIndex(sk.chars, -1) {
			found = append(found, keySpan{m[0], m[1], redactedKey})
		}
		text := string(sk.chars)
		for _, body := range r.own() {
			if fragments {
				found = appendFragments(found, text, body)
				continue
			}
			for at := 0; body != ""; {
				i := strings.Index(text[at:], body)
				if i < 0 {
					break
				}
				found = append(found, keySpan{at + i, at + i + len(body), redactedBody})
				at += i + len(body)
			}
		}
		for _, sp := range found { // from the skeleton's characters to the bytes of s
			spans = append(spans, keySpan{sk.from[sp.from], sk.to[sp.to-1], sp.with})
		}
	}
	if len(spans) == 0 {
		return s
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].from < spans[j].from })
	var b strings.Builder
	last := 0 // the byte of s up to which s is written
	for i := 0; i < len(spans); {
		sp := spans[i]
		for i++; i < len(spans) && spans[i].from < sp.to; i++ {
			sp.to = max(sp.to, spans[i].to)
		}
		b.WriteString(s[last:sp.from])
		b.WriteString(sp.with)
		last = sp.to
	}
	b.WriteString(s[last:])
	return b.String()
}

// appendFragments appends to spans every longest run of at least
// minKeyFragment characters of body found in text.
func appendFragments(spans []keySpan, text, body string) []keySpan {
	if len(body) < minKeyFragment {
		return spans
	}
	for i := 0; i+minKeyFragment <= len(body); i++ {
		gram := body[i : i+minKeyFragment]
		for at := 0; ; {
			j := strings.Index(text[at:], gram)
			if j < 0 {
				break
			}
			from, to := at+j, at+j+minKeyFragment
			// Extend the run as far as text and body agree.
			for k := i; from > 0 && k > 0 && text[from-1] == body[k-1]; k-- {
				from--
			}
			for k := i + minKeyFragment; to < len(text) && k < len(body) && text[to] == body[k]; k++ {
				to++
			}
			spans = append(spans, keySpan{from, to, redactedBody})
			at = to
		}
	}
	return spans
}
