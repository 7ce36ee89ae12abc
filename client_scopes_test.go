package restorehub_test

import (
	"slices"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
)

func TestDeclaredScopes(t *testing.T) {
	const key = "rh_declaredScopesTestKey0123456789abcdef"
	for _, tc := range []struct {
		name   string
		opts   []restorehub.Option
		want   []restorehub.Scope
		wantOK bool
	}{
		{"none declared", nil, nil, false},
		{"declared, sorted", []restorehub.Option{restorehub.WithScopes(restorehub.ScopeServersRead, restorehub.ScopeBackupsRead)},
			[]restorehub.Scope{restorehub.ScopeBackupsRead, restorehub.ScopeServersRead}, true},
		{"declared empty", []restorehub.Option{restorehub.WithScopes()}, []restorehub.Scope{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := restorehub.New(key, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := c.DeclaredScopes()
			if ok != tc.wantOK || !slices.Equal(got, tc.want) {
				t.Fatalf("DeclaredScopes() = %v, %v; want %v, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
	var nilClient *restorehub.Client
	if _, ok := nilClient.DeclaredScopes(); ok {
		t.Fatal("nil client declares scopes")
	}
}
