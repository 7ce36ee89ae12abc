package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/restorehub/restorehub-go/internal/openapi"
)

// kind is the shape of a Go type the generator emits.
type kind int

const (
	kRaw    kind = iota // json.RawMessage: what the generator cannot model
	kAny                // any, for free-form map values
	kBool               // bool
	kString             // string
	kInt                // int, int32, int64, uint32, uint64
	kFloat              // float32, float64
	kTime               // time.Time
	kBytes              // []byte, base64 in JSON
	kSlice              // []T
	kMap                // map[string]T
	kNamed              // a generated named type
)

// goType is a Go type for a schema.
type goType struct {
	kind     kind
	expr     string    // the Go type expression, such as "[]Server"
	elem     *goType   // element of a slice, value of a map
	decl     *typeDecl // the declaration of a named type
	nullable bool      // the schema admits null
	note     string    // why a raw type is raw
}

// declKind is the form of a generated type declaration.
type declKind int

const (
	dStruct  declKind = iota // type T struct{...}
	dEnum                    // type T string (or an integer type), with constants
	dAlias                   // type T = U
	dDefined                 // type T []U or map[string]U
)

// typeDecl is a named type the generator declares.
type typeDecl struct {
	name       string
	hint       typeHint // what the name was made from; fields' types extend it
	kind       declKind
	schemaName string // component name; "" for inline and params types
	doc        string
	inferred   bool
	deprecated bool
	fields     []*field
	notes      []string // what the struct does not model
	enum       []enumConst
	enumBase   string // dEnum: the Go type below, "string" or an integer type
	target     goType // dAlias and dDefined
	params     bool   // a query-parameters struct (url tags)
	resources  map[string]bool
	filled     bool
}

// field is one field of a struct.
type field struct {
	name, jsonName, doc string
	typ                 goType
	pointer, optional   bool // optional: left out of the request when unset
	deprecated          bool
	urlOpts             string // extra url tag options of a query field
}

// enumConst is one constant of an enum type.
type enumConst struct {
	name  string
	value string // the string, or an integer's decimal digits
	doc   string // what the spec says of the value ("" for nothing)
}

// numericEnum reports whether d is an enum of numbers (integers, or
// integral values of a "number" schema).
func (d *typeDecl) numericEnum() bool {
	return d.kind == dEnum && d.enumBase != "" && d.enumBase != "string"
}

func rawType(note string) goType {
	return goType{kind: kRaw, expr: "json.RawMessage", note: note}
}

// nilable reports whether the zero value of t is nil, so a field of type t
// needs no pointer to be optional.
func (t goType) nilable() bool {
	switch t.underlying().kind {
	case kRaw, kAny, kSlice, kMap, kBytes:
		return true
	}
	return false
}

// underlying follows named aliases and defined types to the shape below.
func (t goType) underlying() goType {
	for range maxRefHops {
		if t.kind != kNamed || (t.decl.kind != dAlias && t.decl.kind != dDefined) {
			return t
		}
		t = t.decl.target
	}
	return rawType("a circular alias")
}

// isStringy reports whether t is a string, or a named alias of one (not an enum).
func (t goType) isStringy() bool { return t.underlying().kind == kString }

// isInt reports whether t is an integer, or a named alias of one (not an enum).
func (t goType) isInt() bool { return t.underlying().kind == kInt }

// mapper turns schemas into Go types and declarations.
type mapper struct {
	doc       *document
	pkg       *namespace
	comps     map[string]*schema
	compNames map[string]string
	compTypes map[string]goType
	decls     []*typeDecl
	memo      map[*schema]goType
	refMemo   map[string]goType // other local references, by reference
	depth     int
	raws      []string // "where: why" for every raw type emitted
}

func newMapper(d *document, pkg *namespace) *mapper {
	m := &mapper{
		doc: d, pkg: pkg,
		comps:     map[string]*schema{},
		compNames: map[string]string{},
		compTypes: map[string]goType{},
		memo:      map[*schema]goType{},
		refMemo:   map[string]goType{},
	}
	for _, c := range d.componentSchemas() {
		name := exportedName(c.name)
		if name == "" {
			name = "Schema"
		}
		m.comps[c.name] = c.schema
		m.compNames[c.name] = pkg.claim(name)
	}
	return m
}

// newDecl declares a type named after hint, or fills target when given.
func (m *mapper) newDecl(hint typeHint, target **typeDecl, k declKind, s *schema) *typeDecl {
	var d *typeDecl
	if target != nil && *target != nil {
		d = *target
		*target = nil
	} else {
		if hint.String() == "" {
			hint = hintFor("Type")
		}
		d = &typeDecl{name: claimType(m.pkg, hint), hint: hint, resources: map[string]bool{}}
		m.decls = append(m.decls, d)
	}
	d.kind, d.filled = k, true
	if d.doc == "" {
		d.doc = s.description
	}
	d.inferred = d.inferred || s.inferred
	d.deprecated = d.deprecated || s.deprecated
	return d
}

func named(d *typeDecl, nullable bool) goType {
	return goType{kind: kNamed, expr: d.name, decl: d, nullable: nullable}
}

// component returns the named type of a component schema, declaring it on
// first use.
func (m *mapper) component(name string) goType {
	if t, ok := m.compTypes[name]; ok {
		return t
	}
	s := m.comps[name]
	if t, ok := handWrittenType(s); ok {
		m.compTypes[name] = t
		return t
	}
	d := &typeDecl{name: m.compNames[name], hint: hintFor(m.compNames[name]), schemaName: name, doc: s.description, inferred: s.inferred, deprecated: s.deprecated, resources: map[string]bool{}}
	m.decls = append(m.decls, d)
	t := named(d, s.nullable)
	m.compTypes[name] = t
	target := d
	got := m.build(s, d.hint, &target)
	if target != nil {
		// The schema did not become a struct or an enum: d names its type.
		d.filled = true
		d.target = got
		d.kind = dAlias
		if got.kind == kSlice || got.kind == kMap {
			d.kind = dDefined
		}
	}
	t.nullable = s.nullable || got.nullable
	m.compTypes[name] = t
	return t
}

// typeOf maps a schema to a Go type, naming any type it must declare after hint.
func (m *mapper) typeOf(s *schema, hint typeHint) goType {
	if t, ok := m.memo[s]; ok {
		return t
	}
	t := m.build(s, hint, nil)
	m.memo[s] = t
	return t
}

// build maps s. A struct or enum it declares takes *target's place when
// target is not nil; build then sets *target to nil.
func (m *mapper) build(s *schema, hint typeHint, target **typeDecl) goType {
	m.depth++
	defer func() { m.depth-- }()
	if m.depth > maxSchemaDepth {
		return m.raw(hint.String(), "a schema nested too deeply")
	}
	if t, ok := handWrittenType(s); ok && target == nil {
		return t
	}
	switch {
	case s.bad != "":
		return m.raw(hint.String(), s.bad)
	case s.ref != "":
		t := m.refType(s.ref, hint)
		t.nullable = t.nullable || s.nullable
		return t
	case len(s.allOf) > 0:
		return m.allOfType(s, hint, target)
	case len(s.oneOf)+len(s.anyOf) > 0:
		if vals, base, nullable, ok := m.constEnum(s); ok {
			t := m.enumType(s, vals, base, hint, target)
			t.nullable = t.nullable || nullable
			return t
		}
		return m.unionType(s, hint, target)
	}
	if vals, ok := s.enumStrings(); ok && (len(s.types) == 0 || len(s.types) == 1 && s.types[0] == "string") {
		var evs []enumValue
		for i, v := range vals {
			evs = append(evs, enumValue{value: v, title: s.enumName(i), doc: s.enumDoc(i)})
		}
		return m.enumType(s, evs, "string", hint, target)
	}
	if evs, base, ok := namedNumberEnum(s); ok {
		return m.enumType(s, evs, base, hint, target)
	}
	var t goType
	switch len(s.types) {
	case 0:
		switch {
		case len(s.props) > 0 || s.addlSet:
			t = m.objectType(s, hint, target)
		case s.items != nil:
			t = m.arrayType(s, hint)
		case len(s.enum) > 0:
			t = m.raw(hint.String(), "an enum of values that are not all strings: "+enumText(s.enum))
		case s.onlyNull():
			t = m.raw(hint.String(), "a schema that only allows null")
		default:
			t = m.raw(hint.String(), "a schema that allows any JSON value")
		}
	case 1:
		t = m.singleType(s, s.types[0], hint, target)
	default:
		if len(s.types) == 2 && s.types[0] != s.types[1] && isNumeric(s.types[0]) && isNumeric(s.types[1]) {
			t = goType{kind: kFloat, expr: "float64"}
		} else {
			t = m.raw(hint.String(), "a value of any of the types "+strings.Join(s.types, ", "))
		}
	}
	t.nullable = t.nullable || s.nullable
	return t
}

func isNumeric(t string) bool { return t == "integer" || t == "number" }

func (m *mapper) raw(where, why string) goType {
	m.raws = append(m.raws, where+": "+why)
	return rawType(why)
}

func (m *mapper) singleType(s *schema, typ string, hint typeHint, target **typeDecl) goType {
	switch typ {
	case "string":
		switch s.format {
		case "date-time":
			return goType{kind: kTime, expr: "time.Time"}
		case "byte":
			return goType{kind: kBytes, expr: "[]byte"}
		}
		return goType{kind: kString, expr: "string"}
	case "integer":
		expr := "int"
		switch s.format {
		case "int32", "int64", "uint32", "uint64":
			expr = s.format
		}
		t := goType{kind: kInt, expr: expr}
		if len(s.enum) > 0 {
			t.note = "one of " + enumText(s.enum)
		}
		return t
	case "number":
		expr := "float64"
		if s.format == "float" {
			expr = "float32"
		}
		return goType{kind: kFloat, expr: expr}
	case "boolean":
		return goType{kind: kBool, expr: "bool"}
	case "array":
		return m.arrayType(s, hint)
	case "object":
		return m.objectType(s, hint, target)
	}
	return m.raw(hint.String(), fmt.Sprintf("the unknown type %q", typ))
}

func (m *mapper) arrayType(s *schema, hint typeHint) goType {
	if s.items == nil {
		e := rawType("array items without a schema")
		return goType{kind: kSlice, expr: "[]json.RawMessage", elem: &e}
	}
	e := m.typeOf(s.items, hint.part("Item"))
	expr := "[]" + e.expr
	if e.nullable && !e.nilable() {
		expr = "[]*" + e.expr
	}
	return goType{kind: kSlice, expr: expr, elem: &e}
}

func (m *mapper) objectType(s *schema, hint typeHint, target **typeDecl) goType {
	if len(s.props) == 0 {
		switch {
		case s.additional != nil && !s.additional.isEmpty():
			v := m.typeOf(s.additional, hint.part("Value"))
			expr := "map[string]" + v.expr
			if v.nullable && !v.nilable() {
				expr = "map[string]*" + v.expr
			}
			return goType{kind: kMap, expr: expr, elem: &v}
		case s.addlFalse:
			d := m.newDecl(hint, target, dStruct, s)
			return named(d, false)
		}
		a := goType{kind: kAny, expr: "any"}
		return goType{kind: kMap, expr: "map[string]any", elem: &a}
	}
	d := m.newDecl(hint, target, dStruct, s)
	m.fillStruct(d, s.props, s.required)
	if s.additional != nil && !s.additional.isEmpty() {
		d.notes = append(d.notes, "Properties beyond the listed ones are allowed by the spec but not kept.")
	}
	return named(d, false)
}

// fillStruct adds one field per property.
func (m *mapper) fillStruct(d *typeDecl, props []property, required map[string]bool) {
	fns := newNamespace()
	for _, p := range props {
		if !validJSONTagName(p.name) {
			d.notes = append(d.notes, fmt.Sprintf("The property %q cannot be named in a Go struct tag and is not modelled.", sanitizeComment(p.name)))
			continue
		}
		fname := exportedName(p.name)
		if fname == "" {
			fname = "Field"
		}
		fname = fns.claim(fname)
		ft := m.typeOf(p.schema, d.hint.prop(fname))
		req := required[p.name]
		f := &field{
			name: fname, jsonName: p.name, typ: ft,
			doc:        p.schema.description,
			pointer:    (!req || ft.nullable) && !ft.nilable(),
			optional:   !req,
			deprecated: p.schema.deprecated,
		}
		if f.doc == "" && p.schema.ref != "" {
			if cn, ok := componentSchemaName(p.schema.ref); ok && m.comps[cn] != nil {
				f.doc = firstSentence(m.comps[cn].description)
			}
		}
		d.fields = append(d.fields, f)
	}
}

// validJSONTagName reports whether encoding/json accepts name in a tag.
func validJSONTagName(name string) bool {
	if name == "" || name == "-" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

func (m *mapper) enumType(s *schema, vals []enumValue, base string, hint typeHint, target **typeDecl) goType {
	d := m.newDecl(hint, target, dEnum, s)
	d.enumBase = base
	seen := map[string]bool{}
	var kept []enumValue
	var suffixes []string
	longest := 0
	for i, v := range vals {
		if seen[v.value] {
			continue
		}
		seen[v.value] = true
		suffix := nameSuffix(v.title)
		if suffix == "" {
			suffix = nameSuffix(v.value)
			if strings.HasPrefix(v.value, "-") && d.numericEnum() {
				suffix = "Minus" + suffix
			}
		}
		switch {
		case suffix != "":
		case v.value == "":
			suffix = "Empty"
		default:
			suffix = fmt.Sprintf("Value%d", i+1)
		}
		kept = append(kept, v)
		suffixes = append(suffixes, suffix)
		longest = max(longest, utf8.RuneCountInString(suffix))
	}
	// Every constant starts with the same prefix: the type's name, shortened
	// alike for all when the longest constant would pass the cap.
	prefix := d.name
	if utf8.RuneCountInString(prefix)+longest > maxIdentLen {
		prefix = capIdent(prefix, max(maxIdentLen-longest, maxIdentLen/3))
	}
	for i, v := range kept {
		d.enum = append(d.enum, enumConst{name: m.pkg.claim(prefix + suffixes[i]), value: v.value, doc: v.doc})
	}
	return named(d, s.nullable)
}

// enumValue is one value of an enum as the spec gives it.
type enumValue struct {
	value string // the string, or an integer's decimal digits
	title string // the const variant's title: its constant's name
	doc   string // the const variant's description
}

// namedNumberEnum reads an enum of integral numbers whose values the spec
// names with x-enum-varnames or x-enumNames (as NestJS and hey-api write
// them): a named integer type ("int", or the int32/int64 format; float64
// for a "number" schema) with a constant per value. An enum of numbers
// without names stays a plain int whose doc lists the values.
func namedNumberEnum(s *schema) (vals []enumValue, base string, ok bool) {
	if len(s.enum) == 0 || len(s.enumNames) == 0 || len(s.types) > 1 || len(s.types) == 1 && !isNumeric(s.types[0]) {
		return nil, "", false
	}
	for i, e := range s.enum {
		n, _ := e.(json.Number) // "" for another value: not an integer
		v, isInt := integerText(n)
		if !isInt {
			return nil, "", false
		}
		vals = append(vals, enumValue{value: v, title: s.enumName(i), doc: s.enumDoc(i)})
	}
	base = "int"
	switch {
	case len(s.types) == 1 && s.types[0] == "number":
		base = "float64"
	case s.format == "int32" || s.format == "int64":
		base = s.format
	}
	return vals, base, true
}

// integerText returns the decimal digits of n when it is an integer that
// fits in an int64 ("7", "-2"), as an enum constant spells it.
func integerText(n json.Number) (string, bool) {
	v, err := strconv.ParseInt(n.String(), 10, 64)
	if err != nil {
		return "", false
	}
	return strconv.FormatInt(v, 10), true
}

// constEnum reads a oneOf or anyOf whose variants are all constants of one
// JSON type, strings or integers, as OpenAPI 3.1 exporters write a
// documented enum (Discord's ChannelTypes: {"type": "integer", "oneOf":
// [{"title": "GUILD_TEXT", "description": "…", "const": 0}, …]}). It
// returns the values in order, the Go type below them ("string", or "int"
// or the integer format given), and whether a null variant makes the type
// nullable; ok is false for any other union.
func (m *mapper) constEnum(s *schema) (vals []enumValue, base string, nullable, ok bool) {
	if len(s.props) > 0 || s.items != nil || len(s.allOf) > 0 || len(s.types) > 1 {
		return nil, "", false, false
	}
	outer := ""
	if len(s.types) == 1 {
		outer = s.types[0]
	}
	kind := "" // "string" or "integer"
	for _, v := range append(append([]*schema{}, s.oneOf...), s.anyOf...) {
		r := m.resolve(v)
		if r.onlyNull() {
			nullable = true
			continue
		}
		if !r.hasConst || len(r.props) > 0 || r.items != nil || len(r.allOf)+len(r.oneOf)+len(r.anyOf) > 0 || len(r.types) > 1 {
			return nil, "", false, false
		}
		var val, k string
		switch c := r.constVal.(type) {
		case string:
			val, k = c, "string"
		case json.Number:
			n, isInt := integerText(c)
			if !isInt {
				return nil, "", false, false
			}
			val, k = n, "integer"
		default:
			return nil, "", false, false
		}
		if kind != "" && k != kind || len(r.types) == 1 && r.types[0] != k && !(k == "integer" && r.types[0] == "number") {
			return nil, "", false, false
		}
		kind = k
		nullable = nullable || r.nullable
		vals = append(vals, enumValue{value: val, title: r.title, doc: firstSentence(r.description)})
	}
	if kind == "" || outer != "" && outer != kind && !(kind == "integer" && outer == "number") {
		return nil, "", false, false
	}
	base = "string"
	if kind == "integer" {
		base = "int"
		switch s.format {
		case "int32", "int64":
			base = s.format
		}
	}
	return vals, base, nullable, true
}

// refType maps a $ref: a component schema becomes its named type; any other
// local reference is read and mapped in place.
func (m *mapper) refType(ref string, hint typeHint) goType {
	if name, ok := componentSchemaName(ref); ok {
		if _, exists := m.comps[name]; exists {
			return m.component(name)
		}
	}
	if inner, ok := m.schemaInComponent(ref); ok {
		return m.typeOf(inner, hint)
	}
	if t, ok := m.refMemo[ref]; ok {
		return t
	}
	v, ok := m.doc.Pointer(ref)
	if !ok {
		return m.raw(hint.String(), fmt.Sprintf("the $ref %q, which the generator cannot resolve", sanitizeComment(ref)))
	}
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		if n := exportedName(openapi.UnescapePointer(ref[i+1:])); n != "" {
			hint = hintFor(n)
		}
	}
	t := m.typeOf(readSchema(v), hint)
	m.refMemo[ref] = t
	return t
}

// schemaInComponent finds the schema a reference into a component schema
// names, such as "#/components/schemas/Thing/properties/label", as the very
// schema the component was read into, so that both share one Go type (named
// after the component, which is declared first).
func (m *mapper) schemaInComponent(ref string) (*schema, bool) {
	rest, ok := strings.CutPrefix(ref, "#/components/schemas/")
	if !ok {
		return nil, false
	}
	toks := strings.Split(rest, "/")
	name := openapi.UnescapePointer(toks[0])
	s := m.comps[name]
	if s == nil || len(toks) < 2 {
		return nil, false
	}
	m.component(name)
	toks = toks[1:]
	for len(toks) > 0 {
		key := openapi.UnescapePointer(toks[0])
		toks = toks[1:]
		switch key {
		case "items":
			s = s.items
		case "additionalProperties":
			s = s.additional
		case "properties":
			if len(toks) == 0 {
				return nil, false
			}
			prop := openapi.UnescapePointer(toks[0])
			toks = toks[1:]
			var found *schema
			for _, p := range s.props {
				if p.name == prop {
					found = p.schema
				}
			}
			s = found
		case "allOf", "oneOf", "anyOf":
			list := map[string][]*schema{"allOf": s.allOf, "oneOf": s.oneOf, "anyOf": s.anyOf}[key]
			if len(toks) == 0 {
				return nil, false
			}
			i, err := strconv.Atoi(toks[0])
			toks = toks[1:]
			if err != nil || i < 0 || i >= len(list) {
				return nil, false
			}
			s = list[i]
		default:
			return nil, false
		}
		if s == nil {
			return nil, false
		}
	}
	return s, true
}

// resolve follows a schema's $ref chain to the schema it names.
func (m *mapper) resolve(s *schema) *schema {
	for range maxRefHops {
		if s.ref == "" {
			return s
		}
		if name, ok := componentSchemaName(s.ref); ok && m.comps[name] != nil {
			s = m.comps[name]
			continue
		}
		v, ok := m.doc.Pointer(s.ref)
		if !ok {
			return &schema{bad: "a $ref it cannot resolve"}
		}
		s = readSchema(v)
	}
	return &schema{bad: "a circular $ref"}
}

// maxAllOfSteps bounds the work of merging one allOf.
const maxAllOfSteps = 10000

// allOfType merges the properties of every allOf member into one struct.
// A single member with nothing beside it is that member's type.
func (m *mapper) allOfType(s *schema, hint typeHint, target **typeDecl) goType {
	own := *s
	own.allOf = nil
	if len(s.allOf) == 1 && len(own.props) == 0 && len(own.oneOf)+len(own.anyOf) == 0 && !own.addlSet {
		t := m.build(s.allOf[0], hint, target)
		t.nullable = t.nullable || s.nullable
		return t
	}
	var props []property
	required := map[string]bool{}
	why := ""
	visiting := map[*schema]bool{}
	merged := map[*schema]bool{} // members already merged: merging again changes nothing
	steps := 0
	var collect func(x *schema, depth int)
	collect = func(x *schema, depth int) {
		if why != "" {
			return
		}
		if steps++; depth > maxRefHops || steps > maxAllOfSteps {
			why = "an allOf nested too deeply"
			return
		}
		x = m.resolve(x)
		if visiting[x] {
			why = "a circular allOf"
			return
		}
		if merged[x] {
			return
		}
		visiting[x] = true
		defer func() { delete(visiting, x); merged[x] = true }()
		switch {
		case x.bad != "":
			why = "an allOf with a member the generator cannot read (" + x.bad + ")"
			return
		case len(x.oneOf)+len(x.anyOf) > 0:
			why = "an allOf with a oneOf or anyOf member"
			return
		case len(x.types) > 1 || len(x.types) == 1 && x.types[0] != "object":
			why = "an allOf of schemas that are not all objects"
			return
		}
		for _, sub := range x.allOf {
			collect(sub, depth+1)
		}
		for _, p := range x.props {
			replaced := false
			for i := range props {
				if props[i].name == p.name {
					props[i], replaced = p, true
				}
			}
			if !replaced {
				props = append(props, p)
			}
		}
		for r := range x.required {
			required[r] = true
		}
	}
	for _, part := range s.allOf {
		collect(part, 0)
	}
	collect(&own, 0)
	if why != "" {
		return m.raw(hint.String(), why)
	}
	if len(props) == 0 {
		a := goType{kind: kAny, expr: "any"}
		return goType{kind: kMap, expr: "map[string]any", elem: &a, nullable: s.nullable}
	}
	d := m.newDecl(hint, target, dStruct, s)
	m.fillStruct(d, props, required)
	return named(d, s.nullable)
}

// unionType maps oneOf and anyOf: one variant besides null is that variant,
// made nullable; variants of one primitive type are that type; anything
// else is raw JSON.
func (m *mapper) unionType(s *schema, hint typeHint, target **typeDecl) goType {
	variants := append(append([]*schema{}, s.oneOf...), s.anyOf...)
	nullable := s.nullable
	var rest []*schema
	for _, v := range variants {
		if m.resolve(v).onlyNull() {
			nullable = true
			continue
		}
		rest = append(rest, v)
	}
	if len(s.props) > 0 {
		return m.raw(hint.String(), "an object with properties and a oneOf/anyOf")
	}
	switch len(rest) {
	case 0:
		return m.raw(hint.String(), "a oneOf/anyOf of null only")
	case 1:
		t := m.build(rest[0], hint, target)
		t.nullable = t.nullable || nullable
		return t
	}
	prim := ""
	for _, v := range rest {
		r := m.resolve(v)
		if len(r.types) != 1 || r.types[0] == "object" || r.types[0] == "array" || len(r.props) > 0 || (prim != "" && prim != r.types[0]) || r.format != "" {
			prim = ""
			break
		}
		prim = r.types[0]
	}
	if prim != "" {
		t := m.singleType(&schema{}, prim, hint, nil)
		t.nullable = nullable
		return t
	}
	var names []string
	for _, v := range rest {
		names = append(names, variantName(v))
	}
	t := m.raw(hint.String(), "a oneOf/anyOf of "+strings.Join(names, ", ")+"; decode it with json.Unmarshal into the variant you expect")
	t.nullable = nullable
	return t
}

// variantName names a union variant for a doc comment.
func variantName(v *schema) string {
	if n, ok := componentSchemaName(v.ref); ok {
		return n
	}
	switch {
	case v.ref != "":
		return v.ref
	case len(v.types) > 0:
		return strings.Join(v.types, "|")
	case len(v.props) > 0:
		return "object"
	}
	return "any"
}

// fixCycles makes the generated types valid Go: a struct that contains
// itself by value gets a pointer on the way, and aliases that form a loop
// become raw JSON.
func (m *mapper) fixCycles() {
	for _, d := range m.decls {
		if d.kind != dAlias {
			continue
		}
		seen := map[*typeDecl]bool{d: true}
		for t := d.target; t.kind == kNamed && t.decl.kind == dAlias; t = t.decl.target {
			if seen[t.decl] {
				d.target = m.raw(d.name, "a $ref that refers back to itself")
				break
			}
			seen[t.decl] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for _, d := range m.decls {
			if d.kind != dStruct {
				continue
			}
			for _, f := range d.fields {
				if f.pointer {
					continue
				}
				if inner := valueStruct(f.typ); inner != nil && reachesByValue(inner, d, map[*typeDecl]bool{}) {
					f.pointer, changed = true, true
				}
			}
		}
	}
}

// valueStruct returns the struct a field of type t holds by value, or nil.
func valueStruct(t goType) *typeDecl {
	for range maxRefHops {
		if t.kind != kNamed {
			return nil
		}
		switch t.decl.kind {
		case dStruct:
			return t.decl
		case dAlias:
			t = t.decl.target
		default:
			return nil
		}
	}
	return nil
}

func reachesByValue(from, to *typeDecl, seen map[*typeDecl]bool) bool {
	if from == to {
		return true
	}
	if seen[from] {
		return false
	}
	seen[from] = true
	for _, f := range from.fields {
		if f.pointer {
			continue
		}
		if inner := valueStruct(f.typ); inner != nil && reachesByValue(inner, to, seen) {
			return true
		}
	}
	return false
}

// handWrittenTypes are the string types of the resources package's
// hand-written files that a schema may name with x-go-type. A field whose
// schema (or the component it references) says "x-go-type": "Scope" gets
// the type Scope instead of a generated one; the spec's Scope component
// does, so every field that references it, such as APIKey.scopes, holds
// Scopes.
var handWrittenTypes = map[string]bool{"Scope": true}

// handWrittenType returns the hand-written type a string schema names with
// x-go-type, if any. Other schemas, and names not in handWrittenTypes, are
// generated as usual.
func handWrittenType(s *schema) (goType, bool) {
	if s == nil || !handWrittenTypes[s.goTypeName] || s.ref != "" || len(s.types) != 1 || s.types[0] != "string" {
		return goType{}, false
	}
	return goType{kind: kString, expr: s.goTypeName, nullable: s.nullable}, true
}
