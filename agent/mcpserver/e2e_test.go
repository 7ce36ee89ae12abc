package mcpserver_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
	"github.com/restorehub/restorehub-go/agent/mcpserver"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// These tests run the real toolkit against restorehubtest's fake, through
// the MCP server and the official SDK client over in-memory transports.

const e2eKey = "rh_mcpServerEndToEnd0123456789abcdefXYZ"

// setup serves a toolkit holding toolkitScopes over a fake whose key holds
// keyScopes.
func setup(t *testing.T, keyScopes, toolkitScopes []restorehub.Scope, opts ...agent.Option) (*restorehubtest.Server, *agent.Toolkit, *mcp.Server) {
	t.Helper()
	fake := restorehubtest.NewServer(restorehubtest.WithKey(e2eKey, keyScopes...), restorehubtest.WithDemoData())
	t.Cleanup(fake.Close)
	c, err := restorehub.New(e2eKey, restorehub.WithBaseURL(fake.URL()), restorehub.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	tk, err := agent.New(c, append([]agent.Option{agent.WithScopes(toolkitScopes...)}, opts...)...)
	if err != nil {
		t.Fatalf("agent.New: %v", err)
	}
	return fake, tk, mcpserver.New(tk)
}

func connect(t *testing.T, srv *mcp.Server, opts *mcp.ClientOptions, version string) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	ct, st := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "e2e", Version: "1"}, opts).Connect(ctx, ct, &mcp.ClientSessionOptions{ProtocolVersion: version})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cs.Close()
		_ = ss.Wait()
	})
	return cs
}

func text(r *mcp.CallToolResult) string {
	var parts []string
	for _, c := range r.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

var versions = []string{"", "2025-11-25"}

func versionName(v string) string {
	if v == "" {
		return "current"
	}
	return v
}

// alwaysApprove is the toolkit's own confirmer in these tests: the MCP
// question is the one under test.
func alwaysApprove(context.Context, agent.Confirmation) error { return nil }

func TestE2EToolsListMatchesToolkit(t *testing.T) {
	all := restorehub.AllScopes()
	rng := rand.New(rand.NewPCG(11, 42))
	for i := range 12 {
		var scopes []restorehub.Scope
		for _, s := range all {
			if rng.IntN(4) == 0 {
				scopes = append(scopes, s)
			}
		}
		if len(scopes) == 0 {
			scopes = append(scopes, all[i%len(all)])
		}
		t.Run(strings.Join(scopeStrings(scopes), ","), func(t *testing.T) {
			_, tk, srv := setup(t, scopes, scopes, agent.WithConfirm(alwaysApprove))
			cs := connect(t, srv, nil, "")
			res, err := cs.ListTools(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			want := tk.Tools()
			if len(res.Tools) != len(want) {
				t.Fatalf("listed %d tools, toolkit has %d", len(res.Tools), len(want))
			}
			byName := make(map[string]*mcp.Tool)
			for _, tl := range res.Tools {
				byName[tl.Name] = tl
			}
			for _, w := range want {
				g := byName[w.Name]
				if g == nil {
					t.Fatalf("%s not listed", w.Name)
				}
				a := g.Annotations
				if a == nil || a.ReadOnlyHint != w.ReadOnly || a.IdempotentHint != w.Idempotent ||
					a.DestructiveHint == nil || *a.DestructiveHint != w.Destructive ||
					a.OpenWorldHint == nil || *a.OpenWorldHint != w.OpenWorld || a.Title == "" {
					t.Errorf("%s annotations %+v, want %+v", w.Name, a, w)
				}
				var gs, ws any
				raw, _ := json.Marshal(g.InputSchema)
				if json.Unmarshal(raw, &gs) != nil || json.Unmarshal(w.InputSchema, &ws) != nil || !reflect.DeepEqual(gs, ws) {
					t.Errorf("%s schema %s, want %s", w.Name, raw, w.InputSchema)
				}
			}
		})
	}
}

func scopeStrings(s []restorehub.Scope) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = string(x)
	}
	sort.Strings(out)
	if len(out) > 4 {
		out = append(out[:4], "…")
	}
	return out
}

func TestE2EReadCallSendsOneRequest(t *testing.T) {
	for _, v := range versions {
		t.Run(versionName(v), func(t *testing.T) {
			fake, tk, srv := setup(t, []restorehub.Scope{restorehub.ScopeServersRead}, []restorehub.Scope{restorehub.ScopeServersRead})
			cs := connect(t, srv, nil, v)
			if got := cs.InitializeResult().Instructions; got != mcpserver.DefaultInstructions+" "+tk.Instructions() {
				t.Errorf("instructions %q, want DefaultInstructions and the toolkit's", got)
			}
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "servers_list", Arguments: map[string]any{}})
			if err != nil || res.IsError {
				t.Fatalf("servers_list: %v %s", err, text(res))
			}
			reqs := fake.Requests()
			if len(reqs) != 1 || reqs[0].Method != "GET" || reqs[0].Path != "/servers" {
				t.Fatalf("requests %+v, want one GET /servers", reqs)
			}
		})
	}
}

// restoreArgs are valid arguments of backups_restore.
var restoreArgs = map[string]any{"backupId": "backup_0001", "targetServerId": "server_0002", "roles": true}

func TestE2EDestructiveCallNeedsTheUser(t *testing.T) {
	var asked []string // messages shown to the user, in this subtest
	handler := func(action string) func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
		return func(_ context.Context, r *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			asked = append(asked, r.Params.Message)
			if action == "accept" {
				return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"confirm": true}}, nil
			}
			return &mcp.ElicitResult{Action: action}, nil
		}
	}
	cases := []struct {
		name     string
		opts     *mcp.ClientOptions
		wantSent int
		wantText string
	}{
		{"accept", &mcp.ClientOptions{ElicitationHandler: handler("accept")}, 1, ""},
		{"decline", &mcp.ClientOptions{ElicitationHandler: handler("decline")}, 0, "the user declined it"},
		{"cancel", &mcp.ClientOptions{ElicitationHandler: handler("cancel")}, 0, "dismissed the question"},
		{"no elicitation", nil, 0, "can ask the user neither"},
	}
	scopes := []restorehub.Scope{restorehub.ScopeBackupsRead, restorehub.ScopeBackupsRestore}
	for _, v := range versions {
		for _, tc := range cases {
			t.Run(versionName(v)+"/"+tc.name, func(t *testing.T) {
				asked = nil
				fake, _, srv := setup(t, scopes, scopes, agent.WithConfirm(alwaysApprove))
				cs := connect(t, srv, tc.opts, v)
				res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{
					Name: "backups_restore", Arguments: restoreArgs,
				})
				if err != nil {
					t.Fatal(err)
				}
				if n := fake.Count("backups.restore"); n != tc.wantSent {
					t.Fatalf("sent %d restores, want %d: %s", n, tc.wantSent, text(res))
				}
				if tc.wantSent == 0 && (!res.IsError || !strings.Contains(text(res), tc.wantText) || !strings.Contains(text(res), "nothing was sent")) {
					t.Fatalf("IsError %v, text %q; want an error saying %q", res.IsError, text(res), tc.wantText)
				}
				if n := len(fake.Requests()); n != tc.wantSent {
					t.Fatalf("sent %d requests in all, want %d", n, tc.wantSent)
				}
				wantAsked := 0
				if tc.opts != nil {
					wantAsked = 1
				}
				if len(asked) != wantAsked {
					t.Fatalf("the user was asked %d times, want %d: %s", len(asked), wantAsked, text(res))
				}
				for _, q := range asked {
					for _, want := range []string{"backups_restore", "POST /backups/backup_0001/restore", `"targetServerId": "server_0002"`} {
						if !strings.Contains(q, want) {
							t.Errorf("the question does not show %q:\n%s", want, q)
						}
					}
				}
			})
		}
	}
}

func TestE2EToolkitConfirmerStillRequired(t *testing.T) {
	scopes := []restorehub.Scope{restorehub.ScopeBackupsRead, restorehub.ScopeBackupsRestore}
	refuse := func(context.Context, agent.Confirmation) error { return context.Canceled }
	fake, _, srv := setup(t, scopes, scopes, agent.WithConfirm(refuse))
	cs := connect(t, srv, &mcp.ClientOptions{ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
		return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"confirm": true}}, nil
	}}, "2025-11-25")
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "backups_restore", Arguments: restoreArgs})
	if err != nil {
		t.Fatal(err)
	}
	if !res.IsError || len(fake.Requests()) != 0 {
		t.Fatalf("IsError %v, %d requests: the toolkit's own refusal must stop the call", res.IsError, len(fake.Requests()))
	}
}

func TestE2EListChangedAfterNarrowing(t *testing.T) {
	for _, v := range versions {
		t.Run(versionName(v), func(t *testing.T) {
			// The toolkit believes the key holds backups:read; the server says
			// it does not, and the 403 names the scopes it does hold.
			fake, tk, srv := setup(t, []restorehub.Scope{restorehub.ScopeServersRead},
				[]restorehub.Scope{restorehub.ScopeServersRead, restorehub.ScopeBackupsRead})
			changed := make(chan struct{}, 8)
			cs := connect(t, srv, &mcp.ClientOptions{
				ToolListChangedHandler: func(context.Context, *mcp.ToolListChangedRequest) { changed <- struct{}{} },
			}, v)
			before, err := cs.ListTools(context.Background(), nil)
			if err != nil || !slices.ContainsFunc(before.Tools, func(t *mcp.Tool) bool { return t.Name == "backups_list" }) {
				t.Fatalf("before: backups_list not listed (%v)", err)
			}
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "backups_list", Arguments: map[string]any{}})
			if err != nil || !res.IsError {
				t.Fatalf("backups_list with a key lacking the scope: %v %s", err, text(res))
			}
			select {
			case <-changed:
			case <-time.After(10 * time.Second):
				t.Fatal("no notifications/tools/list_changed after the 403")
			}
			after, err := cs.ListTools(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(after.Tools) != len(tk.Tools()) || slices.ContainsFunc(after.Tools, func(t *mcp.Tool) bool { return t.Name == "backups_list" }) {
				t.Fatalf("after narrowing: %d tools listed, toolkit has %d", len(after.Tools), len(tk.Tools()))
			}
			if n := fake.Count("backups.list"); n != 1 {
				t.Fatalf("backups.list sent %d times, want the one that taught the scopes", n)
			}
		})
	}
}
