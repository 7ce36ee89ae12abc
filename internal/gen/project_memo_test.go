package main

import (
	"os"
	"sync"
	"testing"
)

// casesSpecArg and casesImportPath are what the go:generate directive of
// resources/resourcestest passes to the generator.
const (
	casesSpecArg    = "../../internal/gen/openapi.json"
	casesImportPath = "github.com/restorehub/restorehub-go/resources"
)

// projectGeneration is one run of the generator on the project spec, the
// way go generate runs it: the resources package, its cases and the root
// scopes.go. Generating the project spec is the slowest step of these
// tests (about half a second under -race), so the tests that only read
// its output share this run instead of making one each.
type projectGeneration struct {
	res    *result
	cases  []byte // resources/resourcestest/cases_gen.go
	scopes []byte // scopes.go
	err    error
}

// generateProject runs the generator as the go:generate directives of
// resources and resources/resourcestest do. The plan does not depend on
// the spec path, which only goes into the files' headers, so one plan
// serves both directives.
func generateProject() projectGeneration {
	data, err := os.ReadFile("openapi.json")
	if err != nil {
		return projectGeneration{err: err}
	}
	reserved, err := handWrittenNames(resourcesDir)
	if err != nil {
		return projectGeneration{err: err}
	}
	g := projectGeneration{}
	if g.res, err = generate(data, projectSpecArg, "resources", reserved); err != nil {
		return projectGeneration{err: err}
	}
	if g.cases, err = g.res.plan.casesFile(casesSpecArg, "resourcestest", "resources", casesImportPath); err != nil {
		return projectGeneration{err: err}
	}
	if g.scopes, err = g.res.doc.scopesFile(projectSpecArg, "restorehub"); err != nil {
		return projectGeneration{err: err}
	}
	return g
}

var sharedProject = sync.OnceValue(generateProject)

// project returns the shared run of the generator on the project spec. Its
// callers only read it.
func project(t *testing.T) projectGeneration {
	t.Helper()
	g := sharedProject()
	if g.err != nil {
		t.Fatalf("generating the project spec: %v", g.err)
	}
	return g
}
