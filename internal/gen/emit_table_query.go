package main

// This file writes the operation table's description of queries and list
// responses (List and Model), which restorehubtest reads to serve a
// spec's filters and pagination without knowing the spec.

// tableQueryFields writes the List and Model fields of p's entry in
// operationTable.
func tableQueryFields(w *writer, p *opPlan) {
	items, item, list := listItems(p)
	if list {
		w.line("List: &ListShape{")
		if items != "" {
			w.line("Items: %s,", goQuote(items))
		}
		paging := map[string]bool{}
		if pp := p.pag; pp != nil {
			w.line("Cursor: %s,", goQuote(pp.cursor.jsonName))
			paging[pp.cursor.jsonName] = true
			if pp.next != nil {
				w.line("Next: %s,", goQuote(pp.nextName()))
			}
			if pp.id != nil && pp.id.jsonName != "id" {
				w.line("ID: %s,", goQuote(pp.id.jsonName))
			}
		}
		var cfgLimit string
		if cfg := p.op.paginationCfg; cfg != nil {
			cfgLimit = cfg.Str("limitParam")
		}
		if f := fieldByJSON(p.params, cfgLimit, "limit", "pageSize", "page_size", "per_page", "perPage", "size"); f != nil {
			w.line("Limit: %s,", goQuote(f.jsonName))
			paging[f.jsonName] = true
		}
		var filters []*param
		for _, q := range p.op.queryParams {
			if !paging[q.name] {
				filters = append(filters, q)
			}
		}
		if len(filters) > 0 {
			w.line("Filters: []QueryParam{")
			for _, q := range filters {
				w.line("{Name: %s, Type: %s},", goQuote(q.name), goQuote(queryType(p, q.name)))
			}
			w.line("},")
		}
		w.line("},")
	}
	model := item
	if !list && p.resp != nil {
		if d := valueStruct(*p.resp); d != nil {
			model = d.name
		}
	}
	if model != "" {
		w.line("Model: %s,", goQuote(model))
	}
	if p.resp != nil {
		if kind := scalarKinds[p.resp.underlying().kind]; kind != "" {
			w.line("Scalar: %s,", goQuote(kind))
		}
	}
}

// scalarKinds are the JSON types of the Go kinds a scalar response body
// decodes into (OperationSpec.Scalar).
var scalarKinds = map[kind]string{kString: "string", kInt: "integer", kFloat: "number", kBool: "boolean"}

// listItems returns the JSON name of the array of items in p's response and
// the name of the items' type, and whether p is a list at all: a paginated
// operation, or a GET whose path does not end in a parameter and whose
// response is an array or an object with a "data", "items" or "results"
// array. items is "" when the response is the array itself.
func listItems(p *opPlan) (items, item string, list bool) {
	if pp := p.pag; pp != nil {
		if pp.items != nil {
			return pp.items.jsonName, namedElem(pp.items.typ), true
		}
		return "", namedElem(*p.resp), true
	}
	op := p.op
	if op.method != "GET" || p.resp == nil || len(op.pathParts) > 0 && op.pathParts[len(op.pathParts)-1].param != nil {
		return "", "", false
	}
	if arrayResponse(*p.resp) {
		return "", namedElem(*p.resp), true
	}
	resp := valueStruct(*p.resp)
	f := fieldByJSON(resp, "data", "items", "results")
	if f == nil || f.typ.underlying().kind != kSlice {
		return "", "", false
	}
	return f.jsonName, namedElem(f.typ), true
}

// namedElem returns the name of the struct type of a slice's elements, or "".
func namedElem(t goType) string {
	u := t.underlying()
	if u.kind != kSlice || u.elem == nil {
		return ""
	}
	if d := valueStruct(*u.elem); d != nil {
		return d.name
	}
	return ""
}

// queryType returns the JSON type of the query parameter name as p's
// params struct carries it: "string", "integer", "number", "boolean",
// "array", or "" when it is another or the struct does not carry it.
func queryType(p *opPlan, name string) string {
	f := fieldByJSON(p.params, name)
	if f == nil {
		return ""
	}
	t := f.typ.underlying()
	switch t.kind {
	case kString, kTime, kBytes:
		return "string"
	case kBool:
		return "boolean"
	case kInt:
		return "integer"
	case kFloat:
		return "number"
	case kSlice:
		return "array"
	case kNamed:
		if t.decl.numericEnum() {
			return "integer"
		}
		if t.decl.kind == dEnum {
			return "string"
		}
	}
	return ""
}
