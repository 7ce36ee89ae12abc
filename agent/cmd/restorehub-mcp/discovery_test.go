package main

import (
	"context"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// TestBinaryDiscoveryFlag: with -discovery the binary lists the three
// discovery tools; search finds only what -scopes allows, and a call goes
// through call_operation.
func TestBinaryDiscoveryFlag(t *testing.T) {
	fake := restorehubtest.NewServer(restorehubtest.WithKey(testKey, restorehub.ScopeBackupsRead, restorehub.ScopeServersRead), restorehubtest.WithDemoData())
	t.Cleanup(fake.Close)
	cs, _ := startBinary(t, fake, []string{"-discovery", "-scopes", "backups:read"}, "", nil)
	tools := toolNames(t, cs)
	if len(tools) != 3 || tools["search_operations"] == nil || tools["describe_operation"] == nil || tools["call_operation"] == nil {
		t.Fatalf("tools %v", tools)
	}
	ctx := context.Background()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "search_operations", Arguments: map[string]any{"query": "list servers backups", "limit": 50}})
	if err != nil || res.IsError || !strings.Contains(text(res), "backups_list:") || strings.Contains(text(res), "servers_list:") {
		t.Fatalf("search: %v %s", err, text(res))
	}
	res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "call_operation", Arguments: map[string]any{"operation": "backups_list"}})
	if err != nil || res.IsError || fake.Count("backups.list") != 1 {
		t.Fatalf("call: %v %s", err, text(res))
	}
}
