package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// modulePath is the import path of the module the generator serves.
const modulePath = "github.com/restorehub/restorehub-go"

// TestGeneratorImportsNoGeneratedCode checks that the generator depends on
// no package it generates or that imports generated code: of the module's
// own packages only the leaves internal/openapi and internal/pathtemplate.
// Otherwise a resources package that does not compile would stop the one
// command that repairs it.
func TestGeneratorImportsNoGeneratedCode(t *testing.T) {
	goBin := goTool(t)
	cmd := exec.Command(goBin, "list", "-deps", ".")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	allowed := map[string]bool{
		modulePath + "/internal/gen":          true,
		modulePath + "/internal/openapi":      true,
		modulePath + "/internal/pathtemplate": true,
	}
	for _, pkg := range strings.Fields(string(out)) {
		if (pkg == modulePath || strings.HasPrefix(pkg, modulePath+"/")) && !allowed[pkg] {
			t.Errorf("the generator imports %s", pkg)
		}
	}
}

// TestGenerateRepairsBrokenResources breaks the generated operation table of
// a copy of the generator's inputs so that resources does not compile, runs
// go generate on it as a user would, and checks that the package compiles
// again with the table exactly as checked in.
func TestGenerateRepairsBrokenResources(t *testing.T) {
	goBin := goTool(t)
	if testing.Short() {
		t.Skip("-short: builds the generator in a copy of the module")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	for _, f := range []string{"go.mod", "go.sum", filepath.Join("internal", "gen", "openapi.json")} {
		copyFile(t, filepath.Join(root, f), filepath.Join(mod, f))
	}
	for _, dir := range []string{"internal/gen", "internal/openapi", "internal/pathtemplate", "resources", "resources/resourcestest"} {
		files, err := filepath.Glob(filepath.Join(root, dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if !strings.HasSuffix(f, "_test.go") {
				copyFile(t, f, filepath.Join(mod, dir, filepath.Base(f)))
			}
		}
	}
	if err := os.MkdirAll(filepath.Join(mod, "agent"), 0o755); err != nil {
		t.Fatal(err)
	}
	table := filepath.Join("resources", "operations_gen.go")
	want, err := os.ReadFile(filepath.Join(root, table))
	if err != nil {
		t.Fatal(err)
	}
	broken := append(bytes.Clone(want), []byte("\nvar brokenOnPurpose int = \"not an int\"\n")...)
	if err := os.WriteFile(filepath.Join(mod, table), broken, 0o644); err != nil {
		t.Fatal(err)
	}
	goCmd := func(args ...string) ([]byte, error) {
		cmd := exec.Command(goBin, args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
		return cmd.CombinedOutput()
	}
	if out, err := goCmd("build", "./resources"); err == nil {
		t.Fatalf("the broken resources package compiled:\n%s", out)
	}
	if out, err := goCmd("generate", "./resources/..."); err != nil {
		t.Fatalf("go generate with resources broken: %v\n%s", err, out)
	}
	if out, err := goCmd("build", "./resources/..."); err != nil {
		t.Fatalf("resources after go generate: %v\n%s", err, out)
	}
	if got, _ := os.ReadFile(filepath.Join(mod, table)); !bytes.Equal(got, want) {
		t.Errorf("go generate wrote another %s than the checked-in one", table)
	}
}
