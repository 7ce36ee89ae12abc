// Package openapi is the one reader of OpenAPI 3.0 and 3.1 documents that
// the generator (internal/gen) and the drift report (internal/specdiff)
// share: loading with key order kept, local $ref resolution, the operations
// of the paths object, and the scopes and tier of each operation. Because
// both read an operation's scope through [Document.Scopes], generation and
// drift cannot disagree about it.
package openapi

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// MaxRefHops bounds a chain of $refs, so a cycle of references ends.
const MaxRefHops = 32

// Document is a loaded OpenAPI document.
type Document struct {
	// Root is the document's top-level object.
	Root *Object
	// Version is the "openapi" field, such as "3.1.0" ("" when missing).
	Version string
	// Extensions names the per-operation vendor extensions that carry an
	// operation's scope; DefaultScopeExtensions when nil.
	Extensions *ScopeExtensions

	work *work // the bound on resolving references, when Bound set one
}

// work bounds the total work of resolving $refs over a whole document, so
// that a looping or deliberately long chain of references, referred to from
// many places, cannot make reading the document take minutes or hours.
type work struct {
	ctx     context.Context
	left    int   // work left: pointer bytes resolved plus hops
	steps   int   // spends so far, to check ctx now and then
	err     error // the error that stopped the reading, once one did
	spentUp error // returned when left runs out
}

// Bound limits the work of resolving $refs from now on: each hop costs one
// plus the length of its pointer, and budget is the total. Once the budget
// is spent (spent is then the error) or ctx ends (ctx's error), every
// Follow fails and Err says why. The drift report reads untrusted documents
// so bounded; the generator reads the project's own.
func (d *Document) Bound(ctx context.Context, budget int, spent error) {
	d.work = &work{ctx: ctx, left: budget, spentUp: spent}
}

// Err reports why reading stopped early under Bound: the budget's error or
// the context's; nil while it has not.
func (d *Document) Err() error {
	if d.work == nil {
		return nil
	}
	return d.work.err
}

// spend takes n units of work from the bound, if any; false once the
// budget is spent or the context ended.
func (d *Document) spend(n int) bool {
	w := d.work
	if w == nil {
		return true
	}
	if w.err != nil {
		return false
	}
	if w.left -= n; w.left < 0 {
		w.err = w.spentUp
		return false
	}
	if w.steps++; w.steps%256 == 0 {
		if err := w.ctx.Err(); err != nil {
			w.err = err
			return false
		}
	}
	return true
}

// Load parses an OpenAPI 3.0 or 3.1 JSON document. Only malformed JSON, or
// JSON that is not an object, is an error.
func Load(data []byte) (*Document, error) {
	v, err := Decode(data)
	if err != nil {
		return nil, err
	}
	root, ok := v.(*Object)
	if !ok {
		return nil, errors.New("the spec is not a JSON object")
	}
	return &Document{Root: root, Version: root.Str("openapi")}, nil
}

// Pointer resolves a local JSON reference such as
// "#/components/schemas/Server"; references to other documents are not
// followed.
func (d *Document) Pointer(ref string) (any, bool) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, false
	}
	if frag == "" {
		return d.Root, true
	}
	if frag[0] != '/' {
		return nil, false
	}
	var cur any = d.Root
	for _, tok := range strings.Split(frag[1:], "/") {
		tok = UnescapePointer(tok)
		switch c := cur.(type) {
		case *Object:
			v, ok := c.Get(tok)
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// UnescapePointer decodes one JSON-pointer token, including the
// percent-encoding of a URI fragment.
func UnescapePointer(tok string) string {
	if strings.Contains(tok, "%") {
		if u, err := url.PathUnescape(tok); err == nil {
			tok = u
		}
	}
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}

// Follow resolves the $ref chain of a path item, parameter, response,
// request body or header object and returns the object it ends at.
func (d *Document) Follow(v any) (*Object, bool) {
	for range MaxRefHops {
		o, ok := v.(*Object)
		if !ok {
			return nil, false
		}
		ref, isRef := o.Get("$ref")
		if !isRef {
			return o, true
		}
		s, _ := ref.(string)
		if !d.spend(1 + len(s)) {
			return nil, false
		}
		if v, ok = d.Pointer(s); !ok {
			return nil, false
		}
	}
	return nil, false
}

// HTTPMethods are the operation keys of a path item, in lower case.
var HTTPMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// IsMethod reports whether k (any case) is an operation key of a path item.
func IsMethod(k string) bool {
	k = strings.ToLower(k)
	for _, m := range HTTPMethods {
		if m == k {
			return true
		}
	}
	return false
}

// Operation is one operation of the paths object.
type Operation struct {
	// Method is the HTTP method in upper case.
	Method string
	// Path is the path template as the spec writes it.
	Path string
	// Object is the operation object.
	Object *Object
	// Item is the path item (its $ref resolved).
	Item *Object
}

// Operations lists the operations in document order: paths in the order
// given, methods in the order each path item lists them. unresolved is
// called (when not nil) for each path item whose $ref cannot be resolved.
func (d *Document) Operations(unresolved func(path string)) []Operation {
	var ops []Operation
	d.Root.Obj("paths").Each(func(path string, v any) {
		item, ok := d.Follow(v)
		if !ok {
			if unresolved != nil {
				unresolved(path)
			}
			return
		}
		item.Each(func(k string, ov any) {
			o, ok := ov.(*Object)
			if !ok || !IsMethod(k) {
				return
			}
			ops = append(ops, Operation{Method: strings.ToUpper(k), Path: path, Object: o, Item: item})
		})
	})
	return ops
}
