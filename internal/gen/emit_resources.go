package main

import (
	"fmt"
	"strings"
)

// resourceFiles returns one file per service plus models_gen.go for the
// types several services share.
func (pl *plan) resourceFiles(specPath, pkg string) (map[string][]byte, error) {
	files := map[string][]byte{}
	byRes := map[string][]*typeDecl{}
	var shared []*typeDecl
	for _, d := range pl.m.decls {
		if !d.filled || len(d.resources) == 0 {
			continue
		}
		if len(d.resources) > 1 {
			shared = append(shared, d)
			continue
		}
		for r := range d.resources {
			byRes[r] = append(byRes[r], d)
		}
	}
	for _, svc := range pl.services {
		var w writer
		emitService(&w, svc)
		for _, d := range byRes[svc.resource] {
			emitDecl(&w, d)
		}
		src, err := finalize(specPath, pkg, w.Bytes())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", svc.file, err)
		}
		files[svc.file] = src
	}
	if len(shared) > 0 {
		var w writer
		for _, d := range shared {
			emitDecl(&w, d)
		}
		src, err := finalize(specPath, pkg, w.Bytes())
		if err != nil {
			return nil, fmt.Errorf("models_gen.go: %w", err)
		}
		files["models_gen.go"] = src
	}
	return files, nil
}

func emitService(w *writer, svc *service) {
	doc := fmt.Sprintf("%s sends the %s operations. Reach it through Services.%s (client.%s on a restorehub.Client).", svc.typeName, svc.resource, svc.field, svc.field)
	if svc.doc != "" {
		doc += "\n\n" + svc.doc
	}
	w.comment(doc)
	w.line("type %s struct {", svc.typeName)
	w.line("backend Backend")
	w.line("}")
	w.line("")
	for _, p := range svc.ops {
		emitMethod(w, p)
		if p.pag != nil {
			emitIterator(w, p)
			emitPages(w, p)
		}
	}
}

// methodDoc is the doc comment of an operation's method.
func methodDoc(p *opPlan) string {
	op := p.op
	var paras []string
	first := fmt.Sprintf("%s is the %s operation", p.name, op.id)
	if op.summary != "" {
		first += ": " + sentence(op.summary)
	} else {
		first += "."
	}
	paras = append(paras, first)

	second := fmt.Sprintf("It sends %s %s", op.method, op.path)
	switch {
	case op.scope == "":
		second += "; no scope is documented for it."
	case op.tier == "":
		second += fmt.Sprintf(" and needs the %s scope (tier not documented).", op.scope)
	default:
		second += fmt.Sprintf(" and needs the %s scope (%s tier).", op.scope, op.tier)
	}
	if len(op.otherScopes) > 0 {
		second += " The same security requirement also lists " + strings.Join(op.otherScopes, ", ") + "."
	}
	if p.body != nil && op.body.required {
		second += " The request body is required."
	}
	paras = append(paras, second)

	if op.inferred {
		from := ""
		if op.scope != "" {
			from = " from the scope name " + op.scope
		}
		switch {
		case op.existenceDocumented:
			paras = append(paras, "Partly inferred: the API's documentation says this operation exists but does not show it. Its method, path, parameters and bodies here were inferred"+from+" and are guesses that may not match the live API.")
		case from != "":
			paras = append(paras, "Inferred: this operation is not documented. It was inferred"+from+", so its method, path, parameters and bodies are guesses that may not match the live API.")
		default:
			paras = append(paras, "Inferred: this operation is not documented, so its method, path, parameters and bodies are guesses that may not match the live API.")
		}
	}
	if pc := op.pace; pc != nil {
		unit := "calls"
		if pc.count != "" {
			unit = "entries of " + pc.count
		}
		text := fmt.Sprintf("Pacing: the API accepts at most %d %s per %s for each %s value. The client paces these calls per %s to stay within that budget: a call waits until the budget allows it, and a single call with more than %d %s is refused, so split large batches.",
			pc.limit, unit, humanInterval(pc.interval), pc.per, pc.per, pc.limit, unit)
		if pc.description != "" {
			text += " The spec says: " + sentence(pc.description)
		}
		paras = append(paras, text)
	} else if op.rateText != "" {
		paras = append(paras, "Rate limit: "+sentence(op.rateText))
	}
	if p.bodyNote != "" {
		paras = append(paras, "The request body is raw: the spec declares "+sentence(p.bodyNote))
	}
	if p.respNote != "" {
		paras = append(paras, "The response is raw: the spec declares "+sentence(p.respNote))
	}
	for _, q := range op.skipped {
		paras = append(paras, fmt.Sprintf("The %s parameter %q is not sent: a Backend cannot set %ss.", q.in, q.name, q.in))
	}
	for _, q := range p.dropped {
		paras = append(paras, fmt.Sprintf("The query parameter %q is not sent: its name cannot be written in a struct tag.", q))
	}
	if p.pagNote != "" {
		paras = append(paras, p.pagNote)
	}
	if op.description != "" {
		paras = append(paras, op.description)
	}
	if op.deprecated {
		paras = append(paras, "Deprecated: the spec marks this operation as deprecated.")
	}
	return strings.Join(paras, "\n\n")
}

// signature returns the parameter list after ctx, and the arguments to
// forward to the method from an iterator.
func signature(p *opPlan, paramsName string) (params []string, forward []string) {
	for _, a := range p.args {
		params = append(params, a.name+" "+a.typ.expr)
		forward = append(forward, a.name)
	}
	if p.params != nil {
		params = append(params, paramsName+" *"+p.params.name)
		forward = append(forward, "&q")
	}
	if p.body != nil {
		params = append(params, "body "+bodyType(p))
		forward = append(forward, "body")
	}
	return params, forward
}

func bodyType(p *opPlan) string {
	if p.body.nilable() {
		return p.body.expr
	}
	return "*" + p.body.expr
}

// pathExpr builds the request path from the template's pieces
// (resources.PathTemplate.Pieces), escaping every parameter as
// resources.PathTemplate.Fill does.
func pathExpr(p *opPlan) string {
	var parts []string
	for _, pp := range p.op.pathParts {
		if pp.param == nil {
			parts = append(parts, goQuote(pp.literal))
			continue
		}
		for _, a := range p.args {
			if a.p != pp.param {
				continue
			}
			u := a.typ.underlying()
			switch {
			case u.kind == kString && u.expr == "string":
				parts = append(parts, "url.PathEscape("+a.name+")")
			case u.kind == kString:
				parts = append(parts, "url.PathEscape(string("+a.name+"))")
			case a.typ.kind == kNamed && a.typ.decl.kind == dEnum && !a.typ.decl.numericEnum():
				parts = append(parts, "url.PathEscape(string("+a.name+"))")
			case u.kind == kFloat:
				// Decimal, never an exponent, as the agent's confirmation
				// spells the number too.
				parts = append(parts, "url.PathEscape(strconv.FormatFloat(float64("+a.name+"), 'f', -1, 64))")
			default:
				parts = append(parts, "url.PathEscape(fmt.Sprint("+a.name+"))")
			}
		}
	}
	if len(parts) == 0 {
		return `"/"`
	}
	return strings.Join(parts, " + ")
}

func emitMethod(w *writer, p *opPlan) {
	w.comment(methodDoc(p))
	params, _ := signature(p, "params")
	ret := "error"
	if p.resp != nil {
		if p.resp.nilable() {
			ret = "(" + p.resp.expr + ", error)"
		} else {
			ret = "(*" + p.resp.expr + ", error)"
		}
	}
	params = append(params, "opts ...RequestOption")
	w.line("func (s *%s) %s(%s) %s {", p.svc.typeName, p.name, strings.Join(append([]string{"ctx context.Context"}, params...), ", "), ret)
	query := "nil"
	if p.params != nil {
		query = "encodeQuery(params)"
	}
	bodyExpr := "nil"
	if p.body != nil {
		if p.body.nilable() {
			w.line("var b any")
			w.line("if body != nil {")
			w.line("b = body")
			w.line("}")
			bodyExpr = "b"
		} else {
			bodyExpr = "bodyOf(body)"
		}
	}
	call := fmt.Sprintf("s.backend.Call(ctx, &operationTable[%s], %s, %s, %s", p.indexName, pathExpr(p), query, bodyExpr)
	if p.resp == nil {
		w.line("return %s, nil, opts...)", call)
		w.line("}")
		w.line("")
		return
	}
	w.line("var out %s", p.resp.expr)
	w.line("if err := %s, &out, opts...); err != nil {", call)
	w.line("return nil, err")
	w.line("}")
	if p.resp.nilable() {
		w.line("return out, nil")
	} else {
		w.line("return &out, nil")
	}
	w.line("}")
	w.line("")
}

func iteratorDoc(p *opPlan) string {
	op := p.op
	text := fmt.Sprintf("%s iterates over the items of every page of %s (%s pagination), fetching one page at a time as the loop asks for more; only one page is held in memory.", p.iter, p.name, p.pag.style)
	text += iteratorStops(p, "at")
	if p.params != nil {
		text += fmt.Sprintf(" params sets the query of the first page; %s iterates from there.", p.iter)
	}
	if op.scope != "" {
		text += fmt.Sprintf(" Every page needs the %s scope.", op.scope)
	}
	text += (" opts apply to every page's request: with restorehub.WithResponseInto(&r), r describes the page the current item came from (its status, header and rate limit), refreshed as each page arrives.")
	if op.inferred {
		text += fmt.Sprintf(" Like %s, it is inferred, not documented.", p.name)
	}
	return text
}

func emitIterator(w *writer, p *opPlan) {
	pg := p.pag
	w.comment(iteratorDoc(p))
	params, forward := signature(p, "params")
	params = append(params, "opts ...RequestOption")
	forward = append(forward, "opts...")
	w.line("func (s *%s) %s(%s) iter.Seq2[%s, error] {", p.svc.typeName, p.iter, strings.Join(append([]string{"ctx context.Context"}, params...), ", "), pg.item)
	if flattensPages(pg) {
		emitFlatIterator(w, p)
		w.line("}")
		w.line("")
		return
	}
	w.line("var p %s", p.params.name)
	w.line("if params != nil {")
	w.line("p = *params")
	w.line("}")
	cf := "p." + pg.cursor.name
	switch pg.style {
	case "cursor":
		start := cf
		if pg.cursor.pointer {
			start = "valueOf(" + cf + ")"
		}
		next := "resp." + pg.next.name
		if pg.next.pointer {
			next = "valueOf(" + next + ")"
		}
		w.line("return cursorSeq(%s, func(cursor string) ([]%s, string, error) {", start, pg.item)
		w.line("q := p")
		if pg.cursor.pointer {
			w.line("q.%s = optional(cursor)", pg.cursor.name)
		} else {
			w.line("q.%s = cursor", pg.cursor.name)
		}
		w.line("resp, err := s.%s(%s)", p.name, strings.Join(append([]string{"ctx"}, forward...), ", "))
		w.line("if err != nil {")
		w.line(`return nil, "", err`)
		w.line("}")
		w.line("return resp.%s, %s, nil", pg.items.name, next)
		w.line("})")
	case "page":
		start := toInt(cf, pg.cursor)
		total := "0"
		if pg.next != nil {
			total = toInt("resp."+pg.next.name, pg.next)
		}
		w.line("return pageSeq(%s, func(page int) ([]%s, int, error) {", start, pg.item)
		emitNumberedPageCall(w, p, forward, "page")
		w.line("if err != nil {")
		w.line("return nil, 0, err")
		w.line("}")
		w.line("return resp.%s, %s, nil", pg.items.name, total)
		w.line("})")
	case "offset":
		emitOffsetFetch(w, p, forward, "offsetSeq", "[]"+pg.item, "resp."+pg.items.name)
	}
	w.line("}")
	w.line("")
}

// offsetStops says when an offset iterator stops; at is "at" for the item
// iterator and "after" for the page iterator.
func offsetStops(p *opPlan, at string) string {
	text := fmt.Sprintf(" Each page's %s is the last one's plus the items it held. It stops after yielding the first error, %s an empty page", p.pag.cursor.jsonName, at)
	if p.pag.next != nil {
		text += fmt.Sprintf(", and once the offset reaches the response's %s", p.pag.next.jsonName)
	}
	return text + "."
}

// emitOffsetFetch writes the return statement of an offset iterator: seq
// (offsetSeq or offsetPages) over a fetch that sets the offset, calls the
// list method with forward (the iterator's arguments, as signature gives
// them, and opts...) and returns what (the items or the whole page) with
// the page's item count (offsetPages only) and total.
func emitOffsetFetch(w *writer, p *opPlan, forward []string, seq, ret, what string) {
	pg := p.pag
	start := toInt("p."+pg.cursor.name, pg.cursor)
	total := "0"
	if pg.next != nil {
		total = toInt("resp."+pg.next.name, pg.next)
	}
	counts := "int, error"
	zero := "nil, 0, err"
	result := fmt.Sprintf("%s, %s, nil", what, total)
	if seq == "offsetPages" {
		counts = "int, int, error"
		zero = "nil, 0, 0, err"
		result = fmt.Sprintf("%s, len(resp.%s), %s, nil", what, pg.items.name, total)
	}
	w.line("return %s(%s, func(offset int) (%s, %s) {", seq, start, ret, counts)
	emitNumberedPageCall(w, p, forward, "offset")
	w.line("if err != nil {")
	w.line("return %s", zero)
	w.line("}")
	w.line("return %s", result)
	w.line("})")
}

// toInt reads an integer field as an int.
func toInt(expr string, f *field) string {
	if f.pointer {
		expr = "valueOf(" + expr + ")"
	}
	if f.typ.expr == "int" {
		return expr
	}
	return "int(" + expr + ")"
}

// iteratorStops says when p's iterators stop; at is "at" for the item
// iterator and "after" for the page iterator.
func iteratorStops(p *opPlan, at string) string {
	switch {
	case flattensPages(p.pag):
		return styleStops(p, at)
	case p.pag.style == "cursor":
		return cursorStops(at)
	case p.pag.style == "page":
		return " It stops after yielding the first error, " + at + " an empty page, and after the last page the response reports."
	case p.pag.style == "offset":
		return offsetStops(p, at)
	}
	return ""
}

// cursorStops says when a cursor iterator stops; at is "at" for the item
// iterator and "after" for the page iterator.
func cursorStops(at string) string {
	return " It stops after yielding the first error, " + at + " an empty page, and when the next cursor is empty or repeats one it fetched: a loop of any length is caught, in memory that does not grow with the pages."
}

// pagesDoc is the doc comment of a page iterator.
func pagesDoc(p *opPlan) string {
	yields := fmt.Sprintf("each whole response, so that the loop sees what %s hides: the cursor or page counts of every page.", p.iter)
	if p.pag.items == nil {
		yields = fmt.Sprintf("each page's items as one slice, so that the loop can work a page at a time where %s gives one item at a time.", p.iter)
	}
	text := fmt.Sprintf("%s iterates over the pages of %s (%s pagination), one request per page as the loop asks for more, and yields %s", p.pages, p.name, p.pag.style, yields)
	text += iteratorStops(p, "after")
	if p.params != nil {
		text += fmt.Sprintf(" params sets the query of the first page; %s starts there.", p.pages)
	}
	text += " opts apply to every page's request: with restorehub.WithResponseInto(&r), r describes the page just yielded (its status, header and rate limit)."
	if p.op.inferred {
		text += fmt.Sprintf(" Like %s, it is inferred, not documented.", p.name)
	}
	return text
}

// emitPages writes the page iterator of a paginated operation.
func emitPages(w *writer, p *opPlan) {
	pg := p.pag
	w.comment(pagesDoc(p))
	params, forward := signature(p, "params")
	params = append(params, "opts ...RequestOption")
	forward = append(forward, "opts...")
	pt := pageType(p)
	w.line("func (s *%s) %s(%s) iter.Seq2[%s, error] {", p.svc.typeName, p.pages, strings.Join(append([]string{"ctx context.Context"}, params...), ", "), pt)
	w.line("var p %s", p.params.name)
	w.line("if params != nil {")
	w.line("p = *params")
	w.line("}")
	if flattensPages(pg) {
		emitStylePages(w, p, forward)
		w.line("}")
		w.line("")
		return
	}
	cf := "p." + pg.cursor.name
	call := fmt.Sprintf("resp, err := s.%s(%s)", p.name, strings.Join(append([]string{"ctx"}, forward...), ", "))
	switch pg.style {
	case "cursor":
		start := cf
		if pg.cursor.pointer {
			start = "valueOf(" + cf + ")"
		}
		next := "resp." + pg.next.name
		if pg.next.pointer {
			next = "valueOf(" + next + ")"
		}
		w.line("return cursorPages(%s, func(cursor string) (%s, int, string, error) {", start, pt)
		w.line("q := p")
		if pg.cursor.pointer {
			w.line("q.%s = optional(cursor)", pg.cursor.name)
		} else {
			w.line("q.%s = cursor", pg.cursor.name)
		}
		w.line("%s", call)
		w.line("if err != nil {")
		w.line(`return nil, 0, "", err`)
		w.line("}")
		w.line("return resp, len(resp.%s), %s, nil", pg.items.name, next)
		w.line("})")
	case "page":
		start := toInt(cf, pg.cursor)
		total := "0"
		if pg.next != nil {
			total = toInt("resp."+pg.next.name, pg.next)
		}
		w.line("return pagePages(%s, func(page int) (%s, int, int, error) {", start, pt)
		emitNumberedPageCall(w, p, forward, "page")
		w.line("if err != nil {")
		w.line("return nil, 0, 0, err")
		w.line("}")
		w.line("return resp, len(resp.%s), %s, nil", pg.items.name, total)
		w.line("})")
	case "offset":
		emitOffsetFetch(w, p, forward, "offsetPages", pt, "resp")
	}
	w.line("}")
	w.line("")
}

// emitNumberedPageCall writes the body's first lines of a numbered
// iterator's page function (page and offset styles alike): a copy of the
// params with the page number or offset, held in the variable arg, set on
// the cursor parameter, then the list call into resp and err.
func emitNumberedPageCall(w *writer, p *opPlan, forward []string, arg string) {
	pg := p.pag
	conv := arg
	if pg.cursor.typ.expr != "int" {
		conv = pg.cursor.typ.expr + "(" + arg + ")"
	}
	w.line("q := p")
	if pg.cursor.pointer {
		w.line("q.%s = optional(%s)", pg.cursor.name, conv)
	} else {
		w.line("q.%s = %s", pg.cursor.name, conv)
	}
	w.line("resp, err := s.%s(%s)", p.name, strings.Join(append([]string{"ctx"}, forward...), ", "))
}
