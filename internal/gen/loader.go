package main

import (
	"strings"

	"github.com/restorehub/restorehub-go/internal/openapi"
)

// document is a loaded OpenAPI document: the shared reader's document plus
// the warnings the generator collects.
type document struct {
	*openapi.Document
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
	d := &document{Document: od}
	switch {
	case od.Version == "" && od.Root.Str("swagger") != "":
		d.warn("Swagger " + od.Root.Str("swagger") + " documents are not supported; generating from what fits OpenAPI 3")
	case od.Version == "":
		d.warn("no \"openapi\" version field; reading the document as OpenAPI 3.1")
	case !strings.HasPrefix(od.Version, "3."):
		d.warn("OpenAPI version " + od.Version + " is not 3.x; generating from what fits OpenAPI 3")
	}
	return d, nil
}

func (d *document) warn(msg string) { d.warnings = append(d.warnings, msg) }

// componentSchemaName returns Name for a reference of the form
// "#/components/schemas/Name".
func componentSchemaName(ref string) (string, bool) {
	rest, ok := strings.CutPrefix(ref, "#/components/schemas/")
	if !ok || rest == "" || strings.Contains(rest, "/") {
		return "", false
	}
	return openapi.UnescapePointer(rest), true
}

// componentSchemas returns the component schemas in document order.
func (d *document) componentSchemas() []property {
	var out []property
	d.Root.Obj("components").Obj("schemas").Each(func(k string, v any) {
		out = append(out, property{name: k, schema: readSchema(v)})
	})
	return out
}

// maxRefHops bounds a chain of $refs, so a cycle of references ends.
const maxRefHops = openapi.MaxRefHops
