package mcpserver_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
)

// TestE2EDiscoveryScriptedModel drives a scripted model through discovery
// mode over MCP, on every protocol version (elicitation/create, and input
// requests): it lists three tools, searches, describes backups_restore,
// makes a read call, then calls the restore twice through call_operation:
// the user declines the first (nothing sent) and accepts the second
// (exactly one request sent).
func TestE2EDiscoveryScriptedModel(t *testing.T) {
	for _, v := range versions {
		t.Run(versionName(v), func(t *testing.T) {
			answers := []string{"decline", "accept"}
			var asked []string
			elicit := func(_ context.Context, r *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
				asked = append(asked, r.Params.Message)
				if len(answers) == 0 {
					t.Error("the user was asked more than twice")
					return &mcp.ElicitResult{Action: "decline"}, nil
				}
				a := answers[0]
				answers = answers[1:]
				if a == "accept" {
					return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"confirm": true}}, nil
				}
				return &mcp.ElicitResult{Action: a}, nil
			}
			scopes := []restorehub.Scope{restorehub.ScopeBackupsRead, restorehub.ScopeBackupsRestore, restorehub.ScopeServersRead}
			fake, _, srv := setup(t, scopes, scopes, agent.WithConfirm(alwaysApprove), agent.WithDiscovery())
			cs := connect(t, srv, &mcp.ClientOptions{ElicitationHandler: elicit}, v)
			ctx := context.Background()

			list, err := cs.ListTools(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tool := range list.Tools {
				got = append(got, tool.Name)
			}
			if want := []string{agent.CallTool, agent.DescribeTool, agent.SearchTool}; !slices.Equal(got, want) {
				t.Fatalf("tools %v, want %v", got, want)
			}
			raw, _ := json.Marshal(list.Tools)
			t.Logf("MCP tools/list in discovery mode: %d bytes (~%d tokens)", len(raw), len(raw)/4)
			if len(raw)/4 > 1500 {
				t.Errorf("the MCP listing is %d bytes (~%d tokens), over 1,500 tokens", len(raw), len(raw)/4)
			}
			step := func(name string, args any) *mcp.CallToolResult {
				t.Helper()
				res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: args})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				return res
			}

			// 1. search
			res := step(agent.SearchTool, map[string]any{"query": "restore a backup"})
			if res.IsError || !strings.Contains(text(res), "\nbackups_restore: ") || !strings.Contains(text(res), "confirmation needed") {
				t.Fatalf("search: %s", text(res))
			}
			// 2. describe
			res = step(agent.DescribeTool, map[string]any{"operation": "backups_restore"})
			if res.IsError || !strings.Contains(text(res), `"needsConfirmation":true`) || !strings.Contains(text(res), `"targetServerId"`) {
				t.Fatalf("describe: %s", text(res))
			}
			// 3. a read call
			res = step(agent.CallTool, map[string]any{"operation": "backups_list", "arguments": map[string]any{"limit": 2}})
			if res.IsError || fake.Count("backups.list") != 1 {
				t.Fatalf("read call: %s (%d lists sent)", text(res), fake.Count("backups.list"))
			}
			// 4. the destructive call, declined
			args := map[string]any{"backupId": "backup_0002", "targetServerId": "server_0001", "roles": true}
			call := map[string]any{"operation": "backups_restore", "arguments": args}
			res = step(agent.CallTool, call)
			if !res.IsError || !strings.Contains(text(res), "the user declined it") || !strings.Contains(text(res), "nothing was sent") || fake.Count("backups.restore") != 0 {
				t.Fatalf("declined restore: %s (%d sent)", text(res), fake.Count("backups.restore"))
			}
			// 5. the same call, accepted
			res = step(agent.CallTool, call)
			if res.IsError || fake.Count("backups.restore") != 1 {
				t.Fatalf("accepted restore: %s (%d sent)", text(res), fake.Count("backups.restore"))
			}
			if n := len(fake.Requests()); n != 2 {
				t.Fatalf("%d requests in all, want 2 (one list, one restore)", n)
			}
			if len(asked) != 2 {
				t.Fatalf("the user was asked %d times, want 2", len(asked))
			}
			for _, q := range asked {
				for _, want := range []string{"backups_restore", "POST /backups/backup_0002/restore", `"targetServerId": "server_0001"`} {
					if !strings.Contains(q, want) {
						t.Errorf("the question does not show %q:\n%s", want, q)
					}
				}
			}
		})
	}
}
