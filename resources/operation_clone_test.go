package resources_test

import (
	"testing"

	"github.com/restorehub/restorehub-go/resources"
)

// TestOperationsAreTheCallersCopy: writing to what Operations and
// LookupOperation return (the accepted scopes, the pace, the list shape and
// its filters) leaves the table the client classifies requests by as it
// was: a careless caller cannot widen a scope or lift a budget that way.
func TestOperationsAreTheCallersCopy(t *testing.T) {
	var paced, listed string
	for _, op := range resources.Operations() {
		if op.Pace != nil && paced == "" {
			paced = op.ID
		}
		if op.List != nil && len(op.List.Filters) > 0 && listed == "" {
			listed = op.ID
		}
	}
	if paced == "" || listed == "" {
		t.Fatalf("the table has no paced (%q) or filtered list (%q) operation", paced, listed)
	}
	for _, id := range []string{paced, listed} {
		before, _ := resources.LookupOperation(id)
		for _, op := range []resources.OperationSpec{mustLookup(t, id), operationsEntry(t, id)} {
			if len(op.AcceptedScopes) > 0 {
				op.AcceptedScopes[0] = "*"
			}
			if op.Pace != nil {
				op.Pace.Limit = 1 << 30
			}
			if op.List != nil {
				op.List.Items = "mutated"
				op.List.Filters[0].Name = "mutated"
			}
		}
		after, _ := resources.LookupOperation(id)
		if len(after.AcceptedScopes) > 0 && after.AcceptedScopes[0] == "*" {
			t.Errorf("%s: accepted scopes written through a copy", id)
		}
		if after.Pace != nil && after.Pace.Limit != before.Pace.Limit {
			t.Errorf("%s: pace written through a copy", id)
		}
		if after.List != nil && (after.List.Items == "mutated" || after.List.Filters[0].Name == "mutated") {
			t.Errorf("%s: list shape written through a copy", id)
		}
	}
}

func mustLookup(t *testing.T, id string) resources.OperationSpec {
	t.Helper()
	op, ok := resources.LookupOperation(id)
	if !ok {
		t.Fatalf("no operation %s", id)
	}
	return op
}

func operationsEntry(t *testing.T, id string) resources.OperationSpec {
	t.Helper()
	for _, op := range resources.Operations() {
		if op.ID == id {
			return op
		}
	}
	t.Fatalf("no operation %s", id)
	return resources.OperationSpec{}
}
