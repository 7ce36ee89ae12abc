package resources_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/resources/resourcestest"
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
	if methods < 85 {
		t.Errorf("checked %d methods, want at least the 85 operations", methods)
	}
}

// TestRecorderSeesOptions checks that options reach the Backend: the
// Recorder records what they set, and an option's error stops the call.
func TestRecorderSeesOptions(t *testing.T) {
	ctx := context.Background()
	rec := &resourcestest.Recorder{}
	s := resources.NewServices(rec)
	var hooked int
	hook := func(cfg *resources.RequestConfig) {
		cfg.OnResponse = append(cfg.OnResponse, func(any) { hooked++ })
	}
	if _, err := s.Servers.Get(ctx, "s1", resources.WithHeader("X-Trace", "t1"), resources.WithCallMaxWait(time.Second), hook); err != nil {
		t.Fatal(err)
	}
	for range s.Servers.All(ctx, nil, resources.WithHeader("X-Trace", "t2")) {
	}
	calls := rec.Calls()
	if len(calls) != 2 {
		t.Fatalf("%d calls recorded, want 2", len(calls))
	}
	if got := calls[0].Options.Header.Get("X-Trace"); got != "t1" || calls[0].Options.MaxWait != time.Second {
		t.Errorf("first call options = %+v", calls[0].Options)
	}
	if got := calls[1].Options.Header.Get("X-Trace"); got != "t2" {
		t.Errorf("iterator page options = %+v, want the header", calls[1].Options)
	}
	if hooked != 1 {
		t.Errorf("OnResponse ran %d times, want 1", hooked)
	}
	rec.Reset()
	if _, err := s.Servers.Get(ctx, "s1", resources.WithHeader(http.CanonicalHeaderKey("authorization"), "x")); err == nil {
		t.Error("an Authorization override was accepted")
	}
	if n := len(rec.Calls()); n != 0 {
		t.Errorf("%d calls recorded after a refused option, want 0", n)
	}
}
