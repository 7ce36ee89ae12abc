package main

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// maxRefHops bounds a chain of $refs, so a cycle of references ends.
const maxRefHops = 32

// document is a loaded OpenAPI document.
type document struct {
	root    *object
	version string // the "openapi" field, such as "3.1.0"
	// warnings collects what the generator noticed but could not honour.
	warnings []string
}

// loadDocument parses an OpenAPI 3.0 or 3.1 JSON document. Only malformed
// JSON, or JSON that is not an object, is an error.
func loadDocument(data []byte) (*document, error) {
	v, err := decodeJSON(data)
	if err != nil {
		return nil, err
	}
	root, ok := v.(*object)
	if !ok {
		return nil, errors.New("the spec is not a JSON object")
	}
	d := &document{root: root, version: root.str("openapi")}
	switch {
	case d.version == "" && root.str("swagger") != "":
		d.warn("Swagger " + root.str("swagger") + " documents are not supported; generating from what fits OpenAPI 3")
	case d.version == "":
		d.warn("no \"openapi\" version field; reading the document as OpenAPI 3.1")
	case !strings.HasPrefix(d.version, "3."):
		d.warn("OpenAPI version " + d.version + " is not 3.x; generating from what fits OpenAPI 3")
	}
	return d, nil
}

func (d *document) warn(msg string) { d.warnings = append(d.warnings, msg) }

// pointer resolves a local JSON reference such as
// "#/components/schemas/Server"; references to other documents are not
// followed.
func (d *document) pointer(ref string) (any, bool) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil, false
	}
	if frag == "" {
		return d.root, true
	}
	if frag[0] != '/' {
		return nil, false
	}
	var cur any = d.root
	for _, tok := range strings.Split(frag[1:], "/") {
		tok = unescapePointer(tok)
		switch c := cur.(type) {
		case *object:
			v, ok := c.get(tok)
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

// unescapePointer decodes one JSON-pointer token, including the
// percent-encoding of a URI fragment.
func unescapePointer(tok string) string {
	if strings.Contains(tok, "%") {
		if u, err := url.PathUnescape(tok); err == nil {
			tok = u
		}
	}
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}

// follow resolves the $ref chain of a parameter, response, request body or
// header object and returns the object it ends at.
func (d *document) follow(v any) (*object, bool) {
	for range maxRefHops {
		o, ok := v.(*object)
		if !ok {
			return nil, false
		}
		ref, isRef := o.get("$ref")
		if !isRef {
			return o, true
		}
		s, _ := ref.(string)
		if v, ok = d.pointer(s); !ok {
			return nil, false
		}
	}
	return nil, false
}

// componentSchemaName returns Name for a reference of the form
// "#/components/schemas/Name".
func componentSchemaName(ref string) (string, bool) {
	rest, ok := strings.CutPrefix(ref, "#/components/schemas/")
	if !ok || rest == "" || strings.Contains(rest, "/") {
		return "", false
	}
	return unescapePointer(rest), true
}

// componentSchemas returns the component schemas in document order.
func (d *document) componentSchemas() []property {
	var out []property
	d.root.obj("components").obj("schemas").each(func(k string, v any) {
		out = append(out, property{name: k, schema: readSchema(v)})
	})
	return out
}

// scopeTiers maps each scope of the document's x-scopes lists to its tier.
func (d *document) scopeTiers() map[string]string {
	m := map[string]string{}
	for _, l := range d.scopeLists() {
		for _, s := range l.scopes {
			if _, ok := m[s]; !ok {
				m[s] = l.tier
			}
		}
	}
	return m
}

// scopeList is one tier's list in x-scopes.
type scopeList struct {
	tier   string
	scopes []string
}

// scopeLists reads x-scopes: every key whose value is an array of strings is
// a tier ("read", "write", "destructive"), in document order.
func (d *document) scopeLists() []scopeList {
	var out []scopeList
	d.root.obj("x-scopes").each(func(k string, v any) {
		if _, ok := v.([]any); ok && !strings.HasPrefix(k, "x-") {
			out = append(out, scopeList{tier: k, scopes: stringsOf(v)})
		}
	})
	return out
}
