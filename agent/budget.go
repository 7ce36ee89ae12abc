package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// DefaultMaxResultBytes is the size of JSON a successful call returns to
// the model unless WithMaxResultBytes says otherwise.
const DefaultMaxResultBytes = 16 << 10

// WithMaxResultBytes sets the most JSON a call's Result.Data carries. A
// larger response is cut to a valid JSON value that fits (the first items
// of a list, or the object without its largest fields), and Result.Text
// says what was left out and how to get it: a smaller page, the next
// cursor, or the fields argument. Values of zero or less keep
// DefaultMaxResultBytes, and values below MinResultBytes are raised to it.
// What was cut was still read from the API.
func WithMaxResultBytes(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxResult = max(n, MinResultBytes)
		}
	}
}

// MinResultBytes is the smallest budget WithMaxResultBytes sets: enough for
// a cut value and its cursor.
const MinResultBytes = 256

// fieldsArg is the optional argument of list and get tools that selects
// the top-level fields of what they return.
const fieldsArg = "fields"

// fieldsSchema is the fields argument's schema as tools list it: a
// comma-separated string of field names, as in many REST APIs' "fields"
// query parameter, the shortest schema for it (37 tools list it). Its
// meaning is said once in Instructions. An array of names is accepted too.
const fieldsSchema = `{"type":"string"}`

// maxFields bounds the fields argument.
const maxFields = 64

// takesFields reports whether e's tool takes the fields argument: a
// read-only GET that returns something (a list or a get).
func takesFields(e *entry) bool {
	return e.class.ReadOnly && e.class.Method == "GET" && !slices.Contains(e.argNames, fieldsArg)
}

// withFieldsArg adds the fields argument to a listed schema, as the last
// property.
func withFieldsArg(schema json.RawMessage) json.RawMessage {
	var top map[string]json.RawMessage
	if json.Unmarshal(schema, &top) != nil {
		return schema
	}
	props := bytes.TrimSpace(top["properties"])
	if len(props) < 2 || props[0] != '{' {
		return schema
	}
	inner := bytes.TrimSpace(props[1 : len(props)-1])
	var np []byte
	if len(inner) == 0 {
		np = []byte(`{"` + fieldsArg + `":` + fieldsSchema + `}`)
	} else {
		np = []byte(`{` + string(inner) + `,"` + fieldsArg + `":` + fieldsSchema + `}`)
	}
	old := append([]byte(`"properties":`), top["properties"]...)
	out := bytes.Replace(schema, old, append([]byte(`"properties":`), np...), 1)
	if !json.Valid(out) {
		return schema
	}
	return out
}

// takeFields removes the fields argument from raw and returns it; raw that
// is not a JSON object is returned unchanged for validation to refuse.
func takeFields(raw json.RawMessage) ([]string, json.RawMessage, error) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || m == nil {
		return nil, raw, nil
	}
	f, ok := m[fieldsArg]
	if !ok {
		return nil, raw, nil
	}
	delete(m, fieldsArg)
	rest, err := json.Marshal(m)
	if err != nil {
		return nil, raw, err
	}
	if bytes.Equal(bytes.TrimSpace(f), []byte("null")) {
		return nil, rest, nil
	}
	var fields []string
	var list string
	if json.Unmarshal(f, &list) == nil {
		fields = strings.Split(list, ",")
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
	} else if err := json.Unmarshal(f, &fields); err != nil {
		return nil, raw, errors.New(`argument "fields" must be a string of comma-separated field names`)
	}
	if len(fields) == 0 || len(fields) > maxFields || slices.Contains(fields, "") {
		return nil, raw, fmt.Errorf(`argument "fields" must name between 1 and %d non-empty fields`, maxFields)
	}
	return fields, rest, nil
}

// member is one member of a JSON object, in order.
type member struct {
	key string
	val json.RawMessage
}

// objectMembers decodes a JSON object keeping its members' order; ok is
// false when data is not an object.
func objectMembers(data []byte) (ms []member, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, false
		}
		k, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		ms = append(ms, member{k, v})
	}
	return ms, true
}

func encodeMembers(ms []member) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		b.Write(k)
		b.WriteByte(':')
		b.Write(m.val)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func encodeItems(items []json.RawMessage) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it)
	}
	b.WriteByte(']')
	return b.Bytes()
}

// arrayItems decodes a JSON array into its raw items; ok is false when
// data is not an array.
func arrayItems(data []byte) (items []json.RawMessage, ok bool) {
	t := bytes.TrimSpace(data)
	if len(t) == 0 || t[0] != '[' {
		return nil, false
	}
	return items, json.Unmarshal(t, &items) == nil
}

// pageItems returns the index of the one member of an object that is a
// list of objects (a page's items), or -1.
func pageItems(ms []member) int {
	found := -1
	for i, m := range ms {
		if items, ok := arrayItems(m.val); ok && len(items) > 0 && bytes.HasPrefix(bytes.TrimSpace(items[0]), []byte("{")) {
			if found >= 0 {
				return -1
			}
			found = i
		}
	}
	return found
}

// selectFields keeps only the named top-level fields: of the object, of
// each item of a list, or of each item of a page (whose other members, such
// as nextCursor, are kept). It reports whether any named field existed.
func selectFields(data []byte, fields []string) ([]byte, bool) {
	keepObj := func(raw json.RawMessage) (json.RawMessage, bool) {
		ms, ok := objectMembers(raw)
		if !ok {
			return raw, false
		}
		ms = slices.DeleteFunc(ms, func(m member) bool { return !slices.Contains(fields, m.key) })
		return encodeMembers(ms), len(ms) > 0
	}
	keepAll := func(items []json.RawMessage) ([]byte, bool) {
		found := false
		for i := range items {
			var hit bool
			items[i], hit = keepObj(items[i])
			found = found || hit
		}
		return encodeItems(items), found
	}
	if items, ok := arrayItems(data); ok {
		return keepAll(items)
	}
	ms, ok := objectMembers(data)
	if !ok {
		return data, false
	}
	if i := pageItems(ms); i >= 0 {
		items, _ := arrayItems(ms[i].val)
		var hit bool
		ms[i].val, hit = keepAll(items)
		return encodeMembers(ms), hit
	}
	return keepObj(data)
}

// cutToBudget returns data when it fits in max bytes, and otherwise a
// valid JSON value that does: a list or a page's items cut to their first
// items, or an object without its largest members. what says what was left
// out; it is "" when nothing was cut.
func cutToBudget(data []byte, max int) (out []byte, what string) {
	if len(data) <= max {
		return data, ""
	}
	if items, ok := arrayItems(data); ok {
		n := fitItems(items, max-2)
		return encodeItems(items[:n]), fmt.Sprintf("the first %d of %d items", n, len(items))
	}
	ms, ok := objectMembers(data)
	if !ok {
		return []byte("null"), fmt.Sprintf("the whole %d-byte value", len(data))
	}
	if i := pageItems(ms); i >= 0 {
		items, _ := arrayItems(ms[i].val)
		rest := len(data) - len(ms[i].val) + 2
		if n := fitItems(items, max-rest); n > 0 {
			ms[i].val = encodeItems(items[:n])
			return encodeMembers(ms), fmt.Sprintf("the first %d of %d items of %q", n, len(items), ms[i].key)
		}
	}
	// Leave out the largest members until the rest fits.
	order := make([]int, len(ms))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(ms[b].val) - len(ms[a].val) })
	drop := map[int]bool{}
	size := len(data)
	var dropped []string
	for _, i := range order {
		if size <= max {
			break
		}
		drop[i] = true
		size -= len(ms[i].key) + len(ms[i].val) + 4
		dropped = append(dropped, ms[i].key)
	}
	var kept []member
	for i, m := range ms {
		if !drop[i] {
			kept = append(kept, m)
		}
	}
	out = encodeMembers(kept)
	if len(out) > max {
		return []byte("{}"), fmt.Sprintf("every field (%d bytes)", len(data))
	}
	return out, fmt.Sprintf("the fields %s", strings.Join(dropped, ", "))
}

// fitItems is how many of the first items fit in max bytes as a JSON array
// body (items and commas).
func fitItems(items []json.RawMessage, max int) int {
	size := 0
	for i, it := range items {
		size += len(it)
		if i > 0 {
			size++
		}
		if size > max {
			return i
		}
	}
	return len(items)
}

// shape applies the fields argument and the result budget to a successful
// call's JSON, and returns the text to add to the Result: what was cut and
// how to get the rest.
func (tk *Toolkit) shape(e *entry, data []byte, fields []string) ([]byte, string) {
	var notes []string
	if fields != nil {
		sel, hit := selectFields(data, fields)
		data = sel
		if !hit {
			notes = append(notes, fmt.Sprintf("None of the fields %s is in the response; call again without fields to see them all.", strings.Join(fields, ", ")))
		}
	}
	limit := tk.cfg.maxResult
	if limit <= 0 {
		limit = DefaultMaxResultBytes
	}
	full := len(data)
	cut, what := cutToBudget(data, limit)
	if what == "" {
		return data, strings.Join(notes, " ")
	}
	var how []string
	if slices.Contains(e.argNames, "limit") {
		how = append(how, "a smaller limit")
	}
	if slices.Contains(e.argNames, "cursor") {
		how = append(how, "the cursor of the next page (nextCursor)")
	}
	if takesFields(e) {
		how = append(how, `"fields" naming only the fields you need`)
	}
	rest := "This tool has no argument to narrow it; tell the user the result was cut."
	if len(how) > 0 {
		rest = "To get the rest, call again with " + strings.Join(how, ", or ") + "."
	}
	notes = append(notes, fmt.Sprintf("The response (%d bytes) was over the %d-byte budget, so the data holds only %s (%d bytes); the rest was left out. %s",
		full, limit, what, len(cut), rest))
	return cut, strings.Join(notes, " ")
}
