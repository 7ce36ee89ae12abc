package main

import (
	"fmt"
	"strings"
)

// This file writes the iterators of the pagination styles whose item
// iterator is its page iterator flattened (itemsOf, itemsOfPages): the
// link, after and before styles, every list whose response is the array of
// items, and cursor and page lists whose next cursor or page count is one
// level down in the response. Their All and Pages follow the same stop
// rules because All is Pages.

// flattensPages reports whether p's item iterator is written over its page
// iterator.
func flattensPages(pg *pagePlan) bool {
	switch pg.style {
	case "link", "after", "before":
		return true
	}
	return pg.items == nil || pg.nextIn != nil
}

// emitFlatIterator writes the body of p's item iterator as its page
// iterator flattened.
func emitFlatIterator(w *writer, p *opPlan) {
	pg := p.pag
	var forward []string
	for _, a := range p.args {
		forward = append(forward, a.name)
	}
	forward = append(forward, "params")
	if p.body != nil {
		forward = append(forward, "body")
	}
	forward = append(forward, "opts...")
	pages := fmt.Sprintf("s.%s(%s)", p.pages, strings.Join(append([]string{"ctx"}, forward...), ", "))
	if pg.items == nil && p.resp.kind == kSlice {
		w.line("return itemsOf(%s)", pages)
		return
	}
	items := "page"
	if pg.items != nil {
		items = "page." + pg.items.name
	}
	w.line("return itemsOfPages(%s, func(page %s) []%s {", pages, pageType(p), pg.item)
	w.line("return %s", items)
	w.line("})")
}

// pageType is the type a page iterator yields: the response type, as a
// pointer unless it is nilable.
func pageType(p *opPlan) string {
	if p.resp.nilable() {
		return p.resp.expr
	}
	return "*" + p.resp.expr
}

// itemsExpr is the expression of a fetched page's items.
func itemsExpr(pg *pagePlan) string {
	if pg.items == nil {
		return "resp"
	}
	return "resp." + pg.items.name
}

// stringOf reads the string field expr (of field f) as a string.
func stringOf(expr string, f *field) string {
	if f.pointer {
		expr = "valueOf(" + expr + ")"
	}
	if f.typ.expr != "string" {
		expr = "string(" + expr + ")"
	}
	return expr
}

// setString writes q's cursor field from the string v.
func setString(w *writer, f *field, v string) {
	if f.typ.expr != "string" {
		v = f.typ.expr + "(" + v + ")"
	}
	if f.pointer {
		v = "optional(" + v + ")"
	}
	w.line("q.%s = %s", f.name, v)
}

// emitNestedValue writes the statements that read the page's next cursor
// (string) or page count (int) from one level down in resp into the
// variable name, the zero value when the holder is absent.
func emitNestedValue(w *writer, pg *pagePlan, name string) {
	in, f := pg.nextIn, pg.next
	inner := "resp." + in.name + "." + f.name
	var value string
	zero := "int"
	if pg.style == "cursor" {
		value, zero = stringOf(inner, f), "string"
	} else {
		value = toInt(inner, f)
	}
	if in.pointer || in.typ.nilable() {
		w.line("var %s %s", name, zero)
		w.line("if resp.%s != nil {", in.name)
		w.line("%s = %s", name, value)
		w.line("}")
		return
	}
	w.line("%s := %s", name, value)
}

// emitStylePages writes the body of the page iterator of the link, after
// and before styles, and of cursor and page lists whose next cursor or
// page count is one level down or whose response is the array of items.
func emitStylePages(w *writer, p *opPlan, forward []string) {
	pg := p.pag
	pt := pageType(p)
	call := func(opts string) string {
		return fmt.Sprintf("s.%s(%s)", p.name, strings.Join(append(append([]string{"ctx"}, forward[:len(forward)-1]...), opts), ", "))
	}
	// fetch writes a page function's first lines, shared by the string
	// cursor styles: a copy of the params with the cursor set, the list
	// call, and the return of zero on its error.
	fetch := func(zero string) {
		w.line("q := p")
		setString(w, pg.cursor, "cursor")
		w.line("resp, err := %s", call("opts..."))
		w.line("if err != nil {")
		w.line("return %s", zero)
		w.line("}")
	}
	switch pg.style {
	case "link":
		w.line("return linkPages(%s, %s, opts, func(cursor string, opts []RequestOption) (%s, int, error) {", stringOf("p."+pg.cursor.name, pg.cursor), goQuote(pg.cursor.jsonName), pt)
		fetch("nil, 0, err")
		w.line("return resp, len(%s), nil", itemsExpr(pg))
		w.line("})")
	case "after", "before":
		id := stringOf("item."+pg.id.name, pg.id)
		w.line("return idPages(%s, %t, func(item %s) string {", stringOf("p."+pg.cursor.name, pg.cursor), pg.style == "after", pg.item)
		if pg.itemPtr {
			w.line("if item == nil {")
			w.line(`return ""`)
			w.line("}")
		}
		w.line("return %s", id)
		w.line("}, func(cursor string) (%s, []%s, error) {", pt, pg.item)
		fetch("nil, nil, err")
		w.line("return resp, %s, nil", itemsExpr(pg))
		w.line("})")
	case "cursor":
		w.line("return cursorPages(%s, func(cursor string) (%s, int, string, error) {", stringOf("p."+pg.cursor.name, pg.cursor), pt)
		fetch(`nil, 0, "", err`)
		emitNestedValue(w, pg, "next")
		w.line("return resp, len(%s), next, nil", itemsExpr(pg))
		w.line("})")
	case "page":
		w.line("return pagePages(%s, func(page int) (%s, int, int, error) {", toInt("p."+pg.cursor.name, pg.cursor), pt)
		emitNumberedPageCall(w, p, forward, "page")
		w.line("if err != nil {")
		w.line("return nil, 0, 0, err")
		w.line("}")
		total := "0"
		if pg.nextIn != nil {
			emitNestedValue(w, pg, "pages")
			total = "pages"
		} else if pg.next != nil {
			total = toInt("resp."+pg.next.name, pg.next)
		}
		w.line("return resp, len(%s), %s, nil", itemsExpr(pg), total)
		w.line("})")
	}
}

// styleStops says when the iterators of the link, after and before styles
// stop and what they assume; at is "at" for the item iterator and "after"
// for the page iterator.
func styleStops(p *opPlan, at string) string {
	pg := p.pag
	switch pg.style {
	case "link":
		return fmt.Sprintf(" Each next page's %s is the %s query parameter of the URL in the rel=\"next\" link of the previous response's Link header (RFC 8288); only that value is taken, never the link's host or path, so every request goes to %s. It stops after yielding the first error, %s an empty page, and when a response has no next link, its URL has no %s, or the token repeats one it fetched. It needs a Backend whose responses show their header (resources.ResponseHeaderer, as restorehub.Client's do); with another it stops after the first page.",
			pg.cursor.jsonName, pg.cursor.jsonName, p.op.path, at, pg.cursor.jsonName)
	case "after":
		return fmt.Sprintf(" It pages forward: each next page's after is the largest %s of the previous page (compared as numbers when every id is a decimal number such as a snowflake, else the last item's %s). It assumes the API returns the items after the given id whatever its default order; with no after in params the first page is the API's default one, so for an API that lists newest first, set After to the oldest id to walk from (such as \"0\"). It stops after yielding the first error, %s an empty page, at a page where two items share an id (then the field is not the items' own id), and when the next id is empty or repeats one it fetched.",
			pg.id.jsonName, pg.id.jsonName, at)
	case "before":
		return fmt.Sprintf(" It pages backward: each next page's before is the smallest %s of the previous page (compared as numbers when every id is a decimal number such as a snowflake, else the last item's %s), as for a newest-first list. It stops after yielding the first error, %s an empty page, at a page where two items share an id (then the field is not the items' own id), and when the next id is empty or repeats one it fetched.",
			pg.id.jsonName, pg.id.jsonName, at)
	case "cursor":
		return fmt.Sprintf(" Each next cursor is the response's %s.", pg.nextName()) + cursorStops(at)
	}
	text := fmt.Sprintf(" It stops after yielding the first error, %s an empty page", at)
	if pg.next != nil {
		text += fmt.Sprintf(", and after the last page the response's %s reports", pg.nextName())
	}
	return text + ". A short page does not end it: a server may cap the page size below the one asked for."
}

// nextName is the JSON name of the next cursor or page count field, with
// its holder when it is one level down ("meta.next_cursor"); "" when
// there is none.
func (pg *pagePlan) nextName() string {
	switch {
	case pg.next == nil:
		return ""
	case pg.nextIn != nil:
		return pg.nextIn.jsonName + "." + pg.next.jsonName
	}
	return pg.next.jsonName
}

// itemsName is the JSON name of the response field holding the items, ""
// when the response is the array of items.
func (pg *pagePlan) itemsName() string {
	if pg.items == nil {
		return ""
	}
	return pg.items.jsonName
}
