package resources

import (
	"iter"
	"strings"
)

// idPages yields successive pages of a list paged by its items' ids (an
// after or before query parameter, as Discord's lists), whole. fetch gets
// the page after (forward) or before (backward) the id cursor, "" for the
// API's first page, and returns it with its items; id returns an item's
// id ("" when it has none). The next cursor is the page's largest id going
// forward and its smallest going backward, compared as numbers when every
// id of the page is a decimal number (a snowflake), else the id of the
// page's last item (edgeID). It stops after yielding the first error,
// after an empty page, when two items of a page share an id, and when the
// next cursor is empty or repeats one it fetched (cursorLoop).
func idPages[P, T any](start string, forward bool, id func(T) string, fetch func(cursor string) (P, []T, error)) iter.Seq2[P, error] {
	return cursorPages(start, func(cursor string) (P, int, string, error) {
		page, items, err := fetch(cursor)
		if err != nil || len(items) == 0 {
			return page, len(items), "", err
		}
		return page, len(items), edgeID(items, forward, id), nil
	})
}

// edgeID returns the id the next page starts from: the largest (forward)
// or smallest (backward) id of page when every id is a decimal number,
// else the last item's id; "" when two items of the page share an id,
// since then the field is not the items' own id (a thread member's id is
// its thread's) and paging by it would ask for the wrong page.
func edgeID[T any](page []T, forward bool, id func(T) string) string {
	seen := make(map[string]bool, len(page))
	best, decimal := "", true
	for _, it := range page {
		v := id(it)
		if seen[v] {
			return ""
		}
		seen[v] = true
		if !decimalID(v) {
			decimal = false
			continue
		}
		if c := compareDecimal(v, best); best == "" || forward && c > 0 || !forward && c < 0 {
			best = v
		}
	}
	if !decimal {
		return id(page[len(page)-1])
	}
	return best
}

// decimalID reports whether s is a non-empty run of ASCII digits without
// a leading zero (or "0" itself), the form of a snowflake id.
func decimalID(s string) bool {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return false
	}
	return strings.Trim(s, "0123456789") == ""
}

// compareDecimal compares two decimalID strings as numbers of any size.
func compareDecimal(a, b string) int {
	if len(a) != len(b) {
		if len(a) < len(b) {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}
