package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// generatedIdent is one identifier a generated file declares.
type generatedIdent struct {
	name, kind, recv string // kind: "type", "const", "func", "method", "field"
	typ              string // a type's definition or a constant's type, as written
}

// generatedIdents generates the resources package of spec into a temporary
// directory and returns every identifier its files declare: types,
// constants, variables, functions, methods (with their receiver) and struct
// fields.
func generatedIdents(t *testing.T, spec string) []generatedIdent {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(generateResources(t, spec), "*_gen.go"))
	fset := token.NewFileSet()
	var ids []generatedIdent
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.FuncDecl:
				if x.Recv == nil {
					ids = append(ids, generatedIdent{name: x.Name.Name, kind: "func"})
					return false
				}
				recv := ""
				if len(x.Recv.List) > 0 {
					switch rt := x.Recv.List[0].Type.(type) {
					case *ast.StarExpr:
						if id, ok := rt.X.(*ast.Ident); ok {
							recv = id.Name
						}
					case *ast.Ident:
						recv = rt.Name
					}
				}
				ids = append(ids, generatedIdent{name: x.Name.Name, kind: "method", recv: recv})
				return false
			case *ast.TypeSpec:
				ids = append(ids, generatedIdent{name: x.Name.Name, kind: "type", typ: types.ExprString(x.Type)})
			case *ast.ValueSpec:
				typ := ""
				if x.Type != nil {
					typ = types.ExprString(x.Type)
				}
				for _, id := range x.Names {
					ids = append(ids, generatedIdent{name: id.Name, kind: "const", typ: typ})
				}
			case *ast.Field:
				for _, id := range x.Names {
					ids = append(ids, generatedIdent{name: id.Name, kind: "field"})
				}
			}
			return true
		})
	}
	return ids
}

// corpusSpecs lists the real-world corpus documents.

// TestCorpusNames generates every corpus document and checks the names a
// person would write (issue 17 item 5): no identifier is longer than
// maxIdentLen, no service method starts with a version word (Realtime.V1GetConfig),
// and Discord's ChannelTypes, a oneOf of integer consts, is a named integer
// type with a constant per value. It logs the longest identifier of each
// document (go test -v -run TestCorpusNames).
func TestCorpusNames(t *testing.T) {
	for _, spec := range append(corpusSpecs(t), "openapi.json") {
		name := strings.TrimSuffix(filepath.Base(spec), ".json")
		t.Run(name, func(t *testing.T) {
			ids := generatedIdents(t, spec)
			longest := ""
			for _, id := range ids {
				n := utf8.RuneCountInString(id.name)
				if n > utf8.RuneCountInString(longest) {
					longest = id.name
				}
				if n > maxIdentLen {
					t.Errorf("%s %s has %d characters, over %d", id.kind, id.name, n, maxIdentLen)
				}
				if id.kind == "method" && strings.HasSuffix(id.recv, "Service") && isVersionName(id.name) {
					t.Errorf("method %s.%s starts with a version", id.recv, id.name)
				}
			}
			t.Logf("longest identifier: %d %s", utf8.RuneCountInString(longest), longest)
			if name != "discord-31" {
				return
			}
			consts := 0
			for _, id := range ids {
				switch {
				case id.kind == "type" && id.name == "ChannelTypes" && id.typ != "int32":
					t.Errorf("ChannelTypes is %q, want int32", id.typ)
				case id.kind == "const" && id.typ == "ChannelTypes":
					consts++
				}
			}
			if consts < 10 {
				t.Errorf("ChannelTypes has %d constants, want one per value (at least 10)", consts)
			}
			if !slices.ContainsFunc(ids, func(id generatedIdent) bool { return id.kind == "const" && id.name == "ChannelTypesGuildText" }) {
				t.Error("no ChannelTypesGuildText constant (named from the value's title)")
			}
		})
	}
}
