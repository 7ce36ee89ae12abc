package openapi

import "testing"

func TestTierFromScopeName(t *testing.T) {
	for _, tc := range []struct{ scope, want string }{
		{"servers:read", "read"},
		{"read:servers", "read"},
		{"servers.list", "read"},
		{"servers:write", "write"},
		{"members:mass-verify", "write"},
		{"account:link", "write"},
		{"servers:delete", "destructive"},
		{"delete:servers", "destructive"},
		{"backups:restore", "destructive"},
		{"members:pull", "destructive"},
		{"templates:apply", "destructive"},
		{"marketplace:payout", "destructive"},
		{"Admin", "destructive"},
		{"org:admin", "destructive"},
		{"admin:read", "read"},
		{"admin:org:write", "write"},
		{"repo:manage", "write"},
		{"*", ""},
		{"", ""},
	} {
		if got := TierFromScopeName(tc.scope); got != tc.want {
			t.Errorf("TierFromScopeName(%q) = %q, want %q", tc.scope, got, tc.want)
		}
	}
}
