package resources_test

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
)

// TestEveryMethodTakesOptions checks that every generated service method
// and iterator ends in opts ...RequestOption and hands them on.
func TestEveryMethodTakesOptions(t *testing.T) {
	files, err := filepath.Glob("*_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	methods := 0
	for _, name := range files {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		src := func(n ast.Node) string {
			var b strings.Builder
			_ = printer.Fprint(&b, fset, n)
			return b.String()
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || !fn.Name.IsExported() {
				continue
			}
			recv := src(fn.Recv.List[0].Type)
			if !strings.HasSuffix(recv, "Service") {
				continue
			}
			methods++
			params := fn.Type.Params.List
			last := params[len(params)-1]
			if len(last.Names) != 1 || last.Names[0].Name != "opts" || src(last.Type) != "...RequestOption" {
				t.Errorf("%s: %s.%s does not end in opts ...RequestOption", name, recv, fn.Name.Name)
			}
			if !strings.Contains(src(fn.Body), "opts...") {
				t.Errorf("%s: %s.%s does not pass its options on", name, recv, fn.Name.Name)
			}
		}
	}
	if ops := len(resources.Operations()); methods < ops {
		t.Errorf("checked %d methods, want at least the %d operations", methods, ops)
	}
}
