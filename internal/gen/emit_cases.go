package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// casesFile is the -cases output: the Cases function of package
// resourcestest, one case per operation in table order, each calling the
// typed method with sample arguments and saying what it must send and
// decode. The values come from the Go types the plan gives each schema,
// with the schema's examples where they fit, so that the case holds after
// any spec swap. The hand-written files of resourcestest declare Case,
// Pages, ptr and t0.
func (pl *plan) casesFile(specPath, pkg, resPkg, importPath string) ([]byte, error) {
	sm := &sampler{pl: pl, res: resPkg, schemas: pl.declSchemas(), open: map[*typeDecl]bool{}}
	var w writer
	w.comment("Cases returns one case per operation of the " + resPkg + " package, in the order of " + resPkg + ".Operations. Each call returns fresh values.")
	w.line("func Cases() []Case {")
	w.line("return []Case{")
	for _, p := range pl.ops {
		w.line("%s(),", caseFunc(p))
	}
	w.line("}")
	w.line("}")
	// One small function per case rather than one literal of them all:
	// the compiler's time grows faster than linearly with the size of one
	// function, and a 242-operation document's single literal took minutes
	// to build.
	for _, p := range pl.ops {
		w.line("")
		w.line("func %s() Case {", caseFunc(p))
		w.line("return Case{")
		sm.emitCase(&w, p)
		w.line("}")
	}
	return finalizeCases(specPath, pkg, resPkg, importPath, w.Bytes())
}

// finalizeCases adds the header, the package clause and the imports the
// body uses, and formats the file.
func finalizeCases(specPath, pkg, resPkg, importPath string, body []byte) ([]byte, error) {
	head := headerLine(specPath) + "\n\npackage " + pkg + "\n\n"
	f, err := parser.ParseFile(token.NewFileSet(), "", head+string(body), parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("generated cases do not parse (a generator bug): %w", err)
	}
	known := map[string]string{"context": "context", "json": "encoding/json", "time": "time", "url": "net/url", resPkg: importPath}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && known[id.Name] != "" {
				used[known[id.Name]] = true
			}
		}
		return true
	})
	var b bytes.Buffer
	b.WriteString(head)
	if len(used) > 0 {
		// The standard library first, then the resources package.
		b.WriteString("import (\n")
		for _, p := range slices.Sorted(maps.Keys(used)) {
			if p != importPath {
				fmt.Fprintf(&b, "\t%q\n", p)
			}
		}
		if used[importPath] {
			fmt.Fprintf(&b, "\n\t%q\n", importPath)
		}
		b.WriteString(")\n\n")
	}
	b.Write(body)
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generated cases do not format (a generator bug): %w", err)
	}
	return out, nil
}

// declSchemas maps each declared type to the schema it was built from, for
// the examples of its properties.
func (pl *plan) declSchemas() map[*typeDecl]*schema {
	out := map[*typeDecl]*schema{}
	for name, t := range pl.m.compTypes {
		if t.decl != nil && pl.m.comps[name] != nil {
			out[t.decl] = pl.m.comps[name]
		}
	}
	// Several schemas can map to one type (a $ref, an anyOf with null
	// around it): keep the one that lists the properties, so the result does
	// not depend on the map's order.
	for s, t := range pl.m.memo {
		if t.kind != kNamed || t.decl == nil {
			continue
		}
		if old := out[t.decl]; old == nil || len(s.props) > len(old.props) {
			out[t.decl] = s
		}
	}
	return out
}

// sampler builds sample values of generated types, each as JSON text and as
// a Go expression that equals what decoding the JSON gives.
type sampler struct {
	pl      *plan
	res     string // the resources package name, qualifying its types
	schemas map[*typeDecl]*schema
	open    map[*typeDecl]bool // structs being sampled, against recursion
}

// maxSampleDepth bounds how deep samples nest through pointers, slices and
// maps; structs held by value are always filled.
const maxSampleDepth = 4

// sampleTime is the instant of every time sample; t0 in resourcestest.
const sampleTime = `"2026-01-02T03:04:05Z"`

// qualify spells t in another package.
func (sm *sampler) qualify(t goType) string {
	switch t.kind {
	case kNamed:
		return sm.res + "." + t.decl.name
	case kSlice:
		if t.elem == nil {
			return t.expr
		}
		return "[]" + sm.elemExpr(*t.elem)
	case kMap:
		if t.elem == nil {
			return t.expr
		}
		return "map[string]" + sm.elemExpr(*t.elem)
	}
	if handWrittenTypes[t.expr] {
		// A hand-written type of the resources package, such as Scope.
		return sm.res + "." + t.expr
	}
	return t.expr
}

// elemExpr spells the element type of a slice or map: a pointer for a
// nullable element that is not nil-able, as arrayType and objectType do.
func (sm *sampler) elemExpr(e goType) string {
	if e.nullable && !e.nilable() {
		return "*" + sm.qualify(e)
	}
	return sm.qualify(e)
}

// ptrTo spells a pointer to the value expr of type t: &T{...} for a struct
// literal, ptr(v) where Go infers T from v, and ptr[T](v) elsewhere.
func (sm *sampler) ptrTo(t goType, expr string) string {
	if strings.HasPrefix(expr, sm.qualify(t)+"{") && t.kind == kNamed && t.decl.kind == dStruct {
		return "&" + expr
	}
	switch {
	case t.kind == kTime,
		t.kind == kString && t.expr == "string",
		t.kind == kBool && t.expr == "bool",
		t.kind == kInt && t.expr == "int",
		t.kind == kFloat && t.expr == "float64" && strings.Contains(expr, "."):
		return "ptr(" + expr + ")"
	}
	return "ptr[" + sm.qualify(t) + "](" + expr + ")"
}

// elide drops the type of a composite literal element, as gofmt -s does.
func (sm *sampler) elide(elem goType, expr string) string {
	if elem.kind == kNamed && elem.decl.kind == dStruct {
		if rest, ok := strings.CutPrefix(expr, "&"+sm.qualify(elem)+"{"); ok {
			return "{" + rest
		}
		if rest, ok := strings.CutPrefix(expr, sm.qualify(elem)+"{"); ok {
			return "{" + rest
		}
	}
	return expr
}

// literal spells s as a Go string literal: raw when it can be.
func literal(s string) string {
	if !strings.ContainsAny(s, "`\r") && strconv.CanBackquote(s) {
		return "`" + s + "`"
	}
	return goQuote(s)
}

// sample is one sample value.
type sample struct {
	json, expr string
}

// value samples t with example ex (nil for none). ok is false when t is a
// struct already being sampled or the depth is exhausted and byValue is
// false; the caller then leaves the value out.
func (sm *sampler) value(t goType, ex any, depth int, byValue bool) (sample, bool) {
	switch t.kind {
	case kString:
		s := "sample"
		if e, ok := ex.(string); ok && e != "" {
			s = e
		}
		return sample{jsonString(s), goQuote(s)}, true
	case kInt:
		n := int64(1)
		if e, ok := ex.(json.Number); ok {
			if v, err := e.Int64(); err == nil && v > 0 && v <= math.MaxInt32 {
				n = v
			}
		}
		s := strconv.FormatInt(n, 10)
		return sample{s, s}, true
	case kFloat:
		return sample{"1.5", "1.5"}, true
	case kBool:
		return sample{"true", "true"}, true
	case kTime:
		return sample{sampleTime, "t0"}, true
	case kBytes:
		return sample{`"c2FtcGxl"`, `[]byte("sample")`}, true
	case kAny:
		return sample{`"sample"`, `"sample"`}, true
	case kRaw:
		const raw = `{"sample":true}`
		return sample{raw, "json.RawMessage(" + goQuote(raw) + ")"}, true
	case kSlice, kMap:
		return sm.container(t, sm.qualify(t), depth)
	case kNamed:
		d := t.decl
		switch d.kind {
		case dEnum:
			if len(d.enum) == 0 && d.numericEnum() {
				return sample{`0`, sm.qualify(t) + `(0)`}, true
			}
			if len(d.enum) == 0 {
				return sample{`""`, sm.qualify(t) + `("")`}, true
			}
			c := d.enum[0]
			for _, e := range d.enum {
				if e.value == ex || d.numericEnum() && fmt.Sprint(ex) == e.value {
					c = e
				}
			}
			if d.numericEnum() {
				return sample{c.value, sm.res + "." + c.name}, true
			}
			return sample{jsonString(c.value), sm.res + "." + c.name}, true
		case dAlias:
			return sm.value(d.target, ex, depth, byValue)
		case dDefined:
			return sm.container(d.target, sm.qualify(t), depth)
		case dStruct:
			return sm.structValue(d, depth, byValue)
		}
	}
	return sample{}, false
}

// container samples a slice or map type with one element, spelling its
// literal as lit.
func (sm *sampler) container(t goType, lit string, depth int) (sample, bool) {
	if t.elem == nil {
		return sample{}, false
	}
	var e sample
	ok := false
	if depth <= maxSampleDepth { // a defined type can contain itself: type Tree []Tree
		e, ok = sm.value(*t.elem, nil, depth+1, false)
	}
	if ok && t.elem.nullable && !t.elem.nilable() {
		e.expr = sm.ptrTo(*t.elem, e.expr)
	}
	e.expr = sm.elide(*t.elem, e.expr)
	if t.kind == kSlice {
		if !ok {
			return sample{"[]", lit + "{}"}, true
		}
		return sample{"[" + e.json + "]", lit + "{" + e.expr + "}"}, true
	}
	if !ok {
		return sample{"{}", lit + "{}"}, true
	}
	return sample{`{"key":` + e.json + "}", lit + `{"key": ` + e.expr + "}"}, true
}

// structValue samples a struct with every field it can fill.
func (sm *sampler) structValue(d *typeDecl, depth int, byValue bool) (sample, bool) {
	if !byValue && (sm.open[d] || depth > maxSampleDepth) {
		return sample{}, false
	}
	sm.open[d] = true
	defer delete(sm.open, d)
	examples := map[string]any{}
	if s := sm.schemas[d]; s != nil {
		for _, p := range s.props {
			if p.schema.example != nil {
				examples[p.name] = p.schema.example
			}
		}
	}
	var js, gs []string
	for _, f := range d.fields {
		v, ok := sm.value(f.typ, examples[f.jsonName], depth+1, !f.pointer && !f.typ.nilable())
		if !ok {
			if !f.optional {
				// encoding/json writes a nil pointer, slice or map as null.
				js = append(js, jsonString(f.jsonName)+":null")
			}
			continue
		}
		if f.pointer {
			v.expr = sm.ptrTo(f.typ, v.expr)
		}
		js = append(js, jsonString(f.jsonName)+":"+v.json)
		gs = append(gs, f.name+": "+v.expr)
	}
	lit := sm.res + "." + d.name + "{" + strings.Join(gs, ", ") + "}"
	return sample{"{" + strings.Join(js, ",") + "}", lit}, true
}

// jsonString is s as a JSON string.
func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// queryText spells a sample as the query encoder sends it: a JSON string
// without its quotes (time samples are RFC 3339 already), anything else as
// its JSON text.
func queryText(v sample) string {
	var s string
	if json.Unmarshal([]byte(v.json), &s) == nil {
		return s
	}
	return v.json
}

// emitCase writes the fields and the closing brace of one Case literal.
func (sm *sampler) emitCase(w *writer, p *opPlan) {
	op := p.op
	w.line("ID: %s, Method: %s, Path: %s,", goQuote(op.id), goQuote(op.method), goQuote(sm.samplePath(p)))
	if op.scope != "" {
		w.line("Scope: %s,", goQuote(op.scope))
	}
	if t := knownTiers[op.tier]; t != "" {
		w.line("Tier: %s.%s,", sm.res, t)
	}
	args := []string{"ctx"}
	for _, a := range p.args {
		v, _ := sm.value(a.typ, a.p.example, 0, true)
		args = append(args, v.expr)
	}
	if p.params != nil {
		lit, query := sm.sampleParams(p.params)
		args = append(args, "&"+lit)
		if len(query) > 0 {
			var parts []string
			for _, k := range slices.Sorted(maps.Keys(query)) {
				var vs []string
				for _, v := range query[k] {
					vs = append(vs, goQuote(v))
				}
				parts = append(parts, goQuote(k)+": {"+strings.Join(vs, ", ")+"}")
			}
			w.line("Query: url.Values{%s},", strings.Join(parts, ", "))
		}
	}
	if p.body != nil {
		v, _ := sm.value(*p.body, nil, 0, true)
		arg := v.expr
		if !p.body.nilable() {
			arg = sm.ptrTo(*p.body, v.expr)
		}
		args = append(args, arg)
		w.line("Body: %s,", literal(v.json))
	}
	status := 200
	if n, err := strconv.Atoi(op.respStatus); err == nil {
		status = n
	}
	if p.resp == nil && status == 200 && op.respStatus == "" {
		status = 204
	}
	w.line("Status: %d,", status)
	call := "s." + p.svc.field + "." + p.name + "(" + strings.Join(args, ", ") + ")"
	if p.resp == nil {
		w.line("Call: func(ctx context.Context, s %s.Services) (any, error) { return nil, %s },", sm.res, call)
	} else {
		v, _ := sm.value(*p.resp, nil, 0, true)
		want := v.expr
		if !p.resp.nilable() {
			want = sm.ptrTo(*p.resp, v.expr)
		}
		w.line("Call: func(ctx context.Context, s %s.Services) (any, error) { return %s },", sm.res, call)
		w.line("Response: %s,", literal(v.json))
		w.line("Want: %s,", want)
	}
	if pg := p.pag; pg != nil {
		iterCall := "s." + p.svc.field + "." + p.iter + "(" + strings.Join(args, ", ") + ")"
		w.line("Pages: &Pages{Style: %s, Param: %s, Items: %s, Next: %s,", goQuote(pg.style), goQuote(pg.cursor.jsonName), goQuote(pg.itemsName()), goQuote(pg.nextName()))
		if pg.id != nil {
			w.line("ID: %s,", goQuote(pg.id.jsonName))
		}
		w.line("All: func(ctx context.Context, s %s.Services) (int, error) {", sm.res)
		w.line("n := 0")
		w.line("for _, err := range %s {", iterCall)
		w.line("if err != nil {")
		w.line("return n, err")
		w.line("}")
		w.line("n++")
		w.line("}")
		w.line("return n, nil")
		w.line("},")
		w.line("},")
	}
	w.line("}")
}

// caseFunc names the function that returns p's case.
func caseFunc(p *opPlan) string {
	return "case" + p.svc.field + p.name
}

// samplePath fills the path template with the path arguments' samples,
// escaped as the generated method escapes them.
func (sm *sampler) samplePath(p *opPlan) string {
	var b strings.Builder
	for _, part := range p.op.pathParts {
		if part.param == nil {
			b.WriteString(part.literal)
			continue
		}
		for _, a := range p.args {
			if a.p == part.param {
				v, _ := sm.value(a.typ, a.p.example, 0, true)
				b.WriteString(url.PathEscape(queryText(v)))
			}
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// sampleParams fills every field of a params struct the sampler can spell
// as a query, and returns its literal and the query it encodes to.
func (sm *sampler) sampleParams(d *typeDecl) (string, url.Values) {
	examples := map[string]any{}
	for _, q := range sm.paramsOf(d) {
		if q.example != nil {
			examples[q.name] = q.example
		}
	}
	query := url.Values{}
	var gs []string
	for _, f := range d.fields {
		u := f.typ.underlying()
		var v sample
		switch {
		case queryScalar(f.typ):
			v, _ = sm.value(f.typ, examples[f.jsonName], 1, true)
			query.Add(f.jsonName, queryText(v))
		case u.kind == kSlice && u.elem != nil && queryScalar(*u.elem):
			e, _ := sm.value(*u.elem, nil, 2, true)
			v = sample{expr: sm.qualify(f.typ) + "{" + e.expr + "}"}
			query.Add(f.jsonName, queryText(e))
		case u.kind == kMap && u.elem != nil && (queryScalar(*u.elem) || u.elem.kind == kAny):
			e, _ := sm.value(*u.elem, nil, 2, true)
			v = sample{expr: sm.qualify(f.typ) + `{"key": ` + e.expr + "}"}
			query.Add(f.jsonName+"[key]", queryText(e))
		default:
			continue
		}
		if f.pointer {
			v.expr = sm.ptrTo(f.typ, v.expr)
		}
		gs = append(gs, f.name+": "+v.expr)
	}
	return sm.res + "." + d.name + "{" + strings.Join(gs, ", ") + "}", query
}

// paramsOf finds the query parameters a params struct was declared for.
func (sm *sampler) paramsOf(d *typeDecl) []*param {
	for _, p := range sm.pl.ops {
		if p.params == d {
			return p.op.queryParams
		}
	}
	return nil
}
