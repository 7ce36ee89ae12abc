package resources_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go/resources"
)

// TestOperationSpecClone: a clone owns its accepted scopes, pace and list
// shape; writing to them leaves the original as it was.
func TestOperationSpecClone(t *testing.T) {
	orig := resources.OperationSpec{
		ID: "members.pull", Method: "POST", Path: "/members/pull", Scope: "members:pull",
		AcceptedScopes: []resources.Scope{"members:pull", "members:admin"},
		Pace:           &resources.Pace{KeyField: "targetServerId", CountField: "memberIds", Limit: 50, Interval: time.Minute},
		List:           &resources.ListShape{Items: "data", Filters: []resources.QueryParam{{Name: "serverId", Type: "string"}}},
	}
	want := orig.Clone()
	c := orig.Clone()
	c.AcceptedScopes[0] = "*"
	c.Pace.Limit = 1 << 30
	c.List.Items = "mutated"
	c.List.Filters[0].Name = "mutated"
	if !reflect.DeepEqual(orig, want) {
		t.Errorf("writing to a clone changed the original: %+v", orig)
	}
}

// TestOperationsAreTheCallersCopy: writing to what Operations and
// LookupOperation return (the accepted scopes, the pace, the list shape and
// its filters) leaves the table the client classifies requests by as it
// was: a careless caller cannot widen a scope or lift a budget that way.
func TestOperationsAreTheCallersCopy(t *testing.T) {
	// The table as text, so that the baseline shares nothing with it.
	snapshot := func() string { return fmt.Sprintf("%+v", deref(resources.Operations())) }
	before := snapshot()
	mutate := func(op resources.OperationSpec) {
		if len(op.AcceptedScopes) > 0 {
			op.AcceptedScopes[0] = "*"
		}
		if op.Pace != nil {
			op.Pace.Limit = 1 << 30
		}
		if op.List != nil {
			op.List.Items = "mutated"
			if len(op.List.Filters) > 0 {
				op.List.Filters[0].Name = "mutated"
			}
		}
	}
	for _, op := range resources.Operations() {
		mutate(op)
		looked, ok := resources.LookupOperation(op.ID)
		if !ok {
			t.Fatalf("LookupOperation(%q) found nothing", op.ID)
		}
		mutate(looked)
	}
	if after := snapshot(); after != before {
		t.Error("writing to copies from Operations or LookupOperation changed the operation table")
	}
}

// deref spells out the pointed-to pace and list shape of each operation,
// which %+v would print as addresses.
func deref(ops []resources.OperationSpec) []any {
	out := make([]any, 0, 3*len(ops))
	for _, op := range ops {
		pace, list := op.Pace, op.List
		op.Pace, op.List = nil, nil
		out = append(out, op)
		if pace != nil {
			out = append(out, *pace)
		}
		if list != nil {
			out = append(out, *list)
		}
	}
	return out
}
