package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/restorehub/restorehub-go/agent"
)

// The bridge tests run the MCP layer against fakeToolkit, which behaves as
// agent.Toolkit documents (a destructive call is sent only when its own
// confirmer and every confirmer in the context approve) and counts what it
// would send. The end-to-end tests in e2e_test.go use the real toolkit.

type fakeConfirmKey struct{}

func fakeWithConfirm(ctx context.Context, fn confirmFunc) context.Context {
	prev, _ := ctx.Value(fakeConfirmKey{}).([]confirmFunc)
	return context.WithValue(ctx, fakeConfirmKey{}, append(slices.Clip(prev), fn))
}

type fakeToolkit struct {
	mu       sync.Mutex
	tools    []agent.Tool
	onChange []func()
	own      confirmFunc // the toolkit's WithConfirm; nil approves
	summary  string
	sent     []string // names of the tools whose request was sent
	asked    int      // how many times the MCP confirmer was called
}

func (f *fakeToolkit) Tools() []agent.Tool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.tools)
}

func (f *fakeToolkit) OnToolsChanged(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.onChange = append(f.onChange, fn)
}

// narrow keeps only the tools keep accepts and tells the listeners.
func (f *fakeToolkit) narrow(keep func(agent.Tool) bool) {
	f.mu.Lock()
	f.tools = slices.DeleteFunc(f.tools, func(t agent.Tool) bool { return !keep(t) })
	fns := slices.Clone(f.onChange)
	f.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

func (f *fakeToolkit) sentCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}

func (f *fakeToolkit) Call(ctx context.Context, name string, args json.RawMessage) (*agent.Result, error) {
	f.mu.Lock()
	i := slices.IndexFunc(f.tools, func(t agent.Tool) bool { return t.Name == name })
	if i < 0 {
		f.mu.Unlock()
		return nil, fmt.Errorf("%w %q", agent.ErrUnknownTool, name)
	}
	t, own, summary := f.tools[i], f.own, f.summary
	f.mu.Unlock()
	var obj map[string]any
	if err := json.Unmarshal(args, &obj); err != nil || obj == nil {
		return &agent.Result{IsError: true, Text: "arguments must be a JSON object"}, nil
	}
	if t.Destructive {
		c := agent.Confirmation{
			Tool: name, Operation: t.Operation, Method: "POST", Path: "/backups/b1/restore",
			Arguments: args, Summary: summary, Scope: t.Scope, Reason: "destructive tier",
			Nonce: fmt.Sprint(time.Now().UnixNano()),
		}
		// As agent.ContextWithConfirm documents: the context's confirmers
		// first, the toolkit's own last; a pending answer stops the asking.
		fns, _ := ctx.Value(fakeConfirmKey{}).([]confirmFunc)
		for _, fn := range fns {
			f.mu.Lock()
			f.asked++
			f.mu.Unlock()
			if err := fn(ctx, c); errors.Is(err, agent.ErrConfirmationPending) {
				return &agent.Result{IsError: true, Text: "the user is being asked"}, nil
			} else if err != nil {
				return &agent.Result{IsError: true, Text: "not confirmed: " + err.Error()}, nil
			}
		}
		if own != nil {
			if err := own(ctx, c); err != nil {
				return &agent.Result{IsError: true, Text: "not confirmed: " + err.Error()}, nil
			}
		}
	}
	f.mu.Lock()
	f.sent = append(f.sent, name)
	f.mu.Unlock()
	return &agent.Result{Text: "sent " + name, Data: json.RawMessage(`{"id":"job_1","status":"queued"}`)}, nil
}

const objSchema = `{"type":"object","properties":{"backupId":{"type":"string"}},"additionalProperties":false}`

func fakeTools() []agent.Tool {
	return []agent.Tool{
		{Name: "backups_list", Title: "List backups", Description: "Lists backups.", InputSchema: json.RawMessage(objSchema),
			Operation: "backups.list", Scope: "backups:read", ReadOnly: true, Idempotent: true, OpenWorld: true, Toolset: "backups"},
		{Name: "backups_restore", Title: "Restore a backup", Description: "Restores a backup.", InputSchema: json.RawMessage(objSchema),
			Operation: "backups.restore", Scope: "backups:restore", Destructive: true, OpenWorld: true, Toolset: "backups"},
		{Name: "servers_update", Title: "Update a server", Description: "Updates a server.", InputSchema: json.RawMessage(objSchema),
			Operation: "servers.update", Scope: "servers:write", Idempotent: true, OpenWorld: false, Toolset: "servers"},
	}
}

func newFake() *fakeToolkit {
	return &fakeToolkit{tools: fakeTools(), summary: "Restores backup b1 onto server s1, replacing its channels and roles."}
}

// protocols are the two confirmation mechanisms: input requests on the
// current version (the SDK client's default), elicitation/create before it.
var protocols = []struct{ name, version string }{
	{"current", ""},
	{"2025-11-25", "2025-11-25"},
}

// connect serves srv to a new client over in-memory transports.
func connect(t *testing.T, srv *mcp.Server, opts *mcp.ClientOptions, version string) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	ct, st := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatalf("server connect: %v", err)
	}
	c := mcp.NewClient(&mcp.Implementation{Name: "test-client", Version: "1"}, opts)
	cs, err := c.Connect(ctx, ct, &mcp.ClientSessionOptions{ProtocolVersion: version})
	if err != nil {
		t.Fatalf("client connect: %v", err)
	}
	t.Cleanup(func() {
		_ = cs.Close()
		_ = ss.Wait()
	})
	return cs
}

func newBridge(tk *fakeToolkit, opts ...Option) (*mcp.Server, *bridge) {
	cfg := config{ttl: DefaultConfirmTimeout, maxPending: defaultMaxPending, logger: slog.New(slog.DiscardHandler), now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	s := mcp.NewServer(&mcp.Implementation{Name: "restorehub-mcp", Version: "test"}, &mcp.ServerOptions{Capabilities: withTools(nil)})
	return s, serve(s, tk, fakeWithConfirm, cfg)
}

// sameJSONValue reports whether a and b hold the same JSON value, whatever
// the order of object keys.
func sameJSONValue(t *testing.T, a, b json.RawMessage) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return reflect.DeepEqual(va, vb)
}

func resultText(r *mcp.CallToolResult) string {
	var parts []string
	for _, c := range r.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

func TestToolsCarryExplicitAnnotations(t *testing.T) {
	tk := newFake()
	srv, _ := newBridge(tk)
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			cs := connect(t, srv, nil, p.version)
			res, err := cs.ListTools(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			want := fakeTools()
			if len(res.Tools) != len(want) {
				t.Fatalf("listed %d tools, want %d", len(res.Tools), len(want))
			}
			for _, w := range want {
				i := slices.IndexFunc(res.Tools, func(g *mcp.Tool) bool { return g.Name == w.Name })
				if i < 0 {
					t.Fatalf("tool %s not listed", w.Name)
				}
				raw, err := json.Marshal(res.Tools[i])
				if err != nil {
					t.Fatal(err)
				}
				var got struct {
					Title       string          `json:"title"`
					InputSchema json.RawMessage `json:"inputSchema"`
					Annotations map[string]any  `json:"annotations"`
				}
				if err := json.Unmarshal(raw, &got); err != nil {
					t.Fatal(err)
				}
				wantAnn := map[string]any{
					"title": w.Title, "readOnlyHint": w.ReadOnly, "destructiveHint": w.Destructive,
					"idempotentHint": w.Idempotent, "openWorldHint": w.OpenWorld,
				}
				for k, v := range wantAnn {
					if gv, ok := got.Annotations[k]; !ok || gv != v {
						t.Errorf("%s: annotation %s = %v (present %v), want %v explicitly", w.Name, k, gv, ok, v)
					}
				}
				if got.Title != w.Title {
					t.Errorf("%s: title %q, want %q", w.Name, got.Title, w.Title)
				}
				if !sameJSONValue(t, got.InputSchema, w.InputSchema) {
					t.Errorf("%s: input schema %s, want %s", w.Name, got.InputSchema, w.InputSchema)
				}
			}
		})
	}
}

func TestReadCallNeverAsks(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			tk := newFake()
			srv, _ := newBridge(tk)
			cs := connect(t, srv, &mcp.ClientOptions{
				ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
					t.Error("a read call asked the user")
					return &mcp.ElicitResult{Action: "decline"}, nil
				},
			}, p.version)
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "backups_list"})
			if err != nil {
				t.Fatal(err)
			}
			if res.IsError || tk.sentCount() != 1 {
				t.Fatalf("IsError %v, sent %d: %s", res.IsError, tk.sentCount(), resultText(res))
			}
			if sc, ok := res.StructuredContent.(map[string]any); !ok || sc["id"] != "job_1" {
				t.Errorf("structured content %#v, want the data object", res.StructuredContent)
			}
		})
	}
}

func TestDestructiveCallAsksTheUser(t *testing.T) {
	accept := func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
		return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"confirm": true}}, nil
	}
	cases := []struct {
		name     string
		handler  func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error)
		wantSent int
		wantText string
	}{
		{"accept", accept, 1, "sent backups_restore"},
		{"accept unticked", func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"confirm": false}}, nil
		}, 0, "declined"},
		{"decline", func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return &mcp.ElicitResult{Action: "decline"}, nil
		}, 0, "declined"},
		{"cancel", func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return &mcp.ElicitResult{Action: "cancel"}, nil
		}, 0, "dismissed the question"},
		{"no elicitation", nil, 0, "neither through input requests nor through elicitation"},
	}
	for _, p := range protocols {
		for _, tc := range cases {
			t.Run(p.name+"/"+tc.name, func(t *testing.T) {
				tk := newFake()
				srv, b := newBridge(tk)
				var (
					mu    sync.Mutex
					shown []string
				)
				var opts *mcp.ClientOptions
				if tc.handler != nil {
					opts = &mcp.ClientOptions{ElicitationHandler: func(ctx context.Context, r *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
						mu.Lock()
						shown = append(shown, r.Params.Message)
						mu.Unlock()
						return tc.handler(ctx, r)
					}}
				}
				cs := connect(t, srv, opts, p.version)
				res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{
					Name: "backups_restore", Arguments: map[string]any{"backupId": "b1"},
				})
				if err != nil {
					t.Fatal(err)
				}
				if got := tk.sentCount(); got != tc.wantSent {
					t.Errorf("sent %d requests, want %d", got, tc.wantSent)
				}
				if res.IsError != (tc.wantSent == 0) {
					t.Errorf("IsError = %v: %s", res.IsError, resultText(res))
				}
				if !strings.Contains(resultText(res), tc.wantText) {
					t.Errorf("result %q does not say %q", resultText(res), tc.wantText)
				}
				mu.Lock()
				defer mu.Unlock()
				if tc.handler != nil {
					if len(shown) != 1 {
						t.Fatalf("user asked %d times, want once", len(shown))
					}
					for _, want := range []string{tk.summary, `"backupId": "b1"`, "backups_restore", "POST /backups/b1/restore"} {
						if !strings.Contains(shown[0], want) {
							t.Errorf("question does not show %q:\n%s", want, shown[0])
						}
					}
				}
				if n := b.pending.len(); n != 0 {
					t.Errorf("%d questions left pending", n)
				}
			})
		}
	}
}

func TestBothConfirmersMustApprove(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			tk := newFake()
			tk.own = func(context.Context, agent.Confirmation) error { return fmt.Errorf("policy says no") }
			srv, _ := newBridge(tk)
			cs := connect(t, srv, &mcp.ClientOptions{ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
				return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"confirm": true}}, nil
			}}, p.version)
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "backups_restore", Arguments: map[string]any{"backupId": "b1"}})
			if err != nil {
				t.Fatal(err)
			}
			if !res.IsError || tk.sentCount() != 0 || !strings.Contains(resultText(res), "policy says no") {
				t.Fatalf("IsError %v, sent %d: %s", res.IsError, tk.sentCount(), resultText(res))
			}
		})
	}
}

// callRaw makes one round of a call on the current protocol, without the
// SDK's automatic retry, so a test can play a client that misbehaves.
func callRaw(t *testing.T, cs *mcp.ClientSession, p *mcp.CallToolParams) *mcp.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestInputRequestConfirmsOnce(t *testing.T) {
	tk := newFake()
	srv, b := newBridge(tk)
	cs := connect(t, srv, &mcp.ClientOptions{
		ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return nil, fmt.Errorf("not used: the test answers input requests itself")
		},
		MultiRoundTrip: &mcp.MultiRoundTripOptions{Disabled: true},
	}, "")
	args := map[string]any{"backupId": "b1"}
	accepted := mcp.InputResponseMap{inputKey: &mcp.ElicitResult{Action: "accept", Content: map[string]any{"confirm": true}}}

	first := callRaw(t, cs, &mcp.CallToolParams{Name: "backups_restore", Arguments: args})
	if !first.NeedsInput() || first.RequestState == "" {
		t.Fatalf("first round: NeedsInput %v, state %q: %s", first.NeedsInput(), first.RequestState, resultText(first))
	}
	q, ok := first.InputRequests[inputKey].(*mcp.ElicitParams)
	if !ok || !strings.Contains(q.Message, tk.summary) {
		t.Fatalf("input request %#v does not ask about the summary", first.InputRequests[inputKey])
	}
	if tk.sentCount() != 0 {
		t.Fatalf("the first round sent %d requests", tk.sentCount())
	}

	// A forged answer with another state, and an answer for other arguments, send nothing.
	forged := callRaw(t, cs, &mcp.CallToolParams{Name: "backups_restore", Arguments: args, InputResponses: accepted, RequestState: "00ff"})
	if !forged.IsError || !strings.Contains(resultText(forged), "unknown, already used or expired") {
		t.Errorf("forged state: %s", resultText(forged))
	}
	other := callRaw(t, cs, &mcp.CallToolParams{Name: "backups_restore", Arguments: map[string]any{"backupId": "b2"},
		InputResponses: accepted, RequestState: first.RequestState})
	if !other.IsError || !strings.Contains(resultText(other), "other arguments") {
		t.Errorf("other arguments: %s", resultText(other))
	}
	if tk.sentCount() != 0 {
		t.Fatalf("sent %d requests without a matching answer", tk.sentCount())
	}

	// The question was spent by the mismatched answer: ask again, answer, once.
	second := callRaw(t, cs, &mcp.CallToolParams{Name: "backups_restore", Arguments: args})
	ok2 := callRaw(t, cs, &mcp.CallToolParams{Name: "backups_restore", Arguments: args, InputResponses: accepted, RequestState: second.RequestState})
	if ok2.IsError || tk.sentCount() != 1 {
		t.Fatalf("accepted retry: IsError %v, sent %d: %s", ok2.IsError, tk.sentCount(), resultText(ok2))
	}
	replay := callRaw(t, cs, &mcp.CallToolParams{Name: "backups_restore", Arguments: args, InputResponses: accepted, RequestState: second.RequestState})
	if !replay.IsError || tk.sentCount() != 1 {
		t.Fatalf("replayed approval: IsError %v, sent %d: %s", replay.IsError, tk.sentCount(), resultText(replay))
	}

	// An answer without the response, or after what would change changed, sends nothing.
	third := callRaw(t, cs, &mcp.CallToolParams{Name: "backups_restore", Arguments: args})
	empty := callRaw(t, cs, &mcp.CallToolParams{Name: "backups_restore", Arguments: args,
		InputResponses: mcp.InputResponseMap{}, RequestState: third.RequestState})
	if !empty.IsError || !strings.Contains(resultText(empty), "without the user's answer") {
		t.Errorf("retry without answer: %s", resultText(empty))
	}
	fourth := callRaw(t, cs, &mcp.CallToolParams{Name: "backups_restore", Arguments: args})
	tk.mu.Lock()
	tk.summary = "Restores backup b1 onto server s9."
	tk.mu.Unlock()
	changed := callRaw(t, cs, &mcp.CallToolParams{Name: "backups_restore", Arguments: args, InputResponses: accepted, RequestState: fourth.RequestState})
	if !changed.IsError || !strings.Contains(resultText(changed), "no longer what the user approved") {
		t.Errorf("changed summary: %s", resultText(changed))
	}
	if tk.sentCount() != 1 || b.pending.len() != 0 {
		t.Fatalf("sent %d (want 1), pending %d (want 0)", tk.sentCount(), b.pending.len())
	}
}

func TestListChangedAfterNarrowing(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			tk := newFake()
			srv, _ := newBridge(tk)
			changed := make(chan struct{}, 8)
			cs := connect(t, srv, &mcp.ClientOptions{
				ToolListChangedHandler: func(context.Context, *mcp.ToolListChangedRequest) { changed <- struct{}{} },
			}, p.version)
			if res, err := cs.ListTools(context.Background(), nil); err != nil || len(res.Tools) != 3 {
				t.Fatalf("before: %v, %v", res, err)
			}
			tk.narrow(func(t agent.Tool) bool { return t.Toolset == "servers" })
			select {
			case <-changed:
			case <-time.After(10 * time.Second):
				t.Fatal("no notifications/tools/list_changed")
			}
			res, err := cs.ListTools(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, tl := range res.Tools {
				names = append(names, tl.Name)
			}
			if !slices.Equal(names, []string{"servers_update"}) {
				t.Fatalf("after narrowing: %v", names)
			}
			gone, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "backups_list"})
			if err == nil && !gone.IsError {
				t.Fatalf("a removed tool answered: %s", resultText(gone))
			}
			if tk.sentCount() != 0 {
				t.Fatalf("a removed tool sent %d requests", tk.sentCount())
			}
		})
	}
}

func TestBadToolSkipped(t *testing.T) {
	tk := newFake()
	tk.tools = append(tk.tools,
		agent.Tool{Name: "bad_array", InputSchema: json.RawMessage(`{"type":"array"}`)},
		agent.Tool{Name: "bad_empty"},
		agent.Tool{Name: "bad_json", InputSchema: json.RawMessage(`{`)},
	)
	srv, _ := newBridge(tk) // must not panic
	cs := connect(t, srv, nil, "")
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tools) != 3 {
		t.Fatalf("listed %d tools, want the 3 valid ones", len(res.Tools))
	}
}

func TestNilToolkit(t *testing.T) {
	srv := New(nil)
	cs := connect(t, srv, nil, "")
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil || len(res.Tools) != 0 {
		t.Fatalf("ListTools = %v, %v; want no tools", res, err)
	}
}

func TestToCallToolResult(t *testing.T) {
	cases := []struct {
		name       string
		in         *agent.Result
		wantErr    bool
		wantTexts  int
		structured bool
	}{
		{"object", &agent.Result{Text: "ok", Data: json.RawMessage(` {"a":1} `)}, false, 2, true},
		{"array", &agent.Result{Text: "ok", Data: json.RawMessage(`[1,2]`)}, false, 2, false},
		{"invalid", &agent.Result{Text: "ok", Data: json.RawMessage(`{"a":`)}, false, 1, false},
		{"none", &agent.Result{Text: "ok"}, false, 1, false},
		{"error", &agent.Result{IsError: true, Text: "the key lacks scope backups:restore"}, true, 1, false},
		{"nil", nil, true, 1, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := toCallToolResult(tc.in)
			if got.IsError != tc.wantErr || len(got.Content) != tc.wantTexts || (got.StructuredContent != nil) != tc.structured {
				t.Fatalf("got IsError %v, %d contents, structured %v", got.IsError, len(got.Content), got.StructuredContent)
			}
			if tc.in != nil && tc.in.Text != "" && got.Content[0].(*mcp.TextContent).Text != tc.in.Text {
				t.Errorf("text %q", got.Content[0].(*mcp.TextContent).Text)
			}
		})
	}
}

func TestPendingStoreExpiresAndCaps(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s := newPendingStore(time.Minute, 2, func() time.Time { return now })
	a, _, err := s.add(pendingCall{tool: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.add(pendingCall{tool: "b"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.add(pendingCall{tool: "c"}); err != errTooManyPending {
		t.Fatalf("third add: %v, want errTooManyPending", err)
	}
	now = now.Add(time.Minute)
	if _, ok := s.take(a); ok {
		t.Fatal("an expired question was answerable")
	}
	if _, _, err := s.add(pendingCall{tool: "d"}); err != nil {
		t.Fatalf("add after expiry: %v (expired questions must make room)", err)
	}
	if s.len() != 1 {
		t.Fatalf("%d pending, want 1", s.len())
	}
}

func TestRefusalsDecline(t *testing.T) {
	for _, err := range []error{errDeclined, errCancelled, errUnconfirmable, errNoAnswer, errBadAnswer, errChanged} {
		if !errors.Is(err, agent.ErrDeclined) {
			t.Errorf("%q does not wrap agent.ErrDeclined", err)
		}
	}
}

func TestInputRequestExpires(t *testing.T) {
	var (
		mu  sync.Mutex
		now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	tk := newFake()
	srv, _ := newBridge(tk, WithConfirmTimeout(time.Minute), func(c *config) { c.now = clock })
	cs := connect(t, srv, &mcp.ClientOptions{
		ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return nil, fmt.Errorf("not used")
		},
		MultiRoundTrip: &mcp.MultiRoundTripOptions{Disabled: true},
	}, "")
	args := map[string]any{"backupId": "b1"}
	first := callRaw(t, cs, &mcp.CallToolParams{Name: "backups_restore", Arguments: args})
	if !first.NeedsInput() {
		t.Fatalf("first round did not ask: %s", resultText(first))
	}
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	late := callRaw(t, cs, &mcp.CallToolParams{Name: "backups_restore", Arguments: args, RequestState: first.RequestState,
		InputResponses: mcp.InputResponseMap{inputKey: &mcp.ElicitResult{Action: "accept", Content: map[string]any{"confirm": true}}}})
	if !late.IsError || !strings.Contains(resultText(late), "expired") || tk.sentCount() != 0 {
		t.Fatalf("late answer: IsError %v, sent %d: %s", late.IsError, tk.sentCount(), resultText(late))
	}
}

func TestURLOnlyElicitationCannotConfirm(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			tk := newFake()
			srv, _ := newBridge(tk)
			cs := connect(t, srv, &mcp.ClientOptions{
				Capabilities: &mcp.ClientCapabilities{Elicitation: &mcp.ElicitationCapabilities{URL: &mcp.URLElicitationCapabilities{}}},
				ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
					t.Error("a client without form elicitation was asked a form")
					return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"confirm": true}}, nil
				},
			}, p.version)
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "backups_restore", Arguments: map[string]any{"backupId": "b1"}})
			if err != nil {
				t.Fatal(err)
			}
			if !res.IsError || tk.sentCount() != 0 || !strings.Contains(resultText(res), "neither through input requests") {
				t.Fatalf("IsError %v, sent %d: %s", res.IsError, tk.sentCount(), resultText(res))
			}
		})
	}
}

// TestRejectedElicitationAnswerIsNotUnconfirmable: when the client was
// asked but its answer fails (accepted with an empty form, which the
// server's schema check rejects, or the client's own error), the model is
// not told that the client cannot ask the user at all.
func TestRejectedElicitationAnswerIsNotUnconfirmable(t *testing.T) {
	for name, handler := range map[string]func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error){
		"accepted empty form": func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return &mcp.ElicitResult{Action: "accept", Content: map[string]any{}}, nil
		},
		"client error": func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
			return nil, errors.New("the form could not be shown")
		},
	} {
		t.Run(name, func(t *testing.T) {
			tk := newFake()
			srv, _ := newBridge(tk)
			cs := connect(t, srv, &mcp.ClientOptions{ElicitationHandler: handler}, "2025-11-25")
			res := callRaw(t, cs, &mcp.CallToolParams{Name: "backups_restore", Arguments: map[string]any{"backupId": "b1"}})
			got := resultText(res)
			if !res.IsError || tk.sentCount() != 0 {
				t.Fatalf("IsError %v, sent %d: %s", res.IsError, tk.sentCount(), got)
			}
			if strings.Contains(got, "can ask the user neither") || !strings.Contains(got, "asked the user but returned no valid answer") {
				t.Errorf("result: %s", got)
			}
		})
	}
}
