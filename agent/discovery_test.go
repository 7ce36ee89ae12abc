package agent_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
	"github.com/restorehub/restorehub-go/resources"
)

// discoveryLimitTokens is the most the discovery listing may cost.
const discoveryLimitTokens = 1500

// callOp is the arguments of agent.CallTool.
func callOp(op, args string) json.RawMessage {
	if args == "" {
		return json.RawMessage(`{"operation":"` + op + `"}`)
	}
	return json.RawMessage(`{"operation":"` + op + `","arguments":` + args + `}`)
}

// TestDiscoveryListingIsSmall: the three discovery tools cost under 1,500
// tokens (bytes/4) in both providers' shapes, with every operation
// reachable, and the same whatever the filters reach.
func TestDiscoveryListingIsSmall(t *testing.T) {
	_, c := fake(t, nil)
	sizes := map[int]bool{}
	for _, opts := range [][]agent.Option{
		{agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(approve), agent.WithDiscovery()},
		{agent.WithScopes(restorehub.ScopeAll), agent.ReadOnly(), agent.WithDiscovery()},
		{agent.WithScopes(restorehub.ScopeBackupsRead), agent.WithDiscovery()},
	} {
		tk := newToolkit(t, c, opts...)
		tools := tk.Tools()
		if got, want := names(tools), []string{agent.CallTool, agent.DescribeTool, agent.SearchTool}; !slices.Equal(got, want) {
			t.Fatalf("discovery lists %v, want %v", got, want)
		}
		for _, raw := range []json.RawMessage{agent.OpenAITools(tools), agent.AnthropicTools(tools)} {
			if tokens := len(raw) / 4; tokens > discoveryLimitTokens {
				t.Errorf("discovery listing is %d bytes (~%d tokens), over %d", len(raw), tokens, discoveryLimitTokens)
			}
		}
		sizes[len(agent.OpenAITools(tools))/100] = true
	}
	if len(sizes) > 2 {
		t.Errorf("the listing's size depends on what it reaches: %v", sizes)
	}
}

// discoveryFilters are toolkits that reach a part of the operations.
var discoveryFilters = []struct {
	name                      string
	scopes                    []restorehub.Scope
	confirm, readOnly, docOnl bool
	toolsets                  []string
}{
	{name: "everything", scopes: []restorehub.Scope{restorehub.ScopeAll}, confirm: true},
	{name: "no confirmer", scopes: []restorehub.Scope{restorehub.ScopeAll}},
	{name: "read-only", scopes: []restorehub.Scope{restorehub.ScopeAll}, confirm: true, readOnly: true},
	{name: "narrow key", scopes: []restorehub.Scope{restorehub.ScopeBackupsRead, restorehub.ScopeBackupsRestore}, confirm: true},
	{name: "one toolset", scopes: []restorehub.Scope{restorehub.ScopeAll}, confirm: true, toolsets: []string{"members"}},
	{name: "documented only", scopes: []restorehub.Scope{restorehub.ScopeAll}, confirm: true, docOnl: true},
}

// TestDiscoveryFailsClosed: for every filter, an operation the listing
// would not show is never found by search, never described and never
// called (nothing sent, nobody asked), and answers exactly like an
// operation that does not exist; every operation the listing would show is
// found by its own name and described.
func TestDiscoveryFailsClosed(t *testing.T) {
	ctx := context.Background()
	for _, f := range discoveryFilters {
		t.Run(f.name, func(t *testing.T) {
			srv, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
			asked := 0
			opts := []agent.Option{agent.WithScopes(f.scopes...), agent.WithDiscovery()}
			if f.confirm {
				opts = append(opts, agent.WithConfirm(func(context.Context, agent.Confirmation) error { asked++; return nil }))
			}
			if f.readOnly {
				opts = append(opts, agent.ReadOnly())
			}
			if f.docOnl {
				opts = append(opts, agent.DocumentedOnly())
			}
			if len(f.toolsets) > 0 {
				opts = append(opts, agent.WithToolsets(f.toolsets...))
			}
			tk := newToolkit(t, c, opts...)
			want := expected(f.scopes, f.confirm, f.readOnly, f.docOnl, f.toolsets)
			all, err := tk.Call(ctx, agent.SearchTool, json.RawMessage(`{"limit":50}`))
			if err != nil || all.IsError {
				t.Fatalf("%+v %v", all, err)
			}
			ghost, _ := tk.Call(ctx, agent.DescribeTool, json.RawMessage(`{"operation":"nosuch_operation"}`))
			for _, op := range resources.Operations() {
				name := strings.ReplaceAll(op.ID, ".", "_")
				reach := slices.Contains(want, name)
				found, err := tk.Call(ctx, agent.SearchTool, json.RawMessage(`{"query":"`+name+`","limit":50}`))
				if err != nil {
					t.Fatal(err)
				}
				inSearch := strings.Contains(found.Text+"\n"+all.Text, "\n"+name+":")
				desc, _ := tk.Call(ctx, agent.DescribeTool, json.RawMessage(`{"operation":"`+op.ID+`"}`))
				if reach {
					if !strings.Contains(found.Text, "\n"+name+":") || desc.IsError || !bytes.Contains(desc.Data, []byte(`"inputSchema"`)) {
						t.Errorf("%s: reachable but search %q, describe %+v", name, found.Text, desc)
					}
					continue
				}
				if inSearch {
					t.Errorf("%s: search found an operation the key may not call:\n%s", name, found.Text)
				}
				if !desc.IsError || desc.Data != nil || strings.ReplaceAll(desc.Text, op.ID, "nosuch_operation") != ghost.Text {
					t.Errorf("%s: describe %+v, want exactly the answer for a missing operation %q", name, desc, ghost.Text)
				}
				before := len(srv.Requests())
				res, err := tk.Call(ctx, agent.CallTool, callOp(name, `{}`))
				if err != nil || !res.IsError || !strings.Contains(res.Text, "No operation") {
					t.Errorf("%s: call %+v %v, want refused", name, res, err)
				}
				if n := len(srv.Requests()); n != before {
					t.Errorf("%s: a call of an unreachable operation sent %d requests", name, n-before)
				}
			}
			if asked != 0 {
				t.Errorf("a confirmer was asked %d times for unreachable operations", asked)
			}
			// Direct calls of operation tools are refused in discovery mode.
			if _, err := tk.Call(ctx, "account_get", nil); !errors.Is(err, agent.ErrUnknownTool) {
				t.Errorf("direct call in discovery mode: %v", err)
			}
		})
	}
}

// TestDiscoveryNarrowedBy403: when a 403 says the key holds fewer scopes,
// discovery stops reaching what it lost.
func TestDiscoveryNarrowedBy403(t *testing.T) {
	srv, c := fake(t, []restorehub.Scope{restorehub.ScopeServersRead})
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeServersRead, restorehub.ScopeBackupsRead), agent.WithDiscovery())
	ctx := context.Background()
	if res, _ := tk.Call(ctx, agent.CallTool, callOp("backups_list", "")); !res.IsError || !strings.Contains(res.Text, "lacks the scope backups:read") {
		t.Fatalf("%+v", res)
	}
	res, _ := tk.Call(ctx, agent.SearchTool, json.RawMessage(`{"query":"backups"}`))
	if strings.Contains(res.Text, "backups_list:") {
		t.Fatalf("search still finds backups_list after the 403:\n%s", res.Text)
	}
	if res, _ := tk.Call(ctx, agent.CallTool, callOp("backups_list", "")); !res.IsError || !strings.Contains(res.Text, "No operation") {
		t.Fatalf("%+v", res)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

// TestDiscoveryCallIsACall: a call through CallTool is validated, limited
// and audited exactly like the operation's own tool: the same Result text,
// the same audit record, the same refusal of bad arguments (nothing sent).
func TestDiscoveryCallIsACall(t *testing.T) {
	ctx := context.Background()
	run := func(discovery bool, name, args string) (string, *agent.Result, int) {
		srv, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
		var log bytes.Buffer
		opts := []agent.Option{agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(approve),
			agent.WithAudit(slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{ReplaceAttr: dropTime}))),
			agent.WithDestructiveLimit(1, 3600e9)}
		if discovery {
			opts = append(opts, agent.WithDiscovery())
		}
		tk := newToolkit(t, c, opts...)
		var (
			res *agent.Result
			err error
		)
		for range 2 { // the second restore hits the destructive limit
			if discovery {
				res, err = tk.Call(ctx, agent.CallTool, callOp(name, args))
			} else {
				res, err = tk.Call(ctx, name, json.RawMessage(args))
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		return log.String(), res, len(srv.Requests())
	}
	for _, tc := range []struct{ name, args string }{
		{"backups_list", `{"limit":2}`},
		{"backups_list", `{"limit":"two"}`},
		{"backups_list", `{"nope":1}`},
		{"backups_restore", restoreArgs},
		{"backups_restore", `{"backupId":".."}`},
	} {
		logA, resA, sentA := run(false, tc.name, tc.args)
		logB, resB, sentB := run(true, tc.name, tc.args)
		if logA != logB || resA.Text != resB.Text || resA.IsError != resB.IsError || sentA != sentB {
			t.Errorf("%s %s:\n listed:    %d sent, %+v\n%s discovery: %d sent, %+v\n%s", tc.name, tc.args, sentA, resA, logA, sentB, resB, logB)
		}
	}
}

func dropTime(_ []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

// TestDiscoveryArguments: bad arguments of the discovery tools themselves
// are refused with a clear text and send nothing.
func TestDiscoveryArguments(t *testing.T) {
	srv, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(approve), agent.WithDiscovery())
	for _, tc := range []struct{ tool, args, want string }{
		{agent.SearchTool, `{"limit":0}`, "limit"},
		{agent.SearchTool, `[]`, "JSON object"},
		{agent.SearchTool, `{"query":7}`, "query"},
		{agent.DescribeTool, `{}`, "operation"},
		{agent.CallTool, `{"operation":"backups_list","arguments":[1]}`, "arguments"},
		{agent.CallTool, `{"operation":"backups_list","extra":1}`, "extra"},
		{agent.CallTool, `{"operation":"backups_list"`, "not valid JSON"},
		{agent.CallTool, `{"operation":"backups_restore","arguments":{"backupId":"b"}}`, "targetServerId"},
		{agent.CallTool, `{"operation":"` + strings.Repeat("a", 201) + `"}`, "operation"},
		{agent.CallTool, `{"operation":"backups_list\u0000"}`, "No operation"},
		{agent.CallTool, `{"operation":"BACKUPS_LIST"}`, "No operation"},
		{agent.DescribeTool, `{"operation":"../backups_list"}`, "No operation"},
		{agent.SearchTool, `{"query":"` + strings.Repeat("q", 201) + `"}`, "query"},
	} {
		res, err := tk.Call(context.Background(), tc.tool, json.RawMessage(tc.args))
		if err != nil || !res.IsError || !strings.Contains(res.Text, tc.want) {
			t.Errorf("%s %s: %+v %v, want an error naming %q", tc.tool, tc.args, res, err, tc.want)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

// TestDiscoverySearchRanks: the operation a query names comes first, and
// each line carries its safety.
func TestDiscoverySearchRanks(t *testing.T) {
	_, c := fake(t, nil)
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(approve), agent.WithDiscovery())
	for _, tc := range []struct{ query, first, safety string }{
		{"restore a backup", "backups_restore", "backups:restore, destructive tier; confirmation needed"},
		{"list backups", "backups_list", "backups:read, read tier; read-only"},
		{"Pull members", "members_pull", "confirmation needed"},
		{"account", "account_get", "read-only"},
	} {
		res, err := tk.Call(context.Background(), agent.SearchTool, json.RawMessage(`{"query":"`+tc.query+`","limit":3}`))
		if err != nil || res.IsError {
			t.Fatalf("%+v %v", res, err)
		}
		lines := strings.Split(res.Text, "\n")
		if len(lines) < 2 || !strings.HasPrefix(lines[1], tc.first+":") || !strings.Contains(lines[1], tc.safety) {
			t.Errorf("%q: first hit not %s with %q:\n%s", tc.query, tc.first, tc.safety, res.Text)
		}
	}
}

// TestInstructionsSayOnceWhatToolsShare: the marker's meaning and the
// shared argument descriptions are in Instructions, once, and no longer in
// any tool; a toolkit of one toolset explains only its own arguments.
func TestInstructionsSayOnceWhatToolsShare(t *testing.T) {
	_, c := fake(t, nil)
	all := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(approve))
	backups, err := agent.New(c, agent.WithScopes(restorehub.ScopeAll), agent.WithToolsets("backups"))
	if err != nil {
		t.Fatal(err)
	}
	in := all.Instructions()
	for _, want := range []string{`"Documented."`, "404 or 400", "only the arguments their schemas list", "cursor: Cursor from the previous page's nextCursor", "adId, alertId"} {
		if !strings.Contains(in, want) {
			t.Errorf("instructions lack %q:\n%s", want, in)
		}
	}
	if strings.Count(in, "Identifier of the resource") != 1 {
		t.Errorf("the shared ID description is not said exactly once:\n%s", in)
	}
	for _, tool := range all.Tools() {
		for _, gone := range []string{"Identifier of the resource", "Page size.", "it may fail with 404", `"additionalProperties":false}`} {
			if strings.Contains(tool.Description+string(tool.InputSchema), gone) {
				t.Errorf("%s still repeats %q", tool.Name, gone)
			}
		}
	}
	if b := backups.Instructions(); strings.Contains(b, "adId") || !strings.Contains(b, "backupId") {
		t.Errorf("one toolset's instructions:\n%s", b)
	}
}
