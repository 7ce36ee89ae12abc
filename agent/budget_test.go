package agent_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
	"github.com/restorehub/restorehub-go/resources"
)

// TestFieldsArgument: list and get tools take "fields"; it keeps only
// those fields of each item (and the page's other members), is not sent,
// and a bad one is refused before anything is sent. Tools that change
// state do not take it.
func TestFieldsArgument(t *testing.T) {
	srv, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(approve))
	for _, tool := range tk.Tools() {
		var s struct {
			Properties map[string]json.RawMessage `json:"properties"`
		}
		if err := json.Unmarshal(tool.InputSchema, &s); err != nil {
			t.Fatal(err)
		}
		if _, has := s.Properties["fields"]; has != tool.ReadOnly {
			t.Errorf("%s: fields listed %v, read-only %v", tool.Name, has, tool.ReadOnly)
		}
	}
	ctx := context.Background()
	// The listed form is a comma-separated string; an array of names is
	// taken too.
	for _, good := range []string{`{"fields":"id"}`, `{"fields":" id , name"}`, `{"fields":["id"]}`} {
		res, err := tk.Call(ctx, "servers_list", json.RawMessage(good))
		if err != nil || res.IsError {
			t.Fatalf("%s: %+v %v", good, res, err)
		}
		var page struct {
			Data []map[string]any `json:"data"`
		}
		if err := json.Unmarshal(res.Data, &page); err != nil || len(page.Data) == 0 {
			t.Fatalf("%s: %s: %v", good, res.Data, err)
		}
		for _, it := range page.Data {
			if it["id"] == nil || len(it) > 2 || len(it) == 2 && it["name"] == nil {
				t.Fatalf("%s: item %v, want only the fields named", good, it)
			}
		}
	}
	if q := srv.Requests()[0].Query; q.Has("fields") {
		t.Fatalf("fields was sent: %v", q)
	}
	tooMany := `{"fields":"` + strings.Repeat("a,", 64) + `a"}`
	for _, bad := range []string{`{"fields":""}`, `{"fields":"id,,name"}`, `{"fields":[]}`, `{"fields":[""]}`, `{"fields":[1]}`, `{"fields":7}`, tooMany} {
		res, err := tk.Call(ctx, "servers_list", json.RawMessage(bad))
		if err != nil || !res.IsError || !strings.Contains(res.Text, `"fields"`) {
			t.Errorf("%s: %+v %v", bad, res, err)
		}
	}
	res, _ := tk.Call(ctx, "servers_list", json.RawMessage(`{"fields":["nosuch"]}`))
	if res.IsError || !strings.Contains(res.Text, "None of the fields nosuch") {
		t.Errorf("unknown field: %+v", res)
	}
	if res, _ := tk.Call(ctx, "backups_create", json.RawMessage(`{"serverId":"server_0001","fields":["id"]}`)); !res.IsError || !strings.Contains(res.Text, "fields") {
		t.Errorf("a write tool took fields: %+v", res)
	}
	if n := len(srv.Requests()); n != 4 {
		t.Fatalf("%d requests, want 4 (the four accepted lists)", n)
	}
}

// TestResultBudget: a list over the budget comes back cut to the first
// items that fit, as valid JSON, with a text saying how to get the rest;
// through discovery too.
func TestResultBudget(t *testing.T) {
	srv, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
	var members []any
	for i := range 150 {
		members = append(members, resources.Member{UserID: fmt.Sprintf("1%017d", i), Username: ptr(strings.Repeat("m", 40))})
	}
	if _, err := srv.Seed(members...); err != nil {
		t.Fatal(err)
	}
	for _, discovery := range []bool{false, true} {
		opts := []agent.Option{agent.WithScopes(restorehub.ScopeAll), agent.WithMaxResultBytes(2048)}
		name, args := "members_list", json.RawMessage(`{"limit":100}`)
		if discovery {
			opts = append(opts, agent.WithDiscovery())
			name, args = agent.CallTool, callOp("members_list", `{"limit":100}`)
		}
		tk := newToolkit(t, c, opts...)
		res, err := tk.Call(context.Background(), name, args)
		if err != nil || res.IsError {
			t.Fatalf("%+v %v", res, err)
		}
		if len(res.Data) > 2048 || !json.Valid(res.Data) {
			t.Fatalf("data %d bytes, valid %v", len(res.Data), json.Valid(res.Data))
		}
		for _, want := range []string{"over the 2048-byte budget", "items of \"data\"", "a smaller limit", "nextCursor", `"fields"`} {
			if !strings.Contains(res.Text, want) {
				t.Errorf("text lacks %q: %s", want, res.Text)
			}
		}
	}
}

// TestResultBytesSaved reports, for the fake's demo data, the bytes every
// list and get tool returns in full and with fields=["id"]; run with -v for
// the figures (BENCHMARKS.md).
func TestResultBytesSaved(t *testing.T) {
	_, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.ReadOnly())
	var full, lean int
	for _, name := range []string{"account_get", "servers_list", "backups_list", "members_list", "servers_get", "backups_get"} {
		args := map[string]any{}
		switch name {
		case "servers_get":
			args["serverId"] = "server_0001"
		case "backups_get":
			args["backupId"] = "backup_0002"
		}
		a, _ := tk.Call(context.Background(), name, mustJSON(args))
		args["fields"] = []string{"id"}
		b, _ := tk.Call(context.Background(), name, mustJSON(args))
		if a.IsError || b.IsError {
			t.Fatalf("%s: %s / %s", name, a.Text, b.Text)
		}
		t.Logf("%-14s full %5d bytes, fields=[id] %5d bytes", name, len(a.Data), len(b.Data))
		full += len(a.Data)
		lean += len(b.Data)
		if len(b.Data) >= len(a.Data) && !slices.Contains([]string{"account_get"}, name) {
			t.Errorf("%s: fields saved nothing", name)
		}
	}
	t.Logf("total: full %d bytes, fields=[id] %d bytes (%.0f%% saved)", full, lean, 100*float64(full-lean)/float64(full))
}

func ptr[T any](v T) *T { return &v }
