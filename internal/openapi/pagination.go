package openapi

import "strings"

// PaginationStyles are the x-pagination styles besides "none", each a
// resources.Pagination value the generator builds iterators for.
var PaginationStyles = []string{"cursor", "page", "offset", "link", "after", "before"}

// Query parameter names, tried in order, that carry a list's cursor and its
// page number when no x-pagination names them.
var (
	CursorParams = []string{"cursor", "after", "starting_after", "page_token", "pageToken"}
	PageParams   = []string{"page", "pageNumber", "page_number"}
)

// DeclaredPagination reads an operation's x-pagination: a style name, or an
// object with "style" (cfg, holding the style's settings). style is in
// lower case and not checked against [PaginationStyles]; it is "" when the
// value is neither a string nor an object. ok reports whether o has
// x-pagination at all.
func DeclaredPagination(o *Object) (style string, cfg *Object, ok bool) {
	v, ok := o.Get("x-pagination")
	if !ok {
		return "", nil, false
	}
	switch t := v.(type) {
	case string:
		style = t
	case *Object:
		cfg, style = t, t.Str("style")
	}
	return strings.ToLower(style), cfg, true
}
