package resources_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/restorehub/restorehub-go/internal/doccheck"
)

// TestDocComments checks that every exported name of the resources
// packages, generated or not, has a doc comment that starts with the name
// (struct fields: any doc comment).
func TestDocComments(t *testing.T) {
	for _, dir := range []string{".", "resourcestest"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		fset := token.NewFileSet()
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			doccheck.Walk(f, func(name string, doc *ast.CommentGroup, pos token.Pos, field bool) {
				text := doc.Text()
				switch {
				case text == "":
					t.Errorf("%s: %s has no doc comment", fset.Position(pos), name)
				case !field && !strings.HasPrefix(text, name+" ") && !strings.HasPrefix(text, "The "):
					t.Errorf("%s: the doc comment of %s does not start with its name: %.60q", fset.Position(pos), name, text)
				}
			})
		}
	}
}
