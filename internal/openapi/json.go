package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxJSONDepth bounds the nesting of the documents read, so a hostile or
// broken spec cannot exhaust the stack.
const maxJSONDepth = 512

// Object is a JSON object that remembers the order of its keys, so that
// readers can list operations and fields in the order the spec gives them.
// A repeated key keeps its first position and its last value. A nil *Object
// reads as an empty object.
type Object struct {
	keys []string
	vals map[string]any
}

// NewObject returns an object with the given keys and values in order.
func NewObject(kv ...any) *Object {
	o := &Object{vals: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		o.Set(k, kv[i+1])
	}
	return o
}

// Set sets key k to v, appending k when it is new.
func (o *Object) Set(k string, v any) {
	if _, dup := o.vals[k]; !dup {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// Decode parses data into nil, bool, json.Number, string, []any and *Object
// values.
func Decode(data []byte) (any, error) {
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
			o := &Object{vals: map[string]any{}}
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
				o.Set(k, v)
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

// Get returns the value of key k.
func (o *Object) Get(k string) (any, bool) {
	if o == nil {
		return nil, false
	}
	v, ok := o.vals[k]
	return v, ok
}

// Has reports whether the object has key k.
func (o *Object) Has(k string) bool {
	_, ok := o.Get(k)
	return ok
}

// Str returns the string value of key k, or "" when it is missing or not a
// string.
func (o *Object) Str(k string) string {
	v, _ := o.Get(k)
	s, _ := v.(string)
	return s
}

// Obj returns the object value of key k, or nil.
func (o *Object) Obj(k string) *Object {
	v, _ := o.Get(k)
	m, _ := v.(*Object)
	return m
}

// Arr returns the array value of key k, or nil.
func (o *Object) Arr(k string) []any {
	v, _ := o.Get(k)
	a, _ := v.([]any)
	return a
}

// Boolean returns the boolean value of key k; ok is false when it is missing
// or not a boolean.
func (o *Object) Boolean(k string) (b, ok bool) {
	v, _ := o.Get(k)
	b, ok = v.(bool)
	return b, ok
}

// IsTrue reports whether key k is the boolean true.
func (o *Object) IsTrue(k string) bool {
	b, ok := o.Boolean(k)
	return ok && b
}

// Integer returns the integer value of key k.
func (o *Object) Integer(k string) (int64, bool) {
	v, _ := o.Get(k)
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}

// Each calls f for every key in order.
func (o *Object) Each(f func(k string, v any)) {
	if o == nil {
		return
	}
	for _, k := range o.keys {
		f(k, o.vals[k])
	}
}

// Keys returns the keys in document order.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return o.keys
}

// Len returns the number of keys.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

// Strings returns the string elements of a JSON array value, skipping others.
func Strings(v any) []string {
	a, _ := v.([]any)
	var out []string
	for _, e := range a {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
