package main

import (
	"strings"

	"github.com/restorehub/restorehub-go/internal/openapi"
)

// document is a loaded OpenAPI document: the shared reader's document plus
// the warnings the generator collects.
type document struct {
	*openapi.Document
	root    *object
	version string // the "openapi" field, such as "3.1.0"
	// warnings collects what the generator noticed but could not honour.
	warnings []string
	// renamedResources maps a resource key assignIDs shortened (by a
	// leading version: "models") to the key its tag spells ("v2-models").
	renamedResources map[string]string
}

// loadDocument parses an OpenAPI 3.0 or 3.1 JSON document. Only malformed
// JSON, or JSON that is not an object, is an error.
func loadDocument(data []byte) (*document, error) {
	od, err := openapi.Load(data)
	if err != nil {
		return nil, err
	}
	root := od.Root
	d := &document{Document: od, root: root, version: od.Version}
	switch {
	case d.version == "" && root.Str("swagger") != "":
		d.warn("Swagger " + root.Str("swagger") + " documents are not supported; generating from what fits OpenAPI 3")
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
func (d *document) pointer(ref string) (any, bool) { return d.Pointer(ref) }

// unescapePointer decodes one JSON-pointer token.
func unescapePointer(tok string) string { return openapi.UnescapePointer(tok) }

// follow resolves the $ref chain of a parameter, response, request body or
// header object and returns the object it ends at.
func (d *document) follow(v any) (*object, bool) { return d.Follow(v) }

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
	d.root.Obj("components").Obj("schemas").Each(func(k string, v any) {
		out = append(out, property{name: k, schema: readSchema(v)})
	})
	return out
}

// scopeList is one tier's list in x-scopes.
type scopeList = openapi.ScopeList

// scopeLists reads x-scopes: every key whose value is an array of strings is
// a tier ("read", "write", "destructive"), in document order.
func (d *document) scopeLists() []scopeList { return d.ScopeLists() }

// maxRefHops bounds a chain of $refs, so a cycle of references ends.
const maxRefHops = openapi.MaxRefHops
