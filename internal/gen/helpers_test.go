package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/restorehub/restorehub-go/internal/openapi"
)

// corpusSpecs returns the real-world documents under testdata/corpus,
// failing t when there are none.
func corpusSpecs(t *testing.T) []string {
	t.Helper()
	specs, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.json"))
	if err != nil || len(specs) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	return specs
}

// mustLoad loads the OpenAPI document data, failing t when it cannot.
func mustLoad(t *testing.T, data []byte) *document {
	t.Helper()
	d, err := loadDocument(data)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// mustLoadFile reads and loads the OpenAPI document at path, failing t
// when it cannot, and returns its bytes too.
func mustLoadFile(t *testing.T, path string) ([]byte, *document) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data, mustLoad(t, data)
}

// generateResources runs the generator on spec into a temporary directory,
// as package resources, and returns the directory.
func generateResources(t *testing.T, spec string) string {
	t.Helper()
	out := t.TempDir()
	var stderr bytes.Buffer
	if err := run([]string{"-spec", spec, "-out", out, "-package", "resources"}, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, &stderr)
	}
	return out
}

// writeTestFile writes data to path, making its directory first.
func writeTestFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// toolsFile generates the tool table of the agent package from data, naming
// types exactly as the resources package generated from the same spec with
// the same reserved names does.
func toolsFile(data []byte, specPath, pkg string, reserved []string) ([]byte, error) {
	d, err := loadDocument(data)
	if err != nil {
		return nil, err
	}
	return buildPlan(d, reserved).toolsFile(specPath, pkg)
}

// decodeJSON parses data into nil, bool, json.Number, string, []any and
// *object values.
func decodeJSON(data []byte) (any, error) { return openapi.Decode(data) }

// actionFromOperationID drops the resource's words, a leading version and a
// NestJS controller prefix from an operationId: the first of its
// actionCandidates.
func actionFromOperationID(opID, resource string) string {
	if c := actionCandidates(opID, resource); len(c) > 0 {
		return c[0]
	}
	return ""
}

// isVersionName reports whether a name starts with a version word, such as
// "V1GetConfig" or "v2-models".
func isVersionName(name string) bool { return versionPrefix(splitWords(name)) > 0 }

// goTool returns the path of the go command, skipping t when it is not in
// PATH.
func goTool(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go not in PATH")
	}
	return goBin
}
