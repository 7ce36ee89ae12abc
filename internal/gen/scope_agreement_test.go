package main

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/restorehub/restorehub-go/internal/specdiff"
)

// TestGeneratorAndSpecdiffAgreeOnScopes reads every testdata spec (and the
// project spec) the way the generator does and the way the drift report
// does, and requires the same required and accepted scopes for every
// operation: both go through internal/openapi, so they cannot disagree.
// scopealts.json lists two schemes in one requirement out of name order,
// where specdiff used to sort the schemes and the generator did not.
func TestGeneratorAndSpecdiffAgreeOnScopes(t *testing.T) {
	specs, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	specs = append(specs, "openapi.json")
	corpus, _ := filepath.Glob(filepath.Join("testdata", "corpus", "*.json"))
	specs = append(specs, corpus...)
	for _, spec := range specs {
		t.Run(filepath.Base(spec), func(t *testing.T) {
			data, d := mustLoadFile(t, spec)
			ops := d.readOperationsQuiet()
			s, err := specdiff.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			drift := map[string]specdiff.Op{}
			for _, op := range s.Ops {
				drift[op.Method+" "+op.Path] = op
			}
			if len(drift) != len(ops) {
				t.Errorf("generator reads %d operations, specdiff %d", len(ops), len(drift))
			}
			for _, op := range ops {
				got, ok := drift[op.method+" "+op.path]
				if !ok {
					t.Errorf("%s %s: specdiff does not read it", op.method, op.path)
					continue
				}
				if got.Scope != op.scope || !slices.Equal(got.Accepted, op.accepted) {
					t.Errorf("%s %s: generator scope %q of %q, specdiff %q of %q", op.method, op.path, op.scope, op.accepted, got.Scope, got.Accepted)
				}
			}
		})
	}
}

// TestAlternativeScopes pins how real specs' scope lists are read: the
// alternatives are all accepted and the least privileged is required; a
// GET is read when its tier comes only from the scope's name; scope
// extensions are read.
func TestAlternativeScopes(t *testing.T) {
	_, d := mustLoadFile(t, filepath.Join("testdata", "scopealts.json"))
	want := map[string]struct {
		scope, tier string
		accepted    []string
	}{
		"GET /orgs":         {"org:read", "read", []string{"org:admin", "org:read", "org:write"}},
		"POST /orgs":        {"org:write", "write", []string{"org:admin", "org:write"}},
		"GET /orgs/{id}":    {"org:admin", "read", []string{"org:admin"}},
		"DELETE /orgs/{id}": {"org:admin", "destructive", []string{"org:admin"}},
		"PUT /pairs":        {"b:write", "write", []string{"b:write", "a:write"}},
		"PATCH /pairs":      {"org:write", "write", []string{"org:write"}},
	}
	for _, op := range d.readOperationsQuiet() {
		k := op.method + " " + op.path
		w, ok := want[k]
		if !ok {
			t.Errorf("unexpected %s", k)
			continue
		}
		if op.scope != w.scope || op.tier != w.tier || !slices.Equal(op.accepted, w.accepted) {
			t.Errorf("%s: scope %q tier %q accepted %q, want %q %q %q", k, op.scope, op.tier, op.accepted, w.scope, w.tier, w.accepted)
		}
	}
}
