package agent

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestShortenCutsOnRuneBoundaries: a cut that falls inside a multi-byte
// character goes back to its start, so the result stays valid UTF-8 and
// never exceeds n bytes before the ellipsis.
func TestShortenCutsOnRuneBoundaries(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "abc…"},
		{"", 0, ""},
		{"ééé", 6, "ééé"},
		{"ééé", 3, "é…"},            // the cut at byte 3 is inside the second é
		{"ééé", 4, "éé…"},           // a boundary: nothing to go back over
		{"a€b", 2, "a…"},            // inside a 3-byte character
		{"a€b", 3, "a…"},            // still inside it
		{"a😀b", 4, "a…"},            // inside a 4-byte character, at its last byte
		{"😀😀", 0, "…"},              // nothing fits
		{"\xff\xfeabc", 1, "\xff…"}, // bytes that are not UTF-8 are cut where asked
	} {
		got := shorten(tc.s, tc.n)
		if got != tc.want {
			t.Errorf("shorten(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
		if utf8.ValidString(tc.s) && !utf8.ValidString(got) {
			t.Errorf("shorten(%q, %d) = %q: not valid UTF-8", tc.s, tc.n, got)
		}
		if kept := strings.TrimSuffix(got, "…"); len(kept) > max(tc.n, 0) && got != tc.s {
			t.Errorf("shorten(%q, %d) kept %d bytes", tc.s, tc.n, len(kept))
		}
	}
}

// TestSummaryKeepsUTF8Whole: a long non-ASCII argument shortened in the
// confirmation summary stays valid UTF-8.
func TestSummaryKeepsUTF8Whole(t *testing.T) {
	all, err := catalog()
	if err != nil {
		t.Fatal(err)
	}
	var e *entry
	for _, c := range all {
		if c.def.name == "backups_restore" {
			e = c
		}
	}
	if e == nil {
		t.Fatal("no backups_restore tool")
	}
	long := `"` + strings.Repeat("é", 200) + `"`
	s := summary(e, "/backups/x/restore", args{"backupId": []byte(long)})
	if !utf8.ValidString(s) {
		t.Fatalf("summary is not valid UTF-8: %q", s)
	}
}
