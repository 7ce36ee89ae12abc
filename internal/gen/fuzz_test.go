package main

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzSchemaReader feeds arbitrary JSON to the schema reader and then to the
// whole generator, as a component schema, a parameter, a request body and a
// response. Neither may panic, and generation of a well-formed document must
// succeed: whatever the schema, the output parses and formats as Go.
func FuzzSchemaReader(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "*.json"))
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`true`))
	f.Add([]byte(`{"$ref": "#/components/schemas/Thing"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := decodeJSON(data)
		if err != nil {
			return
		}
		s := readSchema(v)
		_ = s.isEmpty()
		_, _ = s.enumStrings()
		spec := []byte(`{"openapi": "3.1.0", "paths": {"/things/{id}": {"post": {"operationId": "make", "tags": ["things"],
			"x-pagination": "cursor",
			"parameters": [{"name": "id", "in": "path", "required": true, "schema": ` + string(data) + `},
			               {"name": "cursor", "in": "query", "schema": ` + string(data) + `}],
			"requestBody": {"content": {"application/json": {"schema": ` + string(data) + `}}},
			"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
			"components": {"schemas": {"Thing": ` + string(data) + `, "Other": {"allOf": [{"$ref": "#/components/schemas/Thing"}, ` + string(data) + `]}}}}`)
		if _, err := loadDocument(spec); err != nil {
			return
		}
		if _, err := generate(spec, "fuzz.json", "fuzz", nil); err != nil {
			t.Fatalf("generate failed on a well-formed document: %v", err)
		}
	})
}
