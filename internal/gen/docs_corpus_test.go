package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/restorehub/restorehub-go/internal/doccheck"
)

// docNamesSpec has the two shapes that broke doc comments: a schema whose
// name is longer than the comment width, and descriptions that only repeat
// the name.
const docNamesSpec = `{"openapi": "3.1.0", "info": {"title": "names", "version": "1"},
 "paths": {"/incidents": {"get": {"operationId": "listIncidents", "tags": ["incidents"],
  "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
   {"$ref": "#/components/schemas/IncidentWorkflowStepsItemActionConfigurationInlineStepsInputsItemValueLiteralReference"}}}}}}}},
 "components": {"schemas": {
  "IncidentWorkflowStepsItemActionConfigurationInlineStepsInputsItemValueLiteralReference": {
   "type": "object", "description": "the value of one input of a step, given literally or by reference to another step's output",
   "properties": {"status": {"type": "string", "description": "Status"}, "kind": {"type": "string", "enum": ["a", "b"], "description": "Kind."},
    "label": {"$ref": "#/components/schemas/Label"}}},
  "Label": {"type": "string", "description": "Label"}}}}`

// TestCorpusDocComments generates the resources package of every corpus
// document (and of docNamesSpec) and checks what resources' TestDocComments checks of the
// project's: every exported name has a doc comment, and a declaration's
// starts with its name followed by a space (so neither a name longer than
// the comment width alone on the first line, nor a bare "Name." sentence).
func TestCorpusDocComments(t *testing.T) {
	specs := corpusSpecs(t)
	names := filepath.Join(t.TempDir(), "docnames.json")
	writeTestFile(t, names, []byte(docNamesSpec))
	specs = append(specs, names)
	for _, spec := range specs {
		t.Run(strings.TrimSuffix(filepath.Base(spec), ".json"), func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join(generateResources(t, spec), "*_gen.go"))
			fset := token.NewFileSet()
			bad := 0
			check := func(name string, doc *ast.CommentGroup, pos token.Pos, field bool) {
				text := doc.Text()
				if text == "" || !field && !strings.HasPrefix(text, name+" ") || strings.TrimSpace(text) == name+"." {
					if bad++; bad <= 5 {
						t.Errorf("%s: doc comment of %s: %.80q", fset.Position(pos), name, text)
					}
				}
			}
			for _, path := range files {
				f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
				if err != nil {
					t.Fatal(err)
				}
				doccheck.Walk(f, check)
			}
			if bad > 5 {
				t.Errorf("%d doc comments in all", bad)
			}
		})
	}
}
