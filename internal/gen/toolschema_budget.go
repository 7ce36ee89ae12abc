package main

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxToolSchemaBytes is the size budget of one tool's input schema: a model
// reads every tool's schema on every turn, and a schema past a few thousand
// tokens crowds out the conversation (one of the corpus's inlined $ref trees
// was 150 KB).
const maxToolSchemaBytes = 8 << 10

// maxCutDepth is the deepest nesting budgetedToolSchema tries first when a
// schema is over budget; it then cuts shallower until the schema fits.
const maxCutDepth = 4

// cutNote ends the description of a schema cut for size, so that a model
// knows it may still send the value.
const cutNote = "Not expanded here, to keep this tool's input schema small: send it as the API documentation describes it."

// budgetedToolSchema is toolSchema within maxToolSchemaBytes. A schema that
// fits is returned whole. Otherwise nested objects, lists of objects and
// unions are cut at the deepest nesting (counted from the arguments) that
// fits: each cut one keeps its type and description and says what it is
// (the fields of an object, the values of an enumeration) and that it was
// not expanded. Should even arguments cut at the top be too large, long
// descriptions are shortened; a schema that still does not fit is an
// error naming the tool's size.
func budgetedToolSchema(args []toolArg) ([]byte, error) {
	schema := toolSchema(args)
	if len(schema) <= maxToolSchemaBytes {
		return schema, nil
	}
	cutArgs := func(limit, maxDesc int) []toolArg {
		out := make([]toolArg, len(args))
		for i, a := range args {
			a.schema = cutSchema(a.schema, 0, limit, maxDesc)
			out[i] = a
		}
		return out
	}
	for limit := maxCutDepth; limit >= 0; limit-- {
		if schema = toolSchema(cutArgs(limit, 0)); len(schema) <= maxToolSchemaBytes {
			return schema, nil
		}
	}
	if schema = toolSchema(cutArgs(0, 160)); len(schema) <= maxToolSchemaBytes {
		return schema, nil
	}
	return nil, fmt.Errorf("input schema of %d bytes is over the %d-byte budget even with every argument cut at the top", len(schema), maxToolSchemaBytes)
}

// cutSchema returns s with every compound schema at depth limit or deeper
// replaced by stubSchema, and, when maxDesc > 0, every description longer
// than maxDesc bytes shortened.
func cutSchema(s any, depth, limit, maxDesc int) any {
	o, ok := s.(orderedJSON)
	if !ok {
		return s
	}
	if depth >= limit && compoundSchema(o) {
		return stubSchema(o, maxDesc)
	}
	out := make(orderedJSON, 0, len(o))
	for _, e := range o {
		switch e.k {
		case "description":
			if str, ok := e.v.(string); ok && maxDesc > 0 {
				e.v = shorten(str, maxDesc)
			}
		case "properties":
			if props, ok := e.v.(orderedJSON); ok {
				cut := make(orderedJSON, len(props))
				for i, p := range props {
					cut[i] = kv{p.k, cutSchema(p.v, depth+1, limit, maxDesc)}
				}
				e.v = cut
			}
		case "items", "additionalProperties":
			e.v = cutSchema(e.v, depth+1, limit, maxDesc)
		case "allOf", "oneOf", "anyOf":
			if list, ok := e.v.([]any); ok {
				cut := make([]any, len(list))
				for i, m := range list {
					cut[i] = cutSchema(m, depth+1, limit, maxDesc)
				}
				e.v = cut
			}
		}
		out = append(out, e)
	}
	return out
}

// compoundSchema reports whether a converted schema nests others: an
// object with properties, a union or intersection, a map of such, or a
// list of such.
func compoundSchema(o orderedJSON) bool {
	if props, ok := o.Get("properties").(orderedJSON); ok && len(props) > 0 {
		return true
	}
	if o.Has("allOf") || o.Has("oneOf") || o.Has("anyOf") {
		return true
	}
	for _, k := range []string{"items", "additionalProperties"} {
		if sub, ok := o.Get(k).(orderedJSON); ok && compoundSchema(sub) {
			return true
		}
	}
	return false
}

// stubSchema is what a cut compound schema becomes: its type, its
// description followed by what it is and cutNote. A union of constants (an
// enumeration written as oneOf/anyOf of const) keeps its values as enum.
func stubSchema(o orderedJSON, maxDesc int) orderedJSON {
	desc, _ := o.Get("description").(string)
	if maxDesc == 0 {
		maxDesc = 300
	}
	desc = shorten(desc, maxDesc)
	consts, isEnum := unionConsts(o)
	if !isEnum {
		if desc != "" && !strings.HasSuffix(desc, ".") {
			desc += "."
		}
		desc = strings.TrimSpace(desc + " " + shapeOf(o) + ". " + cutNote)
	}
	out := orderedJSON{}
	if desc != "" {
		out = append(out, kv{"description", desc})
	}
	if t := o.Get("type"); t != nil {
		out = append(out, kv{"type", t})
	}
	if isEnum {
		out = append(out, kv{"enum", consts})
	}
	return out
}

// unionConsts returns the values of a oneOf or anyOf whose every member is
// a const.
func unionConsts(o orderedJSON) ([]any, bool) {
	for _, k := range []string{"oneOf", "anyOf"} {
		list, ok := o.Get(k).([]any)
		if !ok || len(list) == 0 {
			continue
		}
		var consts []any
		for _, m := range list {
			mo, _ := m.(orderedJSON)
			found := false
			for _, e := range mo {
				if e.k == "const" {
					consts, found = append(consts, e.v), true
				}
			}
			if !found {
				return nil, false
			}
		}
		return consts, true
	}
	return nil, false
}

// shapeOf says in a few words what a compound schema is: an object and its
// field names, a list of such, or a choice of shapes.
func shapeOf(o orderedJSON) string {
	if props, ok := o.Get("properties").(orderedJSON); ok && len(props) > 0 {
		names := make([]string, 0, len(props))
		for i, p := range props {
			if i == 12 {
				names = append(names, "…")
				break
			}
			names = append(names, p.k)
		}
		s := "An object with the fields " + strings.Join(names, ", ")
		if req, ok := o.Get("required").([]string); ok && len(req) > 0 {
			s += " (required: " + strings.Join(req, ", ") + ")"
		}
		return s
	}
	if items, ok := o.Get("items").(orderedJSON); ok && compoundSchema(items) {
		return "A list; each item: " + strings.TrimSuffix(lowerFirst(shapeOf(items)), ".")
	}
	if add, ok := o.Get("additionalProperties").(orderedJSON); ok && compoundSchema(add) {
		return "A map from names to values; each value: " + lowerFirst(shapeOf(add))
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if list, ok := o.Get(k).([]any); ok {
			return fmt.Sprintf("One of %d shapes", len(list))
		}
	}
	if list, ok := o.Get("allOf").([]any); ok {
		return fmt.Sprintf("A value matching all of %d schemas", len(list))
	}
	return "A nested value"
}

// shorten cuts s to at most n bytes at a word boundary, ending it with "…".
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	cut := s[:n]
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}
