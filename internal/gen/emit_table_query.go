package main

// This file writes the operation table's description of queries and list
// responses (List and Model), which restorehubtest reads to serve a
// spec's filters and pagination without knowing the spec.

// tableQueryFields writes the List and Model fields of p's entry in
// operationTable.
func tableQueryFields(w *writer, p *opPlan) {
	items, item := listItems(p)
	if items != "" {
		w.line("List: &ListShape{")
		w.line("Items: %s,", goQuote(items))
		paging := map[string]bool{}
		if pp := p.pag; pp != nil {
			w.line("Cursor: %s,", goQuote(pp.cursor.jsonName))
			paging[pp.cursor.jsonName] = true
			if pp.next != nil {
				w.line("Next: %s,", goQuote(pp.next.jsonName))
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
	if items == "" && p.resp != nil {
		if d := valueStruct(*p.resp); d != nil {
			model = d.name
		}
	}
	if model != "" {
		w.line("Model: %s,", goQuote(model))
	}
}

// listItems returns the JSON name of the array of items in p's response and
// the name of the items' type, or "" and "" when p is not a list: a
// paginated operation, or a GET whose response object has a "data", "items"
// or "results" array and whose path does not end in a parameter.
func listItems(p *opPlan) (items, item string) {
	if pp := p.pag; pp != nil {
		return pp.items.jsonName, namedElem(pp.items.typ)
	}
	op := p.op
	if op.method != "GET" || p.resp == nil || len(op.pathParts) > 0 && op.pathParts[len(op.pathParts)-1].param != nil {
		return "", ""
	}
	resp := valueStruct(*p.resp)
	f := fieldByJSON(resp, "data", "items", "results")
	if f == nil || f.typ.underlying().kind != kSlice {
		return "", ""
	}
	return f.jsonName, namedElem(f.typ)
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
