package restorehub

import (
	"strings"
	"testing"
)

func TestScopeCatalogue(t *testing.T) {
	all := AllScopes()
	if len(all) != 53 {
		t.Fatalf("AllScopes has %d scopes, want 53", len(all))
	}
	counts := map[Tier]int{}
	seen := map[Scope]bool{}
	for _, s := range all {
		if seen[s] {
			t.Errorf("duplicate %s", s)
		}
		seen[s] = true
		counts[s.Tier()]++
		if !s.Valid() || s.Resource() == "" || s.Action() == "" {
			t.Errorf("%s: Valid=%t Resource=%q Action=%q", s, s.Valid(), s.Resource(), s.Action())
		}
	}
	if counts[TierRead] != 23 || counts[TierWrite] != 23 || counts[TierDestructive] != 7 {
		t.Errorf("tiers = %v, want 23 read, 23 write, 7 destructive", counts)
	}
	if all[0] != ScopeAccountRead || all[52] != ScopeTemplatesApply {
		t.Errorf("order: first %s, last %s", all[0], all[52])
	}
	for tier, n := range map[Tier]int{TierRead: 23, TierWrite: 23, TierDestructive: 7} {
		if got := len(ScopesByTier(tier)); got != n {
			t.Errorf("ScopesByTier(%s) = %d, want %d", tier, got, n)
		}
	}
}

func TestScopeNamesAndParts(t *testing.T) {
	tests := []struct {
		s                Scope
		want             string
		tier             Tier
		resource, action string
	}{
		{ScopeServersRead, "servers:read", TierRead, "servers", "read"},
		{ScopeAPIKeysWrite, "api-keys:write", TierWrite, "api-keys", "write"},
		{ScopeVerifyPageRead, "verify-page:read", TierRead, "verify-page", "read"},
		{ScopeMembersMassVerify, "members:mass-verify", TierWrite, "members", "mass-verify"},
		{ScopeMembersMassDM, "members:massdm", TierWrite, "members", "massdm"},
		{ScopeBackupsRestore, "backups:restore", TierDestructive, "backups", "restore"},
		{ScopeMarketplacePayout, "marketplace:payout", TierDestructive, "marketplace", "payout"},
		{ScopeAll, "*", TierDestructive, "*", ""},
	}
	for _, tt := range tests {
		if string(tt.s) != tt.want || tt.s.Tier() != tt.tier || tt.s.Resource() != tt.resource || tt.s.Action() != tt.action {
			t.Errorf("%q: tier %s resource %q action %q", tt.s, tt.s.Tier(), tt.s.Resource(), tt.s.Action())
		}
	}
}

func TestParseScope(t *testing.T) {
	tests := []struct {
		in   string
		want Scope
		ok   bool
	}{
		{"servers:read", ScopeServersRead, true},
		{"  members:pull ", ScopeMembersPull, true},
		{"*", ScopeAll, true},
		{"Servers:Read", "", false},
		{"servers:destroy", "", false},
		{"", "", false},
		{strings.Repeat("x", 5000), "", false},
	}
	for _, tt := range tests {
		got, err := ParseScope(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseScope(%.20q) = %q, %v", tt.in, got, err)
		}
		if err != nil && len(err.Error()) > 200 {
			t.Errorf("error too long: %d", len(err.Error()))
		}
	}
}

func TestScopeSetAllows(t *testing.T) {
	set := NewScopeSet(ScopeServersRead, ScopeBackupsRead)
	tests := []struct {
		set  ScopeSet
		s    Scope
		want bool
	}{
		{set, ScopeServersRead, true},
		{set, ScopeBackupsRestore, false},
		{set, "", true},
		{NewScopeSet(ScopeAll), ScopeBackupsRestore, true},
		{NewScopeSet(ScopeAll), ScopeAccountDelete, true},
		{ScopeSet{}, ScopeServersRead, false},
	}
	for _, tt := range tests {
		if got := tt.set.Allows(tt.s); got != tt.want {
			t.Errorf("%v.Allows(%s) = %t", tt.set.Scopes(), tt.s, got)
		}
	}
	if set.Len() != 2 || set.Scopes()[0] != ScopeBackupsRead {
		t.Errorf("Scopes() = %v", set.Scopes())
	}
}

func TestRequiredScopes(t *testing.T) {
	got, err := RequiredScopes("servers.list", "backups.restore", "servers.get", "backups.list")
	if err != nil {
		t.Fatal(err)
	}
	want := []Scope{ScopeBackupsRead, ScopeBackupsRestore, ScopeServersRead}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if _, err := RequiredScopes("servers.explode"); err == nil {
		t.Error("unknown operation accepted")
	}
}
