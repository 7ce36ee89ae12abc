package mcpserver

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// bearer adds a bearer token to every request.
type bearer struct {
	token string
	base  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if b.token != "" {
		r.Header.Set("Authorization", "Bearer "+b.token)
	}
	return b.base.RoundTrip(r)
}

const (
	aliceToken = "alice-token-0123456789abcdef"
	bobToken   = "bob-token-0123456789abcdefgh"
)

// serveHTTP serves srv on a test HTTP server with HTTPHandler; it records
// the MCP-Protocol-Version header of every request.
func serveHTTP(t *testing.T, srv *mcp.Server, opts *HTTPOptions) (string, func() []string) {
	t.Helper()
	var (
		mu       sync.Mutex
		versions []string
	)
	h := HTTPHandler(srv, opts)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		versions = append(versions, r.Header.Get("Mcp-Protocol-Version"))
		mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts.URL, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), versions...)
	}
}

func connectHTTP(t *testing.T, url, token, version string, opts *mcp.ClientOptions) *mcp.ClientSession {
	t.Helper()
	c := mcp.NewClient(&mcp.Implementation{Name: "http-test", Version: "1"}, opts)
	cs, err := c.Connect(context.Background(), &mcp.StreamableClientTransport{
		Endpoint:   url,
		HTTPClient: &http.Client{Transport: bearer{token, http.DefaultTransport}},
	}, &mcp.ClientSessionOptions{ProtocolVersion: version})
	if err != nil {
		t.Fatalf("connect on %q: %v", version, err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	return cs
}

func twoCallers(t *testing.T) *HTTPOptions {
	t.Helper()
	v, err := StaticTokens(map[string]string{"alice": aliceToken, "bob": bobToken})
	if err != nil {
		t.Fatal(err)
	}
	return &HTTPOptions{Verifier: v}
}

// TestHTTPServesCurrentAndOlderProtocols: 2026-07-28 over streamable HTTP
// (stateless; go-sdk refuses it with -32022 on a stateful handler) and
// 2025-11-25 (with a session, for elicitation/create) at the same URL, a
// destructive call confirmed on each.
func TestHTTPServesCurrentAndOlderProtocols(t *testing.T) {
	for _, version := range []string{"2026-07-28", "2025-11-25"} {
		t.Run(version, func(t *testing.T) {
			tk := newFake()
			srv, b := newBridge(tk)
			url, seen := serveHTTP(t, srv, twoCallers(t))
			asked := 0
			cs := connectHTTP(t, url, aliceToken, version, &mcp.ClientOptions{
				ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
					asked++
					return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"confirm": true}}, nil
				},
			})
			tools, err := cs.ListTools(context.Background(), nil)
			if err != nil || len(tools.Tools) == 0 {
				t.Fatalf("tools/list: %v (%d tools)", err, len(tools.Tools))
			}
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "backups_restore", Arguments: map[string]any{"backupId": "b1"}})
			if err != nil {
				t.Fatal(err)
			}
			if res.IsError || tk.sentCount() != 1 || asked != 1 {
				t.Fatalf("IsError %v, sent %d, asked %d: %s", res.IsError, tk.sentCount(), asked, resultText(res))
			}
			if b.pending.len() != 0 {
				t.Errorf("%d questions left pending", b.pending.len())
			}
			found := false
			for _, v := range seen() {
				found = found || v == version
			}
			if !found {
				t.Errorf("no request carried MCP-Protocol-Version %s: %q", version, seen())
			}
		})
	}
}

// TestConfirmationBoundToCaller: a requestState issued to one principal is
// refused from another (and not spent by it), and is single use for its own.
func TestConfirmationBoundToCaller(t *testing.T) {
	tk := newFake()
	srv, b := newBridge(tk)
	url, _ := serveHTTP(t, srv, twoCallers(t))
	manual := &mcp.ClientOptions{
		ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) { return nil, io.EOF },
		MultiRoundTrip:     &mcp.MultiRoundTripOptions{Disabled: true},
	}
	alice := connectHTTP(t, url, aliceToken, "2026-07-28", manual)
	bob := connectHTTP(t, url, bobToken, "2026-07-28", manual)
	args := map[string]any{"backupId": "b1"}
	accepted := mcp.InputResponseMap{inputKey: &mcp.ElicitResult{Action: "accept", Content: map[string]any{"confirm": true}}}

	first := callRaw(t, alice, &mcp.CallToolParams{Name: "backups_restore", Arguments: args})
	if !first.NeedsInput() || first.RequestState == "" {
		t.Fatalf("first round did not ask: %s", resultText(first))
	}
	if strings.Contains(first.RequestState, "alice") || strings.Contains(first.RequestState, "backups_restore") {
		t.Errorf("requestState is readable: %q", first.RequestState)
	}
	stolen := callRaw(t, bob, &mcp.CallToolParams{Name: "backups_restore", Arguments: args, InputResponses: accepted, RequestState: first.RequestState})
	if !stolen.IsError || !strings.Contains(resultText(stolen), "another client") || tk.sentCount() != 0 {
		t.Fatalf("bob answered alice's question: IsError %v, sent %d: %s", stolen.IsError, tk.sentCount(), resultText(stolen))
	}
	tampered := []byte(first.RequestState)
	tampered[len(tampered)/2] ^= 1
	if r := callRaw(t, alice, &mcp.CallToolParams{Name: "backups_restore", Arguments: args, InputResponses: accepted, RequestState: string(tampered)}); !r.IsError || tk.sentCount() != 0 {
		t.Fatalf("a tampered state was accepted: %s", resultText(r))
	}
	own := callRaw(t, alice, &mcp.CallToolParams{Name: "backups_restore", Arguments: args, InputResponses: accepted, RequestState: first.RequestState})
	if own.IsError || tk.sentCount() != 1 {
		t.Fatalf("alice's own answer: IsError %v, sent %d: %s", own.IsError, tk.sentCount(), resultText(own))
	}
	replay := callRaw(t, alice, &mcp.CallToolParams{Name: "backups_restore", Arguments: args, InputResponses: accepted, RequestState: first.RequestState})
	if !replay.IsError || tk.sentCount() != 1 || b.pending.len() != 0 {
		t.Fatalf("replay: IsError %v, sent %d, pending %d: %s", replay.IsError, tk.sentCount(), b.pending.len(), resultText(replay))
	}
}

// TestHTTPRequiresBearerToken: without a token, with a wrong one, or with
// one lacking the required scope, nothing reaches the MCP server.
func TestHTTPRequiresBearerToken(t *testing.T) {
	srv, _ := newBridge(newFake())
	opts := twoCallers(t)
	opts.ResourceMetadataURL = "https://mcp.example/.well-known/oauth-protected-resource"
	url, _ := serveHTTP(t, srv, opts)
	scoped := *opts
	scoped.Scopes = []string{"restorehub:admin"}
	scopedURL, _ := serveHTTP(t, srv, &scoped)
	body := `{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",` +
		`"io.modelcontextprotocol/clientInfo":{"name":"curl","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}}}`
	for _, tc := range []struct {
		name, url, auth string
		status          int
		challenge       string
	}{
		{"no token", url, "", 401, `resource_metadata="https://mcp.example/.well-known/oauth-protected-resource"`},
		{"wrong token", url, "Bearer " + strings.Repeat("x", 28), 401, `error="invalid_token"`},
		{"basic auth", url, "Basic YWxpY2U6eA==", 401, "Bearer"},
		{"token of another length", url, "Bearer " + aliceToken + "x", 401, `error="invalid_token"`},
		{"insufficient scope", scopedURL, "Bearer " + aliceToken, 403, `error="insufficient_scope"`},
		{"valid", url, "Bearer " + aliceToken, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", tc.url, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			req.Header.Set("Mcp-Protocol-Version", "2026-07-28")
			req.Header.Set("Mcp-Method", "tools/list")
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
			if got := resp.Header.Get("WWW-Authenticate"); !strings.Contains(got, tc.challenge) {
				t.Errorf("WWW-Authenticate %q lacks %q", got, tc.challenge)
			}
			if tc.status == 200 && !strings.Contains(string(b), "backups_restore") {
				t.Errorf("tools/list: %s", b)
			}
			if tc.status != 200 && strings.Contains(string(b), "backups_restore") {
				t.Errorf("an unauthenticated request got the tools: %s", b)
			}
		})
	}
}

func TestStaticTokensRefusesWeakTokens(t *testing.T) {
	for _, tokens := range []map[string]string{nil, {"a": ""}, {"a": "short"}} {
		if _, err := StaticTokens(tokens); err == nil {
			t.Errorf("StaticTokens(%v) accepted", tokens)
		}
	}
}

func TestSealedStateOpensOnlyUnaltered(t *testing.T) {
	s1, err := newSealer()
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := newSealer()
	st := sealedState{ID: "id", Tool: "backups_restore", Digest: argsDigest([]byte(`{"a":1}`)), Caller: "token:alice", Expires: 42}
	sealed, err := s1.seal(st)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s1.open(sealed); err != nil || got != st {
		t.Fatalf("open = %+v, %v", got, err)
	}
	for name, bad := range map[string]string{
		"another process's key": func() string { x, _ := s2.seal(st); return x }(),
		"empty":                 "",
		"not base64":            "!!!",
		"truncated":             sealed[:len(sealed)-2],
		"too long":              strings.Repeat("A", maxStateLen+1),
	} {
		if _, err := s1.open(bad); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
	var nilSealer *sealer
	if _, err := nilSealer.seal(st); err == nil {
		t.Error("a nil sealer sealed")
	}
}
