package resources_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
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
			check := func(name string, doc *ast.CommentGroup, pos token.Pos, field bool) {
				if !ast.IsExported(name) {
					return
				}
				text := doc.Text()
				switch {
				case text == "":
					t.Errorf("%s: %s has no doc comment", fset.Position(pos), name)
				case !field && !strings.HasPrefix(text, name+" ") && !strings.HasPrefix(text, "The "):
					t.Errorf("%s: the doc comment of %s does not start with its name: %.60q", fset.Position(pos), name, text)
				}
			}
			for _, decl := range f.Decls {
				switch d := decl.(type) {
				case *ast.FuncDecl:
					check(d.Name.Name, d.Doc, d.Pos(), false)
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						switch s := spec.(type) {
						case *ast.TypeSpec:
							doc := s.Doc
							if doc == nil {
								doc = d.Doc
							}
							check(s.Name.Name, doc, s.Pos(), false)
							if st, ok := s.Type.(*ast.StructType); ok && ast.IsExported(s.Name.Name) {
								for _, fl := range st.Fields.List {
									for _, n := range fl.Names {
										check(n.Name, fl.Doc, n.Pos(), true)
									}
								}
							}
						case *ast.ValueSpec:
							doc := s.Doc
							for _, n := range s.Names {
								if doc == nil && d.Doc != nil && len(d.Specs) == 1 {
									doc = d.Doc
								}
								check(n.Name, doc, n.Pos(), false)
							}
						}
					}
				}
			}
		}
	}
}
