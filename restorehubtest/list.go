package restorehubtest

import (
	"encoding/json"
	"math/big"
	"net/url"
	"strconv"
	"strings"

	"github.com/restorehub/restorehub-go/resources"
)

// The names a list uses when the operation table does not give its
// ListShape (a hand-written table without List).
const (
	defaultItems      = "data"
	defaultCursor     = "cursor"
	defaultPage       = "page"
	defaultOffset     = "offset"
	defaultNext       = "nextCursor"
	defaultTotalPages = "totalPages"
	defaultLimit      = "limit"
	// totalField is the count of all matching items a page-style list adds
	// next to its page count, and an offset-style one sends when its
	// ListShape names no total field.
	totalField = "total"
)

// listShape returns the names op's list uses: op.List with the blanks a
// paginated list needs filled with the defaults.
func listShape(op *resources.OperationSpec) resources.ListShape {
	var ls resources.ListShape
	if op.List != nil {
		ls = *op.List
	}
	if op.List == nil {
		ls.Items = defaultItems
		switch op.Pagination {
		case resources.PaginationCursor:
			ls.Cursor, ls.Next, ls.Limit = defaultCursor, defaultNext, defaultLimit
		case resources.PaginationPage:
			ls.Cursor, ls.Next, ls.Limit = defaultPage, defaultTotalPages, defaultLimit
		case resources.PaginationOffset:
			ls.Cursor, ls.Next, ls.Limit = defaultOffset, totalField, defaultLimit
		}
	}
	return ls
}

// searchParams are the filter names that search the items' text rather
// than compare one field, unless the items have a field of that name.
var searchParams = map[string]bool{"q": true, "query": true, "search": true}

// filterItems keeps the items that match every filter of ls present in q:
// see the package documentation for the rules.
func filterItems(items []map[string]any, ls *resources.ListShape, q url.Values) []map[string]any {
	for _, f := range ls.Filters {
		values := filterValues(q[f.Name], f.Type)
		if len(values) == 0 {
			continue
		}
		kept := items[:0:0]
		for _, it := range items {
			if matchFilter(it, f.Name, values) {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	return items
}

// filterValues returns the non-empty values of a filter; an array
// parameter's values may also be joined with commas.
func filterValues(raw []string, typ string) []string {
	var out []string
	for _, v := range raw {
		if typ == "array" {
			for p := range strings.SplitSeq(v, ",") {
				if p != "" {
					out = append(out, p)
				}
			}
		} else if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// matchFilter reports whether item passes the filter name with values.
func matchFilter(item map[string]any, name string, values []string) bool {
	field, ok := fieldFor(item, name)
	if !ok {
		if searchParams[strings.ToLower(name)] {
			for _, v := range values {
				if containsText(item, v) {
					return true
				}
			}
		}
		return false
	}
	for _, v := range values {
		if equalsQuery(field, v) {
			return true
		}
	}
	return false
}

// fieldFor returns item's field named name, or else the one whose name
// equals it ignoring case, "_" and "-" ("server_id" finds "serverId").
func fieldFor(item map[string]any, name string) (any, bool) {
	if v, ok := item[name]; ok {
		return v, true
	}
	want := foldName(name)
	for k, v := range item {
		if foldName(k) == want {
			return v, true
		}
	}
	return nil, false
}

// foldName lower-cases s and drops "_" and "-".
func foldName(s string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s))
}

// equalsQuery reports whether the JSON value v equals the query value q:
// strings as text, numbers by value, booleans as strconv.ParseBool reads
// q, and an array when any element does; null and objects never match.
func equalsQuery(v any, q string) bool {
	switch x := v.(type) {
	case string:
		return x == q
	case json.Number:
		if strings.Contains(q, "/") { // big.Rat would read "20/2" as 10
			return false
		}
		a, ok1 := new(big.Rat).SetString(x.String())
		b, ok2 := new(big.Rat).SetString(q)
		return ok1 && ok2 && a.Cmp(b) == 0
	case bool:
		b, err := strconv.ParseBool(q)
		return err == nil && b == x
	case []any:
		for _, e := range x {
			if equalsQuery(e, q) {
				return true
			}
		}
	}
	return false
}

// containsText reports whether any string field of item, at the top
// level, contains q, ignoring case.
func containsText(item map[string]any, q string) bool {
	q = strings.ToLower(q)
	for _, v := range item {
		if s, ok := v.(string); ok && strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	return false
}
