package restorehubtest_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
)

// demoFiles hold the demo data, which may name today's spec.
var demoFiles = map[string]bool{"demo.go": true, "faults.go": true}

// TestNoSpecLiterals keeps the fake independent of today's spec: no string
// literal in its code, outside the demo data, is an operation's path, a
// path's first segment, an operation ID or a model name, so a swapped
// spec is served from its table alone.
func TestNoSpecLiterals(t *testing.T) {
	banned := map[string]string{}
	for _, op := range resources.Operations() {
		banned[op.ID] = "operation ID"
		banned[op.Path] = "path of " + op.ID
		if seg, _, _ := strings.Cut(strings.TrimPrefix(op.Path, "/"), "/"); seg != "" {
			banned["/"+seg] = "first segment of " + op.ID
		}
		if op.Model != "" {
			banned[op.Model] = "model of " + op.ID
		}
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || demoFiles[name] {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			if why, bad := banned[s]; bad {
				t.Errorf("%s: %q is the %s", fset.Position(lit.Pos()), s, why)
			}
			return true
		})
	}
	if checked < 10 {
		t.Fatalf("checked only %d files", checked)
	}
}
