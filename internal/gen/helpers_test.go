package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
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
