package resources_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
)

// TestJobDocTellsTheTruth checks the generated Job godoc against the
// operation table, for any spec: when it says that no operation reads a job,
// the table has none (a GET whose model is Job), and the operation IDs its
// Type field names as examples are real ones. (That the project spec's Job
// says so is pinned by internal/gen's TestProjectSpec.)
func TestJobDocTellsTheTruth(t *testing.T) {
	typeDoc, fieldDocs := generatedDocs(t, "Job")
	if typeDoc == "" {
		t.Skip("the spec has no Job type")
	}
	reads := false
	for _, op := range resources.Operations() {
		if op.Model == "Job" && (op.Method == http.MethodGet || op.Method == http.MethodHead) {
			reads = true
		}
	}
	says := strings.Contains(typeDoc, "documents no operation that reads a job")
	if says && reads {
		t.Errorf("Job doc says no operation reads a job, but the table has one:\n%s", typeDoc)
	}
	typeField := fieldDocs["Type"]
	if !strings.Contains(typeField, "operation that started the job") {
		return
	}
	ids := regexp.MustCompile(`"([^"]+)"`).FindAllStringSubmatch(typeField, -1)
	if len(ids) == 0 {
		t.Fatalf("Job.Type doc names no operation: %q", typeField)
	}
	for _, m := range ids {
		if _, ok := resources.LookupOperation(m[1]); !ok {
			t.Errorf("Job.Type doc names %q, which is not an operation ID", m[1])
		}
	}
}

// generatedDocs returns the doc comment of the generated type name and of
// each of its fields, or "" when no generated file declares it.
func generatedDocs(t *testing.T, name string) (string, map[string]string) {
	t.Helper()
	files, err := filepath.Glob("*_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				ts := s.(*ast.TypeSpec)
				if ts.Name.Name != name {
					continue
				}
				doc := ts.Doc.Text()
				if doc == "" {
					doc = g.Doc.Text()
				}
				fields := map[string]string{}
				if st, ok := ts.Type.(*ast.StructType); ok {
					for _, fl := range st.Fields.List {
						for _, n := range fl.Names {
							fields[n.Name] = strings.Join(strings.Fields(fl.Doc.Text()), " ")
						}
					}
				}
				return strings.Join(strings.Fields(doc), " "), fields
			}
		}
	}
	return "", nil
}
