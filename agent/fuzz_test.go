package agent_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// FuzzCallArguments sends arbitrary bytes as a tool's arguments: Call never
// panics and never returns an error for a listed tool, and arguments the
// schema refuses send nothing and ask no one.
func FuzzCallArguments(f *testing.F) {
	for _, s := range []string{
		restoreArgs, `{}`, `null`, ``, `[]`, `{"backupId":".."}`, `{"backupId":"b","targetServerId":1}`,
		`{"backupId":"backup_0002","targetServerId":"server_0001","roles":"yes"}`, `{"backupId":"x","extra":{}}`,
		`{"limit":1e400}`, `{"limit":-1}`, `{"serverId":"\u0000"}`, `{"a":`,
	} {
		f.Add("backups_restore", s)
		f.Add("backups_list", s)
	}
	srv, c := fake(f, []restorehub.Scope{restorehub.ScopeAll}, restorehubtest.WithRateLimit(1<<30, time.Second))
	asked := 0
	tk, err := agent.New(c, agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(func(context.Context, agent.Confirmation) error {
		asked++
		return agent.ErrDeclined
	}))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, tool, args string) {
		if tool != "backups_restore" && tool != "backups_list" {
			tool = "backups_list"
		}
		before, askedBefore := len(srv.Requests()), asked
		res, err := tk.Call(context.Background(), tool, json.RawMessage(args))
		if err != nil || res == nil {
			t.Fatalf("Call(%s, %q) = %v, %v", tool, args, res, err)
		}
		if res.IsError && strings.HasPrefix(res.Text, "Invalid arguments") {
			if n := len(srv.Requests()) - before; n != 0 || asked != askedBefore {
				t.Fatalf("invalid arguments %q: %d requests sent, %d confirmations asked", args, n, asked-askedBefore)
			}
		}
		if tool == "backups_restore" && len(srv.Requests()) != before {
			t.Fatalf("a declined restore was sent: %q", args)
		}
	})
}
