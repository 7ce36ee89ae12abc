package agent_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
)

// TestTrailingDataRefused: arguments with anything after the JSON value,
// even a "]" that closes nothing, are refused and nothing is sent.
func TestTrailingDataRefused(t *testing.T) {
	srv, c := fake(t, []restorehub.Scope{restorehub.ScopeBackupsRead})
	tk, err := agent.New(c, agent.WithScopes(restorehub.ScopeBackupsRead))
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range []string{`{"limit":1}]{"b":2}`, `{"limit":1}}`, `{"limit":1} {"limit":2}`, `{"limit":1}x`} {
		res, err := tk.Call(context.Background(), "backups_list", json.RawMessage(raw))
		if err != nil || !res.IsError || !strings.Contains(res.Text, "after the JSON value") {
			t.Errorf("%s: %+v, %v", raw, res, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
	if res, _ := tk.Call(context.Background(), "backups_list", json.RawMessage("{\"limit\":1} \n\t")); res.IsError {
		t.Fatalf("trailing space refused: %+v", res)
	}
}

// TestUnknownToolAudited: a call of a tool the toolkit does not list
// leaves an audit record with outcome unknown_tool and an escaped, bounded
// name.
func TestUnknownToolAudited(t *testing.T) {
	_, c := fake(t, []restorehub.Scope{restorehub.ScopeBackupsRead})
	var buf bytes.Buffer
	tk, err := agent.New(c, agent.WithScopes(restorehub.ScopeBackupsRead), agent.WithAudit(slog.New(slog.NewTextHandler(&buf, nil))))
	if err != nil {
		t.Fatal(err)
	}
	hostile := "backups_delete\n" + strings.Repeat("\x1b[2J", 100) + "tail"
	for _, name := range []string{"backups_delete", hostile} {
		if _, err := tk.Call(context.Background(), name, nil); !errors.Is(err, agent.ErrUnknownTool) {
			t.Fatalf("err = %v", err)
		}
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d records:\n%s", len(lines), buf.String())
	}
	for _, l := range lines {
		if !strings.Contains(l, "outcome=unknown_tool") || !strings.Contains(l, "level=WARN") {
			t.Errorf("record %q", l)
		}
	}
	if !strings.Contains(lines[0], "tool=backups_delete ") {
		t.Errorf("record %q", lines[0])
	}
	if strings.Contains(buf.String(), "\x1b") || strings.Contains(buf.String(), "tail") || len(lines[1]) > 300 {
		t.Errorf("hostile name not escaped and bounded: %q", lines[1])
	}
}
