package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
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
func TestCasesAreDeterministic(t *testing.T) {
	specs, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, spec := range append(specs, "openapi.json") {
		data, err := os.ReadFile(spec)
		if err != nil {
			t.Fatal(err)
		}
		var first []byte
		for range 5 {
			res, err := generate(data, spec, "resources", nil)
			if err != nil {
				t.Fatalf("%s: %v", spec, err)
			}
			src, err := res.plan.casesFile(spec, "resourcestest", "resources", "example.com/resources")
			if err != nil {
				t.Fatalf("%s: %v", spec, err)
			}
			if first == nil {
				first = src
			} else if !bytes.Equal(first, src) {
				t.Errorf("%s: the cases differ between runs", spec)
				break
			}
		}
	}
}
