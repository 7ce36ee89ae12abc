package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestCasesUseExamples checks that the generated cases take path, query and
// body samples from the spec's examples where they fit, fill nullable and
// $defs fields, and describe each iterator.
func TestCasesUseExamples(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want []string
	}{
		{"zod31.json", []string{
			`ID: "backups.get", Method: "GET", Path: "/backups/bkp_01HZX3",`,
			`return s.Backups.Get(ctx, "bkp_01HZX3")`,
			`"serverId":"112233445566778899"`,
			`Snapshot: &resources.Snapshot{Channels: 42, Roles: 1, SizeBytes: ptr[int64](1)}`,
			`"snapshot":{"channels":42,"roles":1,"sizeBytes":1}`,
			`Status: 202,`,
			`Status: 204,`,
			`Query: url.Values{"cursor": {"sample"}, "limit": {"1"}, "serverId": {"sample"}, "status": {"queued"}},`,
			`Pages: &Pages{Style: "cursor", Param: "cursor", Items: "items", Next: "nextCursor",`,
		}},
		{"oauth30.json", []string{
			`Path: "/servers/42",`,
			`Query: url.Values{"page": {"1"}, "per_page": {"1"}, "region": {"eu"}},`,
			`Pages: &Pages{Style: "page", Param: "page", Items: "data", Next: "total_pages",`,
			`Pages: &Pages{Style: "page", Param: "page", Items: "data", Next: "total_pages",`,
			"Response: `{\"sample\":true}`,",
		}},
	} {
		t.Run(tc.spec, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			res, err := generate(data, "testdata/"+tc.spec, "resources", nil)
			if err != nil {
				t.Fatal(err)
			}
			src, err := res.plan.casesFile("testdata/"+tc.spec, "resourcestest", "resources", "example.com/resources")
			if err != nil {
				t.Fatal(err)
			}
			got := squash(string(src))
			for _, w := range tc.want {
				if !strings.Contains(got, squash(w)) {
					t.Errorf("cases lack %s", w)
				}
			}
		})
	}
}

// TestCasesAreDeterministic generates the cases of every spec several times:
// go generate must reproduce cases_gen.go byte for byte.
//
// The generator is deterministic unless the order of a map leaks into its
// output, and each run is a fresh draw of the runtime's random map
// iteration order. A draw is a weak test for a small map: a map of up to 8
// entries is iterated as a rotation of its insertion order from a random
// one of 8 slots, so a leaking map of 2 entries comes out in insertion
// order 7 times in 8. Every spec therefore gets five runs. They run at
// once (each spec in a parallel subtest, its runs in goroutines), which
// costs the same work but less wall time. The project spec is generated
// with go generate's arguments, and its first run is the one the other
// tests of the project spec share (see project).
func TestCasesAreDeterministic(t *testing.T) {
	t.Parallel()
	const runs = 5
	specs, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, spec := range append(specs, "openapi.json") {
		t.Run(filepath.Base(spec), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(spec)
			if err != nil {
				t.Fatal(err)
			}
			// What go generate passes for the project spec, and what the
			// test specs have always been generated with.
			specArg, importPath, first, reserved := spec, "example.com/resources", 0, []string(nil)
			srcs := make([][]byte, runs)
			errs := make([]error, runs)
			if spec == "openapi.json" {
				specArg, importPath, first = casesSpecArg, casesImportPath, 1
				if reserved, err = handWrittenNames(resourcesDir); err != nil {
					t.Fatal(err)
				}
			}
			var wg sync.WaitGroup
			for i := first; i < runs; i++ {
				wg.Go(func() {
					res, err := generate(data, specArg, "resources", reserved)
					if err != nil {
						errs[i] = err
						return
					}
					srcs[i], errs[i] = res.plan.casesFile(specArg, "resourcestest", "resources", importPath)
				})
			}
			if first == 1 {
				srcs[0] = project(t).cases
			}
			wg.Wait()
			for i := range runs {
				if errs[i] != nil {
					t.Fatalf("%s: %v", spec, errs[i])
				}
				if !bytes.Equal(srcs[0], srcs[i]) {
					t.Errorf("%s: the cases differ between runs", spec)
					break
				}
			}
		})
	}
}
