package resources

import (
	"slices"
	"testing"
)

// TestAcceptedScopes checks Accepted for every form a table entry takes.
func TestAcceptedScopes(t *testing.T) {
	tests := []struct {
		op   OperationSpec
		want []Scope
	}{
		{OperationSpec{Scope: "org:read", AcceptedScopes: []Scope{"org:admin", "org:read"}}, []Scope{"org:admin", "org:read"}},
		{OperationSpec{Scope: "org:read"}, []Scope{"org:read"}},
		{OperationSpec{}, nil},
	}
	for _, tt := range tests {
		got := tt.op.Accepted()
		if !slices.Equal(got, tt.want) {
			t.Errorf("%+v.Accepted() = %v, want %v", tt.op, got, tt.want)
		}
		if len(got) > 0 {
			got[0] = "changed"
			if tt.op.Accepted()[0] == "changed" {
				t.Errorf("Accepted shares its slice with the table")
			}
		}
	}
}

// TestOperationTableAcceptedScopes checks the generated table under any
// spec: AcceptedScopes is left out when the required scope is the only one
// accepted (so the project's table, where every operation accepts exactly
// its one scope, carries none), and otherwise holds the required scope.
func TestOperationTableAcceptedScopes(t *testing.T) {
	for _, op := range Operations() {
		switch {
		case op.AcceptedScopes == nil:
			if op.Scope != "" && !slices.Equal(op.Accepted(), []Scope{op.Scope}) {
				t.Errorf("%s: Accepted() = %v", op.ID, op.Accepted())
			}
		case slices.Equal(op.AcceptedScopes, []Scope{op.Scope}):
			t.Errorf("%s: AcceptedScopes = [Scope], want it left out", op.ID)
		case !slices.Contains(op.AcceptedScopes, op.Scope):
			t.Errorf("%s: AcceptedScopes = %v lacks the required %s", op.ID, op.AcceptedScopes, op.Scope)
		}
	}
}
