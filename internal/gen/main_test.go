package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRunWritesAndCleansUp(t *testing.T) {
	out := t.TempDir()
	stale := filepath.Join(out, "gone_gen.go")
	keep := filepath.Join(out, "handwritten_gen.go")
	os.WriteFile(stale, []byte(generatedPrefix+"old.json. DO NOT EDIT.\n\npackage pets\n"), 0o644)
	os.WriteFile(keep, []byte("package pets\n\n// Mine is hand-written.\ntype Mine struct{}\n"), 0o644)
	scopes := filepath.Join(out, "scopes.txt")
	var stderr bytes.Buffer
	args := []string{"-spec", filepath.Join("testdata", "security.json"), "-out", out, "-package", "pets", "-scopes", scopes, "-v"}
	if err := run(args, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale generated file not removed: %v", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("hand-written file removed: %v", err)
	}
	for _, f := range []string{"notes_gen.go", "batches_gen.go", "operations_gen.go", "services_gen.go", "scopes.txt"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if !strings.Contains(stderr.String(), "9 operations (8 documented, 1 inferred)") {
		t.Errorf("-v summary missing: %s", stderr.String())
	}

	// A second run leaves unchanged files alone.
	info, _ := os.Stat(filepath.Join(out, "notes_gen.go"))
	old := time.Now().Add(-time.Hour)
	os.Chtimes(filepath.Join(out, "notes_gen.go"), old, old)
	if err := run(args, &stderr); err != nil {
		t.Fatal(err)
	}
	info2, _ := os.Stat(filepath.Join(out, "notes_gen.go"))
	if !info2.ModTime().Equal(old) || info.Size() != info2.Size() {
		t.Errorf("unchanged file was rewritten")
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"openapi": "3.1.0", "paths": {`), 0o644)
	array := filepath.Join(dir, "array.json")
	os.WriteFile(array, []byte(`[1, 2]`), 0o644)
	empty := filepath.Join(dir, "empty.json")
	os.WriteFile(empty, []byte(`{}`), 0o644)
	for _, tc := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"-spec", bad, "-out", dir, "-package", "x"}, false},
		{[]string{"-spec", array, "-out", dir, "-package", "x"}, false},
		{[]string{"-spec", filepath.Join(dir, "missing.json"), "-out", dir, "-package", "x"}, false},
		{[]string{"-out", dir, "-package", "x"}, false},
		{[]string{"-spec", empty, "-out", dir, "-package", "not-an-identifier"}, false},
		{[]string{"-spec", empty, "-out", filepath.Join(dir, "out"), "-package", "x", "-scopes", filepath.Join(dir, "s.go")}, true},
	} {
		var stderr bytes.Buffer
		err := run(tc.args, &stderr)
		if (err == nil) != tc.ok {
			t.Errorf("run(%q) = %v, want ok=%v", tc.args, err, tc.ok)
		}
	}
	// scopes.go is always rewritten: a spec without scopes leaves only
	// ScopeAll, so no constant of an earlier spec survives the swap.
	src, err := os.ReadFile(filepath.Join(dir, "s.go"))
	if err != nil || !bytes.Contains(src, []byte(`ScopeAll Scope = "*"`)) || bytes.Count(src, []byte(" Scope = ")) != 1 {
		t.Errorf("scopes file for a spec without scopes: %v\n%s", err, src)
	}
}

func TestScopesFromEnumFallback(t *testing.T) {
	spec := `{"openapi": "3.1.0",
	  "paths": {"/a": {"get": {"x-required-scope": "a:read", "x-scope-tier": "read", "responses": {}},
	                    "delete": {"x-required-scope": "a:delete", "x-scope-tier": "destructive", "responses": {}}}},
	  "components": {"schemas": {"Scope": {"type": "string", "enum": ["a:read", "a:delete", "b:write", "*"]}}}}`
	res, err := generate([]byte(spec), "s.json", "p", nil)
	if err != nil {
		t.Fatal(err)
	}
	src, err := res.doc.scopesFile("s.json", "restorehub")
	if err != nil {
		t.Fatal(err)
	}
	got := squash(string(src))
	for _, s := range []string{`ScopeARead Scope = "a:read"`, `ScopeBWrite Scope = "b:write"`, `ScopeAll Scope = "*"`} {
		if !strings.Contains(got, s) {
			t.Errorf("scopes lack %q:\n%s", s, src)
		}
	}
	// The tiers live with the Scope type, in the resources package's table.
	table := squash(string(res.files["operations_gen.go"]))
	for _, s := range []string{`{"a:read", TierRead}`, `{"a:delete", TierDestructive}`, `{"b:write", TierUnknown}`, `const scopeWildcard Scope = "*"`} {
		if !strings.Contains(table, s) {
			t.Errorf("scope table lacks %q:\n%s", s, res.files["operations_gen.go"])
		}
	}
}

// TestScopesFromSecurityFallback checks the scopes of a spec with neither
// x-scopes nor a Scope enum: the OAuth 2 flows' scopes, then the operations'
// security scopes, with tiers from the operations or the scope names.
func TestScopesFromSecurityFallback(t *testing.T) {
	spec := `{"openapi": "3.1.0",
	  "components": {"securitySchemes": {"o": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://x", "scopes": {"read:a": "", "admin:a": ""}}}}}},
	  "paths": {"/a": {"get": {"security": [{"o": ["read:a"]}], "responses": {}},
	                    "post": {"security": [{"o": ["a:write"]}], "x-scope-tier": "write", "responses": {}},
	                    "delete": {"security": [{"o": ["a:purge"]}], "responses": {}}}}}`
	res, err := generate([]byte(spec), "s.json", "p", nil)
	if err != nil {
		t.Fatal(err)
	}
	src, err := res.doc.scopesFile("s.json", "restorehub")
	if err != nil || src == nil {
		t.Fatalf("scopes: %v (nil: %v)", err, src == nil)
	}
	got := squash(string(src))
	for _, s := range []string{`ScopeReadA Scope = "read:a"`, `ScopeAdminA Scope = "admin:a"`, `ScopeAWrite Scope = "a:write"`, `ScopeAPurge Scope = "a:purge"`, `ScopeAll Scope = "*"`} {
		if !strings.Contains(got, s) {
			t.Errorf("scopes lack %q:\n%s", s, src)
		}
	}
	// The tiers live with the Scope type, in the resources package's table.
	table := squash(string(res.files["operations_gen.go"]))
	for _, s := range []string{`{"read:a", TierRead}`, `{"admin:a", TierDestructive}`, `{"a:write", TierWrite}`, `{"a:purge", TierDestructive}`} {
		if !strings.Contains(table, s) {
			t.Errorf("scope table lacks %q:\n%s", s, res.files["operations_gen.go"])
		}
	}
	if strings.Index(got, "ScopeReadA,") > strings.Index(got, "ScopeAWrite,") {
		t.Error("the schemes' scopes do not come first")
	}
}
