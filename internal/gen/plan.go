package main

import (
	"cmp"
	"slices"
	"strings"
)

// runtimeNames are the identifiers the hand-written files of the resources
// package declare; generated names never take them. The generator also
// reserves whatever the non-generated files of the output directory declare.
var runtimeNames = []string{
	"OperationSpec", "Pace", "Pagination", "PaginationNone", "PaginationCursor", "PaginationPage", "PaginationOffset", "QueryParam", "ListShape",
	"Backend", "Operations", "LookupOperation", "Services", "NewServices", "Ptr",
	"RequestOption", "RequestConfig", "NewRequestConfig", "WithHeader", "WithCallMaxWait",
	"Scope", "Tier", "TierUnknown", "TierRead", "TierWrite", "TierDestructive", "DocumentedScopes",
	"scopeInfo", "scopeTiers", "scopeTable", "scopeWildcard",
	"operationTable", "encodeQuery", "bodyOf", "valueOf", "optional", "cursorSeq", "pageSeq",
	"cursorPages", "pagePages", "offsetSeq", "offsetPages",
	"PaginationLink", "PaginationAfter", "PaginationBefore", "ResponseHeaderer", "linkPages", "idPages",
	"itemsOf", "itemsOfPages", "linkToken", "nextLink",
}

// localNames are the identifiers generated method bodies use; parameters
// never take them.
var localNames = []string{
	"ctx", "params", "body", "out", "err", "s", "p", "q", "cursor", "page", "resp", "b", "opts",
	"context", "json", "url", "fmt", "time", "iter", "strconv",
}

// service is the Go service of one resource.
type service struct {
	resource string // resource key, such as "api-keys"
	typeName string // "APIKeysService"
	field    string // "APIKeys"
	file     string // "api_keys_gen.go"
	doc      string // the tag's description
	ops      []*opPlan
	methods  *namespace
}

// opPlan is everything the emitters need for one operation.
type opPlan struct {
	op        *operation
	svc       *service
	name      string // Go method name
	iter      string // iterator method name; "" when the operation has none
	pages     string // page iterator method name; "" when the operation has none
	indexName string // the index constant in operationTable
	args      []arg
	params    *typeDecl
	dropped   []string // query parameters the params struct cannot carry
	body      *goType
	bodyNote  string
	resp      *goType
	respNote  string
	pag       *pagePlan
	// pagNote says, for a list that looks paginated but gets no
	// iterator, why; "" otherwise.
	pagNote string
}

// arg is a path parameter of a method.
type arg struct {
	name string
	typ  goType
	p    *param
}

// pagePlan says how an iterator walks a list operation.
type pagePlan struct {
	style  string // one of paginationStyles
	items  *field // the response's slice of items; nil when the response is the array
	item   string // the item type expression
	cursor *field // the query field set per page: cursor, page number, offset, token or id
	next   *field // cursor: the next cursor; page: the page count; offset: the total (may be nil)
	// nextIn is the response field that holds next when next is one level
	// down (meta.next_cursor), else nil.
	nextIn *field
	id     *field // after, before: the items' id field
	// itemPtr reports that the items are pointers ([]*T).
	itemPtr bool
}

// plan is the whole generated API.
type plan struct {
	doc      *document
	ops      []*opPlan
	services []*service // sorted by resource key
	m        *mapper
}

// buildPlan maps every operation and schema of d. reserved lists further
// package-level names to avoid.
func buildPlan(d *document, reserved []string) *plan {
	ops := d.readOperations()
	pkg := newNamespace(append(append([]string{}, runtimeNames...), reserved...)...)
	pl := &plan{doc: d}

	// Services, in order of first use; their names are claimed first.
	bySvc := map[string]*service{}
	fields := newNamespace()
	tagDocs := map[string]string{}
	for _, t := range d.Root.Arr("tags") {
		if to, ok := t.(*object); ok {
			tagDocs[kebab(to.Str("name"))] = strings.TrimSpace(to.Str("description"))
		}
	}
	for _, op := range ops {
		if bySvc[op.resource] != nil {
			continue
		}
		f := exportedName(op.resource)
		if f == "" {
			f = "Default"
		}
		svc := &service{
			resource: op.resource,
			field:    fields.claim(f),
			typeName: pkg.claim(f + "Service"),
			doc:      cmp.Or(tagDocs[op.resource], tagDocs[d.renamedResources[op.resource]]),
			methods:  newNamespace(),
		}
		bySvc[op.resource] = svc
		pl.services = append(pl.services, svc)
	}
	pl.m = newMapper(d, pkg)
	m := pl.m

	for _, op := range ops {
		svc := bySvc[op.resource]
		p := &opPlan{op: op, svc: svc}
		p.indexName = pkg.claim("op" + exportedName(op.resource) + exportedName(op.action))
		name := exportedName(op.action)
		if name == "" {
			name = "Call"
		}
		p.name = svc.methods.claim(name)
		m.planArgs(p)
		m.planParams(p, pkg)
		if op.body != nil {
			t := m.typeOf(op.body.schema, hintFor(svc.field+p.name+"Request"))
			if op.body.raw != "" {
				t = m.raw(svc.field+"."+p.name+" request body", op.body.raw)
			}
			p.body, p.bodyNote = &t, op.body.raw
		}
		if op.resp != nil {
			t := m.typeOf(op.resp.schema, hintFor(svc.field+p.name+"Response"))
			if op.resp.raw != "" {
				t = m.raw(svc.field+"."+p.name+" response body", op.resp.raw)
			}
			p.resp, p.respNote = &t, op.resp.raw
		}
		svc.ops = append(svc.ops, p)
		pl.ops = append(pl.ops, p)
	}
	m.fixCycles()
	for _, p := range pl.ops {
		pl.planPagination(p)
	}
	// Iterator names come after every method name is known.
	for _, p := range pl.ops {
		if p.pag != nil {
			base, ok := strings.CutPrefix(p.name, "List")
			if !ok {
				base = p.name
			}
			p.iter = p.svc.methods.claim("All" + base)
			p.pages = p.svc.methods.claim("Pages" + base)
		}
	}
	// Which resources use each declaration decides its file.
	for _, p := range pl.ops {
		seen := map[*typeDecl]bool{}
		mark := func(t goType) { walkType(t, seen, func(d *typeDecl) { d.resources[p.op.resource] = true }) }
		for _, a := range p.args {
			mark(a.typ)
		}
		if p.params != nil {
			mark(named(p.params, false))
		}
		if p.body != nil {
			mark(*p.body)
		}
		if p.resp != nil {
			mark(*p.resp)
		}
	}
	files := newNamespace("operations", "services", "models")
	slices.SortFunc(pl.services, func(a, b *service) int { return strings.Compare(a.resource, b.resource) })
	for _, svc := range pl.services {
		base := snake(svc.resource)
		if base == "" {
			base = "resource"
		}
		svc.file = files.claim(base) + "_gen.go"
	}
	return pl
}

// walkType visits every declaration t refers to.
func walkType(t goType, seen map[*typeDecl]bool, visit func(*typeDecl)) {
	if t.elem != nil {
		walkType(*t.elem, seen, visit)
	}
	if t.kind != kNamed || seen[t.decl] {
		return
	}
	seen[t.decl] = true
	visit(t.decl)
	walkType(t.decl.target, seen, visit)
	for _, f := range t.decl.fields {
		walkType(f.typ, seen, visit)
	}
}

// planArgs types the path parameters; anything but a string, number, bool
// or string enum is passed as a string.
func (m *mapper) planArgs(p *opPlan) {
	locals := newNamespace(localNames...)
	for _, pp := range p.op.pathParams {
		name := unexportedName(pp.name)
		if name == "" {
			name = "arg"
		}
		if locals.taken(name) {
			name += "Arg"
		}
		name = locals.claim(name)
		t := m.typeOf(pp.schema, hintFor(p.svc.field+p.name).prop(exportedName(pp.name)))
		switch t.underlying().kind {
		case kString, kInt, kFloat, kBool:
		default:
			if !(t.kind == kNamed && t.decl.kind == dEnum) {
				t = goType{kind: kString, expr: "string"}
			}
		}
		p.args = append(p.args, arg{name: name, typ: t, p: pp})
	}
}

// planParams declares the query-parameters struct of an operation.
func (m *mapper) planParams(p *opPlan, pkg *namespace) {
	if len(p.op.queryParams) == 0 {
		return
	}
	name := pkg.claim(p.svc.field + p.name + "Params")
	d := &typeDecl{name: name, hint: hintFor(name), kind: dStruct, params: true, filled: true, resources: map[string]bool{}}
	d.doc = p.svc.typeName + "." + p.name
	m.decls = append(m.decls, d)
	fns := newNamespace()
	for _, q := range p.op.queryParams {
		if !validURLTagName(q.name) {
			p.dropped = append(p.dropped, q.name)
			continue
		}
		fname := exportedName(q.name)
		if fname == "" {
			fname = "Param"
		}
		fname = fns.claim(fname)
		t := m.typeOf(q.schema, d.hint.prop(fname))
		if !queryEncodable(t) {
			t = goType{kind: kString, expr: "string"}
		}
		f := &field{
			name: fname, jsonName: q.name, typ: t, doc: q.description,
			pointer:    !q.required && !t.nilable(),
			optional:   !q.required,
			deprecated: q.deprecated,
		}
		if t.underlying().kind == kSlice && q.explode != nil && !*q.explode {
			f.urlOpts = ",comma"
		}
		d.fields = append(d.fields, f)
	}
	p.params = d
}

// validURLTagName reports whether a query parameter name fits in a url tag.
func validURLTagName(name string) bool {
	return name != "" && !strings.ContainsAny(name, ",\"`\\") && !strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f })
}

// queryEncodable reports whether the query encoder handles t.
func queryEncodable(t goType) bool {
	u := t.underlying()
	switch u.kind {
	case kString, kInt, kFloat, kBool, kTime:
		return true
	case kNamed:
		return u.decl.kind == dEnum
	case kSlice:
		return u.elem != nil && !u.elem.nullable && queryScalar(*u.elem)
	case kMap:
		return u.elem != nil && !u.elem.nullable && (queryScalar(*u.elem) || u.elem.kind == kAny)
	}
	return false
}

func queryScalar(t goType) bool {
	u := t.underlying()
	switch u.kind {
	case kString, kInt, kFloat, kBool, kTime:
		return true
	case kNamed:
		return u.decl.kind == dEnum
	}
	return false
}

// fieldByJSON finds a field by its JSON (or query) name, trying names in order.
func fieldByJSON(d *typeDecl, names ...string) *field {
	if d == nil {
		return nil
	}
	for _, n := range names {
		if n == "" {
			continue
		}
		for _, f := range d.fields {
			if f.jsonName == n {
				return f
			}
		}
	}
	return nil
}
