package restorehub

import (
	"encoding/json"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
)

// TestGeneratedScopeFieldsAreScopes checks that a generated field holding
// scopes is a []Scope with the methods users know, and that the root
// package's Scope, Tier and constants are the resources package's types.
func TestGeneratedScopeFieldsAreScopes(t *testing.T) {
	var key resources.APIKey
	if err := json.Unmarshal([]byte(`{"id":"k1","name":"agent","scopes":["servers:read","backups:restore","*","nope:nope"]}`), &key); err != nil {
		t.Fatal(err)
	}
	var scopes []Scope = key.Scopes // compiles only while both are the same type
	tests := []struct {
		scope Scope
		tier  Tier
		valid bool
	}{
		{ScopeServersRead, TierRead, true},
		{ScopeBackupsRestore, TierDestructive, true},
		{ScopeAll, TierDestructive, true},
		{"nope:nope", TierUnknown, false},
	}
	if len(scopes) != len(tests) {
		t.Fatalf("decoded %v", scopes)
	}
	for i, tt := range tests {
		s := scopes[i]
		if s != tt.scope || s.Tier() != tt.tier || s.Valid() != tt.valid {
			t.Errorf("scope %d = %q tier %s valid %t, want %q %s %t", i, s, s.Tier(), s.Valid(), tt.scope, tt.tier, tt.valid)
		}
	}
	var _ resources.Tier = TierWrite
	if got := len(AllScopes()); got != len(resources.DocumentedScopes()) || got != 53 {
		t.Errorf("AllScopes has %d scopes, want the 53 documented", got)
	}
	if NewScopeSet(key.Scopes...).Allows(ScopeServersDelete) != true {
		t.Error("a key holding * should allow servers:delete")
	}
}
