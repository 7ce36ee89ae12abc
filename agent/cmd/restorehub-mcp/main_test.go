package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

const testKey = "rh_mcpBinaryTestKey0123456789abcdefXYZ"

func TestParseArgs(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		wantErr string
		check   func(t *testing.T, o options)
	}{
		{name: "scopes", args: []string{"-scopes", " servers:read, backups:restore ,"}, check: func(t *testing.T, o options) {
			if !slices.Equal(o.scopes, []restorehub.Scope{"servers:read", "backups:restore"}) {
				t.Errorf("scopes %v", o.scopes)
			}
		}},
		{name: "unknown scope", args: []string{"-scopes", "servers:read,servers:explode"}, wantErr: "unknown scope"},
		{name: "positional", args: []string{"serve"}, wantErr: "unexpected argument"},
		{name: "token file without http", args: []string{"-http-token-file", "t"}, wantErr: "needs -http"},
		{name: "http loopback", args: []string{"-scopes", "servers:read", "-http", "127.0.0.1:8765"}, check: func(t *testing.T, o options) {
			if o.httpAddr != "127.0.0.1:8765" {
				t.Errorf("http %q", o.httpAddr)
			}
		}},
		{name: "limit", args: []string{"-max-destructive", "1/1h"}, check: func(t *testing.T, o options) {
			if o.limitN != 1 || o.limitPer != time.Hour {
				t.Errorf("limit %d per %v", o.limitN, o.limitPer)
			}
		}},
		{name: "limit without period", args: []string{"-max-destructive", "3"}, wantErr: "N/DURATION"},
		{name: "limit zero", args: []string{"-max-destructive", "0/1h"}, wantErr: "positive whole number"},
		{name: "limit bad period", args: []string{"-max-destructive", "1/-1h"}, wantErr: "DURATION must be positive"},
		{name: "flags", args: []string{"-read-only", "-allow-destructive", "-toolsets", "backups,members", "-documented-only", "-audit=false"},
			check: func(t *testing.T, o options) {
				if !o.readOnly || !o.allowDestructive || !o.documentedOnly || o.audit || !slices.Equal(o.toolsets, []string{"backups", "members"}) {
					t.Errorf("options %+v", o)
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			o, err := parseArgs(tc.args, &stderr)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, errUsage) {
					t.Fatalf("err = %v, want a usage error saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, o)
		})
	}
}

func TestRunRefusesBeforeServing(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"no key", []string{"-scopes", "servers:read"}, nil, "RESTOREHUB_API_KEY is not set"},
		{"no scopes", nil, map[string]string{restorehub.EnvAPIKey: testKey}, "-scopes is required"},
		{"fake with a key", []string{"-fake"}, map[string]string{restorehub.EnvAPIKey: testKey}, "never used with a real key"},
		{"fake with a base URL", []string{"-fake"}, map[string]string{restorehub.EnvBaseURL: "https://api.restorehub.net/api/v1"}, "-fake serves"},
		{"http all interfaces without a token", []string{"-fake", "-http", ":8765"}, nil, "not on a loopback host"},
		{"http public without a token", []string{"-fake", "-http", "0.0.0.0:8765"}, nil, "RESTOREHUB_MCP_TOKEN"},
		{"http public with a short token", []string{"-fake", "-http", "0.0.0.0:8765"}, map[string]string{envToken: "short"}, "shorter than 16"},
		{"http token file missing", []string{"-fake", "-http", "0.0.0.0:8765", "-http-token-file", "/nonexistent/token"}, nil, "-http-token-file"},
		{"plain http base", []string{"-scopes", "servers:read"},
			map[string]string{restorehub.EnvAPIKey: testKey, restorehub.EnvBaseURL: "http://api.restorehub.net/api/v1"}, "https"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tc.args, func(k string) string { return tc.env[k] }, strings.NewReader(""), &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err = %v, want one saying %q", err, tc.wantErr)
			}
			for _, s := range []string{err.Error(), stdout.String(), stderr.String()} {
				if strings.Contains(s, testKey[3:]) {
					t.Fatalf("the key leaked: %q", s)
				}
			}
		})
	}
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// buildBinary builds the command once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "restorehub-mcp-test")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "restorehub-mcp")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		_ = os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// syncBuffer is a bytes.Buffer safe for the exec copier and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startBinary runs the built command against fake over stdio and connects
// the official SDK's client to it.
func startBinary(t *testing.T, fake *restorehubtest.Server, args []string, version string, opts *mcp.ClientOptions) (*mcp.ClientSession, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(buildBinary(t), args...)
	cmd.Env = append(envWithout(), restorehub.EnvAPIKey+"="+testKey, restorehub.EnvBaseURL+"="+fake.URL())
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	client := mcp.NewClient(&mcp.Implementation{Name: "binary-test", Version: "1"}, opts)
	cs, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd}, &mcp.ClientSessionOptions{ProtocolVersion: version})
	if err != nil {
		t.Fatalf("connect: %v\nstderr:\n%s", err, stderr.String())
	}
	t.Cleanup(func() {
		_ = cs.Close()
		if strings.Contains(stderr.String(), testKey[3:]) {
			t.Errorf("the key leaked to stderr:\n%s", stderr.String())
		}
	})
	return cs, stderr
}

func toolNames(t *testing.T, cs *mcp.ClientSession) map[string]*mcp.Tool {
	t.Helper()
	res, err := cs.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]*mcp.Tool)
	for _, tl := range res.Tools {
		out[tl.Name] = tl
	}
	return out
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

func TestBinaryOverStdio(t *testing.T) {
	scopes := "servers:read,backups:read,backups:restore"
	for _, version := range []string{"", "2025-11-25"} {
		name := "current"
		if version != "" {
			name = version
		}
		t.Run(name, func(t *testing.T) {
			fake := restorehubtest.NewServer(
				restorehubtest.WithKey(testKey, restorehub.ScopeServersRead, restorehub.ScopeBackupsRead, restorehub.ScopeBackupsRestore),
				restorehubtest.WithDemoData())
			defer fake.Close()
			var (
				answer atomic.Value
				asked  atomic.Int32
			)
			answer.Store("decline")
			cs, stderr := startBinary(t, fake, []string{"-scopes", scopes, "-allow-destructive", "-max-destructive", "1/1h"}, version, &mcp.ClientOptions{
				ElicitationHandler: func(_ context.Context, r *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
					asked.Add(1)
					if !strings.Contains(r.Params.Message, "POST /backups/backup_0001/restore") {
						t.Errorf("the question does not show the request:\n%s", r.Params.Message)
					}
					a := answer.Load().(string)
					if a == "accept" {
						return &mcp.ElicitResult{Action: "accept", Content: map[string]any{"confirm": true}}, nil
					}
					return &mcp.ElicitResult{Action: a}, nil
				},
			})
			tools := toolNames(t, cs)
			for _, want := range []string{"servers_list", "backups_list", "backups_restore"} {
				if tools[want] == nil {
					t.Fatalf("tool %s not listed; got %d tools", want, len(tools))
				}
			}
			if _, ok := tools["servers_delete"]; ok {
				t.Error("servers_delete listed without its scope")
			}
			ann := tools["backups_restore"].Annotations
			if ann == nil || ann.ReadOnlyHint || ann.DestructiveHint == nil || !*ann.DestructiveHint || ann.OpenWorldHint == nil {
				t.Errorf("backups_restore annotations %+v", ann)
			}
			if ann := tools["servers_list"].Annotations; ann == nil || !ann.ReadOnlyHint || ann.DestructiveHint == nil || *ann.DestructiveHint {
				t.Errorf("servers_list annotations %+v", ann)
			}

			ctx := context.Background()
			res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "servers_list", Arguments: map[string]any{}})
			if err != nil || res.IsError {
				t.Fatalf("servers_list: %v %s\nstderr:\n%s", err, text(res), stderr.String())
			}
			if n := fake.Count("servers.list"); n != 1 {
				t.Fatalf("servers_list sent %d requests, want 1", n)
			}

			args := map[string]any{"backupId": "backup_0001", "targetServerId": "server_0002"}
			for _, a := range []string{"decline", "cancel"} {
				answer.Store(a)
				res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "backups_restore", Arguments: args})
				if err != nil || !res.IsError {
					t.Fatalf("backups_restore after %s: err %v, result %s", a, err, text(res))
				}
				if n := fake.Count("backups.restore"); n != 0 {
					t.Fatalf("backups_restore after %s sent %d requests", a, n)
				}
			}
			answer.Store("accept")
			if _, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "backups_restore", Arguments: args}); err != nil {
				t.Fatal(err)
			}
			if n := fake.Count("backups.restore"); n != 1 {
				t.Fatalf("accepted backups_restore sent %d requests, want 1\nstderr:\n%s", n, stderr.String())
			}
			// -max-destructive 1/1h: the second accepted restore is refused
			// before the user is asked.
			res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "backups_restore", Arguments: args})
			if err != nil || !res.IsError || fake.Count("backups.restore") != 1 {
				t.Fatalf("second restore within the hour: err %v, result %s, %d sent", err, text(res), fake.Count("backups.restore"))
			}
			if n := asked.Load(); n != 3 {
				t.Fatalf("the user was asked %d times, want 3 (decline, cancel, accept)", n)
			}
			if !strings.Contains(stderr.String(), "backups_restore") {
				t.Errorf("no audit record of backups_restore on stderr:\n%s", stderr.String())
			}
		})
	}
}

func TestBinaryHidesDestructiveTools(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"default", []string{"-scopes", "backups:read,backups:restore"}},
		{"read-only wins", []string{"-scopes", "backups:read,backups:restore", "-read-only", "-allow-destructive"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake := restorehubtest.NewServer(restorehubtest.WithKey(testKey, restorehub.ScopeBackupsRead, restorehub.ScopeBackupsRestore))
			defer fake.Close()
			cs, _ := startBinary(t, fake, tc.args, "", nil)
			tools := toolNames(t, cs)
			if tools["backups_list"] == nil {
				t.Fatalf("backups_list not listed: %v", tools)
			}
			for name, tl := range tools {
				if tl.Annotations == nil || !tl.Annotations.ReadOnlyHint && (tl.Annotations.DestructiveHint == nil || *tl.Annotations.DestructiveHint) {
					t.Errorf("destructive tool %s listed", name)
				}
			}
			res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "backups_restore", Arguments: map[string]any{"backupId": "backup_0001", "targetServerId": "server_0002"}})
			if err == nil && !res.IsError {
				t.Fatalf("an unlisted tool ran: %s", text(res))
			}
			if n := len(fake.Requests()); n != 0 {
				t.Fatalf("%d requests sent", n)
			}
		})
	}
}

// envWithout is the process environment without the Restore Hub variables.
func envWithout() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "RESTOREHUB_") })
}

func TestBinaryFakeDemo(t *testing.T) {
	cmd := exec.Command(buildBinary(t), "-fake", "-scopes", "servers:read")
	cmd.Env = envWithout()
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	ctx := context.Background()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "fake-demo", Version: "1"}, nil).Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatalf("connect: %v\nstderr:\n%s", err, stderr.String())
	}
	defer cs.Close()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "servers_list", Arguments: map[string]any{}})
	if err != nil || res.IsError || !strings.Contains(text(res), "Pixel Lounge") {
		t.Fatalf("servers_list on the fake: %v %s", err, text(res))
	}
	if !strings.Contains(stderr.String(), "in-process fake") {
		t.Errorf("the demo does not say it runs on the fake:\n%s", stderr.String())
	}
}

func TestBinaryStreamableHTTP(t *testing.T) {
	fake := restorehubtest.NewServer(
		restorehubtest.WithKey(testKey, restorehub.ScopeServersRead, restorehub.ScopeBackupsRead, restorehub.ScopeBackupsRestore),
		restorehubtest.WithDemoData())
	defer fake.Close()
	cmd := exec.Command(buildBinary(t), "-scopes", "servers:read,backups:read,backups:restore", "-allow-destructive",
		"-http", "127.0.0.1:0", "-audit=false")
	cmd.Env = append(envWithout(), restorehub.EnvAPIKey+"="+testKey, restorehub.EnvBaseURL+"="+fake.URL())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	// The server logs its URL once it listens; read stderr up to that line.
	lines := bufio.NewScanner(stderr)
	var endpoint string
	for endpoint == "" && lines.Scan() {
		if _, after, ok := strings.Cut(lines.Text(), "url="); ok {
			endpoint = strings.Fields(after)[0]
		}
	}
	if endpoint == "" {
		t.Fatal("the server never logged its URL")
	}
	go func() { _, _ = io.Copy(io.Discard, stderr) }()

	ctx := context.Background()
	restores := 0
	for _, version := range []string{"", "2026-07-28", "2025-11-25"} {
		for _, action := range []string{"decline", "accept"} {
			name := version
			if name == "" {
				name = "current"
			}
			t.Run(name+"/"+action, func(t *testing.T) {
				client := mcp.NewClient(&mcp.Implementation{Name: "http-test", Version: "1"}, &mcp.ClientOptions{
					ElicitationHandler: func(context.Context, *mcp.ElicitRequest) (*mcp.ElicitResult, error) {
						return &mcp.ElicitResult{Action: action, Content: map[string]any{"confirm": true}}, nil
					},
				})
				cs, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: endpoint, MaxRetries: -1},
					&mcp.ClientSessionOptions{ProtocolVersion: version})
				if err != nil {
					t.Fatalf("connect to %s: %v", endpoint, err)
				}
				defer cs.Close()
				before := fake.Count("servers.list")
				res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "servers_list", Arguments: map[string]any{}})
				if err != nil || res.IsError {
					t.Fatalf("servers_list over HTTP: %v %s", err, text(res))
				}
				if n := fake.Count("servers.list") - before; n != 1 {
					t.Fatalf("servers_list sent %d requests, want 1", n)
				}
				res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "backups_restore",
					Arguments: map[string]any{"backupId": "backup_0001", "targetServerId": "server_0002"}})
				if err != nil {
					t.Fatal(err)
				}
				if action == "accept" {
					restores++
				} else if !res.IsError {
					t.Fatalf("a declined restore is not an error: %s", text(res))
				}
				if n := fake.Count("backups.restore"); n != restores {
					t.Fatalf("%d restores sent, want %d: %s", n, restores, text(res))
				}
			})
		}
	}
}
