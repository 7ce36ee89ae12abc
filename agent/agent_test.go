package agent_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

const testKey = "rh_agentToolkitTestKey0123456789abcdefXYZ"

// fake starts the in-process fake with testKey holding scopes, and returns
// a client for it without pacing or retries, so every call is one request.
func fake(t testing.TB, scopes []restorehub.Scope, opts ...restorehubtest.Option) (*restorehubtest.Server, *restorehub.Client) {
	t.Helper()
	srv := restorehubtest.NewServer(append([]restorehubtest.Option{restorehubtest.WithKey(testKey, scopes...), restorehubtest.WithDemoData()}, opts...)...)
	t.Cleanup(srv.Close)
	c, err := restorehub.New(testKey, restorehub.WithBaseURL(srv.URL()), restorehub.WithHTTPClient(srv.Client()),
		restorehub.WithMaxRetries(0), restorehub.WithoutPacing())
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// newToolkit is agent.New(c, opts...), failing the test when it fails.
func newToolkit(t testing.TB, c *restorehub.Client, opts ...agent.Option) *agent.Toolkit {
	t.Helper()
	tk, err := agent.New(c, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func approve(context.Context, agent.Confirmation) error { return nil }

func names(tools []agent.Tool) []string {
	var out []string
	for _, t := range tools {
		out = append(out, t.Name)
	}
	return out
}

// expected lists the operations a key with scopes may call, by the client's
// classification, under the given filters.
func expected(scopes []restorehub.Scope, confirm, readOnly, documentedOnly bool, toolsets []string) []string {
	set := restorehub.NewScopeSet(scopes...)
	var out []string
	for _, op := range resources.Operations() {
		c, _ := restorehub.ClassifyOperation(op.ID)
		if !set.Allows(c.Scope) || (c.Destructive && !confirm) || (readOnly && !c.ReadOnly) ||
			(documentedOnly && op.Inferred) || (len(toolsets) > 0 && !slices.Contains(toolsets, strings.SplitN(op.ID, ".", 2)[0])) {
			continue
		}
		out = append(out, strings.ReplaceAll(op.ID, ".", "_"))
	}
	slices.Sort(out)
	return out
}

func TestNewFailsClosed(t *testing.T) {
	_, bare := fake(t, nil)
	declared, err := restorehub.New(testKey, restorehub.WithScopes(restorehub.ScopeBackupsRead))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		c       *restorehub.Client
		opts    []agent.Option
		wantErr string
	}{
		{"no scopes anywhere", bare, nil, "scopes are unknown"},
		{"nil client", nil, []agent.Option{agent.WithScopes()}, "nil client"},
		{"unknown scope", bare, []agent.Option{agent.WithScopes("backups:explode")}, "unknown scope"},
		{"unknown toolset", bare, []agent.Option{agent.WithScopes(), agent.WithToolsets("nope")}, "unknown toolset"},
		{"bad limit", bare, []agent.Option{agent.WithScopes(), agent.WithDestructiveLimit(0, time.Hour)}, "must be positive"},
		{"client scopes", declared, nil, ""},
		{"empty WithScopes lists scope-less tools", bare, []agent.Option{agent.WithScopes()}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk, err := agent.New(tc.c, tc.opts...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("New: %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tk == nil {
				t.Fatal("nil toolkit")
			}
		})
	}
	// The client's declared scopes are what the toolkit lists.
	tk := newToolkit(t, declared)
	if got, want := names(tk.Tools()), expected([]restorehub.Scope{restorehub.ScopeBackupsRead}, false, false, false, nil); !slices.Equal(got, want) {
		t.Fatalf("tools from the client's scopes:\n got %v\nwant %v", got, want)
	}
	// Both given: the toolkit lists what both allow.
	tk = newToolkit(t, declared, agent.WithScopes(restorehub.ScopeBackupsRead, restorehub.ScopeServersRead))
	if got, want := names(tk.Tools()), expected([]restorehub.Scope{restorehub.ScopeBackupsRead}, false, false, false, nil); !slices.Equal(got, want) {
		t.Fatalf("tools from both scope sets:\n got %v\nwant %v", got, want)
	}
}

// TestToolsAreExactlyWhatScopesAllow draws many random scope sets and
// filter combinations and compares the listed tools with the operations the
// client's classification allows.
func TestToolsAreExactlyWhatScopesAllow(t *testing.T) {
	_, c := fake(t, nil)
	all := restorehub.AllScopes()
	r := rand.New(rand.NewPCG(11, 2026))
	toolsets := agent.Toolsets()
	for i := range 300 {
		var scopes []restorehub.Scope
		for _, s := range all {
			if r.IntN(4) == 0 {
				scopes = append(scopes, s)
			}
		}
		if i%50 == 0 {
			scopes = append(scopes, restorehub.ScopeAll)
		}
		confirm, readOnly, documented := r.IntN(2) == 0, r.IntN(4) == 0, r.IntN(4) == 0
		var sets []string
		if r.IntN(3) == 0 {
			sets = []string{toolsets[r.IntN(len(toolsets))]}
		}
		opts := []agent.Option{agent.WithScopes(scopes...)}
		if confirm {
			opts = append(opts, agent.WithConfirm(approve))
		}
		if readOnly {
			opts = append(opts, agent.ReadOnly())
		}
		if documented {
			opts = append(opts, agent.DocumentedOnly())
		}
		if sets != nil {
			opts = append(opts, agent.WithToolsets(sets...))
		}
		tk := newToolkit(t, c, opts...)
		tools := tk.Tools()
		if got, want := names(tools), expected(scopes, confirm, readOnly, documented, sets); !slices.Equal(got, want) {
			t.Fatalf("scopes %v confirm=%v readOnly=%v documented=%v toolsets=%v:\n got %v\nwant %v", scopes, confirm, readOnly, documented, sets, got, want)
		}
		for _, tool := range tools {
			spec, _ := resources.LookupOperation(tool.Operation)
			// Destructive is the client's rule: destructive tier or DELETE.
			if want := spec.Tier == resources.TierDestructive || spec.Method == http.MethodDelete; tool.Destructive != want {
				t.Fatalf("%s: Destructive = %v, want %v", tool.Name, tool.Destructive, want)
			}
			if tool.Destructive && !confirm {
				t.Fatalf("%s is destructive and listed without a confirmer", tool.Name)
			}
			if readOnly && (!tool.ReadOnly || spec.Method != http.MethodGet) {
				t.Fatalf("read-only toolkit lists %s (%s)", tool.Name, spec.Method)
			}
			if tool.Name != strings.ReplaceAll(tool.Operation, ".", "_") || !tool.OpenWorld || tool.Inferred != spec.Inferred {
				t.Fatalf("%s: inconsistent tool %+v", tool.Name, tool)
			}
		}
	}
}

// sample returns a value that satisfies a schema, for the arguments a test
// sends.
func sample(s map[string]any) any {
	if e, ok := s["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	typ, _ := s["type"].(string)
	if ts, ok := s["type"].([]any); ok && len(ts) > 0 {
		typ, _ = ts[0].(string)
	}
	switch typ {
	case "string":
		if s["contentEncoding"] == "base64" {
			return "aGVsbG8="
		}
		switch s["format"] {
		case "date-time":
			return "2026-01-02T15:04:05Z"
		case "email":
			return "agent@example.com"
		case "uri":
			return "https://example.com/hook"
		case "byte":
			return "aGVsbG8="
		}
		return "server_0001"
	case "integer", "number":
		if m, ok := s["minimum"].(float64); ok {
			return m
		}
		return 1
	case "boolean":
		return true
	case "array":
		n := 1
		if m, ok := s["minItems"].(float64); ok && int(m) > n {
			n = int(m)
		}
		items, _ := s["items"].(map[string]any)
		out := make([]any, n)
		for i := range out {
			out[i] = sample(items)
		}
		return out
	case "object":
		out := map[string]any{}
		props, _ := s["properties"].(map[string]any)
		req, _ := s["required"].([]any)
		for _, r := range req {
			p, _ := props[r.(string)].(map[string]any)
			out[r.(string)] = sample(p)
		}
		return out
	}
	return "x"
}

// requiredArgs returns arguments holding every required property of a
// tool's schema.
func requiredArgs(t *testing.T, tool agent.Tool) map[string]any {
	var s map[string]any
	if err := json.Unmarshal(tool.InputSchema, &s); err != nil {
		t.Fatalf("%s: %v", tool.Name, err)
	}
	return sample(s).(map[string]any)
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// TestEverySchemaRejectsWrongArguments sends, for every tool, an unknown
// argument, a missing required argument and an argument of the wrong type:
// each is refused with the argument named, and nothing reaches the server.
func TestEverySchemaRejectsWrongArguments(t *testing.T) {
	srv, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
	confirmed := 0
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(func(context.Context, agent.Confirmation) error { confirmed++; return nil }))
	tools := tk.Tools()
	if len(tools) != len(resources.Operations()) {
		t.Fatalf("%d tools for %d operations", len(tools), len(resources.Operations()))
	}
	ctx := context.Background()
	for _, tool := range tools {
		good := requiredArgs(t, tool)
		var schema struct {
			Properties map[string]map[string]any `json:"properties"`
			Required   []string                  `json:"required"`
		}
		_ = json.Unmarshal(tool.InputSchema, &schema)
		type bad struct {
			args  map[string]any
			field string
		}
		cases := []bad{{args: merge(good, map[string]any{"notAnArgument": 1}), field: "notAnArgument"}}
		for _, r := range schema.Required {
			m := merge(good, nil)
			delete(m, r)
			cases = append(cases, bad{m, r})
		}
		for name, p := range schema.Properties {
			var wrong any = map[string]any{"wrong": true}
			if p["type"] == "object" {
				wrong = "not an object"
			}
			cases = append(cases, bad{merge(good, map[string]any{name: wrong}), name})
		}
		for _, b := range cases {
			res, err := tk.Call(ctx, tool.Name, mustJSON(b.args))
			if err != nil {
				t.Fatalf("%s: Call error %v", tool.Name, err)
			}
			if !res.IsError || !strings.Contains(res.Text, b.field) || !strings.Contains(res.Text, "nothing was sent") {
				t.Fatalf("%s %s: result %+v, want an error naming %q", tool.Name, b.args, res, b.field)
			}
		}
	}
	// Path arguments that would not name one item.
	for _, id := range []string{"", " ", ".", ".."} {
		for _, tool := range []string{"backups_get", "backups_delete", "backups_restore"} {
			args := map[string]any{"backupId": id}
			if tool == "backups_restore" {
				args["targetServerId"] = "server_0001"
			}
			res, err := tk.Call(ctx, tool, mustJSON(args))
			if err != nil || !res.IsError || !strings.Contains(res.Text, `"backupId" must name one item`) {
				t.Fatalf("%s with backupId %q: %+v, %v", tool, id, res, err)
			}
		}
	}
	for _, raw := range []string{`[1]`, `"x"`, `{`, `{"a":1} {}`} {
		res, err := tk.Call(ctx, "backups_list", json.RawMessage(raw))
		if err != nil || !res.IsError {
			t.Fatalf("args %s: %+v, %v", raw, res, err)
		}
	}
	if n := len(srv.Requests()); n != 0 || confirmed != 0 {
		t.Fatalf("%d requests sent and %d confirmations asked for invalid arguments", n, confirmed)
	}
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// TestEveryCallSendsOneRequest calls every tool with valid arguments and
// checks that exactly one request went out, with the operation's method and
// its path filled in from the arguments.
func TestEveryCallSendsOneRequest(t *testing.T) {
	srv, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
	var asked []agent.Confirmation
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(func(_ context.Context, cf agent.Confirmation) error {
		asked = append(asked, cf)
		return nil
	}))
	for _, tool := range tk.Tools() {
		srv.Reset()
		asked = nil
		args := requiredArgs(t, tool)
		res, err := tk.Call(context.Background(), tool.Name, mustJSON(args))
		if err != nil {
			t.Fatalf("%s: %v", tool.Name, err)
		}
		reqs := srv.Requests()
		if len(reqs) != 1 {
			t.Fatalf("%s: %d requests, want 1 (result %+v)", tool.Name, len(reqs), res)
		}
		spec, _ := resources.LookupOperation(tool.Operation)
		wantPath := spec.Path
		for k, v := range args {
			wantPath = strings.ReplaceAll(wantPath, "{"+k+"}", fmt.Sprint(v))
		}
		if reqs[0].Method != spec.Method || reqs[0].Path != wantPath || reqs[0].OperationID != tool.Operation {
			t.Fatalf("%s: sent %s %s (%s), want %s %s", tool.Name, reqs[0].Method, reqs[0].Path, reqs[0].OperationID, spec.Method, wantPath)
		}
		if res.IsError && !(reqs[0].Status == http.StatusNotFound || reqs[0].Status == http.StatusBadRequest) {
			t.Fatalf("%s: error result %q for status %d", tool.Name, res.Text, reqs[0].Status)
		}
		if !res.IsError && reqs[0].Status < 300 && reqs[0].Status != http.StatusNoContent && len(res.Data) == 0 && spec.Method == http.MethodGet {
			t.Fatalf("%s: success without data: %+v", tool.Name, res)
		}
		if tool.Destructive != (len(asked) == 1) {
			t.Fatalf("%s: destructive=%v but %d confirmations asked", tool.Name, tool.Destructive, len(asked))
		}
		if len(asked) == 1 {
			cf := asked[0]
			if cf.Tool != tool.Name || cf.Operation != tool.Operation || cf.Method != spec.Method || cf.Path != wantPath ||
				cf.Scope != tool.Scope || cf.Reason == "" || len(cf.Nonce) != 32 || !strings.Contains(cf.Summary, spec.Method+" "+wantPath) || !strings.Contains(cf.Summary, cf.Reason) {
				t.Fatalf("%s: confirmation %+v", tool.Name, cf)
			}
			var got map[string]any
			if err := json.Unmarshal(cf.Arguments, &got); err != nil || len(got) != len(args) {
				t.Fatalf("%s: confirmation arguments %s, want %v", tool.Name, cf.Arguments, args)
			}
		}
	}
}

// TestReadCallSendsOneGET checks one read end to end: the right method,
// path and query, and the response's JSON in the result.
func TestReadCallSendsOneGET(t *testing.T) {
	srv, c := fake(t, []restorehub.Scope{restorehub.ScopeBackupsRead})
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeBackupsRead))
	res, err := tk.Call(context.Background(), "backups_list", json.RawMessage(`{"limit": 2}`))
	if err != nil || res.IsError {
		t.Fatalf("%+v, %v", res, err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Method != http.MethodGet || reqs[0].Path != "/backups" || reqs[0].Query.Get("limit") != "2" {
		t.Fatalf("requests %+v", reqs)
	}
	var page struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(res.Data, &page); err != nil || len(page.Data) == 0 {
		t.Fatalf("data %s: %v", res.Data, err)
	}
}

// restoreArgs are valid arguments of backups_restore.
const restoreArgs = `{"backupId":"backup_0002","targetServerId":"server_0001","roles":true}`

func TestDestructiveCalls(t *testing.T) {
	decline := func(context.Context, agent.Confirmation) error { return agent.ErrDeclined }
	for _, tc := range []struct {
		name       string
		confirm    func(context.Context, agent.Confirmation) error
		ctxConfirm func(context.Context, agent.Confirmation) error
		wantSent   int
		wantText   string
		wantErr    bool
	}{
		{name: "no confirmer: not listed, not callable", wantErr: true},
		{name: "declined", confirm: decline, wantText: "not confirmed"},
		{name: "accepted", confirm: approve, wantSent: 1},
		{name: "accepted by toolkit, declined by session", confirm: approve, ctxConfirm: decline, wantText: "session's confirmer"},
		{name: "declined by toolkit, accepted by session", confirm: decline, ctxConfirm: approve, wantText: "toolkit's confirmer"},
		{name: "accepted by both", confirm: approve, ctxConfirm: approve, wantSent: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
			opts := []agent.Option{agent.WithScopes(restorehub.ScopeAll)}
			if tc.confirm != nil {
				opts = append(opts, agent.WithConfirm(tc.confirm))
			}
			tk := newToolkit(t, c, opts...)
			ctx := context.Background()
			if tc.ctxConfirm != nil {
				ctx = agent.ContextWithConfirm(ctx, tc.ctxConfirm)
			}
			listed := slices.Contains(names(tk.Tools()), "backups_restore")
			res, err := tk.Call(ctx, "backups_restore", json.RawMessage(restoreArgs))
			if got := srv.Count("backups.restore"); got != tc.wantSent {
				t.Fatalf("sent %d restores, want %d", got, tc.wantSent)
			}
			if tc.wantErr {
				if listed || !errors.Is(err, agent.ErrUnknownTool) {
					t.Fatalf("listed=%v, err=%v; want unlisted and ErrUnknownTool", listed, err)
				}
				return
			}
			if err != nil || !listed {
				t.Fatalf("listed=%v err=%v", listed, err)
			}
			if tc.wantText != "" && (!res.IsError || !strings.Contains(res.Text, tc.wantText) || !strings.Contains(res.Text, "nothing was sent")) {
				t.Fatalf("result %+v, want an error containing %q", res, tc.wantText)
			}
			if tc.wantSent == 1 && res.IsError {
				t.Fatalf("result %+v", res)
			}
		})
	}
}

// TestConfirmationCannotBeReplayed: approving one call approves those
// arguments once. A human approves a nonce out of band; the approval sends
// one request, a second identical call carries a new nonce the human has not
// approved, and a confirmer that rewrites the arguments it was shown cannot
// change what is sent.
func TestConfirmationCannotBeReplayed(t *testing.T) {
	srv, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
	var (
		mu       sync.Mutex
		approved = map[string]bool{} // nonces the human approved
		seen     []string
	)
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(func(_ context.Context, cf agent.Confirmation) error {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, cf.Nonce)
		if len(seen) == 1 {
			approved[cf.Nonce] = true // the human says yes to the first request only
		}
		if !approved[cf.Nonce] {
			return agent.ErrDeclined
		}
		// A confirmer that tampers with the arguments it was shown.
		copy(cf.Arguments, `{"backupId":"backup_0004"`)
		return nil
	}))
	ctx := context.Background()
	res, _ := tk.Call(ctx, "backups_restore", json.RawMessage(restoreArgs))
	if res.IsError || srv.Count("backups.restore") != 1 {
		t.Fatalf("first call: %+v, %d sent", res, srv.Count("backups.restore"))
	}
	if p := srv.Requests()[0].Path; p != "/backups/backup_0002/restore" {
		t.Fatalf("sent %s: the confirmer's tampering changed the request", p)
	}
	res, _ = tk.Call(ctx, "backups_restore", json.RawMessage(restoreArgs))
	if !res.IsError || srv.Count("backups.restore") != 1 {
		t.Fatalf("replayed call: %+v, %d sent", res, srv.Count("backups.restore"))
	}
	if len(seen) != 2 || seen[0] == seen[1] {
		t.Fatalf("nonces %v: each call must ask again with a new nonce", seen)
	}
}

func TestReadOnlyToolsetsDocumentedOnly(t *testing.T) {
	_, c := fake(t, nil)
	all := []restorehub.Scope{restorehub.ScopeAll}
	for _, tc := range []struct {
		name  string
		opts  []agent.Option
		check func(agent.Tool) bool
		want  []string
	}{
		{"read-only, even with a confirmer", []agent.Option{agent.ReadOnly(), agent.WithConfirm(approve)},
			func(t agent.Tool) bool { return t.ReadOnly && !t.Destructive }, expected(all, true, true, false, nil)},
		{"one toolset", []agent.Option{agent.WithToolsets("backups")},
			func(t agent.Tool) bool { return t.Toolset == "backups" }, expected(all, false, false, false, []string{"backups"})},
		{"documented only", []agent.Option{agent.DocumentedOnly(), agent.WithConfirm(approve)},
			func(t agent.Tool) bool { return !t.Inferred }, expected(all, true, false, true, nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := newToolkit(t, c, append(tc.opts, agent.WithScopes(all...))...)
			tools := tk.Tools()
			if len(tools) == 0 {
				t.Fatal("no tools")
			}
			for _, tool := range tools {
				if !tc.check(tool) {
					t.Errorf("%s should not be listed", tool.Name)
				}
			}
			if got := names(tools); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v\nwant %v", got, tc.want)
			}
		})
	}
}

// TestReadOnlyRefusesWrites: a write tool is not callable in a read-only
// toolkit, and nothing is sent.
func TestReadOnlyRefusesWrites(t *testing.T) {
	srv, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.ReadOnly(), agent.WithConfirm(approve))
	for _, name := range []string{"backups_create", "backups_restore", "backups_delete"} {
		if _, err := tk.Call(context.Background(), name, json.RawMessage(`{"serverId":"server_0001"}`)); !errors.Is(err, agent.ErrUnknownTool) {
			t.Fatalf("%s: %v, want ErrUnknownTool", name, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d requests sent", n)
	}
}

func TestProviderShapes(t *testing.T) {
	tools := []agent.Tool{{Name: "backups_get", Description: "Get one backup.", InputSchema: json.RawMessage(`{"type":"object","properties":{"backupId":{"type":"string"}},"required":["backupId"],"additionalProperties":false}`)}}
	const schema = `{"type":"object","properties":{"backupId":{"type":"string"}},"required":["backupId"],"additionalProperties":false}`
	if got, want := string(agent.OpenAITools(tools)), `[{"type":"function","function":{"name":"backups_get","description":"Get one backup.","parameters":`+schema+`}}]`; got != want {
		t.Fatalf("OpenAITools:\n got %s\nwant %s", got, want)
	}
	if got, want := string(agent.AnthropicTools(tools)), `[{"name":"backups_get","description":"Get one backup.","input_schema":`+schema+`}]`; got != want {
		t.Fatalf("AnthropicTools:\n got %s\nwant %s", got, want)
	}
	if got := string(agent.OpenAITools(nil)); got != "[]" {
		t.Fatalf("OpenAITools(nil) = %s", got)
	}
	// Every real tool decodes into exactly those shapes.
	tk := newAllToolkit(t)
	var oa []struct {
		Type     string `json:"type"`
		Function struct {
			Name        string          `json:"name"`
			Description string          `json:"description"`
			Parameters  json.RawMessage `json:"parameters"`
		} `json:"function"`
	}
	dec := json.NewDecoder(bytes.NewReader(agent.OpenAITools(tk.Tools())))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&oa); err != nil || len(oa) != len(tk.Tools()) {
		t.Fatalf("OpenAI shape: %v (%d tools)", err, len(oa))
	}
	var an []struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		InputSchema json.RawMessage `json:"input_schema"`
	}
	dec = json.NewDecoder(bytes.NewReader(agent.AnthropicTools(tk.Tools())))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&an); err != nil || len(an) != len(tk.Tools()) {
		t.Fatalf("Anthropic shape: %v (%d tools)", err, len(an))
	}
	validName := regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`) // what both APIs accept
	for i, tool := range tk.Tools() {
		if !validName.MatchString(tool.Name) {
			t.Errorf("tool name %q is not accepted by OpenAI or Anthropic", tool.Name)
		}
		if oa[i].Type != "function" || oa[i].Function.Name != tool.Name || an[i].Name != tool.Name ||
			!bytes.Equal(oa[i].Function.Parameters, tool.InputSchema) || !bytes.Equal(an[i].InputSchema, tool.InputSchema) {
			t.Fatalf("%s: shapes differ from the tool", tool.Name)
		}
	}
}

// TestForbiddenNarrowsTools: the toolkit believes the key holds
// backups:read, the server says it holds only servers:read; the 403 turns
// into actionable text, the list shrinks, OnToolsChanged fires, and the
// tool can no longer be called.
func TestForbiddenNarrowsTools(t *testing.T) {
	srv, c := fake(t, []restorehub.Scope{restorehub.ScopeServersRead})
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeServersRead, restorehub.ScopeBackupsRead))
	fired := 0
	tk.OnToolsChanged(func() {
		fired++
		if slices.Contains(names(tk.Tools()), "backups_list") {
			t.Error("OnToolsChanged ran before the list changed")
		}
	})
	res, err := tk.Call(context.Background(), "backups_list", nil)
	if err != nil || !res.IsError {
		t.Fatalf("%+v, %v", res, err)
	}
	for _, w := range []string{"lacks the scope backups:read", "do not retry", "ask the user"} {
		if !strings.Contains(res.Text, w) {
			t.Fatalf("text %q lacks %q", res.Text, w)
		}
	}
	if fired != 1 {
		t.Fatalf("OnToolsChanged fired %d times", fired)
	}
	if got, want := names(tk.Tools()), expected([]restorehub.Scope{restorehub.ScopeServersRead}, false, false, false, nil); !slices.Equal(got, want) {
		t.Fatalf("after the 403:\n got %v\nwant %v", got, want)
	}
	if _, err := tk.Call(context.Background(), "backups_list", nil); !errors.Is(err, agent.ErrUnknownTool) {
		t.Fatalf("narrowed tool still callable: %v", err)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
	// A second 403 that says nothing new does not fire again.
	if res, _ := tk.Call(context.Background(), "servers_list", nil); res.IsError || fired != 1 {
		t.Fatalf("%+v fired=%d", res, fired)
	}
}

func TestAPIErrorTexts(t *testing.T) {
	t.Run("rate limited", func(t *testing.T) {
		_, c := fake(t, []restorehub.Scope{restorehub.ScopeServersRead}, restorehubtest.WithRateLimit(1, time.Minute))
		tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeServersRead))
		if res, _ := tk.Call(context.Background(), "servers_list", nil); res.IsError {
			t.Fatalf("first call: %+v", res)
		}
		res, _ := tk.Call(context.Background(), "servers_list", nil)
		if !res.IsError || !strings.Contains(res.Text, "wait ") || !strings.Contains(res.Text, " seconds") {
			t.Fatalf("result %+v, want 'wait N seconds'", res)
		}
	})
	t.Run("not found", func(t *testing.T) {
		_, c := fake(t, []restorehub.Scope{restorehub.ScopeBackupsRead})
		tk, _ := agent.New(c, agent.WithScopes(restorehub.ScopeBackupsRead))
		res, _ := tk.Call(context.Background(), "backups_get", json.RawMessage(`{"backupId":"no_such_backup"}`))
		if !res.IsError || !strings.Contains(res.Text, "Check the IDs") {
			t.Fatalf("result %+v", res)
		}
	})
	t.Run("free plan write", func(t *testing.T) {
		_, c := fake(t, []restorehub.Scope{restorehub.ScopeAll}, restorehubtest.WithPlan("FREE"))
		tk, _ := agent.New(c, agent.WithScopes(restorehub.ScopeAll))
		res, _ := tk.Call(context.Background(), "backups_create", json.RawMessage(`{"serverId":"server_0001"}`))
		if !res.IsError || !strings.Contains(res.Text, "upgrade") || !strings.Contains(res.Text, "do not retry") {
			t.Fatalf("result %+v", res)
		}
	})
	t.Run("unknown tool is the only error", func(t *testing.T) {
		_, c := fake(t, nil)
		tk, _ := agent.New(c, agent.WithScopes())
		if _, err := tk.Call(context.Background(), "no_such_tool", nil); !errors.Is(err, agent.ErrUnknownTool) {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestAuditRecords: one record per call, with the tool, scope, an argument
// hash, the outcome and who confirmed; never the key or the arguments.
func TestAuditRecords(t *testing.T) {
	_, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
	var buf bytes.Buffer
	tk, err := agent.New(c, agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(approve),
		agent.WithAudit(slog.New(slog.NewJSONHandler(&buf, nil))))
	if err != nil {
		t.Fatal(err)
	}
	ctx := agent.ContextWithConfirm(context.Background(), approve)
	_, _ = tk.Call(ctx, "backups_restore", json.RawMessage(restoreArgs))
	_, _ = tk.Call(ctx, "backups_get", json.RawMessage(`{"backupId":"backup_0002"}`))
	_, _ = tk.Call(ctx, "backups_get", json.RawMessage(`{"backupId":7}`))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d records:\n%s", len(lines), buf.String())
	}
	want := []map[string]any{
		{"tool": "backups_restore", "scope": "backups:restore", "outcome": "ok", "confirmed_by": "toolkit+context(1)"},
		{"tool": "backups_get", "scope": "backups:read", "outcome": "ok"},
		{"tool": "backups_get", "scope": "backups:read", "outcome": "invalid_arguments"},
	}
	for i, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		for k, v := range want[i] {
			if rec[k] != v {
				t.Errorf("record %d: %s = %v, want %v", i, k, rec[k], v)
			}
		}
		if h, _ := rec["args_sha256"].(string); i < 2 && len(h) != 64 {
			t.Errorf("record %d: args_sha256 %q", i, h)
		}
	}
	for _, secret := range []string{testKey, testKey[3:], "backup_0002", "server_0001"} {
		if strings.Contains(buf.String(), secret) {
			t.Fatalf("the audit log carries %q:\n%s", secret, buf.String())
		}
	}
}

// TestDestructiveLimit: one destructive call per hour; the second is refused
// without asking anyone and without sending, and allowed an hour later.
func TestDestructiveLimit(t *testing.T) {
	srv, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
	asked := 0
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.WithDestructiveLimit(1, time.Hour),
		agent.WithConfirm(func(context.Context, agent.Confirmation) error { asked++; return nil }))
	now := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)
	tk.SetClock(func() time.Time { return now })
	call := func() *agent.Result {
		res, err := tk.Call(context.Background(), "backups_restore", json.RawMessage(restoreArgs))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := call(); res.IsError {
		t.Fatalf("first: %+v", res)
	}
	now = now.Add(59 * time.Minute)
	if res := call(); !res.IsError || !strings.Contains(res.Text, "next is allowed in 1m0s") {
		t.Fatalf("second: %+v", res)
	}
	if asked != 1 || srv.Count("backups.restore") != 1 {
		t.Fatalf("asked %d, sent %d", asked, srv.Count("backups.restore"))
	}
	now = now.Add(time.Minute)
	if res := call(); res.IsError {
		t.Fatalf("an hour later: %+v", res)
	}
	if srv.Count("backups.restore") != 2 {
		t.Fatalf("sent %d", srv.Count("backups.restore"))
	}
}

// TestConcurrentCalls runs calls from many goroutines, for the race detector.
func TestConcurrentCalls(t *testing.T) {
	srv, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(approve), agent.WithDestructiveLimit(3, time.Hour))
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			_, _ = tk.Call(context.Background(), "backups_restore", json.RawMessage(restoreArgs))
			_ = tk.Tools()
		})
	}
	wg.Wait()
	if n := srv.Count("backups.restore"); n != 3 {
		t.Fatalf("%d restores sent under a limit of 3", n)
	}
}

// TestToolListSize reports the size of the tool list an agent carries in
// its context (BENCHMARKS.md): everything, read-only, one toolset and
// discovery, with the instructions said once beside them. Run it with -v to
// see the figures; it fails if a filter does not shrink the list or if
// discovery mode costs more than 1,500 tokens (bytes/4).
func TestToolListSize(t *testing.T) {
	_, c := fake(t, nil)
	all := agent.WithScopes(restorehub.ScopeAll)
	var prev int
	for _, tc := range []struct {
		name string
		opts []agent.Option
	}{
		{"everything (\"*\", WithConfirm)", []agent.Option{all, agent.WithConfirm(approve)}},
		{"everything, documented only", []agent.Option{all, agent.WithConfirm(approve), agent.DocumentedOnly()}},
		{"read-only", []agent.Option{all, agent.ReadOnly()}},
		{"one toolset (backups, with WithConfirm)", []agent.Option{all, agent.WithConfirm(approve), agent.WithToolsets("backups")}},
		{"discovery (\"*\", WithConfirm)", []agent.Option{all, agent.WithConfirm(approve), agent.WithDiscovery()}},
	} {
		tk := newToolkit(t, c, tc.opts...)
		tools := tk.Tools()
		oa, an, in := len(agent.OpenAITools(tools)), len(agent.AnthropicTools(tools)), len(tk.Instructions())
		t.Logf("%-42s %3d tools  OpenAI %6d bytes (~%5d tokens)  Anthropic %6d bytes (~%5d tokens)  instructions %4d bytes (~%4d tokens)",
			tc.name, len(tools), oa, oa/4, an, an/4, in, in/4)
		if tk.Discovery() && (oa/4 > discoveryLimitTokens || an/4 > discoveryLimitTokens) {
			t.Errorf("%s: over %d tokens", tc.name, discoveryLimitTokens)
		}
		if prev != 0 && oa >= prev {
			t.Errorf("%s: %d bytes, not smaller than everything (%d)", tc.name, oa, prev)
		}
		if prev == 0 {
			prev = oa
		}
	}
}
