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
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/restorehub/restorehub-go/internal/openapi"
)

// The agent toolkit's tool table (agent/tools_gen.go) is generated from the
// same plan as the typed services: one tool per operation, named after its
// ID, with a JSON Schema that flattens the path, query and body arguments
// into one object, and a dispatch function that decodes the arguments and
// calls the typed service method.

// Import paths the tools file refers to.
const (
	rootImport      = "github.com/restorehub/restorehub-go"
	resourcesImport = "github.com/restorehub/restorehub-go/resources"
)

// toolArg is one property of a tool's input schema.
type toolArg struct {
	name     string // the property name the model sends
	jsonName string // the body field it fills, for flattened body properties
	in       string // "path", "query", "body" (a flattened property) or "wholeBody"
	schema   any
	required bool
	goVar    string // path: the Go variable; query: the params field
}

// toolsFile generates the tool table of the agent package from the plan
// the resources package is generated from.
func (pl *plan) toolsFile(specPath, pkg string) ([]byte, error) {
	d := pl.doc
	var w writer
	decls := map[string]bool{}
	for _, dc := range pl.m.decls {
		decls[dc.name] = true
	}
	q := func(expr string) string { return qualifyExpr(expr, decls) }
	argsOf := make([][]toolArg, len(pl.ops))
	for i, p := range pl.ops {
		argsOf[i] = toolArgs(d, p)
	}
	shared := shareArgDocs(argsOf)
	w.comment("sharedArgDocs are the descriptions of the parameters many tools share, by argument name: said once (Toolkit.Instructions), not in each schema.")
	w.line("var sharedArgDocs = map[string]string{")
	for _, name := range slices.Sorted(maps.Keys(shared)) {
		w.line("%s: %s,", goQuote(name), goQuote(shared[name]))
	}
	w.line("}")
	w.comment(fmt.Sprintf("toolDefs are the %d tools, one per operation of the spec, in the spec's order.", len(pl.ops)))
	w.line("var toolDefs = []toolDef{")
	for i, p := range pl.ops {
		op := p.op
		args := argsOf[i]
		w.line("{")
		w.line("name: %s,", goQuote(toolName(op.id)))
		w.line("operation: %s,", goQuote(op.id))
		w.line("title: %s,", goQuote(toolTitle(op)))
		w.line("toolset: %s,", goQuote(op.resource))
		if op.inferred {
			w.line("inferred: true,")
			if op.existenceDocumented {
				w.line("partlyInferred: true,")
			}
		}
		w.line("description: %s,", goQuote(toolDescription(p)))
		if pacing := toolPacing(p); pacing != "" {
			w.line("pacing: %s,", goQuote(pacing))
		}
		schema, err := budgetedToolSchema(args)
		if err != nil {
			return nil, fmt.Errorf("tool %s: %w", toolName(op.id), err)
		}
		if err := checkToolSchema(schema); err != nil {
			return nil, fmt.Errorf("tool %s: its input schema would not compile: %w", toolName(op.id), err)
		}
		w.line("schema: %s,", rawQuote(string(schema)))
		w.line("call: func(ctx context.Context, s *restorehub.Client, p args) (any, error) {")
		var callArgs []string
		for _, a := range p.args {
			w.line("var %s %s", a.name, q(a.typ.expr))
			w.line("if err := p.decode(%s, &%s); err != nil {", goQuote(a.p.name), a.name)
			w.line("return nil, err")
			w.line("}")
			callArgs = append(callArgs, a.name)
		}
		if p.params != nil {
			w.line("var q resources.%s", p.params.name)
			for _, a := range args {
				if a.in != "query" {
					continue
				}
				w.line("if err := p.decode(%s, &q.%s); err != nil {", goQuote(a.name), a.goVar)
				w.line("return nil, err")
				w.line("}")
			}
			callArgs = append(callArgs, "&q")
		}
		if p.body != nil {
			bt := q(p.body.expr)
			var pairs []string
			whole := ""
			for _, a := range args {
				switch a.in {
				case "body":
					pairs = append(pairs, goQuote(a.name), goQuote(a.jsonName))
				case "wholeBody":
					whole = a.name
				}
			}
			decode := fmt.Sprintf("p.object(%%s, %s)", strings.Join(pairs, ", "))
			present := fmt.Sprintf("p.has(%s)", strings.Join(everyOther(pairs), ", "))
			if whole != "" {
				decode = fmt.Sprintf("p.decode(%s, %%s)", goQuote(whole))
				present = fmt.Sprintf("p.has(%s)", goQuote(whole))
			}
			if len(pairs) == 0 && whole == "" {
				// A body without properties: an empty object.
				decode = "p.object(%s)"
				present = "false"
			}
			switch {
			case p.body.nilable():
				w.line("var body %s", bt)
				w.line("if err := %s; err != nil {", fmt.Sprintf(decode, "&body"))
				w.line("return nil, err")
				w.line("}")
				if !op.body.required {
					w.line("if !%s {", present)
					w.line("body = nil")
					w.line("}")
				}
			case op.body.required:
				w.line("body := new(%s)", bt)
				w.line("if err := %s; err != nil {", fmt.Sprintf(decode, "body"))
				w.line("return nil, err")
				w.line("}")
			default:
				w.line("var body *%s", bt)
				w.line("if %s {", present)
				w.line("body = new(%s)", bt)
				w.line("if err := %s; err != nil {", fmt.Sprintf(decode, "body"))
				w.line("return nil, err")
				w.line("}")
				w.line("}")
			}
			callArgs = append(callArgs, "body")
		}
		// Through the embedded Services by name: a resource called
		// "Services" would otherwise name the embedded field itself.
		call := fmt.Sprintf("s.Services.%s.%s(%s)", p.svc.field, p.name, strings.Join(append([]string{"ctx"}, callArgs...), ", "))
		if p.resp == nil {
			w.line("return nil, %s", call)
		} else {
			w.line("return %s", call)
		}
		w.line("},")
		w.line("},")
	}
	w.line("}")

	used := packagesUsed(w.Bytes())
	var b bytes.Buffer
	b.WriteString(headerLine(specPath) + "\n\npackage " + pkg + "\n\n")
	b.WriteString("import (\n\t\"context\"\n")
	// Argument types may name json.RawMessage or time.Time.
	if used["json"] {
		b.WriteString("\t\"encoding/json\"\n")
	}
	if used["time"] {
		b.WriteString("\t\"time\"\n")
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "\trestorehub %q\n", rootImport)
	if used["resources"] {
		fmt.Fprintf(&b, "\t%q\n", resourcesImport)
	}
	b.WriteString(")\n\n")
	b.Write(w.Bytes())
	out, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("generated tools do not format (a generator bug): %w", err)
	}
	return out, nil
}

// rawQuote writes s as a raw string literal when it can, for readability.
func rawQuote(s string) string {
	if strings.ContainsAny(s, "`\r") {
		return goQuote(s)
	}
	return "`" + s + "`"
}

// everyOther returns the elements at even indexes: the argument names of
// name, field pairs.
func everyOther(pairs []string) []string {
	var out []string
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, pairs[i])
	}
	return out
}

// toolName is the tool name of an operation ID: "." becomes "_".
func toolName(id string) string { return strings.ReplaceAll(id, ".", "_") }

// toolTitle is a one-line human-readable title.
func toolTitle(op *operation) string {
	t := strings.Join(strings.Fields(sanitizeComment(op.summary)), " ")
	if t == "" {
		return op.id
	}
	return strings.TrimSuffix(t, ".")
}

// toolDescription says what the tool does (the request is in
// describe_operation and in the confirmation, not here). The scope, the
// tier, whether a human confirms a call and whether the operation is
// inferred are not written here: the agent adds them when it lists the
// tool, from the client's classification (restorehub.ClassifyOperation)
// and the tool's inferred flags, so one place decides what an operation is.
// It is short: every listed tool's description is in the model's context on
// every turn.
func toolDescription(p *opPlan) string {
	return sentence(strings.Join(strings.Fields(p.op.summary), " "))
}

// toolPacing says how the tool's calls are paced, when the spec says: the
// agent lists it after the safety marks.
func toolPacing(p *opPlan) string {
	op := p.op
	if pc := op.pace; pc != nil {
		unit := "calls"
		if pc.count != "" {
			unit = "entries of " + pc.count
		}
		return fmt.Sprintf("Paced: at most %d %s per %s per %s; the call waits for budget, and more than %d %s in one call is refused, so split large batches.",
			pc.limit, unit, humanInterval(pc.interval), pc.per, pc.limit, unit)
	}
	if op.rateText != "" {
		return "Rate limit: " + sentence(strings.Join(strings.Fields(op.rateText), " "))
	}
	return ""
}

// minSharedDoc is how many tools must give a parameter the same description
// for it to be said once instead of in each schema.
const minSharedDoc = 3

// shareArgDocs finds the parameter descriptions that at least minSharedDoc
// tools repeat word for word, removes them from those tools' schemas, and
// returns them by argument name. A name whose repeated descriptions differ
// keeps the most repeated one shared and the others in place.
func shareArgDocs(argsOf [][]toolArg) map[string]string {
	count := map[string]int{} // description → tools giving it
	for _, args := range argsOf {
		for _, a := range args {
			if desc := paramDoc(a); desc != "" {
				count[desc]++
			}
		}
	}
	shared := map[string]string{}
	for _, args := range argsOf {
		for _, a := range args {
			desc := paramDoc(a)
			if desc == "" || count[desc] < minSharedDoc {
				continue
			}
			if old, ok := shared[a.name]; ok && old != desc && (count[old] > count[desc] || (count[old] == count[desc] && old < desc)) {
				continue
			}
			shared[a.name] = desc
		}
	}
	for _, args := range argsOf {
		for i, a := range args {
			if desc := paramDoc(a); desc != "" && shared[a.name] == desc {
				o := a.schema.(orderedJSON)
				args[i].schema = slices.DeleteFunc(slices.Clone(o), func(m kv) bool { return m.k == "description" })
			}
		}
	}
	return shared
}

// paramDoc is the description of a path or query parameter, or "".
func paramDoc(a toolArg) string {
	if a.in != "path" && a.in != "query" {
		return ""
	}
	o, ok := a.schema.(orderedJSON)
	if !ok {
		return ""
	}
	desc, _ := o.Get("description").(string)
	return desc
}

// toolArgs lists the properties of an operation's input schema: path
// parameters, the query parameters the params struct carries, then the
// body's properties when the body is an object (renamed "body_NAME" when
// they collide with a parameter), or the whole body as "body".
func toolArgs(d *document, p *opPlan) []toolArg {
	op := p.op
	raw := rawParamSchemas(d, op)
	var out []toolArg
	taken := map[string]bool{}
	for _, a := range p.args {
		s := paramSchema(d, raw, "path", a.p)
		out = append(out, toolArg{name: a.p.name, in: "path", schema: s, required: true, goVar: a.name})
		taken[a.p.name] = true
	}
	if p.params != nil {
		for _, f := range p.params.fields {
			var qp *param
			for _, c := range op.queryParams {
				if c.name == f.jsonName {
					qp = c
				}
			}
			if qp == nil || taken[qp.name] {
				continue
			}
			s := paramSchema(d, raw, "query", qp)
			if f.typ.kind == kString && f.typ.expr == "string" && !schemaHasType(s, "string") {
				// The params struct sends it as a string (planParams).
				s = orderedJSON{{"type", "string"}}
			}
			out = append(out, toolArg{name: qp.name, in: "query", schema: s, required: qp.required, goVar: f.name})
			taken[qp.name] = true
		}
	}
	if p.body == nil {
		return out
	}
	bodyRaw := rawBodySchema(d, op)
	if props, required, ok := flattenable(d, bodyRaw); ok {
		for _, pr := range props {
			name := pr.k
			if taken[name] {
				name = "body_" + name
			}
			for taken[name] {
				name += "_"
			}
			taken[name] = true
			out = append(out, toolArg{name: name, jsonName: pr.k, in: "body", schema: convertSchema(d, pr.v, nil),
				required: op.body.required && slices.Contains(required, pr.k)})
		}
		return out
	}
	name := "body"
	for taken[name] {
		name += "_"
	}
	var s any = orderedJSON{}
	if bodyRaw != nil {
		s = convertSchema(d, bodyRaw, nil)
	}
	out = append(out, toolArg{name: name, in: "wholeBody", schema: s, required: op.body.required})
	return out
}

// toolSchema is the input schema: one object of every argument, closed.
func toolSchema(args []toolArg) []byte {
	props := orderedJSON{}
	var required []string
	for _, a := range args {
		props = append(props, kv{a.name, a.schema})
		if a.required {
			required = append(required, a.name)
		}
	}
	s := orderedJSON{{"type", "object"}, {"properties", props}}
	if len(required) > 0 {
		s = append(s, kv{"required", required})
	}
	s = append(s, kv{"additionalProperties", false})
	b, err := marshalOrdered(s)
	if err != nil {
		panic(err) // only plain values are marshalled
	}
	return b
}

// rawParamSchemas maps "in name" to the raw parameter object of an
// operation, path-item parameters first, as readParams reads them.
func rawParamSchemas(d *document, op *operation) map[string]*object {
	out := map[string]*object{}
	add := func(list []any) {
		for _, pv := range list {
			po, ok := d.Follow(pv)
			if !ok {
				continue
			}
			out[strings.ToLower(po.Str("in"))+" "+po.Str("name")] = po
		}
	}
	if item, ok := d.Follow(mustGet(d.Root.Obj("paths"), op.path)); ok {
		add(item.Arr("parameters"))
	}
	add(op.obj.Arr("parameters"))
	return out
}

// paramSchema is the converted schema of a parameter, with its description.
func paramSchema(d *document, raw map[string]*object, in string, p *param) any {
	po := raw[in+" "+p.name]
	var sv any
	if po != nil {
		if v, ok := po.Get("schema"); ok {
			sv = v
		} else if c := po.Obj("content"); c.Len() > 0 {
			sv = mustGet(c.Obj(c.Keys()[0]), "schema")
		}
	}
	s := convertSchema(d, sv, nil)
	o, ok := s.(orderedJSON)
	if !ok {
		o = orderedJSON{}
	}
	if len(o) == 0 {
		o = orderedJSON{{"type", "string"}}
	}
	if p.description != "" && !o.Has("description") {
		o = append(orderedJSON{{"description", toolText(p.description)}}, o...)
	}
	return o
}

// rawBodySchema is the raw schema of the JSON request body, or nil.
func rawBodySchema(d *document, op *operation) any {
	rb, ok := d.Follow(mustGet(op.obj, "requestBody"))
	if !ok {
		return nil
	}
	content := rb.Obj("content")
	mt := pickJSON(content)
	if mt == "" {
		return nil
	}
	v, _ := content.Obj(mt).Get("schema")
	return v
}

// flattenable returns the properties of an object body schema whose
// properties can become top-level arguments.
func flattenable(d *document, v any) (props []kv, required []string, ok bool) {
	o := resolveSchemaRef(d, v)
	if o == nil || !o.Has("properties") || o.Has("allOf") || o.Has("oneOf") || o.Has("anyOf") {
		return nil, nil, false
	}
	if t, has := o.Get("type"); has && t != "object" {
		return nil, nil, false
	}
	if o.IsTrue("nullable") {
		return nil, nil, false
	}
	o.Obj("properties").Each(func(k string, pv any) {
		if po, isObj := pv.(*object); isObj && po.IsTrue("readOnly") {
			return
		}
		props = append(props, kv{k, pv})
	})
	return props, openapi.Strings(mustGet(o, "required")), len(props) > 0
}

// resolveSchemaRef follows a schema's $ref chain to the object it ends at.
func resolveSchemaRef(d *document, v any) *object {
	for range maxRefHops {
		o, ok := v.(*object)
		if !ok {
			return nil
		}
		ref, isRef := o.Get("$ref")
		if !isRef {
			return o
		}
		s, _ := ref.(string)
		if v, ok = d.Pointer(s); !ok {
			return nil
		}
	}
	return nil
}

// schemaHasType reports whether a converted schema admits type t.
func schemaHasType(s any, t string) bool {
	o, ok := s.(orderedJSON)
	if !ok {
		return false
	}
	switch v := o.Get("type").(type) {
	case string:
		return v == t
	case []string:
		return slices.Contains(v, t)
	}
	return false
}

// schemaKeywords are the JSON Schema keywords kept in tool schemas, in the
// order they are written. OpenAPI's nullable becomes a "null" type.
var schemaKeywords = []string{
	"description", "type", "format", "enum", "const", "default",
	"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
	"minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
	"minProperties", "maxProperties",
	"properties", "required", "additionalProperties", "items", "allOf", "oneOf", "anyOf",
}

// convertSchema turns a raw OpenAPI schema into a self-contained JSON
// Schema: references are inlined (a recursive one becomes {}), extension
// and documentation-only keywords are dropped.
func convertSchema(d *document, v any, stack []string) any {
	switch s := v.(type) {
	case bool:
		return s
	case *object:
		if ref, ok := s.Get("$ref"); ok {
			r, _ := ref.(string)
			if slices.Contains(stack, r) || len(stack) > 16 {
				return orderedJSON{}
			}
			target, ok := d.Pointer(r)
			if !ok {
				return orderedJSON{}
			}
			out := convertSchema(d, target, append(stack, r))
			if desc := s.Str("description"); desc != "" {
				if o, ok := out.(orderedJSON); ok && !o.Has("description") {
					out = append(orderedJSON{{"description", toolText(desc)}}, o...)
				}
			}
			return out
		}
		out := orderedJSON{}
		nullable := s.IsTrue("nullable")
		// OpenAPI 3.0 writes exclusive bounds as booleans beside
		// minimum/maximum; 2020-12 wants the bound itself.
		exclMin, _ := s.Boolean("exclusiveMinimum")
		exclMax, _ := s.Boolean("exclusiveMaximum")
		var notes []string
		for _, k := range schemaKeywords {
			val, ok := s.Get(k)
			if !ok {
				continue
			}
			switch k {
			case "description":
				str, _ := val.(string)
				if str = toolText(str); str != "" {
					out = append(out, kv{k, str})
				}
			case "type":
				var types []string
				switch t := val.(type) {
				case string:
					types = []string{t}
				case []any:
					types = openapi.Strings(t)
				}
				if nullable && !slices.Contains(types, "null") {
					types = append(types, "null")
				}
				if len(types) == 1 {
					out = append(out, kv{k, types[0]})
				} else if len(types) > 1 {
					out = append(out, kv{k, types})
				}
			case "format":
				str, _ := val.(string)
				if jsonSchemaFormats[str] {
					out = append(out, kv{k, str})
				}
			case "enum":
				vals := asArray(val)
				if nullable && !slices.Contains(vals, nil) {
					vals = append(slices.Clip(vals), nil)
				}
				out = append(out, kv{k, plainJSON(vals)})
			case "properties":
				props := orderedJSON{}
				if po, ok := val.(*object); ok {
					po.Each(func(name string, pv any) {
						props = append(props, kv{name, convertSchema(d, pv, stack)})
					})
				}
				out = append(out, kv{k, props})
			case "items", "additionalProperties":
				out = append(out, kv{k, convertSchema(d, val, stack)})
			case "allOf", "oneOf", "anyOf":
				var list []any
				for _, e := range asArray(val) {
					list = append(list, convertSchema(d, e, stack))
				}
				out = append(out, kv{k, list})
			case "minimum":
				if exclMin {
					k = "exclusiveMinimum"
				}
				out = append(out, kv{k, plainJSON(val)})
			case "maximum":
				if exclMax {
					k = "exclusiveMaximum"
				}
				out = append(out, kv{k, plainJSON(val)})
			case "required":
				// A boolean required inside a schema (a Swagger 2 habit)
				// is not JSON Schema; only a list of names is kept.
				if names := openapi.Strings(val); len(names) > 0 {
					out = append(out, kv{k, names})
				}
			case "exclusiveMinimum", "exclusiveMaximum":
				if _, isBool := val.(bool); !isBool {
					out = append(out, kv{k, plainJSON(val)})
				}
			case "pattern":
				pat, _ := val.(string)
				if _, err := regexp.Compile(pat); err != nil {
					notes = append(notes, "Must match the pattern "+strconv.Quote(pat)+" (not checked here: Go's RE2 cannot compile it).")
					continue
				}
				out = append(out, kv{k, pat})
			default:
				out = append(out, kv{k, plainJSON(val)})
			}
		}
		if len(notes) > 0 {
			note := strings.Join(notes, " ")
			if len(out) > 0 && out[0].k == "description" {
				out[0].v = out[0].v.(string) + " " + note
			} else {
				out = append(orderedJSON{{"description", note}}, out...)
			}
		}
		return nullAsAnyOf(withFormatBounds(out, s.Str("format")))
	}
	return orderedJSON{}
}

// jsonSchemaFormats are the formats of JSON Schema 2020-12, which strict
// clients accept; an OpenAPI-only format (int32, int64, float, double,
// byte, binary, password) is dropped, and withFormatBounds says what it
// meant in keywords every client knows.
var jsonSchemaFormats = map[string]bool{
	"date-time": true, "date": true, "time": true, "duration": true,
	"email": true, "idn-email": true, "hostname": true, "idn-hostname": true,
	"ipv4": true, "ipv6": true, "uri": true, "uri-reference": true,
	"iri": true, "iri-reference": true, "uuid": true, "uri-template": true,
	"json-pointer": true, "relative-json-pointer": true, "regex": true,
}

// withFormatBounds adds to out what an OpenAPI-only format meant, unless
// out already says it: int32's range as minimum and maximum, and byte's
// base64 as contentEncoding and a pattern. int64 adds nothing: its bounds
// are beyond what a JSON number holds exactly, and the typed call refuses
// a number that does not fit.
func withFormatBounds(out orderedJSON, format string) orderedJSON {
	add := func(k string, v any) {
		if !out.Has(k) {
			out = append(out, kv{k, v})
		}
	}
	switch format {
	case "int32":
		add("minimum", math.MinInt32)
		add("maximum", math.MaxInt32)
	case "binary":
		// Bytes travel in JSON as base64 (encoding/json's []byte).
		add("contentEncoding", "base64")
	case "byte":
		add("contentEncoding", "base64")
		add("pattern", `^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$`)
	}
	return out
}

// nullAsAnyOf rewrites a schema whose type list allows null beside other
// types (OpenAPI's nullable, or a type array) as anyOf the schema without
// null and {"type":"null"}, a form strict clients accept; its description
// stays outside.
func nullAsAnyOf(out orderedJSON) orderedJSON {
	types, ok := out.Get("type").([]string)
	if !ok || !slices.Contains(types, "null") {
		return out
	}
	rest := slices.DeleteFunc(slices.Clone(types), func(t string) bool { return t == "null" })
	var inner, outer orderedJSON
	for _, m := range out {
		switch m.k {
		case "description":
			outer = append(outer, m)
		case "type":
			if len(rest) == 1 {
				inner = append(inner, kv{"type", rest[0]})
			} else {
				inner = append(inner, kv{"type", rest})
			}
		case "enum":
			vals, _ := m.v.([]any)
			inner = append(inner, kv{"enum", slices.DeleteFunc(slices.Clone(vals), func(v any) bool { return v == nil })})
		default:
			inner = append(inner, m)
		}
	}
	return append(outer, kv{"anyOf", []any{inner, orderedJSON{{"type", "null"}}}})
}

// oneLine collapses whitespace, so descriptions stay on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// toolText is a description as a tool schema carries it: on one line and
// without a closing "Source: URL" citation, which is for the people who
// read the spec (the Go doc comments keep it), not for a model: every
// listed schema is in the model's context on every turn.
func toolText(s string) string {
	s = oneLine(s)
	i := strings.LastIndex(s, "Source: ")
	if i < 0 {
		return s
	}
	url := strings.TrimSuffix(s[i+len("Source: "):], ".")
	if strings.Contains(url, " ") || !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return s
	}
	return strings.TrimSpace(s[:i])
}

// plainJSON turns the generator's decoded JSON (with *object) into values
// encoding/json marshals, keeping object key order.
func plainJSON(v any) any {
	switch t := v.(type) {
	case *object:
		o := orderedJSON{}
		t.Each(func(k string, e any) { o = append(o, kv{k, plainJSON(e)}) })
		return o
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = plainJSON(e)
		}
		return out
	}
	return v
}

// kv is one member of an orderedJSON object.
type kv struct {
	k string
	v any
}

// orderedJSON is a JSON object that marshals its members in order.
type orderedJSON []kv

func (o orderedJSON) Has(k string) bool { return o.Get(k) != nil }

func (o orderedJSON) Get(k string) any {
	for _, m := range o {
		if m.k == k {
			return m.v
		}
	}
	return nil
}

// MarshalJSON writes the members in order.
func (o orderedJSON) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshalOrdered(m.k)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := marshalOrdered(m.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshalOrdered marshals v without HTML escaping.
func marshalOrdered(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// qualifyExpr prefixes the generated type names of a Go type expression
// with "resources.".
func qualifyExpr(expr string, decls map[string]bool) string {
	e, err := parser.ParseExpr(expr)
	if err != nil {
		return expr
	}
	var b strings.Builder
	var walk func(n ast.Expr)
	walk = func(n ast.Expr) {
		switch t := n.(type) {
		case *ast.Ident:
			if decls[t.Name] {
				b.WriteString("resources.")
			}
			b.WriteString(t.Name)
		case *ast.StarExpr:
			b.WriteString("*")
			walk(t.X)
		case *ast.ArrayType:
			b.WriteString("[]")
			walk(t.Elt)
		case *ast.MapType:
			b.WriteString("map[")
			walk(t.Key)
			b.WriteString("]")
			walk(t.Value)
		default:
			var sb bytes.Buffer
			_ = format.Node(&sb, token.NewFileSet(), n)
			b.WriteString(sb.String())
		}
	}
	walk(e)
	return b.String()
}

// packagesUsed returns the package names that decls (Go declarations
// without a package clause) use as qualifiers, such as "json" in
// json.RawMessage, so that only the imports the code needs are written.
// Text inside string literals, such as a schema, is not code and does not
// count.
func packagesUsed(decls []byte) map[string]bool {
	used := map[string]bool{}
	f, err := parser.ParseFile(token.NewFileSet(), "", append([]byte("package p\n\n"), decls...), parser.SkipObjectResolution)
	if err != nil {
		// format.Source reports the error with its position below.
		return map[string]bool{"json": bytes.Contains(decls, []byte("json.")), "time": bytes.Contains(decls, []byte("time.")), "resources": bytes.Contains(decls, []byte("resources."))}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	return used
}
