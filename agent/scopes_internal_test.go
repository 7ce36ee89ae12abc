package agent

import (
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
)

// TestToolkitAcceptsAnyAcceptedScope checks the toolkit's filter: a tool
// whose operation accepts several scopes is listed when every known scope
// set of the key (the toolkit's, the client's, the server's) holds any one
// of them, and hidden when one of the sets holds none.
func TestToolkitAcceptsAnyAcceptedScope(t *testing.T) {
	accepted := []restorehub.Scope{restorehub.ScopeServersRead, restorehub.ScopeServersWrite}
	set := func(s ...restorehub.Scope) *restorehub.ScopeSet {
		v := restorehub.NewScopeSet(s...)
		return &v
	}
	tests := []struct {
		name           string
		key            restorehub.ScopeSet
		client, server *restorehub.ScopeSet
		noScope        bool // the operation needs no scope
		want           bool
	}{
		{name: "the required scope", key: *set(restorehub.ScopeServersRead), want: true},
		{name: "an alternative", key: *set(restorehub.ScopeServersWrite), want: true},
		{name: "different alternatives in each set", key: *set(restorehub.ScopeServersWrite), client: set(restorehub.ScopeServersRead), server: set(restorehub.ScopeAll), want: true},
		{name: "none in the key", key: *set(restorehub.ScopeBackupsRead)},
		{name: "none in the client's", key: *set(restorehub.ScopeServersWrite), client: set(restorehub.ScopeBackupsRead)},
		{name: "none in what the server said", key: *set(restorehub.ScopeServersRead), server: set(restorehub.ScopeAccountRead)},
		{name: "no scope needed", key: *set(), noScope: true, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			class := restorehub.Class{Scope: restorehub.ScopeServersRead, AcceptedScopes: accepted, Tier: restorehub.TierRead, ReadOnly: true}
			if tt.noScope {
				class.Scope, class.AcceptedScopes = "", nil
			}
			tk := &Toolkit{keyScopes: tt.key, clientScopes: tt.client, serverScopes: tt.server}
			e := &entry{def: &toolDef{name: "servers_get"}, class: class}
			if got := tk.allowsLocked(e); got != tt.want {
				t.Errorf("listed = %v, want %v", got, tt.want)
			}
		})
	}
}
