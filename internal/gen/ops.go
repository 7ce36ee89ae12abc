package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/restorehub/restorehub-go/internal/openapi"
	"github.com/restorehub/restorehub-go/internal/pathtemplate"
)

// httpMethods are the operation keys of a path item.
var httpMethods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true,
	"options": true, "head": true, "patch": true, "trace": true,
}

// operation is one operation of the spec, as the emitters need it.
type operation struct {
	index  int
	method string // upper case
	path   string
	obj    *object

	resource string // kebab-case resource key, such as "api-keys"
	action   string // such as "list" or "massVerify"
	id       string // resource + "." + action

	summary, description string
	scope, tier          string
	otherScopes          []string // accepted besides scope
	accepted             []string // every accepted scope, scope among them
	idempotent           bool
	inferred             bool
	existenceDocumented  bool
	deprecated           bool

	pagination    string  // declared style: "", "none", or one of paginationStyles
	linkHeader    bool    // the success response declares a Link header
	paginationCfg *object // x-pagination when it is an object
	pace          *pace
	rateText      string

	pathParams  []*param // in template order
	queryParams []*param
	skipped     []*param // header and cookie parameters
	body        *payload
	resp        *payload
	respStatus  string
	pathParts   []pathPart
	template    pathtemplate.Template // the path, parsed
	siblings    []string              // the other methods of the same path, upper case
}

// param is one parameter of an operation.
type param struct {
	name, in, description string
	required, deprecated  bool
	style                 string
	explode               *bool
	schema                *schema
	example               any // the parameter's own example, else its schema's; nil for none
}

// payload is a request or response body.
type payload struct {
	mediaType   string
	schema      *schema
	required    bool
	description string
	// raw says why the body is sent or read as raw JSON ("" when typed).
	raw string
}

// pace is an operation's own budget from an x-rate-limit object.
type pace struct {
	per, count   string
	limit        int64
	interval     time.Duration
	intervalText string
	description  string
}

// pathPart is a literal piece of a path template or a parameter.
type pathPart struct {
	literal string
	param   *param
}

// readOperations collects the operations in document order: paths in the
// order given, and methods in the order each path item lists them.
func (d *document) readOperations() []*operation {
	var ops []*operation
	d.Root.Obj("paths").Each(func(path string, v any) {
		item, ok := d.Follow(v)
		if !ok {
			d.warn(fmt.Sprintf("path %q: cannot resolve the path item", path))
			return
		}
		shared := item.Arr("parameters")
		item.Each(func(k string, ov any) {
			if !httpMethods[strings.ToLower(k)] {
				return
			}
			o, ok := ov.(*object)
			if !ok {
				return
			}
			op := d.readOperation(path, strings.ToUpper(k), o, shared)
			if op == nil {
				return
			}
			item.Each(func(other string, _ any) {
				if httpMethods[strings.ToLower(other)] && !strings.EqualFold(other, k) {
					op.siblings = append(op.siblings, strings.ToUpper(other))
				}
			})
			op.index = len(ops)
			ops = append(ops, op)
		})
	})
	d.assignIDs(ops)
	return ops
}

func (d *document) readOperation(path, method string, o *object, shared []any) *operation {
	op := &operation{method: method, path: path, obj: o}
	// The template is read by the SDK's own parser: an operation whose
	// template the client, its fake and its agent could not match or fill
	// is left out here, never generated to fail at run time.
	tmpl, err := pathtemplate.Parse(path)
	if err != nil {
		d.warn(fmt.Sprintf("%s %s: left out: %v", method, path, err))
		return nil
	}
	op.template = tmpl
	op.summary = strings.TrimSpace(o.Str("summary"))
	op.description = strings.TrimSpace(o.Str("description"))
	if op.summary == "" {
		op.summary = firstSentence(op.description)
	}
	op.inferred = o.IsTrue("x-inferred")
	op.existenceDocumented = o.IsTrue("x-existence-documented")
	op.deprecated = o.IsTrue("deprecated")
	op.idempotent = slices.Contains([]string{"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"}, method)
	if b, ok := o.Boolean("x-idempotent"); ok {
		op.idempotent = b
	}
	sc := d.Scopes(o)
	op.scope, op.accepted = sc.Required, sc.Accepted
	for _, s := range sc.Accepted {
		if s != sc.Required {
			op.otherScopes = append(op.otherScopes, s)
		}
	}
	op.tier, _ = d.OperationTier(method, o, op.scope)
	d.readPagination(op)
	d.readPace(op)
	d.readParams(op, shared)
	d.readBody(op)
	d.readResponse(op)
	return op
}

// firstSentence returns the first line of s, cut after its first sentence.
func firstSentence(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	return strings.TrimSpace(s)
}

func (d *document) readPagination(op *operation) {
	style, cfg, ok := openapi.DeclaredPagination(op.obj)
	if !ok {
		return
	}
	op.pagination, op.paginationCfg = style, cfg
	if op.pagination != "none" && !slices.Contains(paginationStyles, op.pagination) {
		d.warn(fmt.Sprintf("%s %s: x-pagination style %q is not one of none, %s; treated as none", op.method, op.path, op.pagination, strings.Join(paginationStyles, ", ")))
		op.pagination = "none"
	}
}

func (d *document) readPace(op *operation) {
	v, ok := op.obj.Get("x-rate-limit")
	if !ok {
		return
	}
	switch t := v.(type) {
	case string:
		op.rateText = strings.TrimSpace(t)
	case *object:
		op.rateText = strings.TrimSpace(t.Str("description"))
		p := &pace{per: t.Str("per"), count: t.Str("count"), description: op.rateText}
		p.limit, _ = t.Integer("limit")
		p.intervalText = t.Str("interval")
		iv, err := parseInterval(p.intervalText)
		if p.per == "" || p.limit <= 0 || err != nil || iv <= 0 {
			d.warn(fmt.Sprintf("%s %s: x-rate-limit needs per, a positive limit and an interval such as \"1m\"; kept as documentation only", op.method, op.path))
			if op.rateText == "" {
				op.rateText = fmt.Sprintf("%d per %s per %s", p.limit, p.intervalText, p.per)
			}
			return
		}
		p.interval = iv
		op.pace = p
	}
}

// parseInterval reads "1m", "10s", "1h30m", or a bare number of seconds.
func parseInterval(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n <= 0 || n > 1<<32 {
			return 0, fmt.Errorf("interval %q out of range", s)
		}
		return time.Duration(n) * time.Second, nil
	}
	return time.ParseDuration(s)
}

func (d *document) readParams(op *operation, shared []any) {
	type key struct{ in, name string }
	byKey := map[key]*param{}
	var order []key
	add := func(list []any) {
		for _, pv := range list {
			po, ok := d.Follow(pv)
			if !ok {
				d.warn(fmt.Sprintf("%s %s: cannot resolve a parameter", op.method, op.path))
				continue
			}
			p := &param{
				name:        po.Str("name"),
				in:          strings.ToLower(po.Str("in")),
				description: strings.TrimSpace(po.Str("description")),
				required:    po.IsTrue("required"),
				deprecated:  po.IsTrue("deprecated"),
				style:       po.Str("style"),
			}
			if b, ok := po.Boolean("explode"); ok {
				p.explode = &b
			}
			if sv, ok := po.Get("schema"); ok {
				p.schema = readSchema(sv)
			} else if c := po.Obj("content"); c.Len() > 0 {
				p.schema = readSchema(mustGet(c.Obj(c.Keys()[0]), "schema"))
			} else {
				p.schema = &schema{types: []string{"string"}}
			}
			if ex, ok := po.Get("example"); ok {
				p.example = ex
			} else if p.schema.example != nil {
				p.example = p.schema.example
			}
			if p.name == "" || p.in == "" {
				continue
			}
			k := key{p.in, p.name}
			if _, seen := byKey[k]; !seen {
				order = append(order, k)
			}
			byKey[k] = p
		}
	}
	add(shared)
	add(op.obj.Arr("parameters"))

	// Path parameters follow the template (resources.PathTemplate's
	// pieces); one it names but the spec does not declare is a required
	// string.
	for _, piece := range op.template.Pieces() {
		if piece.Param == "" {
			op.pathParts = append(op.pathParts, pathPart{literal: piece.Literal})
			continue
		}
		p, ok := byKey[key{"path", piece.Param}]
		if !ok {
			p = &param{name: piece.Param, in: "path", required: true, schema: &schema{types: []string{"string"}}}
		}
		if !slices.Contains(op.pathParams, p) {
			op.pathParams = append(op.pathParams, p)
		}
		op.pathParts = append(op.pathParts, pathPart{param: p})
	}
	for _, k := range order {
		p := byKey[k]
		switch p.in {
		case "query":
			op.queryParams = append(op.queryParams, p)
		case "header", "cookie":
			op.skipped = append(op.skipped, p)
		}
	}
}

// pickJSON chooses the JSON media type of a content map: application/json,
// then any other JSON type. It returns "" when there is none.
func pickJSON(content *object) string {
	if content.Has("application/json") {
		return "application/json"
	}
	for _, k := range content.Keys() {
		mt, _, _ := strings.Cut(strings.ToLower(k), ";")
		mt = strings.TrimSpace(mt)
		if strings.HasSuffix(mt, "+json") || strings.Contains(mt, "/json") || strings.HasPrefix(mt, "application/json") {
			return k
		}
	}
	return ""
}

func (d *document) readBody(op *operation) {
	v, ok := op.obj.Get("requestBody")
	if !ok {
		return
	}
	rb, ok := d.Follow(v)
	if !ok {
		op.body = &payload{raw: "a request body it cannot resolve", schema: &schema{}}
		return
	}
	op.body = d.readPayload(rb)
	if op.body != nil {
		op.body.required = rb.IsTrue("required")
	}
}

func (d *document) readPayload(o *object) *payload {
	p := &payload{description: strings.TrimSpace(o.Str("description"))}
	content := o.Obj("content")
	if content.Len() == 0 {
		return nil
	}
	if mt := pickJSON(content); mt != "" {
		p.mediaType = mt
		sv, ok := content.Obj(mt).Get("schema")
		if !ok {
			p.schema = &schema{}
			p.raw = mt + " content without a schema"
			return p
		}
		p.schema = readSchema(sv)
		return p
	}
	p.mediaType = content.Keys()[0]
	p.schema = &schema{}
	p.raw = p.mediaType + " content (the Backend sends and reads JSON, so the bytes are passed as they are)"
	return p
}

func (d *document) readResponse(op *operation) {
	resps := op.obj.Obj("responses")
	var codes []string
	for _, k := range resps.Keys() {
		if len(k) == 3 && k[0] == '2' {
			codes = append(codes, strings.ToUpper(k))
		}
	}
	slices.SortFunc(codes, func(a, b string) int {
		return strings.Compare(strings.ReplaceAll(a, "X", "9"), strings.ReplaceAll(b, "X", "9"))
	})
	for _, c := range codes {
		key := c
		if !resps.Has(key) {
			key = strings.ToLower(c)
		}
		ro, ok := d.Follow(mustGet(resps, key))
		if !ok {
			continue
		}
		if p := d.readPayload(ro); p != nil {
			op.resp, op.respStatus = p, c
			op.linkHeader = declaresLink(ro)
			return
		}
		if op.respStatus == "" {
			op.respStatus = c
		}
	}
}
