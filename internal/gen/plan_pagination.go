package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/restorehub/restorehub-go/internal/openapi"
)

// paginationStyles are the x-pagination styles besides "none", each a
// resources.Pagination constant (paginationConst).
//
// An operation's x-pagination is a style name or an object with "style"
// and any of: "items" (the response field of the items), "cursorParam"
// (the query parameter of the cursor, page token or id: cursor, link,
// after, before), "nextCursor" and "totalPages" (response fields, either
// at the top level or "holder.name" one level down), "pageParam",
// "offsetParam", "total", "limitParam" and "idField" (the items' id
// field for after and before; "id" by default). Without x-pagination a
// GET's style is detected from the same names (planObjectPages,
// planArrayPages).
var paginationStyles = openapi.PaginationStyles

// Candidate names, tried in order, of the parts of a paginated list.
var (
	cursorParams  = openapi.CursorParams
	nextCursors   = []string{"nextCursor", "next_cursor", "nextPageToken", "next_page_token", "cursor", "next"}
	pageParams    = openapi.PageParams
	pageCounts    = []string{"totalPages", "total_pages", "pageCount", "page_count", "pages"}
	offsetParams  = []string{"offset", "skip"}
	itemCounts    = []string{"total", "totalCount", "total_count", "total_results", "totalResults"}
	tokenParams   = []string{"page_token", "pageToken", "cursor"}
	pagingHolders = []string{"meta", "pagination", "paging", "cursor", "cursors", "page_info", "pageInfo", "page"}
	// nestedCursors and nestedCounts are looked for one level down, in a
	// pagingHolders object: meta.next_cursor, cursor.next,
	// page_info.end_cursor; meta.total_pages, meta.last_page,
	// pagination.pages. A links object is never searched: its next is a
	// URL, not a cursor.
	nestedCursors = []string{"next_cursor", "nextCursor", "next", "end_cursor", "endCursor", "next_page_token", "nextPageToken", "after"}
	nestedCounts  = []string{"total_pages", "totalPages", "last_page", "lastPage", "pages", "page_count", "pageCount"}
)

// pagingParams are the query parameter names (in lower case) that make a
// GET look paginated.
var pagingParams = map[string]bool{
	"cursor": true, "after": true, "before": true, "offset": true, "skip": true, "limit": true,
	"page": true, "per_page": true, "perpage": true, "page_size": true, "pagesize": true,
	"page_token": true, "pagetoken": true, "starting_after": true, "ending_before": true,
}

// unrecognised is why a list that looks paginated gets no iterator when
// nothing more precise is known.
const unrecognised = "its pagination style is not recognised"

// pageSizeParams are the paging parameters that only size a page.
var pageSizeParams = map[string]bool{"limit": true, "per_page": true, "perpage": true, "page_size": true, "pagesize": true}

// onlyPageSize reports whether every paging query parameter of op only
// sizes a page (limit, per_page, page_size).
func onlyPageSize(op *operation) bool {
	for _, q := range op.queryParams {
		if n := strings.ToLower(q.name); pagingParams[n] && !pageSizeParams[n] {
			return false
		}
	}
	return true
}

// newestFirst finds an operation's documentation saying its list comes
// newest first, so that before drives its iterator rather than after.
var newestFirst = regexp.MustCompile(`(?i)newest[ -]first|most recent first|reverse chronological|descending order`)

// linkMention finds an operation's documentation saying that pages are
// linked from the Link header, as Ory's do ("returned in the `Link`
// header").
var linkMention = regexp.MustCompile("(?i)`?\\blink`?\\s+header")

// pagingHint says why op looks paginated, as "it takes a limit query
// parameter" or "its response declares a Link header", or "" when it does
// not.
func pagingHint(op *operation) string {
	for _, q := range op.queryParams {
		if pagingParams[strings.ToLower(q.name)] {
			return "it takes the " + q.name + " query parameter"
		}
	}
	if op.linkHeader {
		return "its response declares a Link header"
	}
	return ""
}

// bodyPagingHint says why a list that is not a GET looks paginated through
// its JSON request body, as FastAPI's POST …/filter lists do: the body
// takes an integer offset, skip or page and a page size, and the response
// is an array or an object holding one. "" when it does not.
func bodyPagingHint(p *opPlan) string {
	if p.body == nil || p.resp == nil {
		return ""
	}
	body := valueStruct(*p.body)
	if body == nil {
		return ""
	}
	if !arrayResponse(*p.resp) && fieldByJSON(valueStruct(*p.resp), "data", "items", "results") == nil {
		return ""
	}
	from := fieldByJSON(body, "offset", "skip", "page")
	size := fieldByJSON(body, "limit", "page_size", "pageSize", "per_page", "perPage")
	if from == nil || size == nil || !from.typ.isInt() || !size.typ.isInt() {
		return ""
	}
	return "its request body takes " + from.jsonName + " and " + size.jsonName
}

// linkEvidence reports whether op says its pages are linked from the Link
// header: the response declares one, or its documentation says so.
func linkEvidence(op *operation) bool {
	return op.linkHeader || docsSay(op, linkMention)
}

// docsSay reports whether re matches op's summary, its description or the
// description of one of its query parameters.
func docsSay(op *operation, re *regexp.Regexp) bool {
	if re.MatchString(op.summary) || re.MatchString(op.description) {
		return true
	}
	for _, q := range op.queryParams {
		if re.MatchString(q.description) {
			return true
		}
	}
	return false
}

// planPagination decides whether a list operation gets iterators: its
// declared or detected style must match the shapes of its query and
// response. A GET that looks paginated (pagingHint) but gets none keeps
// the reason in p.pagNote, for its doc comment.
func (pl *plan) planPagination(p *opPlan) {
	op := p.op
	style := op.pagination
	if style == "" && op.method != "GET" {
		if hint := bodyPagingHint(p); hint != "" {
			p.pagNote = fmt.Sprintf("It looks paginated (%s) but has no iterator: the generator pages through query parameters only. Page with the body yourself.", hint)
		}
		return
	}
	if style == "none" {
		return
	}
	declared := style != ""
	hint := pagingHint(op)
	fail := func(why string) {
		switch {
		case declared:
			pl.doc.warn(fmt.Sprintf("%s: x-pagination %q but %s; no iterator generated", op.id, style, why))
		case hint != "":
			if why == unrecognised && onlyPageSize(op) {
				why = "it takes a page size but no cursor, page, offset or token to go on from"
			}
			p.pagNote = fmt.Sprintf("It looks paginated (%s) but has no iterator: %s. Page with params yourself.", hint, why)
		}
		op.pagination = "none"
	}
	if p.resp == nil {
		fail("it has no JSON response")
		return
	}
	if resp := valueStruct(*p.resp); resp != nil {
		pl.planObjectPages(p, resp, style, fail)
		return
	}
	if arrayResponse(*p.resp) {
		planArrayPages(p, style, fail)
		return
	}
	fail("its response is neither an object nor an array")
}

// arrayResponse reports whether t is a slice type, or a named type whose
// underlying type is one, with a known element type.
func arrayResponse(t goType) bool {
	u := t.underlying()
	return u.kind == kSlice && u.elem != nil
}

// planObjectPages plans the iterators of a list whose response is an
// object holding the items: cursor, page, offset or link style.
func (pl *plan) planObjectPages(p *opPlan, resp *typeDecl, style string, fail func(string)) {
	op := p.op
	cfg := op.paginationCfg
	items := fieldByJSON(resp, cfg.Str("items"), "data", "items", "results")
	if items == nil {
		var slicesFound []*field
		for _, f := range resp.fields {
			if f.typ.underlying().kind == kSlice {
				slicesFound = append(slicesFound, f)
			}
		}
		if len(slicesFound) == 1 {
			items = slicesFound[0]
		}
	}
	if items == nil || items.typ.underlying().kind != kSlice {
		fail("the response has no array of items")
		return
	}
	cursor := fieldByJSON(p.params, withFirst(cfg.Str("cursorParam"), cursorParams)...)
	nextIn, next := responsePath(resp, cfg.Str("nextCursor"), nextCursors, nestedCursors, goType.isStringy)
	page := fieldByJSON(p.params, withFirst(cfg.Str("pageParam"), pageParams)...)
	totalIn, total := responsePath(resp, cfg.Str("totalPages"), pageCounts, nestedCounts, goType.isInt)
	offset := fieldByJSON(p.params, withFirst(cfg.Str("offsetParam"), offsetParams)...)
	count := fieldByJSON(resp, withFirst(cfg.Str("total"), itemCounts)...)
	token := fieldByJSON(p.params, withFirst(cfg.Str("cursorParam"), tokenParams)...)
	if style == "" {
		switch {
		case cursor != nil && next != nil:
			style = "cursor"
		case page != nil:
			style = "page"
		case offset != nil && offset.typ.isInt():
			style = "offset"
		case token != nil && token.typ.isStringy() && linkEvidence(op):
			style = "link"
		default:
			style = idStyle(p, items.typ)
		}
		switch {
		case style != "":
			op.pagination = style
		case cursor != nil:
			fail("its response has no string next-cursor field, at its top level or one level down, and its items no string id field")
			return
		default:
			fail(unrecognised)
			return
		}
	}
	pp := &pagePlan{style: style, items: items, item: strings.TrimPrefix(items.typ.underlying().expr, "[]")}
	if elem := items.typ.underlying().elem; (style == "after" || style == "before") && elem == nil {
		fail("its items have no type")
		return
	}
	switch style {
	case "cursor":
		if cursor == nil || !cursor.typ.isStringy() || next == nil {
			fail("it lacks a string cursor query parameter or a string next-cursor field")
			return
		}
		pp.cursor, pp.next, pp.nextIn = cursor, next, nextIn
	case "page":
		if page == nil || !page.typ.isInt() {
			fail("it lacks an integer page query parameter")
			return
		}
		pp.cursor, pp.next, pp.nextIn = page, total, totalIn
	case "offset":
		if offset == nil || !offset.typ.isInt() {
			fail("it lacks an integer offset query parameter")
			return
		}
		if count != nil && !count.typ.isInt() {
			count = nil
		}
		pp.cursor, pp.next = offset, count
	case "link":
		if token == nil || !token.typ.isStringy() {
			fail("it lacks a string page token query parameter")
			return
		}
		pp.cursor = token
	case "after", "before":
		elem := *items.typ.underlying().elem
		pp.itemPtr = elem.nullable && !elem.nilable()
		if !planIDPages(p, pp, style, elem, fail) {
			return
		}
	}
	p.pag = pp
}

// idStyle returns "after" or "before" when p takes a string query
// parameter of that name (tried in idParamOrder) and the items of the
// slice type have a string id field; "" otherwise.
func idStyle(p *opPlan, slice goType) string {
	elem := slice.underlying().elem
	if elem == nil || itemID(p, *elem) == nil {
		return ""
	}
	for _, name := range idParamOrder(p.op) {
		if f := fieldByJSON(p.params, name); f != nil && f.typ.isStringy() {
			return name
		}
	}
	return ""
}

// idParamOrder is the order in which after and before are tried to drive
// an iterator: after first, unless op's documentation says the list comes
// newest first.
func idParamOrder(op *operation) []string {
	if docsSay(op, newestFirst) {
		return []string{"before", "after"}
	}
	return []string{"after", "before"}
}

// itemID returns the string id field of the item type elem: the
// configured idField, else "id"; nil when there is none.
func itemID(p *opPlan, elem goType) *field {
	id := fieldByJSON(valueStruct(elem), p.op.paginationCfg.Str("idField"), "id")
	if id == nil || !id.typ.isStringy() {
		return nil
	}
	return id
}

// planIDPages completes pp for the after or before style: the string query
// parameter of that name (or the configured cursorParam) and the items'
// string id field.
func planIDPages(p *opPlan, pp *pagePlan, style string, elem goType, fail func(string)) bool {
	param := fieldByJSON(p.params, p.op.paginationCfg.Str("cursorParam"), style)
	if param == nil || !param.typ.isStringy() {
		fail("it lacks a string " + style + " query parameter")
		return false
	}
	id := itemID(p, elem)
	if id == nil {
		fail("its items lack a string id field")
		return false
	}
	pp.cursor, pp.id = param, id
	return true
}

// responsePath finds a field of resp: the configured name (which may be
// "holder.name", one level down), else the first of top that ok accepts,
// else the first of nested that ok accepts inside a pagingHolders object.
// It returns the holder field (nil at the top level) and the field.
func responsePath(resp *typeDecl, configured string, top, nested []string, ok func(goType) bool) (holder, f *field) {
	if h, name, dotted := strings.Cut(configured, "."); dotted {
		if hf := fieldByJSON(resp, h); hf != nil {
			if f := fieldByJSON(valueStruct(hf.typ), name); f != nil && ok(f.typ) {
				return hf, f
			}
		}
		return nil, nil
	}
	for _, name := range withFirst(configured, top) {
		if f := fieldByJSON(resp, name); f != nil && ok(f.typ) {
			return nil, f
		}
	}
	for _, h := range pagingHolders {
		hf := fieldByJSON(resp, h)
		if hf == nil {
			continue
		}
		for _, name := range nested {
			if f := fieldByJSON(valueStruct(hf.typ), name); f != nil && ok(f.typ) {
				return hf, f
			}
		}
	}
	return nil, nil
}

// planArrayPages plans the iterators of a list whose response is the
// array of items itself: link, after, before or (numbered) page style.
func planArrayPages(p *opPlan, style string, fail func(string)) {
	op := p.op
	cfg := op.paginationCfg
	elem := *p.resp.underlying().elem
	pp := &pagePlan{item: elem.expr, itemPtr: elem.nullable && !elem.nilable()}
	if pp.itemPtr {
		pp.item = "*" + elem.expr
	}
	stringParam := func(names ...string) *field {
		if f := fieldByJSON(p.params, names...); f != nil && f.typ.isStringy() {
			return f
		}
		return nil
	}
	token := stringParam(withFirst(cfg.Str("cursorParam"), tokenParams)...)
	after := stringParam("after")
	before := stringParam("before")
	id := itemID(p, elem)
	page := fieldByJSON(p.params, withFirst(cfg.Str("pageParam"), pageParams)...)
	if page != nil && !page.typ.isInt() {
		page = nil
	}
	if style == "" {
		switch {
		case token != nil && linkEvidence(op):
			style = "link"
		case id != nil && (after != nil || before != nil):
			style = idStyle(p, p.resp.underlying())
		case page != nil:
			style = "page"
		case token != nil && token.jsonName != "cursor":
			// A page token with an array response: the next token can
			// only come outside the body, and the Link header is where.
			style = "link"
		case after != nil || before != nil:
			fail("its items have no string id field to page from")
			return
		case fieldByJSON(p.params, "after", "before") != nil:
			fail("its after or before query parameter is not a string id")
			return
		default:
			fail(unrecognised)
			return
		}
		op.pagination = style
	}
	switch style {
	case "link":
		if token == nil {
			fail("it lacks a string page token query parameter")
			return
		}
		pp.cursor = token
	case "after", "before":
		if !planIDPages(p, pp, style, elem, fail) {
			return
		}
	case "page":
		if page == nil {
			fail("it lacks an integer page query parameter")
			return
		}
		pp.cursor = page
	default:
		fail("the response is not an object, which the " + style + " style needs")
		return
	}
	pp.style = style
	p.pag = pp
}

// withFirst returns name followed by names, in a new slice.
func withFirst(name string, names []string) []string {
	return append([]string{name}, names...)
}

// declaresLink reports whether the response object ro declares a Link
// header.
func declaresLink(ro *object) bool {
	for _, k := range ro.Obj("headers").Keys() {
		if strings.EqualFold(k, "link") {
			return true
		}
	}
	return false
}
