package agent

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// node is a compiled JSON Schema: the subset of keywords the generator
// emits (internal/gen/emit_tools.go). Validation gives the first problem
// found, naming the argument it is in, so the model can fix that argument.
type node struct {
	types        []string
	format       string
	enum         []any // decoded with UseNumber
	constVal     any
	hasConst     bool
	minimum      *float64
	maximum      *float64
	exclMin      *float64
	exclMax      *float64
	minLength    *int
	maxLength    *int
	pattern      *regexp.Regexp
	minItems     *int
	maxItems     *int
	props        map[string]*node
	propOrder    []string
	required     []string
	closed       bool  // additionalProperties: false
	additional   *node // additionalProperties as a schema
	items        *node
	allOf, anyOf []*node
	oneOf        []*node
}

// compileSchema compiles a JSON Schema; it fails on a keyword value of the
// wrong shape.
func compileSchema(data []byte) (*node, error) {
	v, err := decodeJSON(data)
	if err != nil {
		return nil, err
	}
	return compileNode(v, 0)
}

// decodeJSON decodes data keeping numbers exact.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return v, nil
}

func compileNode(v any, depth int) (*node, error) {
	if depth > 64 {
		return nil, errors.New("schema nested too deeply")
	}
	n := &node{}
	switch s := v.(type) {
	case bool:
		if !s {
			n.types = []string{"never"}
		}
		return n, nil
	case map[string]any:
		var err error
		num := func(k string) *float64 {
			v, present := s[k]
			if !present {
				return nil
			}
			if x, ok := v.(json.Number); ok {
				if f, e := x.Float64(); e == nil {
					return &f
				}
			}
			err = fmt.Errorf("%s is not a number", k)
			return nil
		}
		integer := func(k string) *int {
			if f := num(k); f != nil {
				i := int(*f)
				return &i
			}
			return nil
		}
		switch t := s["type"].(type) {
		case string:
			n.types = []string{t}
		case []any:
			for _, e := range t {
				if str, ok := e.(string); ok {
					n.types = append(n.types, str)
				}
			}
		}
		n.format, _ = s["format"].(string)
		if e, ok := s["enum"].([]any); ok {
			n.enum = e
		}
		n.constVal, n.hasConst = s["const"]
		n.minimum, n.maximum = num("minimum"), num("maximum")
		n.exclMin, n.exclMax = num("exclusiveMinimum"), num("exclusiveMaximum")
		n.minLength, n.maxLength = integer("minLength"), integer("maxLength")
		n.minItems, n.maxItems = integer("minItems"), integer("maxItems")
		if p, ok := s["pattern"].(string); ok {
			re, perr := regexp.Compile(p)
			if perr != nil {
				return nil, fmt.Errorf("pattern: %w", perr)
			}
			n.pattern = re
		}
		if err != nil {
			return nil, err
		}
		if props, ok := s["properties"].(map[string]any); ok {
			n.props = map[string]*node{}
			for k, pv := range props {
				c, err := compileNode(pv, depth+1)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", k, err)
				}
				n.props[k] = c
				n.propOrder = append(n.propOrder, k)
			}
			slices.Sort(n.propOrder)
		}
		for _, r := range asList(s["required"]) {
			if str, ok := r.(string); ok {
				n.required = append(n.required, str)
			}
		}
		switch a := s["additionalProperties"].(type) {
		case bool:
			n.closed = !a
		case map[string]any:
			c, err := compileNode(a, depth+1)
			if err != nil {
				return nil, err
			}
			n.additional = c
		}
		if it, ok := s["items"]; ok {
			c, err := compileNode(it, depth+1)
			if err != nil {
				return nil, err
			}
			n.items = c
		}
		for k, dst := range map[string]*[]*node{"allOf": &n.allOf, "anyOf": &n.anyOf, "oneOf": &n.oneOf} {
			for _, e := range asList(s[k]) {
				c, err := compileNode(e, depth+1)
				if err != nil {
					return nil, err
				}
				*dst = append(*dst, c)
			}
		}
		return n, nil
	}
	return nil, fmt.Errorf("a schema must be an object or a boolean, not %T", v)
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// validate checks v (decoded with UseNumber) against n. where names the
// value, such as "argument backupId" or "argument members[2].userId".
func (n *node) validate(v any, where string) error {
	if len(n.types) == 1 && n.types[0] == "never" {
		return fmt.Errorf("%s is not allowed", where)
	}
	if len(n.types) > 0 && !slices.ContainsFunc(n.types, func(t string) bool { return hasType(v, t) }) {
		return fmt.Errorf("%s must be %s, not %s", where, typeList(n.types), describe(v))
	}
	if len(n.enum) > 0 && !slices.ContainsFunc(n.enum, func(e any) bool { return sameJSON(e, v) }) {
		return fmt.Errorf("%s must be one of %s, not %s", where, enumList(n.enum), describe(v))
	}
	if n.hasConst && !sameJSON(n.constVal, v) {
		return fmt.Errorf("%s must be %s", where, enumList([]any{n.constVal}))
	}
	switch x := v.(type) {
	case string:
		if err := n.checkString(x, where); err != nil {
			return err
		}
	case json.Number:
		if err := n.checkNumber(x, where); err != nil {
			return err
		}
	case []any:
		if n.minItems != nil && len(x) < *n.minItems {
			return fmt.Errorf("%s must have at least %d items", where, *n.minItems)
		}
		if n.maxItems != nil && len(x) > *n.maxItems {
			return fmt.Errorf("%s must have at most %d items", where, *n.maxItems)
		}
		if n.items != nil {
			for i, e := range x {
				if err := n.items.validate(e, fmt.Sprintf("%s[%d]", where, i)); err != nil {
					return err
				}
			}
		}
	case map[string]any:
		for _, r := range n.required {
			if _, ok := x[r]; !ok {
				return fmt.Errorf("%s is required", child(where, r))
			}
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if p, ok := n.props[k]; ok {
				if err := p.validate(x[k], child(where, k)); err != nil {
					return err
				}
				continue
			}
			if n.closed {
				known := "none"
				if len(n.propOrder) > 0 {
					known = strings.Join(n.propOrder, ", ")
				}
				return fmt.Errorf("%s is not a known argument (allowed: %s)", child(where, k), known)
			}
			if n.additional != nil {
				if err := n.additional.validate(x[k], child(where, k)); err != nil {
					return err
				}
			}
		}
	}
	for _, s := range n.allOf {
		if err := s.validate(v, where); err != nil {
			return err
		}
	}
	if len(n.anyOf) > 0 && !slices.ContainsFunc(n.anyOf, func(s *node) bool { return s.validate(v, where) == nil }) {
		return fmt.Errorf("%s matches none of the allowed forms", where)
	}
	if len(n.oneOf) > 0 {
		matched := 0
		for _, s := range n.oneOf {
			if s.validate(v, where) == nil {
				matched++
			}
		}
		if matched != 1 {
			return fmt.Errorf("%s must match exactly one of the allowed forms (it matches %d)", where, matched)
		}
	}
	return nil
}

// child names property k of where.
func child(where, k string) string {
	if where == "" {
		return "argument " + strconv.Quote(k)
	}
	return where + "." + k
}

func (n *node) checkString(s, where string) error {
	l := utf8.RuneCountInString(s)
	if n.minLength != nil && l < *n.minLength {
		return fmt.Errorf("%s must be at least %d characters long", where, *n.minLength)
	}
	if n.maxLength != nil && l > *n.maxLength {
		return fmt.Errorf("%s must be at most %d characters long", where, *n.maxLength)
	}
	if n.pattern != nil && !n.pattern.MatchString(s) {
		return fmt.Errorf("%s must match the pattern %s", where, n.pattern)
	}
	switch n.format {
	case "date-time":
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			return fmt.Errorf("%s must be an RFC 3339 date-time such as 2026-01-02T15:04:05Z", where)
		}
	case "date":
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return fmt.Errorf("%s must be a date such as 2026-01-02", where)
		}
	case "email":
		if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
			return fmt.Errorf("%s must be an e-mail address such as name@example.com", where)
		}
	case "uri", "url":
		if u, err := url.Parse(s); err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "") {
			return fmt.Errorf("%s must be an absolute URI such as https://example.com/path", where)
		}
	case "byte":
		if _, err := base64.StdEncoding.DecodeString(s); err != nil {
			return fmt.Errorf("%s must be base64-encoded", where)
		}
	case "uuid":
		if !uuidRE.MatchString(s) {
			return fmt.Errorf("%s must be a UUID", where)
		}
	}
	return nil
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func (n *node) checkNumber(x json.Number, where string) error {
	f, err := x.Float64()
	if err != nil {
		return fmt.Errorf("%s must be a number", where)
	}
	if n.minimum != nil && f < *n.minimum {
		return fmt.Errorf("%s must be at least %v", where, *n.minimum)
	}
	if n.maximum != nil && f > *n.maximum {
		return fmt.Errorf("%s must be at most %v", where, *n.maximum)
	}
	if n.exclMin != nil && f <= *n.exclMin {
		return fmt.Errorf("%s must be greater than %v", where, *n.exclMin)
	}
	if n.exclMax != nil && f >= *n.exclMax {
		return fmt.Errorf("%s must be less than %v", where, *n.exclMax)
	}
	switch n.format {
	case "int32":
		if f < math.MinInt32 || f > math.MaxInt32 {
			return fmt.Errorf("%s must fit in 32 bits", where)
		}
	case "int64":
		if _, err := strconv.ParseInt(x.String(), 10, 64); err != nil && isInteger(x) {
			return fmt.Errorf("%s must fit in 64 bits", where)
		}
	}
	return nil
}

// hasType reports whether v is of JSON Schema type t.
func hasType(v any, t string) bool {
	switch t {
	case "null":
		return v == nil
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		x, ok := v.(json.Number)
		return ok && isInteger(x)
	case "array":
		_, ok := v.([]any)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	}
	return true // an unknown type name constrains nothing
}

// isInteger reports whether x is a whole number.
func isInteger(x json.Number) bool {
	if _, err := strconv.ParseInt(x.String(), 10, 64); err == nil {
		return true
	}
	f, err := x.Float64()
	return err == nil && f == math.Trunc(f) && !math.IsInf(f, 0)
}

func typeList(types []string) string {
	out := make([]string, len(types))
	for i, t := range types {
		switch t {
		case "object", "array", "integer":
			out[i] = "an " + t
		case "null":
			out[i] = "null"
		default:
			out[i] = "a " + t
		}
	}
	return strings.Join(out, " or ")
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "the string " + shorten(strconv.Quote(x), 40)
	case json.Number:
		return "the number " + shorten(x.String(), 40)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func enumList(vals []any) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		b, _ := json.Marshal(v)
		parts[i] = string(b)
	}
	return strings.Join(parts, ", ")
}

// sameJSON reports whether two decoded JSON values are equal.
func sameJSON(a, b any) bool {
	if x, ok := a.(json.Number); ok {
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		fx, e1 := x.Float64()
		fy, e2 := y.Float64()
		return e1 == nil && e2 == nil && fx == fy
	}
	ab, err1 := json.Marshal(a)
	bb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ab, bb)
}
