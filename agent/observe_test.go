package agent_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
)

// TestToolObserver: WithToolObserver is told of each listed tool's call
// with its name and scope, the context it returns is the one the client's
// call runs in, and the end function gets the audit's outcome and status;
// an unknown tool is not reported (its name is the caller's text).
func TestToolObserver(t *testing.T) {
	srv, _ := fake(t, []restorehub.Scope{restorehub.ScopeAll})
	type mark struct{}
	var got []string
	c, err := restorehub.New(testKey, restorehub.WithBaseURL(srv.URL()), restorehub.WithObserver(restorehub.Observer{
		OnCallStart: func(ctx context.Context, e restorehub.CallStart) context.Context {
			got = append(got, fmt.Sprintf("client call %s in the tool's context: %t", e.Operation, ctx.Value(mark{}) != nil))
			return ctx
		},
	}))
	if err != nil {
		t.Fatal(err)
	}
	obs := func(ctx context.Context, tool string, scope restorehub.Scope) (context.Context, func(string, int)) {
		got = append(got, "start "+tool+" "+string(scope))
		return context.WithValue(ctx, mark{}, true), func(outcome string, status int) {
			got = append(got, fmt.Sprintf("end %s %s %d", tool, outcome, status))
		}
	}
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.WithToolObserver(obs))
	ctx := context.Background()
	_, _ = tk.Call(ctx, "backups_get", json.RawMessage(`{"backupId":"backup_0002"}`))
	_, _ = tk.Call(ctx, "backups_get", json.RawMessage(`{"backupId":7}`))
	_, _ = tk.Call(ctx, "no_such_tool_secret_value", nil)
	want := []string{
		"start backups_get backups:read", "client call backups.get in the tool's context: true", "end backups_get ok 0",
		"start backups_get backups:read", "end backups_get invalid_arguments 0",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
