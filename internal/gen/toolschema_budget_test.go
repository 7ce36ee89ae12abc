package main

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// toolSchemasOf returns the input schema of every tool of a generated tools
// file, by tool name.
func toolSchemasOf(t *testing.T, src []byte) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		var name, schema string
		for _, e := range lit.Elts {
			kv, ok := e.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			key, _ := kv.Key.(*ast.Ident)
			val, _ := kv.Value.(*ast.BasicLit)
			if key == nil || val == nil || val.Kind != token.STRING {
				continue
			}
			s, err := strconv.Unquote(val.Value)
			if err != nil {
				t.Fatal(err)
			}
			switch key.Name {
			case "name":
				name = s
			case "schema":
				schema = s
			}
		}
		if name != "" && schema != "" {
			out[name] = schema
		}
		return true
	})
	return out
}

// TestToolSchemaBudget generates the tools of the project spec, every
// feature spec and every corpus document and fails if any tool's input
// schema is over maxToolSchemaBytes or is not a JSON object. It logs the
// largest schema per document (BENCHMARKS.md's corpus table).
func TestToolSchemaBudget(t *testing.T) {
	specs := []string{"openapi.json"}
	for _, glob := range []string{"testdata/*.json", "testdata/corpus/*.json"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, m...)
	}
	for _, spec := range specs {
		data, err := os.ReadFile(spec)
		if err != nil {
			t.Fatal(err)
		}
		src, err := toolsFile(data, spec, "agent", nil)
		if err != nil {
			t.Errorf("%s: %v", spec, err)
			continue
		}
		largest, largestName := 0, ""
		schemas := toolSchemasOf(t, src)
		for name, s := range schemas {
			if len(s) > maxToolSchemaBytes {
				t.Errorf("%s: tool %s: input schema of %d bytes, over the %d-byte budget", spec, name, len(s), maxToolSchemaBytes)
			}
			if !json.Valid([]byte(s)) {
				t.Errorf("%s: tool %s: input schema is not JSON", spec, name)
			}
			if len(s) > largest || len(s) == largest && name < largestName {
				largest, largestName = len(s), name
			}
		}
		t.Logf("%s: %d tools, largest input schema %d bytes (%s)", strings.TrimSuffix(filepath.Base(spec), ".json"), len(schemas), largest, largestName)
	}
}

// deepArg is an argument whose schema nests objects levels deep, each
// level with a long description and a wide enumeration, so that it is far
// over the budget.
func deepArg(levels int) toolArg {
	long := strings.Repeat("word ", 60)
	var s any = orderedJSON{{"type", "string"}}
	for i := range levels {
		var consts []any
		for c := range 40 {
			consts = append(consts, orderedJSON{{"description", "value " + strconv.Itoa(c) + " " + long}, {"const", c}})
		}
		s = orderedJSON{
			{"description", "level " + strconv.Itoa(i) + " " + long},
			{"type", "object"},
			{"properties", orderedJSON{{"inner", s}, {"kind", orderedJSON{{"type", "integer"}, {"oneOf", consts}}}}},
			{"required", []string{"inner"}},
			{"additionalProperties", false},
		}
	}
	return toolArg{name: "spec", in: "body", schema: s, required: true}
}

// TestBudgetedToolSchema: a schema within the budget is kept byte for byte;
// one over it is cut at the deepest nesting that fits, and every cut field
// says what it is (its fields, or its values) and that it was not expanded,
// so a model still knows what to send.
func TestBudgetedToolSchema(t *testing.T) {
	small := []toolArg{{name: "id", in: "path", schema: orderedJSON{{"type", "string"}}, required: true}}
	got, err := budgetedToolSchema(small)
	if err != nil || string(got) != string(toolSchema(small)) {
		t.Fatalf("a small schema changed: %s, %v", got, err)
	}

	for _, levels := range []int{2, 6, 12} {
		args := []toolArg{deepArg(levels)}
		if full := toolSchema(args); len(full) <= maxToolSchemaBytes {
			t.Fatalf("%d levels: the test schema is only %d bytes", levels, len(full))
		}
		got, err := budgetedToolSchema(args)
		if err != nil {
			t.Fatalf("%d levels: %v", levels, err)
		}
		if len(got) > maxToolSchemaBytes {
			t.Errorf("%d levels: %d bytes, over the budget", levels, len(got))
		}
		if err := checkToolSchema(got); err != nil {
			t.Errorf("%d levels: the cut schema does not compile: %v", levels, err)
		}
		s := string(got)
		if !strings.Contains(s, cutNote) {
			t.Errorf("%d levels: no cut field says it was not expanded:\n%s", levels, s)
		}
		if !strings.Contains(s, "An object with the fields inner, kind (required: inner)") {
			t.Errorf("%d levels: the cut object does not name its fields:\n%s", levels, s)
		}
		if !strings.Contains(s, `"enum":[0,1,2,`) {
			t.Errorf("%d levels: the cut enumeration lost its values:\n%s", levels, s)
		}
	}
}

// TestBudgetedToolSchemaTooWide: a tool whose arguments alone, cut at the
// top and with shortened descriptions, are over the budget fails
// generation with its size, rather than handing a model a huge schema.
func TestBudgetedToolSchemaTooWide(t *testing.T) {
	var args []toolArg
	for i := range 400 {
		args = append(args, toolArg{name: "argument_number_" + strconv.Itoa(i), in: "query", schema: orderedJSON{{"description", strings.Repeat("x", 100)}, {"type", "string"}}})
	}
	if _, err := budgetedToolSchema(args); err == nil || !strings.Contains(err.Error(), "over the 8192-byte budget") {
		t.Errorf("err = %v", err)
	}
}
