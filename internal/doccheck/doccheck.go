// Package doccheck walks the exported declarations of a parsed Go file with
// the doc comment each one carries, so that tests can hold generated and
// hand-written code to a rule for doc comments. It decides what is declared
// and which comment documents it; the rule itself stays with each caller.
package doccheck

import (
	"go/ast"
	"go/token"
)

// Visitor is called once for each exported name Walk finds: the name, the
// doc comment that documents it (nil when there is none), the position of
// the name and whether it is a field of an exported struct type.
type Visitor func(name string, doc *ast.CommentGroup, pos token.Pos, field bool)

// Walk calls visit for every exported name f declares at top level:
// functions and methods with their own doc comment; types with their own
// doc comment or, failing that, their declaration's; the named fields of an
// exported struct type with the field's doc comment; constants and
// variables with their own doc comment or, when their declaration holds
// only that one spec, the declaration's. Unexported names are skipped.
func Walk(f *ast.File, visit Visitor) {
	check := func(name string, doc *ast.CommentGroup, pos token.Pos, field bool) {
		if ast.IsExported(name) {
			visit(name, doc, pos, field)
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
					if doc == nil && len(d.Specs) == 1 {
						doc = d.Doc
					}
					for _, n := range s.Names {
						check(n.Name, doc, n.Pos(), false)
					}
				}
			}
		}
	}
}
