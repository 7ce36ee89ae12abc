package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestProjectSpecFigures pins what the project spec (openapi.json) gives:
// the resources tests hold for any spec, so the figures of this one are
// checked here.
func TestProjectSpecFigures(t *testing.T) {
	t.Parallel()
	res := project(t).res
	if n := len(res.plan.ops); n != 85 || res.inferred != 82 || res.documented != 3 {
		t.Errorf("%d operations (%d documented, %d inferred), want 85 (3, 82)", n, res.documented, res.inferred)
	}
	if res.services != 25 {
		t.Errorf("%d services, want 25", res.services)
	}
	documented := map[string]bool{"account.get": true, "meta.getOpenAPISpec": true, "meta.getDataModelSchema": true}
	for _, p := range res.plan.ops {
		op := p.op
		if op.inferred == documented[op.id] {
			t.Errorf("%s: inferred = %v", op.id, op.inferred)
		}
		resource, _, _ := strings.Cut(op.id, ".")
		if op.scope != "" && !strings.HasPrefix(op.scope, resource+":") {
			t.Errorf("%s: scope %q is not a %s scope", op.id, op.scope, resource)
		}
		wantIdem := op.method == "GET" || op.method == "PUT" || op.method == "DELETE" || op.method == "HEAD"
		if op.idempotent != wantIdem {
			t.Errorf("%s: idempotent = %v for %s", op.id, op.idempotent, op.method)
		}
		if (op.pace != nil) != (op.id == "members.pull") {
			t.Errorf("%s: pace %+v", op.id, op.pace)
		}
		if pc := op.pace; pc != nil && (pc.per != "targetServerId" || pc.count != "memberIds" || pc.limit != 50 || pc.interval != time.Minute) {
			t.Errorf("members.pull pace = %+v, want 50 memberIds per minute per targetServerId", *pc)
		}
	}
}

// TestCheckedInCasesAreFresh regenerates resources/resourcestest/cases_gen.go
// the way its go:generate directive does and fails when the checked-in file
// differs.
func TestCheckedInCasesAreFresh(t *testing.T) {
	t.Parallel()
	want := project(t).cases
	got, err := os.ReadFile(resourcesDir + "/resourcestest/cases_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Error("resources/resourcestest/cases_gen.go is not what the generator produces; run go generate ./... at the module root")
	}
}
