package restorehub

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCutUTF8(t *testing.T) {
	tests := []struct {
		name string
		s    string
		n    int
		want string
	}{
		{"shorter", "abc", 5, "abc"},
		{"exact", "abc", 3, "abc"},
		{"ascii", "abcdef", 4, "abcd"},
		{"zero", "abc", 0, ""},
		{"negative", "abc", -1, ""},
		{"two-byte char cut in half", "aé", 2, "a"},
		{"two-byte char fits", "aé", 3, "aé"},
		{"three-byte char cut after one byte", "ab€", 3, "ab"},
		{"three-byte char cut after two bytes", "ab€", 4, "ab"},
		{"four-byte char cut after three bytes", "a😀b", 4, "a"},
		{"four-byte char fits", "a😀b", 5, "a😀"},
		{"U+FFFD is a character", "a\uFFFDb", 3, "a"},
		{"invalid byte counts as one", "ab\xffcd", 3, "ab\xff"},
		{"stray continuation bytes", "\x80\x80\x80\x80\x80", 3, "\x80\x80\x80"},
		{"cut before a character", "ab€", 2, "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cutUTF8(tt.s, tt.n); got != tt.want {
				t.Errorf("cutUTF8(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
			}
		})
	}
}

// TestTruncateKeepsUTF8Valid: whatever the cut, a valid string stays valid,
// is at most n bytes before its "…", and is a prefix of the original.
func TestTruncateKeepsUTF8Valid(t *testing.T) {
	s := strings.Repeat("aé€😀", 10)
	for n := 0; n <= len(s)+1; n++ {
		got := truncate(s, n)
		if !utf8.ValidString(got) {
			t.Fatalf("truncate(s, %d) = %q: not valid UTF-8", n, got)
		}
		body := strings.TrimSuffix(got, "…")
		if len(body) > n || !strings.HasPrefix(s, body) {
			t.Fatalf("truncate(s, %d) = %q: not a prefix of at most %d bytes", n, got, n)
		}
		if n >= len(s) && got != s {
			t.Fatalf("truncate(s, %d) = %q, want s unchanged", n, got)
		}
		if n < len(s) && len(body) < n-utf8.UTFMax+1 {
			t.Fatalf("truncate(s, %d) cut %d bytes, more than one character", n, len(s)-len(body))
		}
	}
}
