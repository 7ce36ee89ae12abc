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

// TestOperationTableAcceptsOneScope checks that the project's spec, where
// every operation accepts exactly its one scope, gives a compact table: no
// AcceptedScopes, and Accepted is the required scope alone.
func TestOperationTableAcceptsOneScope(t *testing.T) {
	for _, op := range Operations() {
		if op.AcceptedScopes != nil {
			t.Errorf("%s: AcceptedScopes = %v, want it left out", op.ID, op.AcceptedScopes)
		}
		if op.Scope != "" && !slices.Equal(op.Accepted(), []Scope{op.Scope}) {
			t.Errorf("%s: Accepted() = %v", op.ID, op.Accepted())
		}
	}
}
