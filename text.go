package restorehub

import "unicode/utf8"

// cutUTF8 returns the longest prefix of s that is at most n bytes long and
// does not end inside a UTF-8 character. A byte that is not part of valid
// UTF-8 counts as a character of its own.
func cutUTF8(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	cut := n
	// Find where the character holding byte n-1 starts; a character is at
	// most utf8.UTFMax bytes long.
	for i := n - 1; i >= 0 && i > n-utf8.UTFMax; i-- {
		if !utf8.RuneStart(s[i]) {
			continue
		}
		if r, size := utf8.DecodeRuneInString(s[i:]); (r != utf8.RuneError || size > 1) && i+size > n {
			cut = i // the character starting at i does not fit
		}
		break
	}
	return s[:cut]
}

// truncate shortens s for an error message: at most n bytes of it, cut on a
// character boundary, and "…" after it when anything was cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return cutUTF8(s, n) + "…"
}
