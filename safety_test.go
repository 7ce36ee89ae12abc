package restorehub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go/resources"
)

// guardLog records the operations a destructive guard was asked about.
type guardLog struct {
	mu  sync.Mutex
	ops []Operation
	err error
}

func (g *guardLog) guard(_ context.Context, op Operation) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.ops = append(g.ops, op)
	return g.err
}

// TestRawRequestsAreClassified sends raw requests through Do and checks
// that each one gets the preflight, guard and retry policy of the operation
// it matches, or, matching none, the most careful ones.
func TestRawRequestsAreClassified(t *testing.T) {
	type want struct {
		sent        int    // requests the server saw
		guarded     string // the guard's Operation.ID and Reason, "" when not asked
		missing     bool   // a local *MissingScopeError
		missingWhat Scope  // its RequiredScope
	}
	fail503 := func(w http.ResponseWriter, _ *http.Request, _ string) { replyError(w, 503, "Service unavailable", "") }
	fail500 := func(w http.ResponseWriter, _ *http.Request, _ string) { replyError(w, 500, "Internal error", "") }
	first429 := func() func(w http.ResponseWriter, r *http.Request, path string) {
		var mu sync.Mutex
		n := 0
		return func(w http.ResponseWriter, _ *http.Request, _ string) {
			mu.Lock()
			n++
			i := n
			mu.Unlock()
			if i == 1 {
				reply429(w, "0", "", "")
				return
			}
			replyOK(w, "")
		}
	}
	tests := []struct {
		name   string
		req    Request
		scopes []Scope // WithScopes, nil for none
		handle func(w http.ResponseWriter, r *http.Request, path string)
		want   want
	}{
		{
			name:   "DELETE of a server without Scope is guarded and not resent after 503",
			req:    Request{Method: "DELETE", Path: "/servers/srv_1"},
			handle: fail503,
			want:   want{sent: 1, guarded: "servers.delete: its scope servers:delete is in the destructive tier"},
		},
		{
			name:   "lower-case delete is the same",
			req:    Request{Method: "delete", Path: "/servers/srv_1"},
			handle: fail503,
			want:   want{sent: 1, guarded: "servers.delete: its scope servers:delete is in the destructive tier"},
		},
		{
			name:   "write-tier DELETE is guarded and not resent after 500",
			req:    Request{Method: "DELETE", Path: "/backups/bk_1", Scope: ScopeBackupsWrite},
			handle: fail500,
			want:   want{sent: 1, guarded: "backups.delete: it is a DELETE"},
		},
		{
			name:   "restore named with a read scope is still guarded",
			req:    Request{Method: "POST", Path: "/backups/bk_1/restore", Scope: ScopeBackupsRead, Body: map[string]string{"targetServerId": "s"}},
			handle: fail503,
			want:   want{sent: 1, guarded: "backups.restore: its scope backups:restore is in the destructive tier"},
		},
		{
			name:   "restore with a query smuggled into Path is still a restore",
			req:    Request{Method: "POST", Path: "/backups/bk_1/restore?dryRun=false", Body: map[string]string{"targetServerId": "s"}},
			handle: fail503,
			want:   want{sent: 1, guarded: "backups.restore: its scope backups:restore is in the destructive tier"},
		},
		{
			name:   "unmatched POST is guarded and not resent after 503",
			req:    Request{Method: "POST", Path: "/v2/servers/srv_1/nuke"},
			handle: fail503,
			want:   want{sent: 1, guarded: ": it matches no known operation and is not a GET or HEAD"},
		},
		{
			name:   "unmatched PUT on a restore path is guarded",
			req:    Request{Method: "PUT", Path: "/backups/bk_1/restore"},
			handle: fail500,
			want:   want{sent: 1, guarded: ": it matches no known operation and is not a GET or HEAD"},
		},
		{
			name:   "unmatched POST is resent after a 429",
			req:    Request{Method: "POST", Path: "/v2/servers/srv_1/nuke"},
			handle: first429(),
			want:   want{sent: 2, guarded: ": it matches no known operation and is not a GET or HEAD"},
		},
		{
			name:   "matched GET without Scope is still retried after 503",
			req:    Request{Path: "/servers/srv_1"},
			handle: fail503,
			want:   want{sent: 3},
		},
		{
			name:   "WithScopes: DELETE without Scope needs servers:delete",
			req:    Request{Method: "DELETE", Path: "/servers/srv_1"},
			scopes: []Scope{ScopeServersRead, ScopeServersWrite},
			want:   want{missing: true, missingWhat: ScopeServersDelete},
		},
		{
			name:   "WithScopes: a lower named scope does not lower what is needed",
			req:    Request{Method: "PATCH", Path: "/servers/srv_1", Scope: ScopeServersRead, Body: json.RawMessage(`{"name":"x"}`)},
			scopes: []Scope{ScopeServersRead},
			want:   want{missing: true, missingWhat: ScopeServersWrite},
		},
		{
			name:   "WithScopes: unmatched GET naming no scope cannot be shown allowed",
			req:    Request{Path: "/v2/secrets"},
			scopes: []Scope{ScopeServersRead},
			want:   want{missing: true, missingWhat: ""},
		},
		{
			name:   "WithScopes: unmatched POST naming no scope cannot be shown allowed",
			req:    Request{Method: "POST", Path: "/v2/secrets"},
			scopes: AllScopes(),
			want:   want{missing: true, missingWhat: ""},
		},
		{
			name:   "WithScopes: matched GET without Scope is allowed",
			req:    Request{Path: "/servers/srv_1"},
			scopes: []Scope{ScopeServersRead},
			want:   want{sent: 1},
		},
		{
			name:   "WithScopes: HEAD is allowed by the GET's scope",
			req:    Request{Method: "HEAD", Path: "/servers/srv_1"},
			scopes: []Scope{ScopeServersRead},
			want:   want{sent: 1},
		},
		{
			name:   "WithScopes: an operation that needs no scope is allowed",
			req:    Request{Path: "/openapi.json"},
			scopes: []Scope{ScopeServersRead},
			want:   want{sent: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newPathServer(t, tt.handle)
			g := &guardLog{}
			opts := []Option{WithDestructiveGuard(g.guard)}
			if tt.scopes != nil {
				opts = append(opts, WithScopes(tt.scopes...))
			}
			c := newTestClient(t, srv.URL+"/api/v1", opts...)
			req := tt.req
			_, err := c.Do(context.Background(), &req, nil)
			if got := s.count(""); got != tt.want.sent {
				t.Errorf("server saw %d requests, want %d (err %v)", got, tt.want.sent, err)
			}
			var guarded string
			if len(g.ops) > 1 {
				t.Errorf("guard asked %d times", len(g.ops))
			}
			if len(g.ops) == 1 {
				op := g.ops[0]
				guarded = op.ID + ": " + op.Reason
				if !op.Destructive || op.Idempotent {
					t.Errorf("guard got Destructive %v Idempotent %v", op.Destructive, op.Idempotent)
				}
			}
			if guarded != tt.want.guarded {
				t.Errorf("guard asked about %q, want %q", guarded, tt.want.guarded)
			}
			var mse *MissingScopeError
			gotMissing := errors.As(err, &mse) && mse.Local
			if gotMissing != tt.want.missing {
				t.Fatalf("err = %v, want a local *MissingScopeError: %v", err, tt.want.missing)
			}
			if gotMissing {
				if mse.RequiredScope != tt.want.missingWhat {
					t.Errorf("RequiredScope = %q, want %q", mse.RequiredScope, tt.want.missingWhat)
				}
				if !errors.Is(err, ErrForbidden) || mse.StatusCode != 0 {
					t.Errorf("err = %v: want Is ErrForbidden, StatusCode 0", err)
				}
				if tt.want.missingWhat == "" && !strings.Contains(err.Error(), "set Request.Scope") {
					t.Errorf("err = %q does not say what to do", err)
				}
			}
		})
	}
}

// TestGuardRefusesEveryDelete checks, through the typed services, that
// every DELETE and destructive-tier operation asks the guard (with a reason)
// and that a refusal sends nothing.
func TestGuardRefusesEveryDelete(t *testing.T) {
	tests := []struct {
		name       string
		call       func(ctx context.Context, c *Client) error
		wantID     string
		wantReason string
	}{
		{"Backups.Delete", func(ctx context.Context, c *Client) error { return c.Backups.Delete(ctx, "bk_1") }, "backups.delete", "it is a DELETE"},
		{"APIKeys.Delete", func(ctx context.Context, c *Client) error { return c.APIKeys.Delete(ctx, "key_1") }, "api-keys.delete", "it is a DELETE"},
		{"Teams.Delete", func(ctx context.Context, c *Client) error { return c.Teams.Delete(ctx, "tm_1") }, "teams.delete", "it is a DELETE"},
		{"Servers.Delete", func(ctx context.Context, c *Client) error { return c.Servers.Delete(ctx, "srv_1") }, "servers.delete", "its scope servers:delete is in the destructive tier"},
		{"Backups.Restore", func(ctx context.Context, c *Client) error {
			_, err := c.Backups.Restore(ctx, "bk_1", &resources.BackupRestore{TargetServerID: "s"})
			return err
		}, "backups.restore", "its scope backups:restore is in the destructive tier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newPathServer(t, nil)
			g := &guardLog{err: errors.New("no")}
			c := newTestClient(t, srv.URL+"/api/v1", WithDestructiveGuard(g.guard))
			err := tt.call(context.Background(), c)
			if !errors.Is(err, ErrGuardRefused) {
				t.Fatalf("err = %v, want ErrGuardRefused", err)
			}
			if s.count("") != 0 {
				t.Errorf("server saw %d requests", s.count(""))
			}
			if len(g.ops) != 1 || g.ops[0].ID != tt.wantID || g.ops[0].Reason != tt.wantReason {
				t.Errorf("guard saw %+v, want %s because %s", g.ops, tt.wantID, tt.wantReason)
			}
		})
	}
}

// TestTypedCallsRefuseWhatWasNotMeant checks that path parameters that
// would change the path, and missing required bodies, are refused locally.
func TestTypedCallsRefuseWhatWasNotMeant(t *testing.T) {
	restore := &resources.BackupRestore{TargetServerID: "srv_2"}
	tests := []struct {
		name      string
		call      func(ctx context.Context, c *Client) error
		wantParam string // "" when the call must go out
		wantSent  string // "METHOD path" the server must see when it goes out
	}{
		{"empty key ID on DELETE", func(ctx context.Context, c *Client) error { return c.APIKeys.Delete(ctx, "") }, "path parameter keyId", ""},
		{"dot-dot backup ID on restore", func(ctx context.Context, c *Client) error {
			_, err := c.Backups.Restore(ctx, "..", restore)
			return err
		}, "path parameter backupId", ""},
		{"dot backup ID on restore", func(ctx context.Context, c *Client) error {
			_, err := c.Backups.Restore(ctx, ".", restore)
			return err
		}, "path parameter backupId", ""},
		{"escaped dot-dot (%2e%2e) server ID", func(ctx context.Context, c *Client) error { return c.Servers.Delete(ctx, "%2e%2e") }, "path parameter serverId", ""},
		{"escaped dot (%2E) team ID", func(ctx context.Context, c *Client) error { return c.Teams.Delete(ctx, "%2E") }, "path parameter teamId", ""},
		{"traversal inside an ID", func(ctx context.Context, c *Client) error { return c.Teams.Delete(ctx, "x/../../api-keys/key_1") }, "path parameter teamId", ""},
		{"empty ID on GET", func(ctx context.Context, c *Client) error {
			_, err := c.Backups.Get(ctx, "")
			return err
		}, "path parameter backupId", ""},
		{"nil required restore body", func(ctx context.Context, c *Client) error {
			_, err := c.Backups.Restore(ctx, "bk_1", nil)
			return err
		}, "body", ""},
		{"nil required pull body", func(ctx context.Context, c *Client) error {
			_, err := c.Members.Pull(ctx, nil)
			return err
		}, "body", ""},
		{"an ID with a slash and a space is escaped and sent", func(ctx context.Context, c *Client) error {
			_, err := c.Backups.Get(ctx, "bk 1/x")
			return err
		}, "", "GET /backups/bk%201%2Fx"},
		{"an ID with dots inside is sent", func(ctx context.Context, c *Client) error {
			_, err := c.Domains.Get(ctx, "example.com")
			return err
		}, "", "GET /domains/example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, srv := newPathServer(t, nil)
			c := newTestClient(t, srv.URL+"/api/v1")
			err := tt.call(context.Background(), c)
			if tt.wantParam == "" {
				if err != nil && errors.Is(err, ErrInvalidRequest) {
					t.Fatalf("refused: %v", err)
				}
				if s.count(tt.wantSent) != 1 {
					t.Errorf("server saw %v, want %s", s.lines(), tt.wantSent)
				}
				return
			}
			var ire *InvalidRequestError
			if !errors.Is(err, ErrInvalidRequest) || !errors.As(err, &ire) || ire.Param != tt.wantParam {
				t.Fatalf("err = %v, want an *InvalidRequestError for %s", err, tt.wantParam)
			}
			if !strings.Contains(err.Error(), "nothing was sent") || !strings.Contains(err.Error(), ire.Operation) {
				t.Errorf("err = %q: want the operation named and 'nothing was sent'", err)
			}
			if n := s.count(""); n != 0 {
				t.Errorf("server saw %d requests: %v", n, s.lines())
			}
		})
	}
}

// TestRawPullIsPaced checks that a raw request matching members.pull gets
// the operation's own budget (50 members per minute per target server).
func TestRawPullIsPaced(t *testing.T) {
	s, srv := newPathServer(t, nil)
	c := newTestClient(t, srv.URL+"/api/v1", WithMaxWait(50*time.Millisecond))
	ids := make([]string, 50)
	for i := range ids {
		ids[i] = fmt.Sprint(100000000000000000 + i)
	}
	body := map[string]any{"targetServerId": "srv_9", "memberIds": ids}
	if _, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/members/pull", Body: body}, nil); err != nil {
		t.Fatal(err)
	}
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/members/pull", Body: map[string]any{"targetServerId": "srv_9", "memberIds": ids[:1]}}, nil)
	var rle *RateLimitError
	if !errors.As(err, &rle) || !rle.Local {
		t.Fatalf("second raw pull: err = %v, want a local *RateLimitError", err)
	}
	if n := s.count("POST /members/pull"); n != 1 {
		t.Errorf("server saw %d pulls, want 1", n)
	}
}

// TestRedirectsKeepAtMostOnce checks that a request answered with a
// redirect was received: whatever befalls the follow-up, a request that may
// not be resent is not, and no redirect carries a write off the API host.
func TestRedirectsKeepAtMostOnce(t *testing.T) {
	restoreBody := map[string]string{"targetServerId": "srv_2"}
	refusedAddr := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		_ = ln.Close()
		return addr
	}()
	errIs := func(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }
	tests := []struct {
		name string
		req  Request
		// handle answers the API host; other is the other host's URL.
		handle    func(w http.ResponseWriter, r *http.Request, path, other string)
		dialFails string // a path whose dial the client's transport fails
		forbidden string // "METHOD path" the API host must not see
		wantOrig  int    // times the API host saw the caller's request
		wantOther int    // requests the other host saw
		wantErr   func(error) bool
	}{
		{
			name: "POST 303, the follow-up GET meets a 429",
			req:  Request{Method: "POST", Path: "/backups/bk_1/restore", Body: restoreBody},
			handle: func(w http.ResponseWriter, r *http.Request, path, _ string) {
				if path == "/jobs/1" {
					reply429(w, "0", "", "")
					return
				}
				http.Redirect(w, r, "/api/v1/jobs/1", http.StatusSeeOther)
			},
			wantOrig: 1,
			wantErr:  errIs(ErrRateLimited),
		},
		{
			name: "write POST 303, the follow-up GET meets a 429",
			req:  Request{Method: "POST", Path: "/servers", Body: map[string]string{"guildId": "1"}},
			handle: func(w http.ResponseWriter, r *http.Request, path, _ string) {
				if path == "/jobs/1" {
					reply429(w, "0", "", "")
					return
				}
				http.Redirect(w, r, "/api/v1/jobs/1", http.StatusSeeOther)
			},
			wantOrig: 1,
			wantErr:  errIs(ErrRateLimited),
		},
		{
			name: "POST 303, the follow-up GET's dial fails",
			req:  Request{Method: "POST", Path: "/backups/bk_1/restore", Body: restoreBody},
			handle: func(w http.ResponseWriter, r *http.Request, _, _ string) {
				http.Redirect(w, r, "/api/v1/jobs/1", http.StatusSeeOther)
			},
			dialFails: "/api/v1/jobs/1",
			wantOrig:  1,
			wantErr:   errIs(syscall.ECONNREFUSED),
		},
		{
			name: "POST 303, the follow-up GET meets a 503",
			req:  Request{Method: "POST", Path: "/backups/bk_1/restore", Body: restoreBody},
			handle: func(w http.ResponseWriter, r *http.Request, path, _ string) {
				if path == "/jobs/1" {
					replyError(w, 503, "Service unavailable", "")
					return
				}
				http.Redirect(w, r, "/api/v1/jobs/1", http.StatusSeeOther)
			},
			wantOrig: 1,
			wantErr:  errIs(ErrServer),
		},
		{
			name: "GET 302, the follow-up meets a 429, then succeeds: resent",
			req:  Request{Path: "/servers/srv_1"},
			handle: func() func(w http.ResponseWriter, r *http.Request, path, _ string) {
				var mu sync.Mutex
				n := 0
				return func(w http.ResponseWriter, r *http.Request, path, _ string) {
					if path != "/landing" {
						http.Redirect(w, r, "/api/v1/landing", http.StatusFound)
						return
					}
					mu.Lock()
					n++
					first := n == 1
					mu.Unlock()
					if first {
						reply429(w, "0", "", "")
						return
					}
					replyOK(w, "")
				}
			}(),
			wantOrig: 2,
			wantErr:  func(err error) bool { return err == nil },
		},
		{
			name: "POST 303 to another host is refused",
			req:  Request{Method: "POST", Path: "/backups/bk_1/restore", Body: restoreBody},
			handle: func(w http.ResponseWriter, r *http.Request, _, other string) {
				http.Redirect(w, r, other+"/result", http.StatusSeeOther)
			},
			wantOrig: 1,
			wantErr:  errIs(ErrCrossHostRedirect),
		},
		{
			name: "POST 302 to another host is refused",
			req:  Request{Method: "POST", Path: "/servers", Body: map[string]string{"guildId": "1"}},
			handle: func(w http.ResponseWriter, r *http.Request, _, other string) {
				http.Redirect(w, r, other+"/result", http.StatusFound)
			},
			wantOrig: 1,
			wantErr:  errIs(ErrCrossHostRedirect),
		},
		{
			name: "POST 301 to another host is refused",
			req:  Request{Method: "POST", Path: "/servers", Body: map[string]string{"guildId": "1"}},
			handle: func(w http.ResponseWriter, r *http.Request, _, other string) {
				http.Redirect(w, r, other+"/result", http.StatusMovedPermanently)
			},
			wantOrig: 1,
			wantErr:  errIs(ErrCrossHostRedirect),
		},
		{
			name: "DELETE 303 to another host is refused",
			req:  Request{Method: "DELETE", Path: "/backups/bk_1"},
			handle: func(w http.ResponseWriter, r *http.Request, _, other string) {
				http.Redirect(w, r, other+"/result", http.StatusSeeOther)
			},
			wantOrig: 1,
			wantErr:  errIs(ErrCrossHostRedirect),
		},
		{
			name: "POST 303 on the API host, then 302 to another host, is refused",
			req:  Request{Method: "POST", Path: "/backups/bk_1/restore", Body: restoreBody},
			handle: func(w http.ResponseWriter, r *http.Request, path, other string) {
				if path == "/jobs/1" {
					http.Redirect(w, r, other+"/result", http.StatusFound)
					return
				}
				http.Redirect(w, r, "/api/v1/jobs/1", http.StatusSeeOther)
			},
			wantOrig: 1,
			wantErr:  errIs(ErrCrossHostRedirect),
		},
		{
			name: "POST 303 to a host that refuses connections is refused, not resent",
			req:  Request{Method: "POST", Path: "/backups/bk_1/restore", Body: restoreBody},
			handle: func(w http.ResponseWriter, r *http.Request, _, _ string) {
				http.Redirect(w, r, "http://"+refusedAddr+"/result", http.StatusSeeOther)
			},
			wantOrig: 1,
			wantErr:  errIs(ErrCrossHostRedirect),
		},
		{
			name: "GET 302 to another host is followed without the key",
			req:  Request{Path: "/servers/srv_1"},
			handle: func(w http.ResponseWriter, r *http.Request, _, other string) {
				http.Redirect(w, r, other+"/result", http.StatusFound)
			},
			wantOrig:  1,
			wantOther: 1,
			wantErr:   func(err error) bool { return err == nil },
		},
		{
			name: "POST 307 on the API host to a restore is refused",
			req:  Request{Method: "POST", Path: "/servers", Body: map[string]string{"guildId": "1"}},
			handle: func(w http.ResponseWriter, r *http.Request, path, _ string) {
				if path == "/servers" {
					http.Redirect(w, r, "/api/v1/backups/bk_1/restore", http.StatusTemporaryRedirect)
					return
				}
				replyOK(w, "")
			},
			wantOrig:  1,
			forbidden: "POST /backups/bk_1/restore",
			wantErr:   errIs(ErrRedirectChangesOperation),
		},
		{
			name: "restore 308 to another backup's restore is refused",
			req:  Request{Method: "POST", Path: "/backups/bk_1/restore", Body: restoreBody},
			handle: func(w http.ResponseWriter, r *http.Request, path, _ string) {
				if path == "/backups/bk_1/restore" {
					http.Redirect(w, r, "/api/v1/backups/bk_2/restore", http.StatusPermanentRedirect)
					return
				}
				replyOK(w, "")
			},
			wantOrig:  1,
			forbidden: "POST /backups/bk_2/restore",
			wantErr:   errIs(ErrRedirectChangesOperation),
		},
		{
			name: "POST 307 on the API host to a write is followed",
			req:  Request{Method: "POST", Path: "/servers", Body: map[string]string{"guildId": "1"}},
			handle: func(w http.ResponseWriter, r *http.Request, path, _ string) {
				if path == "/servers" {
					http.Redirect(w, r, "/api/v1/backups", http.StatusTemporaryRedirect)
					return
				}
				replyOK(w, "")
			},
			wantOrig: 1,
			wantErr:  func(err error) bool { return err == nil },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			other, osrv := newPathServer(t, nil)
			var api *fakeAPI
			var asrv *httptest.Server
			api, asrv = newPathServer(t, func(w http.ResponseWriter, r *http.Request, path string) {
				tt.handle(w, r, path, osrv.URL)
			})
			base := http.DefaultTransport.(*http.Transport).Clone()
			t.Cleanup(base.CloseIdleConnections)
			rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				if tt.dialFails != "" && r.URL.Path == tt.dialFails {
					return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
				}
				return base.RoundTrip(r)
			})
			c := newTestClient(t, asrv.URL+"/api/v1", WithHTTPClient(&http.Client{Transport: rt}))
			var out map[string]any
			_, err := c.Do(context.Background(), &tt.req, &out)
			method := tt.req.Method
			if method == "" {
				method = "GET"
			}
			if n := api.count(method + " " + tt.req.Path); n != tt.wantOrig {
				t.Errorf("the API host saw the caller's request %d times, want %d (all: %v)", n, tt.wantOrig, api.lines())
			}
			if tt.forbidden != "" && api.count(tt.forbidden) != 0 {
				t.Errorf("the API host saw %s: %v", tt.forbidden, api.lines())
			}
			if n := other.count(""); n != tt.wantOther {
				t.Errorf("the other host saw %d requests, want %d", n, tt.wantOther)
			}
			if !tt.wantErr(err) {
				t.Errorf("err = %v", err)
			}
			if tt.wantErr(nil) || err == nil {
				return
			}
			if out != nil {
				t.Errorf("the failed call decoded %v", out)
			}
		})
	}
}

// TestRedirectHTTPSToHTTPIsRefused checks that a redirect from the https
// API to plain http is refused, not followed without the key.
func TestRedirectHTTPSToHTTPIsRefused(t *testing.T) {
	for _, req := range []Request{
		{Path: "/servers/srv_1"},
		{Method: "HEAD", Path: "/servers/srv_1"},
		{Method: "POST", Path: "/servers", Body: map[string]string{"guildId": "1"}},
	} {
		t.Run(req.Method+" "+req.Path, func(t *testing.T) {
			plain, psrv := newPathServer(t, nil)
			api := &fakeAPI{respond: func(_ int, w http.ResponseWriter, r *http.Request, _ string) {
				http.Redirect(w, r, psrv.URL+"/api/v1/servers/srv_1", http.StatusFound)
			}}
			tsrv := httptest.NewTLSServer(api)
			t.Cleanup(tsrv.Close)
			c := newTestClient(t, tsrv.URL+"/api/v1", WithHTTPClient(tsrv.Client()))
			_, err := c.Do(context.Background(), &req, nil)
			if !errors.Is(err, ErrInsecureRedirect) {
				t.Errorf("err = %v, want ErrInsecureRedirect", err)
			}
			if n := plain.count(""); n != 0 {
				t.Errorf("the plain http host saw %d requests", n)
			}
			if n := api.count(""); n != 1 {
				t.Errorf("the API saw %d requests, want 1", n)
			}
		})
	}
}

// TestLogRecordsCarryTheClass checks that each attempt's log record says
// what the request was classified as, for typed and raw calls alike.
func TestLogRecordsCarryTheClass(t *testing.T) {
	tests := []struct {
		name       string
		req        Request
		wantOp     string // "" when the record must have no operation
		wantReason string // "" when the record must not say destructive
	}{
		{"raw DELETE without Scope", Request{Method: "DELETE", Path: "/servers/srv_1"}, "servers.delete", "its scope servers:delete is in the destructive tier"},
		{"raw write-tier DELETE", Request{Method: "DELETE", Path: "/backups/bk_1"}, "backups.delete", "it is a DELETE"},
		{"raw unmatched POST", Request{Method: "POST", Path: "/v2/x"}, "", "it matches no known operation and is not a GET or HEAD"},
		{"raw GET", Request{Path: "/servers/srv_1"}, "servers.get", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			_, srv := newPathServer(t, nil)
			c := newTestClient(t, srv.URL+"/api/v1", WithLogger(logger))
			req := tt.req
			if _, err := c.Do(context.Background(), &req, nil); err != nil {
				t.Fatal(err)
			}
			var rec map[string]any
			// The last record is the attempt's; a header-less server also
			// gets the one Warn that the budget is unknown before it.
			lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
			if err := json.Unmarshal(lines[len(lines)-1], &rec); err != nil {
				t.Fatalf("%v: %s", err, buf.String())
			}
			op, _ := rec["operation"].(string)
			reason, _ := rec["reason"].(string)
			destructive, _ := rec["destructive"].(bool)
			if op != tt.wantOp || reason != tt.wantReason || destructive != (tt.wantReason != "") {
				t.Errorf("record has operation %q destructive %v reason %q, want %q and %q", op, destructive, reason, tt.wantOp, tt.wantReason)
			}
		})
	}
}

// TestCheckCall covers what the generated methods never produce but a
// hand-made call of the backend could: a path that does not fit the
// operation's template, a nil required body (refused by Do, which the
// backend sends through), and a nil operation.
func TestCheckCall(t *testing.T) {
	restore, _ := resources.LookupOperation("backups.restore")
	var sent atomic.Int32
	c := newHandlerClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		w.WriteHeader(http.StatusAccepted)
	}))
	tests := []struct {
		name      string
		path      string
		body      any
		wantParam string // "" when accepted
	}{
		{"fits", "/backups/bk_1/restore", map[string]string{}, ""},
		{"another literal", "/backups/bk_1/delete", map[string]string{}, "path"},
		{"extra segment", "/backups/bk_1/restore/now", map[string]string{}, "path"},
		{"missing segment", "/backups/restore", map[string]string{}, "path"},
		{"escaped empty-part traversal", "/backups/%2F%2F/restore", map[string]string{}, "path parameter backupId"},
		{"nil body", "/backups/bk_1/restore", nil, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := sent.Load()
			err := backend{c}.Call(context.Background(), &restore, tt.path, nil, tt.body, nil)
			var ire *InvalidRequestError
			switch {
			case tt.wantParam == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.wantParam != "" && (!errors.As(err, &ire) || ire.Param != tt.wantParam || ire.Operation != "backups.restore"):
				t.Errorf("err = %v, want an *InvalidRequestError for %s", err, tt.wantParam)
			case tt.wantParam != "" && sent.Load() != before:
				t.Errorf("a refused call was sent")
			}
		})
	}
	if err := (backend{}).Call(context.Background(), nil, "/x", nil, nil, nil); err == nil {
		t.Error("a nil operation was accepted")
	}
}
