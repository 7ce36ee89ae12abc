package mcpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
)

// TestE2EConfirmationAuditAndToolkitConfirmer runs a destructive call
// through the SDK client, on the current protocol (two rounds: an input
// request, then the retry with the answer) and on 2025-11-25 (one round
// with elicitation). The audit trail shows the first round as "asked" at
// Info level, then the outcome, and never a "declined" for a call the user
// approved; the toolkit's own WithConfirm is called exactly once per sent
// call and never for a round that only asks.
func TestE2EConfirmationAuditAndToolkitConfirmer(t *testing.T) {
	scopes := []restorehub.Scope{restorehub.ScopeBackupsRead, restorehub.ScopeBackupsRestore}
	cases := []struct {
		version      string
		action       string
		wantOutcomes []string
		wantLevels   []string
		wantSent     int
	}{
		{"", "accept", []string{"asked", "ok"}, []string{"INFO", "INFO"}, 1},
		{"", "decline", []string{"asked", "declined"}, []string{"INFO", "WARN"}, 0},
		{"2025-11-25", "accept", []string{"ok"}, []string{"INFO"}, 1},
		{"2025-11-25", "decline", []string{"declined"}, []string{"WARN"}, 0},
	}
	for _, tc := range cases {
		t.Run(versionName(tc.version)+"/"+tc.action, func(t *testing.T) {
			var (
				buf  bytes.Buffer
				own  atomic.Int32
				user atomic.Int32
			)
			fake, _, srv := setup(t, scopes, scopes,
				agent.WithAudit(slog.New(slog.NewJSONHandler(&buf, nil))),
				agent.WithConfirm(func(context.Context, agent.Confirmation) error { own.Add(1); return nil }))
			cs := connect(t, srv, &mcp.ClientOptions{ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
				user.Add(1)
				if tc.action == "accept" {
					return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"confirm": true}}, nil
				}
				return &mcp.ElicitResult{Action: tc.action}, nil
			}}, tc.version)
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "backups_restore", Arguments: map[string]any{"backupId": "backup_0002", "targetServerId": "server_0001", "roles": true}})
			if err != nil {
				t.Fatal(err)
			}
			if n := fake.Count("backups.restore"); n != tc.wantSent || res.IsError != (tc.wantSent == 0) {
				t.Fatalf("sent %d, want %d; IsError %v: %s", n, tc.wantSent, res.IsError, text(res))
			}
			if n := user.Load(); n != 1 {
				t.Errorf("the user was asked %d times, want 1", n)
			}
			if n := int(own.Load()); n != tc.wantSent {
				t.Errorf("the toolkit's WithConfirm was called %d times for %d sent calls", n, tc.wantSent)
			}
			var outcomes, levels []string
			for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				var rec map[string]any
				if err := json.Unmarshal([]byte(l), &rec); err != nil {
					t.Fatalf("%q: %v", l, err)
				}
				if rec["tool"] != "backups_restore" {
					t.Errorf("record for %v", rec["tool"])
				}
				o, _ := rec["outcome"].(string)
				lv, _ := rec["level"].(string)
				outcomes, levels = append(outcomes, o), append(levels, lv)
			}
			if !slices.Equal(outcomes, tc.wantOutcomes) || !slices.Equal(levels, tc.wantLevels) {
				t.Fatalf("audit outcomes %v at %v, want %v at %v:\n%s", outcomes, levels, tc.wantOutcomes, tc.wantLevels, buf.String())
			}
		})
	}
}
