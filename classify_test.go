package restorehub

import (
	"testing"

	"github.com/restorehub/restorehub-go/resources"
)

// TestClassify pins what a raw request is: the operation it matches, and a
// class never safer than that operation, whatever the spelling of its method
// or path and whatever scope its caller names.
func TestClassify(t *testing.T) {
	type want struct {
		id          string
		scope       Scope
		tier        Tier
		destructive bool
		idempotent  bool
		readOnly    bool
	}
	readOp := func(id string, s Scope) want { return want{id, s, TierRead, false, true, true} }
	tests := []struct {
		name         string
		method, path string
		named        Scope
		want         want
	}{
		{"GET matched", "GET", "/servers/srv_1", "", readOp("servers.get", ScopeServersRead)},
		{"empty method is GET", "", "/servers/srv_1", "", readOp("servers.get", ScopeServersRead)},
		{"HEAD matches the GET of its path", "HEAD", "/servers/srv_1", "", readOp("servers.get", ScopeServersRead)},
		{"lower-case head", "head", "/backups", "", readOp("backups.list", ScopeBackupsRead)},
		{"trailing slash", "GET", "/servers/srv_1/", "", readOp("servers.get", ScopeServersRead)},
		{"leading double slash", "GET", "//servers/srv_1", "", readOp("servers.get", ScopeServersRead)},
		{"query smuggled into the path", "GET", "/servers/srv_1?expand=all", "", readOp("servers.get", ScopeServersRead)},
		{"destructive DELETE with no scope named", "DELETE", "/servers/srv_1", "", want{"servers.delete", ScopeServersDelete, TierDestructive, true, false, false}},
		{"lower-case delete", "delete", "/servers/srv_1", "", want{"servers.delete", ScopeServersDelete, TierDestructive, true, false, false}},
		{"write-tier DELETE is destructive", "DELETE", "/backups/bk_1", "", want{"backups.delete", ScopeBackupsWrite, TierWrite, true, false, false}},
		{"api key DELETE", "DELETE", "/api-keys/key_1", "", want{"api-keys.delete", ScopeAPIKeysWrite, TierWrite, true, false, false}},
		{"restore", "POST", "/backups/bk_1/restore", "", want{"backups.restore", ScopeBackupsRestore, TierDestructive, true, false, false}},
		{"restore with a query in the path", "POST", "/backups/bk_1/restore?force=1", "", want{"backups.restore", ScopeBackupsRestore, TierDestructive, true, false, false}},
		{"restore with a fragment in the path", "POST", "/backups/bk_1/restore#x", "", want{"backups.restore", ScopeBackupsRestore, TierDestructive, true, false, false}},
		{"restore named with a read scope is no safer", "POST", "/backups/bk_1/restore", ScopeBackupsRead, want{"backups.restore", ScopeBackupsRestore, TierDestructive, true, false, false}},
		{"DELETE named with a read scope is no safer", "DELETE", "/servers/srv_1", ScopeServersRead, want{"servers.delete", ScopeServersDelete, TierDestructive, true, false, false}},
		{"GET named with a destructive scope is guarded", "GET", "/servers/srv_1", ScopeServersDelete, want{"servers.get", ScopeServersDelete, TierDestructive, true, false, false}},
		{"PATCH", "PATCH", "/servers/srv_1", "", want{"servers.update", ScopeServersWrite, TierWrite, false, false, false}},
		{"PUT on a destructive path matches nothing", "PUT", "/backups/bk_1/restore", "", want{"", "", TierUnknown, true, false, false}},
		{"unmatched POST", "POST", "/v2/anything", "", want{"", "", TierUnknown, true, false, false}},
		{"unmatched POST naming a write scope", "POST", "/v2/anything", ScopeServersWrite, want{"", ScopeServersWrite, TierWrite, true, false, false}},
		{"unmatched PATCH", "PATCH", "/nowhere", "", want{"", "", TierUnknown, true, false, false}},
		{"unmatched GET", "GET", "/nowhere", "", want{"", "", TierUnknown, false, true, true}},
		{"unknown named scope is the worst", "GET", "/nowhere", Scope("backups:nuke"), want{"", "backups:nuke", TierDestructive, true, false, false}},
		{"dot-dot parameter matches nothing", "POST", "/backups/../restore", "", want{"", "", TierUnknown, true, false, false}},
		{"escaped dot-dot parameter matches nothing", "POST", "/backups/%2e%2E/restore", "", want{"", "", TierUnknown, true, false, false}},
		{"double-escaped dot parameter matches nothing", "GET", "/backups/%252e", "", want{"", "", TierUnknown, false, true, true}},
		{"escaped traversal inside a parameter", "DELETE", "/teams/x%2F..%2F..%2Fapi-keys", "", want{"", "", TierUnknown, true, false, false}},
		{"empty parameter matches nothing", "DELETE", "/api-keys//", "", want{"", "", TierUnknown, true, false, false}},
		{"double slash inside the path", "POST", "/backups//restore", "", want{"", "", TierUnknown, true, false, false}},
		{"unmatched DELETE", "DELETE", "/nowhere/1", "", want{"", "", TierUnknown, true, false, false}},
		{"operation without a scope", "GET", "/openapi.json", "", want{"meta.getOpenAPISpec", "", TierUnknown, false, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Classify(tt.method, tt.path, tt.named)
			got := want{c.ID, c.Scope, c.Tier, c.Destructive, c.Idempotent, c.ReadOnly}
			if got != tt.want {
				t.Errorf("Classify(%q, %q, %q) = %+v, want %+v", tt.method, tt.path, tt.named, got, tt.want)
			}
			if c.Destructive != (c.Reason != "") {
				t.Errorf("Destructive %v with Reason %q", c.Destructive, c.Reason)
			}
			if c.Matched() != (tt.want.id != "") {
				t.Errorf("Matched() = %v", c.Matched())
			}
		})
	}
}

// TestClassifySpec pins the class of a typed call: the same rule, applied to
// the operation the generated method names, the table's tier included.
func TestClassifySpec(t *testing.T) {
	tests := []struct {
		name            string
		spec            resources.OperationSpec
		named           Scope
		wantTier        Tier
		wantDestructive bool
		wantIdempotent  bool
	}{
		{"table tier above the scope's counts", resources.OperationSpec{ID: "x.a", Method: "POST", Path: "/x", Scope: "servers:write", Tier: TierDestructive}, "", TierDestructive, true, false},
		{"out-of-range table tier is the worst", resources.OperationSpec{ID: "x.b", Method: "GET", Path: "/x", Scope: "servers:read", Tier: Tier(42), Idempotent: true}, "", TierDestructive, true, false},
		{"unknown scope is the worst", resources.OperationSpec{ID: "x.c", Method: "GET", Path: "/x", Scope: "x:y", Idempotent: true}, "", TierDestructive, true, false},
		{"no scope nor tier, POST", resources.OperationSpec{ID: "x.d", Method: "POST", Path: "/x"}, "", TierUnknown, true, false},
		{"no scope nor tier, GET", resources.OperationSpec{ID: "x.e", Method: "GET", Path: "/x", Idempotent: true}, "", TierUnknown, false, true},
		{"idempotent DELETE in the table is not resent", resources.OperationSpec{ID: "x.f", Method: "DELETE", Path: "/x/{id}", Scope: "servers:write", Tier: TierWrite, Idempotent: true}, "", TierWrite, true, false},
		{"tier only, no scope", resources.OperationSpec{ID: "x.g", Method: "PATCH", Path: "/x", Tier: TierWrite}, "", TierWrite, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := classifySpec(&tt.spec, tt.named)
			if c.Tier != tt.wantTier || c.Destructive != tt.wantDestructive || c.Idempotent != tt.wantIdempotent || c.ID != tt.spec.ID {
				t.Errorf("got %s tier %s destructive %v idempotent %v, want tier %s destructive %v idempotent %v",
					c.ID, c.Tier, c.Destructive, c.Idempotent, tt.wantTier, tt.wantDestructive, tt.wantIdempotent)
			}
		})
	}
}

// TestClassifyAgreesWithTheTable checks, for every operation, that a raw
// request of its method and template path is classified as its typed call
// is, and that every DELETE and destructive-tier operation is destructive.
func TestClassifyAgreesWithTheTable(t *testing.T) {
	for _, op := range resources.Operations() {
		typed, ok := ClassifyOperation(op.ID)
		if !ok {
			t.Fatalf("ClassifyOperation(%q) not found", op.ID)
		}
		raw := Classify(op.Method, op.Path, "")
		if raw.ID != op.ID || raw.Destructive != typed.Destructive || raw.Scope != typed.Scope || raw.Idempotent != typed.Idempotent || (raw.Spec.Pace == nil) != (op.Pace == nil) {
			t.Errorf("%s: raw %+v, typed %+v", op.ID, raw, typed)
		}
		if (op.Method == "DELETE" || op.Tier == TierDestructive) && !typed.Destructive {
			t.Errorf("%s (%s, tier %s) is not destructive", op.ID, op.Method, op.Tier)
		}
		if typed.Destructive && typed.Idempotent {
			t.Errorf("%s is destructive and idempotent", op.ID)
		}
	}
}
