package agent

import "unicode/utf8"

// shorten returns s when it is at most n bytes long, and otherwise its
// first n bytes or fewer followed by "…": the cut goes back to the start of
// the character it falls in, so a multi-byte UTF-8 character is kept whole
// or left out, never split. It keeps error texts and summaries short.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n < 0 {
		n = 0
	}
	cut := n
	for cut > 0 && cut > n-utf8.UTFMax && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
