package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestStaleFilesUnderGoGenerate checks how a run retires a generated file
// the spec no longer produces: under go generate it empties it to a package
// clause (go generate still lists it), and a later run removes it; a
// hand-written *_gen.go file is never touched.
func TestStaleFilesUnderGoGenerate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("old_gen.go", generatedPrefix+"x.json. DO NOT EDIT.\n\npackage pets\n\nfunc Old() {}\n")
	write("mine_gen.go", "package pets\n\nfunc Mine() {}\n")
	files := map[string][]byte{"new_gen.go": []byte(generatedPrefix + "y.json. DO NOT EDIT.\n\npackage pets\n")}

	if err := writeFiles(dir, "pets", files, true); err != nil {
		t.Fatal(err)
	}
	stub, err := os.ReadFile(filepath.Join(dir, "old_gen.go"))
	if err != nil {
		t.Fatalf("under go generate the stale file must stay: %v", err)
	}
	if !bytes.HasPrefix(stub, []byte(generatedPrefix)) || !bytes.HasSuffix(stub, []byte("\npackage pets\n")) || bytes.Contains(stub, []byte("func")) {
		t.Errorf("stale file not emptied to its package clause:\n%s", stub)
	}
	if _, err := os.Stat(filepath.Join(dir, "new_gen.go")); err != nil {
		t.Error(err)
	}

	if err := removeStale(dir, files, "", false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "old_gen.go")); !os.IsNotExist(err) {
		t.Errorf("the emptied file was not removed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "mine_gen.go")); err != nil {
		t.Errorf("a hand-written _gen.go file was removed: %v", err)
	}
}

// defaultSwapSpecs are the specs TestSpecSwap swaps in by default: the
// project spec and the real-world-style ones. RESTOREHUB_SWAP=all adds
// every other spec under testdata.
var defaultSwapSpecs = []string{"openapi.json", "testdata/livehub.json", "testdata/zod31.json", "testdata/oauth30.json"}

// swapSpecs are the specs TestSpecSwap swaps in.
func swapSpecs(t *testing.T) []string {
	if os.Getenv("RESTOREHUB_SWAP") != "all" {
		return defaultSwapSpecs
	}
	specs, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(specs) == 0 {
		t.Fatalf("no specs under testdata: %v", err)
	}
	corpus, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.json"))
	if err != nil || len(corpus) < 12 {
		t.Fatalf("the real-world corpus has %d documents, want at least 12: %v", len(corpus), err)
	}
	return append(append([]string{"openapi.json"}, specs...), corpus...)
}

// TestSpecSwap proves the swap on every spec: in a copy of the module it
// copies the spec over internal/gen/openapi.json, runs go generate ./...
// once, and then builds the library packages (the root package,
// resources/... and restorehubtest, without the root's and restorehubtest's
// tests, which are written for the project spec) and runs
// go test ./resources/.... Two specs run at a time, sharing the build cache
// under -trimpath: without it every copy's packages are keyed by the copy's
// directory, so the generator go generate runs first (still built against
// the project's resources) was compiled and linked again for every spec;
// with it the copies share it and every package the spec does not change.
// Only what the spec changes is vetted: the generated resources/... and the
// agent package (its tools_gen.go); the root package and restorehubtest are
// built (scopes.go is generated) but vetted by CI's own vet step. It is opt-in, so
// that the README's go test -race ./... stays fast: RESTOREHUB_SWAP=1 swaps
// in the project spec and the real-world-style specs, RESTOREHUB_SWAP=all
// every spec under testdata, which is what .ci/run does.
func TestSpecSwap(t *testing.T) {
	goBin := goTool(t)
	switch os.Getenv("RESTOREHUB_SWAP") {
	case "", "0":
		t.Skip("the swap builds four copies of the module (about a minute); RESTOREHUB_SWAP=1 runs it, RESTOREHUB_SWAP=all for every spec under testdata (CI does)")
	}
	if testing.Short() {
		t.Skip("-short")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	files := moduleFiles(t, root)
	start := time.Now()
	sem := make(chan struct{}, 2)
	var mu sync.Mutex
	var timings []string
	t.Cleanup(func() {
		t.Logf("%d specs in %v: %s", len(timings), time.Since(start).Round(time.Millisecond), strings.Join(timings, ", "))
	})
	for _, spec := range swapSpecs(t) {
		t.Run(strings.TrimSuffix(filepath.Base(spec), ".json"), func(t *testing.T) {
			t.Parallel()
			sem <- struct{}{}
			defer func() { <-sem }()
			began := time.Now()
			defer func() {
				if !t.Failed() {
					mu.Lock()
					timings = append(timings, filepath.Base(spec)+" "+time.Since(began).Round(100*time.Millisecond).String())
					mu.Unlock()
				}
			}()
			mod := t.TempDir()
			for _, rel := range files {
				copyFile(t, filepath.Join(root, rel), filepath.Join(mod, rel))
			}
			copyFile(t, spec, filepath.Join(mod, "internal", "gen", "openapi.json"))
			run := func(args ...string) {
				t.Helper()
				defer func(began time.Time) { t.Logf("go %s: %v", args[0], time.Since(began).Round(100*time.Millisecond)) }(time.Now())
				cmd := exec.Command(goBin, args...)
				cmd.Dir = mod
				cmd.Env = append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOFLAGS=-mod=mod -trimpath", "GOTOOLCHAIN=local")
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
				}
			}
			run("generate", "./...")
			// The one run removed what the spec no longer produces.
			stale, _ := filepath.Glob(filepath.Join(mod, "resources", "*_gen.go"))
			for _, f := range stale {
				if data, _ := os.ReadFile(f); bytes.Contains(data, []byte("This file is no longer generated")) {
					t.Errorf("go generate left the stale %s", filepath.Base(f))
				}
			}
			run("build", "./", "./resources/...", "./restorehubtest")
			run("vet", "./resources/...")
			run("test", "-count=1", "-vet=off", "./resources/...") // vetted above
			// The agent module's generated tools follow the spec too. Its
			// dependencies may have to be downloaded, so the proxy is allowed.
			agent := exec.Command(goBin, "vet", ".")
			agent.Dir = filepath.Join(mod, "agent")
			agent.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod -trimpath", "GOTOOLCHAIN=local")
			if out, err := agent.CombinedOutput(); err != nil {
				t.Fatalf("agent: go vet .: %v\n%s", err, out)
			}
			// The toolkit starts with every scope the spec declares and
			// every read tool answers against the fake, without a panic
			// (net/http would recover one and log it) or a hang.
			copyFile(t, filepath.Join("testdata", "swapprobe_test.go.txt"), filepath.Join(mod, "agent", "swapprobe_test.go"))
			probe := exec.Command(goBin, "test", "-count=1", "-vet=off", "-run", "^TestSwapProbe$", "-v", ".")
			probe.Dir = filepath.Join(mod, "agent")
			probe.Env = agent.Env
			out, err := probe.CombinedOutput()
			if err != nil || bytes.Contains(out, []byte("panic")) {
				t.Fatalf("agent probe: %v\n%s", err, out)
			}
			if os.Getenv("RESTOREHUB_SWAP_FAILURES") != "" {
				t.Logf("agent probe output:\n%s", out)
			}
			for _, mark := range []string{"read tools answered", "tokens (bytes/4"} {
				if i := bytes.Index(out, []byte(mark)); i >= 0 {
					line := out[i:]
					if j := bytes.IndexByte(line, '\n'); j >= 0 {
						line = line[:j]
					}
					start := bytes.LastIndexByte(out[:i], ':') + 1
					t.Logf("agent probe: %s", bytes.TrimSpace(append(append([]byte{}, out[start:i]...), line...)))
				}
			}
			if spec == "openapi.json" {
				// The project spec regenerates the checked-in files exactly.
				for _, rel := range files {
					if strings.HasSuffix(rel, "_gen.go") || rel == "scopes.go" {
						want, _ := os.ReadFile(filepath.Join(root, rel))
						got, _ := os.ReadFile(filepath.Join(mod, rel))
						if !bytes.Equal(got, want) {
							t.Errorf("go generate changed %s", rel)
						}
					}
				}
			}
		})
	}
}

// moduleFiles lists the files of the module at root that the swap needs,
// relative to root: everything but version control, nested modules other
// than agent (whose tools are generated from the spec too), examples, test
// data, and the tests of the root package, restorehubtest and agent.
func moduleFiles(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == "." {
				return nil
			}
			name := d.Name()
			if strings.HasPrefix(name, ".") || name == "examples" || name == "testdata" {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && rel != "agent" {
				return filepath.SkipDir
			}
			return nil
		}
		dir := filepath.Dir(rel)
		switch {
		case !d.Type().IsRegular():
		case strings.HasSuffix(rel, "_test.go") && (dir == "." || dir == "restorehubtest" || dir == filepath.Join("internal", "gen")):
		case strings.HasSuffix(rel, "_test.go") && strings.HasPrefix(rel, "agent"+string(filepath.Separator)):
			// The agent module's tests name the project spec's tools.
		case strings.HasSuffix(rel, ".go"), rel == "go.mod", rel == "go.sum":
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, to, data)
}

// TestGoGenerateFlow runs the two directives the way go generate does: the
// resources run empties a stale file instead of removing it, and the
// resourcestest run (-cases) writes the cases and then removes it.
func TestGoGenerateFlow(t *testing.T) {
	t.Setenv("GOFILE", "generate.go")
	t.Setenv("GOPACKAGE", "pets")
	out := t.TempDir()
	stale := filepath.Join(out, "marketplace_gen.go")
	if err := os.WriteFile(stale, []byte(generatedPrefix+"old.json. DO NOT EDIT.\n\npackage pets\n\ntype Gone struct{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join("testdata", "security.json")
	var stderr bytes.Buffer
	if err := run([]string{"-spec", spec, "-out", out, "-package", "pets"}, &stderr); err != nil {
		t.Fatalf("resources run: %v\n%s", err, &stderr)
	}
	if data, err := os.ReadFile(stale); err != nil || bytes.Contains(data, []byte("Gone")) {
		t.Fatalf("under go generate the stale file must stay, emptied: %v\n%s", err, data)
	}
	cases := filepath.Join(out, "petstest", "cases_gen.go")
	if err := run([]string{"-spec", spec, "-out", out, "-package", "pets", "-cases", cases, "-import", "example.com/pets"}, &stderr); err != nil {
		t.Fatalf("cases run: %v\n%s", err, &stderr)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the cases run left the stale file: %v", err)
	}
	if data, err := os.ReadFile(cases); err != nil || !bytes.Contains(data, []byte("func Cases() []Case {")) {
		t.Errorf("no cases written: %v", err)
	}
	if err := run([]string{"-spec", spec, "-out", out, "-package", "pets", "-cases", cases, "-scopes", "x.go"}, &stderr); err == nil {
		t.Error("-cases with -scopes was accepted")
	}
}
