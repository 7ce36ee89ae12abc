package restorehubtest

import (
	"cmp"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/restorehub/restorehub-go/resources"
)

// listLocked answers a list request: the collection's items that pass the
// operation's filters, in its pagination style, under the field names its
// ListShape gives, or as a bare array when ListShape.Items is "".
func (s *Server) listLocked(c *call) *reply {
	op := &c.rt.op
	ls := listShape(op)
	items := s.store.list(c.join(len(c.parts)))
	items = filterItems(items, &ls, c.query)
	if items == nil {
		items = []map[string]any{}
	}
	page := listPage{shape: &ls, body: map[string]any{}}
	if !paginated(op) {
		return page.reply(c, items)
	}
	limit := s.pageSize
	if ls.Limit != "" {
		var ok bool
		if limit, ok = positiveQuery(c.query, ls.Limit, s.pageSize); !ok {
			return badQuery(c.h, ls.Limit, "expected a positive integer")
		}
	}
	limit = min(limit, MaxPageSize)
	switch op.Pagination {
	case resources.PaginationPage:
		n, ok := positiveQuery(c.query, ls.Cursor, 1)
		if !ok {
			return badQuery(c.h, ls.Cursor, "expected a positive integer")
		}
		from := min((n-1)*limit, len(items))
		page.set(totalField, len(items))
		if ls.Next != "" {
			page.set(ls.Next, (len(items)+limit-1)/limit)
		}
		return page.reply(c, items[from:min(from+limit, len(items))])
	case resources.PaginationOffset:
		from := 0
		if v := c.query.Get(ls.Cursor); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return badQuery(c.h, ls.Cursor, "expected a non-negative integer")
			}
			from = min(n, len(items))
		}
		page.set(cmp.Or(ls.Next, totalField), len(items))
		return page.reply(c, items[from:min(from+limit, len(items))])
	case resources.PaginationAfter, resources.PaginationBefore:
		return page.reply(c, idPage(items, cmp.Or(ls.ID, "id"), c.query.Get(ls.Cursor), op.Pagination == resources.PaginationBefore, limit))
	}
	from := 0
	if cur := c.query.Get(ls.Cursor); cur != "" {
		var ok bool
		if from, ok = decodeCursor(cur); !ok {
			return badQuery(c.h, ls.Cursor, "not a cursor this server returned")
		}
		from = min(from, len(items))
	}
	to := min(from+limit, len(items))
	var next *string
	if to < len(items) {
		n := encodeCursor(to)
		next = &n
	}
	if op.Pagination == resources.PaginationLink {
		if next != nil {
			q := url.Values{ls.Cursor: {*next}}
			if ls.Limit != "" {
				q.Set(ls.Limit, strconv.Itoa(limit))
			}
			c.h.Set("Link", `<?`+q.Encode()+`>; rel="next"`)
		}
	} else if ls.Next != "" {
		page.set(ls.Next, next)
	}
	return page.reply(c, items[from:to])
}

// listPage is one page of a list response being built.
type listPage struct {
	shape *resources.ListShape
	body  map[string]any
}

// set sets a paging field of the page (a total, a page count or the next
// cursor), written "holder.name" when it is one level down. A bare-array
// list has no room for one, so it is dropped.
func (p *listPage) set(name string, v any) {
	if p.shape.Items == "" {
		return
	}
	if holder, field, nested := strings.Cut(name, "."); nested {
		p.body[holder] = map[string]any{field: v}
		return
	}
	p.body[name] = v
}

// reply is the page holding items: the object with the items under
// ListShape.Items, or the bare array.
func (p *listPage) reply(c *call, items []map[string]any) *reply {
	if p.shape.Items == "" {
		return jsonReply(http.StatusOK, c.h, items)
	}
	p.body[p.shape.Items] = items
	return jsonReply(http.StatusOK, c.h, p.body)
}

// idPage is a page of an after or before list: up to limit items whose
// field id comes after (or, when before is set, before) the cursor, in
// that direction, ids compared as numbers when both are decimal integers
// (Discord's snowflakes) and as text otherwise. No cursor starts at the
// first item in that direction.
func idPage(items []map[string]any, id, cursor string, before bool, limit int) []map[string]any {
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, b map[string]any) int {
		if before {
			a, b = b, a
		}
		return compareIDs(idOf(a, id), idOf(b, id))
	})
	out := make([]map[string]any, 0, min(limit, len(sorted)))
	for _, it := range sorted {
		if len(out) == limit {
			break
		}
		if cursor != "" {
			d := compareIDs(idOf(it, id), cursor)
			if before && d >= 0 || !before && d <= 0 {
				continue
			}
		}
		out = append(out, it)
	}
	return out
}

// idOf returns an item's id field as text.
func idOf(item map[string]any, id string) string {
	switch v := item[id].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// compareIDs compares two ids as numbers when both are decimal integers,
// else as text.
func compareIDs(a, b string) int {
	x, okA := new(big.Int).SetString(a, 10)
	y, okB := new(big.Int).SetString(b, 10)
	if okA && okB {
		return x.Cmp(y)
	}
	return cmp.Compare(a, b)
}
