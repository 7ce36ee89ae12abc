package main

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/restorehub/restorehub-go/internal/openapi"
)

// maxSchemaDepth bounds how deep the schema reader follows nested schemas;
// anything deeper is read as an unmodelled schema.
const maxSchemaDepth = 64

// schema is the part of an OpenAPI (JSON Schema) schema object the generator
// understands. readSchema builds it from any JSON value and never fails:
// what it cannot read is recorded in bad, and the type mapper turns such a
// schema into json.RawMessage.
type schema struct {
	ref         string   // $ref, when present
	types       []string // non-null types, in the order given
	nullable    bool     // nullable: true, a "null" type, or null in enum
	format      string
	title       string
	description string
	enum        []any // non-null enum values
	// enumNames and enumDocs are the names (x-enum-varnames or
	// x-enumNames) and descriptions (x-enum-descriptions) the spec gives
	// the enum values, index by index with enum; nil when it gives none.
	enumNames []string
	enumDocs  []string
	hasConst  bool
	constVal  any
	// example is the schema's example (or the first of its examples), nil
	// when it gives none; generated test cases use it as a sample value.
	example any

	props    []property
	required map[string]bool
	items    *schema // nil when absent

	// additional is the additionalProperties schema; addlSet reports that
	// the keyword was present and addlFalse that it was false.
	additional *schema
	addlSet    bool
	addlFalse  bool

	allOf, oneOf, anyOf []*schema

	inferred   bool   // x-inferred
	goTypeName string // x-go-type: a hand-written type to use instead of generating one
	deprecated bool

	// boolSchema is set for the JSON Schema booleans true and false.
	boolSchema bool
	// bad says why the value could not be read as a schema ("" when it could).
	bad string
}

// property is one named property of an object schema.
type property struct {
	name   string
	schema *schema
}

// readSchema reads v as a schema. It never panics and never returns nil.
func readSchema(v any) *schema { return readSchemaDepth(v, 0) }

func readSchemaDepth(v any, depth int) *schema {
	if depth > maxSchemaDepth {
		return &schema{bad: "a schema nested too deeply"}
	}
	switch t := v.(type) {
	case bool:
		return &schema{boolSchema: true}
	case *object:
		return readSchemaObject(t, depth)
	case nil:
		return &schema{bad: "a null schema"}
	default:
		return &schema{bad: "a value that is not a schema object"}
	}
}

func readSchemaObject(o *object, depth int) *schema {
	s := &schema{required: map[string]bool{}}
	s.ref = o.Str("$ref")
	s.format = o.Str("format")
	s.title = o.Str("title")
	s.description = o.Str("description")
	s.inferred = o.IsTrue("x-inferred")
	s.goTypeName = o.Str("x-go-type")
	s.deprecated = o.IsTrue("deprecated")
	if o.IsTrue("nullable") || o.IsTrue("x-nullable") {
		s.nullable = true
	}
	switch t := mustGet(o, "type").(type) {
	case string:
		s.addType(t)
	case []any:
		for _, e := range t {
			if str, ok := e.(string); ok {
				s.addType(str)
			}
		}
	}
	if ev, ok := o.Get("enum"); ok {
		names := asArray(mustGet(o, "x-enum-varnames"))
		if len(names) == 0 {
			names = asArray(mustGet(o, "x-enumNames"))
		}
		docs, _ := o.Get("x-enum-descriptions")
		for i, e := range asArray(ev) {
			if e == nil {
				s.nullable = true
				continue
			}
			s.enum = append(s.enum, e)
			s.enumNames = append(s.enumNames, stringAt(names, i))
			s.enumDocs = append(s.enumDocs, enumDescription(docs, i, e))
		}
		if !slices.ContainsFunc(s.enumNames, func(n string) bool { return n != "" }) {
			s.enumNames = nil
		}
		if !slices.ContainsFunc(s.enumDocs, func(n string) bool { return n != "" }) {
			s.enumDocs = nil
		}
	}
	if cv, ok := o.Get("const"); ok {
		if cv == nil {
			s.nullable = true
		} else {
			s.hasConst, s.constVal = true, cv
		}
	}
	if ex, ok := o.Get("example"); ok {
		s.example = ex
	} else if exs := o.Arr("examples"); len(exs) > 0 {
		s.example = exs[0]
	}
	if props := o.Obj("properties"); props != nil {
		props.Each(func(k string, pv any) {
			s.props = append(s.props, property{name: k, schema: readSchemaDepth(pv, depth+1)})
		})
	}
	for _, r := range openapi.Strings(mustGet(o, "required")) {
		s.required[r] = true
	}
	if iv, ok := o.Get("items"); ok {
		if _, isArr := iv.([]any); isArr {
			s.items = &schema{bad: "tuple items (an array of schemas)"}
		} else {
			s.items = readSchemaDepth(iv, depth+1)
		}
	}
	if o.Has("prefixItems") && s.items == nil {
		s.items = &schema{bad: "tuple items (prefixItems)"}
	}
	if av, ok := o.Get("additionalProperties"); ok {
		s.addlSet = true
		switch a := av.(type) {
		case bool:
			s.addlFalse = !a
		case *object:
			s.additional = readSchemaDepth(a, depth+1)
		}
	}
	s.allOf = readSchemaList(mustGet(o, "allOf"), depth)
	s.oneOf = readSchemaList(mustGet(o, "oneOf"), depth)
	s.anyOf = readSchemaList(mustGet(o, "anyOf"), depth)
	return s
}

// addType records one entry of "type"; "null" makes the schema nullable.
func (s *schema) addType(t string) {
	if t == "null" {
		s.nullable = true
		return
	}
	if !slices.Contains(s.types, t) {
		s.types = append(s.types, t)
	}
}

func readSchemaList(v any, depth int) []*schema {
	a := asArray(v)
	if len(a) == 0 {
		return nil
	}
	out := make([]*schema, 0, len(a))
	for _, e := range a {
		out = append(out, readSchemaDepth(e, depth+1))
	}
	return out
}

func mustGet(o *object, k string) any {
	v, _ := o.Get(k)
	return v
}

func asArray(v any) []any {
	a, _ := v.([]any)
	return a
}

// onlyNull reports whether s admits nothing but null, such as {"type": "null"}.
func (s *schema) onlyNull() bool {
	return s.nullable && s.ref == "" && len(s.types) == 0 && len(s.enum) == 0 && !s.hasConst &&
		len(s.props) == 0 && s.items == nil && len(s.allOf)+len(s.oneOf)+len(s.anyOf) == 0 && s.bad == ""
}

// isEmpty reports whether s constrains nothing (the schema {} or true).
func (s *schema) isEmpty() bool {
	return s.bad == "" && s.ref == "" && len(s.types) == 0 && len(s.enum) == 0 && !s.hasConst &&
		len(s.props) == 0 && s.items == nil && !s.addlSet && len(s.allOf)+len(s.oneOf)+len(s.anyOf) == 0
}

// enumStrings returns the enum values when they are all strings.
func (s *schema) enumStrings() ([]string, bool) {
	vals := s.enum
	if len(vals) == 0 && s.hasConst {
		vals = []any{s.constVal}
	}
	if len(vals) == 0 {
		return nil, false
	}
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		str, ok := v.(string)
		if !ok {
			return nil, false
		}
		out = append(out, str)
	}
	return out, true
}

// enumText renders enum values for a doc comment.
func enumText(vals []any) string {
	out := ""
	for i, v := range vals {
		if i > 0 {
			out += ", "
		}
		b, err := json.Marshal(jsonPlain(v))
		if err != nil {
			out += "?"
			continue
		}
		out += string(b)
	}
	return out
}

// jsonPlain converts decoded values back to plain ones json.Marshal accepts.
func jsonPlain(v any) any {
	switch t := v.(type) {
	case *object:
		m := map[string]any{}
		t.Each(func(k string, e any) { m[k] = jsonPlain(e) })
		return m
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = jsonPlain(e)
		}
		return out
	}
	return v
}

// stringAt returns the string at index i of a, or "".
func stringAt(a []any, i int) string {
	if i < len(a) {
		if str, ok := a[i].(string); ok {
			return strings.TrimSpace(str)
		}
	}
	return ""
}

// enumDescription reads the description x-enum-descriptions gives the
// enum value e at index i: an array by index, or an object by the value.
func enumDescription(docs any, i int, e any) string {
	switch d := docs.(type) {
	case []any:
		return stringAt(d, i)
	case *object:
		if str, ok := e.(string); ok {
			return strings.TrimSpace(d.Str(str))
		}
	}
	return ""
}

// enumName returns the name the spec gives the i-th enum value, or "".
func (s *schema) enumName(i int) string {
	if i < len(s.enumNames) {
		return s.enumNames[i]
	}
	return ""
}

// enumDoc returns the first sentence of the description the spec gives the
// i-th enum value, or "".
func (s *schema) enumDoc(i int) string {
	if i < len(s.enumDocs) {
		return firstSentence(s.enumDocs[i])
	}
	return ""
}
