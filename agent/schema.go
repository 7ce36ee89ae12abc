package agent

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/jsonschema-go/jsonschema"
)

// argSchema is a tool's input schema, compiled once. Arguments are valid
// when both of these accept them:
//
//   - the JSON Schema library (jsonschema-go), which decides every keyword of
//     JSON Schema 2020-12, including those the generator does not emit today
//     ($ref, not, multipleOf, uniqueItems, if/then/else, ...);
//   - the OpenAPI formats the library does not assert: int32, int64,
//     date-time, date, email, uri/url, byte and uuid.
//
// Before asking the library, explain walks the keywords the generator emits
// (internal/gen/emit_tools.go) and names every problem (up to maxProblems)
// in words a model can act on: which argument, and what is expected. What only the library
// refuses gets the library's own reason.
type argSchema struct {
	root     *jsonschema.Schema
	resolved *jsonschema.Resolved
	patterns map[string]*regexp.Regexp // the schema's patterns, by source
}

// compileSchema parses and resolves a JSON Schema; it fails on JSON that is
// not a schema, on a keyword value of the wrong shape and on a pattern that
// does not compile.
func compileSchema(data []byte) (*argSchema, error) {
	var root jsonschema.Schema
	if err := json.Unmarshal(data, &root); err != nil {
		return nil, err
	}
	resolved, err := root.Resolve(nil)
	if err != nil {
		return nil, err
	}
	s := &argSchema{root: &root, resolved: resolved, patterns: map[string]*regexp.Regexp{}}
	if err := s.compilePatterns(&root, 0); err != nil {
		return nil, err
	}
	return s, nil
}

// compilePatterns compiles the patterns of n and of the subschemas explain
// walks.
func (s *argSchema) compilePatterns(n *jsonschema.Schema, depth int) error {
	if n == nil {
		return nil
	}
	if depth > 64 {
		return errors.New("schema nested too deeply")
	}
	if n.Pattern != "" && s.patterns[n.Pattern] == nil {
		re, err := regexp.Compile(n.Pattern)
		if err != nil {
			return fmt.Errorf("pattern: %w", err)
		}
		s.patterns[n.Pattern] = re
	}
	subs := append([]*jsonschema.Schema{n.Items, n.AdditionalProperties}, slices.Concat(n.AllOf, n.AnyOf, n.OneOf)...)
	for _, p := range n.Properties {
		subs = append(subs, p)
	}
	for _, c := range subs {
		if err := s.compilePatterns(c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// decodeJSON decodes data keeping numbers exact.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	// Anything but space after the value is refused: dec.More alone says
	// nothing of a "]" or "}" that closes no value, as in {"a":1}]{"b":2}.
	if len(bytes.TrimSpace(data[dec.InputOffset():])) > 0 {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return v, nil
}

// validate checks v (decoded with UseNumber) against the schema. where
// names the value, such as "argument backupId" or "argument members[2].userId";
// "" is the arguments object.
func (s *argSchema) validate(v any, where string) (err error) {
	if err := s.explain(s.root, v, where); err != nil {
		return err
	}
	inst, tooLarge := plainJSON(v)
	if tooLarge != nil {
		return tooLarge.in(where)
	}
	defer func() {
		if r := recover(); r != nil { // fail closed: what the library cannot judge is invalid
			err = fmt.Errorf("the arguments could not be checked against the tool's input schema (%v)", r)
		}
	}()
	if err := s.resolved.Validate(inst); err != nil {
		return libraryProblem(err)
	}
	return nil
}

// libraryProblem restates a refusal of the library, such as "validating
// root: validating /properties/step: multipleOf: 7/1 is not a multiple of
// 5.000000", naming the argument it is in when the library's schema
// location says so.
func libraryProblem(err error) error {
	reason, pointer := err.Error(), ""
	for {
		rest, ok := strings.CutPrefix(reason, "validating ")
		if !ok {
			break
		}
		loc, after, ok := strings.Cut(rest, ": ")
		if !ok || strings.ContainsRune(loc, ' ') {
			break
		}
		if loc != "root" && pointer == "" { // the outermost location names the argument
			pointer = loc
		}
		reason = after
	}
	reason = shorten(reason, 200)
	if parts := strings.Split(pointer, "/"); len(parts) > 2 && parts[0] == "" && parts[1] == "properties" {
		name := strings.NewReplacer("~1", "/", "~0", "~").Replace(parts[2])
		return fmt.Errorf("argument %s does not match the tool's input schema (%s)", strconv.Quote(name), reason)
	}
	return fmt.Errorf("the arguments do not match the tool's input schema (%s)", reason)
}

// maxProblems bounds how many problems an argument error lists.
const maxProblems = 10

// problems collects the problems explain finds, up to maxProblems.
type problems struct {
	list []error
	more bool // some were left out
}

func (p *problems) add(err error) {
	if len(p.list) == maxProblems {
		p.more = true
		return
	}
	p.list = append(p.list, err)
}

// err is nil, the one problem, or all of them in one error.
func (p *problems) err() error {
	switch len(p.list) {
	case 0:
		return nil
	case 1:
		return p.list[0]
	}
	parts := make([]string, len(p.list))
	for i, e := range p.list {
		parts[i] = fmt.Sprintf("(%d) %v", i+1, e)
	}
	more := ""
	if p.more {
		more = fmt.Sprintf("; and more (only the first %d are listed)", maxProblems)
	}
	return fmt.Errorf("%d problems: %s%s", len(p.list), strings.Join(parts, "; "), more)
}

// explain checks v against the keywords of n the generator emits, and
// names every problem (up to maxProblems) and the argument it is in.
func (s *argSchema) explain(n *jsonschema.Schema, v any, where string) error {
	var p problems
	s.collect(n, v, where, &p)
	return p.err()
}

// collect adds the problems of v against n to p. A value of the wrong
// type, or outside its enum or const, is one problem: its inner keywords
// are not checked.
func (s *argSchema) collect(n *jsonschema.Schema, v any, where string, p *problems) {
	if isFalseSchema(n) {
		p.add(fmt.Errorf("%s is not allowed", where))
		return
	}
	types := n.Types
	if n.Type != "" {
		types = []string{n.Type}
	}
	if len(types) > 0 && !slices.ContainsFunc(types, func(t string) bool { return hasType(v, t) }) {
		p.add(fmt.Errorf("%s must be %s, not %s", where, typeList(types), describe(v)))
		return
	}
	if len(n.Enum) > 0 && !slices.ContainsFunc(n.Enum, func(e any) bool { return sameJSON(e, v) }) {
		p.add(fmt.Errorf("%s must be one of %s, not %s", where, enumList(n.Enum), describe(v)))
		return
	}
	if n.Const != nil && !sameJSON(*n.Const, v) {
		p.add(fmt.Errorf("%s must be %s", where, enumList([]any{*n.Const})))
		return
	}
	switch x := v.(type) {
	case string:
		if err := s.checkString(n, x, where); err != nil {
			p.add(err)
		}
	case json.Number:
		if err := checkNumber(n, x, where); err != nil {
			p.add(err)
		}
	case []any:
		if n.MinItems != nil && len(x) < *n.MinItems {
			p.add(fmt.Errorf("%s must have at least %d items", where, *n.MinItems))
		}
		if n.MaxItems != nil && len(x) > *n.MaxItems {
			p.add(fmt.Errorf("%s must have at most %d items", where, *n.MaxItems))
		}
		if n.Items != nil {
			for i, e := range x {
				if p.more {
					return
				}
				s.collect(n.Items, e, fmt.Sprintf("%s[%d]", where, i), p)
			}
		}
	case map[string]any:
		for _, r := range n.Required {
			if _, ok := x[r]; !ok {
				p.add(fmt.Errorf("%s is required", child(where, r)))
			}
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if p.more {
				return
			}
			if sub, ok := n.Properties[k]; ok {
				s.collect(sub, x[k], child(where, k), p)
				continue
			}
			if isFalseSchema(n.AdditionalProperties) {
				known := "none"
				if len(n.Properties) > 0 {
					known = strings.Join(slices.Sorted(maps.Keys(n.Properties)), ", ")
				}
				p.add(fmt.Errorf("%s is not a known argument (allowed: %s)", child(where, k), known))
				continue
			}
			if n.AdditionalProperties != nil {
				s.collect(n.AdditionalProperties, x[k], child(where, k), p)
			}
		}
	}
	for _, a := range n.AllOf {
		s.collect(a, v, where, p)
	}
	if len(n.AnyOf) > 0 && !slices.ContainsFunc(n.AnyOf, func(a *jsonschema.Schema) bool { return s.explain(a, v, where) == nil }) {
		p.add(fmt.Errorf("%s matches none of the allowed forms", where))
	}
	if len(n.OneOf) > 0 {
		matched := 0
		for _, a := range n.OneOf {
			if s.explain(a, v, where) == nil {
				matched++
			}
		}
		if matched != 1 {
			p.add(fmt.Errorf("%s must match exactly one of the allowed forms (it matches %d)", where, matched))
		}
	}
}

// isFalseSchema reports whether n is the schema false, which the library
// represents as {"not": {}}.
func isFalseSchema(n *jsonschema.Schema) bool {
	if n == nil || n.Not == nil {
		return false
	}
	empty, err := json.Marshal(n.Not)
	return err == nil && string(empty) == "true" && n.Type == "" && len(n.Types) == 0
}

// child names property k of where.
func child(where, k string) string {
	if where == "" {
		return "argument " + strconv.Quote(k)
	}
	return where + "." + k
}

func (s *argSchema) checkString(n *jsonschema.Schema, str, where string) error {
	l := utf8.RuneCountInString(str)
	if n.MinLength != nil && l < *n.MinLength {
		return fmt.Errorf("%s must be at least %d characters long", where, *n.MinLength)
	}
	if n.MaxLength != nil && l > *n.MaxLength {
		return fmt.Errorf("%s must be at most %d characters long", where, *n.MaxLength)
	}
	if re := s.patterns[n.Pattern]; re != nil && !re.MatchString(str) {
		return fmt.Errorf("%s must match the pattern %s", where, re)
	}
	switch n.Format {
	case "date-time":
		if _, err := time.Parse(time.RFC3339, str); err != nil {
			return fmt.Errorf("%s must be an RFC 3339 date-time such as 2026-01-02T15:04:05Z", where)
		}
	case "date":
		if _, err := time.Parse(time.DateOnly, str); err != nil {
			return fmt.Errorf("%s must be a date such as 2026-01-02", where)
		}
	case "email":
		if a, err := mail.ParseAddress(str); err != nil || a.Address != str {
			return fmt.Errorf("%s must be an e-mail address such as name@example.com", where)
		}
	case "uri", "url":
		if u, err := url.Parse(str); err != nil || u.Scheme == "" || (u.Host == "" && u.Opaque == "") {
			return fmt.Errorf("%s must be an absolute URI such as https://example.com/path", where)
		}
	case "byte":
		if _, err := base64.StdEncoding.DecodeString(str); err != nil {
			return fmt.Errorf("%s must be base64-encoded", where)
		}
	case "uuid":
		if !uuidRE.MatchString(str) {
			return fmt.Errorf("%s must be a UUID", where)
		}
	}
	return nil
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func checkNumber(n *jsonschema.Schema, x json.Number, where string) error {
	f, err := x.Float64()
	if err != nil {
		return fmt.Errorf("%s must be a number", where)
	}
	if n.Minimum != nil && f < *n.Minimum {
		return fmt.Errorf("%s must be at least %v", where, *n.Minimum)
	}
	if n.Maximum != nil && f > *n.Maximum {
		return fmt.Errorf("%s must be at most %v", where, *n.Maximum)
	}
	if n.ExclusiveMinimum != nil && f <= *n.ExclusiveMinimum {
		return fmt.Errorf("%s must be greater than %v", where, *n.ExclusiveMinimum)
	}
	if n.ExclusiveMaximum != nil && f >= *n.ExclusiveMaximum {
		return fmt.Errorf("%s must be less than %v", where, *n.ExclusiveMaximum)
	}
	switch n.Format {
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

// plainJSON returns v (decoded with UseNumber) with every number as an
// int64 when it is a whole number that fits, else a float64: the library
// takes a json.Number for a string. A number beyond float64 is refused.
func plainJSON(v any) (any, *numberTooLarge) {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(x.String(), 10, 64); err == nil {
			return i, nil
		}
		f, err := x.Float64()
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, &numberTooLarge{number: x.String()}
		}
		return f, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			p, err := plainJSON(e)
			if err != nil {
				err.at = append(err.at, pathStep{index: i})
				return nil, err
			}
			out[i] = p
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			p, err := plainJSON(e)
			if err != nil {
				err.at = append(err.at, pathStep{key: k, isKey: true})
				return nil, err
			}
			out[k] = p
		}
		return out, nil
	}
	return v, nil
}

// numberTooLarge is a number of the arguments beyond float64.
type numberTooLarge struct {
	number string
	at     []pathStep // where it is, innermost step first
}

// pathStep is one step into a JSON value: an object's key or an array's index.
type pathStep struct {
	key   string
	index int
	isKey bool
}

// in names the number from where, the value plainJSON was given.
func (e *numberTooLarge) in(where string) error {
	for _, step := range slices.Backward(e.at) {
		if step.isKey {
			where = child(where, step.key)
		} else {
			where = fmt.Sprintf("%s[%d]", where, step.index)
		}
	}
	if where == "" {
		where = "the value"
	}
	return fmt.Errorf("%s is a number too large to use: %s", where, shorten(e.number, 40))
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
	return true // an unknown type name: the library decides
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

// sameJSON reports whether two JSON values are equal: a from the schema
// (numbers as float64), b from the arguments (numbers as json.Number).
func sameJSON(a, b any) bool {
	pa, tooLargeA := plainJSON(a)
	pb, tooLargeB := plainJSON(b)
	if tooLargeA != nil || tooLargeB != nil {
		return false
	}
	if fa, ok := pa.(float64); ok {
		pa = normalNumber(fa)
	}
	if fb, ok := pb.(float64); ok {
		pb = normalNumber(fb)
	}
	ab, err1 := json.Marshal(pa)
	bb, err2 := json.Marshal(pb)
	return err1 == nil && err2 == nil && bytes.Equal(ab, bb)
}

// normalNumber returns f as an int64 when it is a whole number that fits,
// so that 1 and 1.0 compare equal.
func normalNumber(f float64) any {
	if f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64 {
		return int64(f)
	}
	return f
}
