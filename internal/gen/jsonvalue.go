package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxJSONDepth bounds the nesting of the documents the generator reads, so a
// hostile or broken spec cannot exhaust the stack.
const maxJSONDepth = 512

// object is a JSON object that remembers the order of its keys, so that the
// generator can emit operations and fields in the order the spec gives them.
// A repeated key keeps its first position and its last value.
type object struct {
	keys []string
	vals map[string]any
}

// decodeJSON parses data into nil, bool, json.Number, string, []any and
// *object values.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the top-level JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, fmt.Errorf("JSON nested deeper than %d levels", maxJSONDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &object{vals: map[string]any{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, errors.New("object key is not a string")
				}
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				if _, dup := o.vals[k]; !dup {
					o.keys = append(o.keys, k)
				}
				o.vals[k] = v
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return arr, nil
		}
		return nil, fmt.Errorf("unexpected delimiter %q", t)
	default:
		return t, nil
	}
}

// get returns the value of key k.
func (o *object) get(k string) (any, bool) {
	if o == nil {
		return nil, false
	}
	v, ok := o.vals[k]
	return v, ok
}

// has reports whether the object has key k.
func (o *object) has(k string) bool {
	_, ok := o.get(k)
	return ok
}

// str returns the string value of key k, or "" when it is missing or not a string.
func (o *object) str(k string) string {
	v, _ := o.get(k)
	s, _ := v.(string)
	return s
}

// obj returns the object value of key k, or nil.
func (o *object) obj(k string) *object {
	v, _ := o.get(k)
	m, _ := v.(*object)
	return m
}

// arr returns the array value of key k, or nil.
func (o *object) arr(k string) []any {
	v, _ := o.get(k)
	a, _ := v.([]any)
	return a
}

// boolean returns the boolean value of key k; ok is false when it is missing
// or not a boolean.
func (o *object) boolean(k string) (b, ok bool) {
	v, _ := o.get(k)
	b, ok = v.(bool)
	return b, ok
}

// isTrue reports whether key k is the boolean true.
func (o *object) isTrue(k string) bool {
	b, ok := o.boolean(k)
	return ok && b
}

// integer returns the integer value of key k.
func (o *object) integer(k string) (int64, bool) {
	v, _ := o.get(k)
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}

// each calls f for every key in order.
func (o *object) each(f func(k string, v any)) {
	if o == nil {
		return
	}
	for _, k := range o.keys {
		f(k, o.vals[k])
	}
}

// len returns the number of keys.
func (o *object) len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

// strings returns the string elements of a JSON array value, skipping others.
func stringsOf(v any) []string {
	a, _ := v.([]any)
	var out []string
	for _, e := range a {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
