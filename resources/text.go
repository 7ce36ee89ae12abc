package resources

import "unicode/utf8"

// truncateText shortens s to at most n bytes for an error message, cutting
// on a character boundary and marking the cut with "…".
func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
