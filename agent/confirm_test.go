package agent_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
)

// auditLines decodes the JSON audit records in buf.
func auditLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if l == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		out = append(out, rec)
	}
	return out
}

// TestConfirmationPending: a confirmer that returns ErrConfirmationPending
// sends nothing, is audited as "asked" at Info level (not as a decline),
// and stops the asking, so the toolkit's WithConfirm, asked last, is not
// called; the toolkit's WithConfirm is called exactly once per sent call.
func TestConfirmationPending(t *testing.T) {
	pending := func(context.Context, agent.Confirmation) error { return agent.ErrConfirmationPending }
	wrappedPending := func(context.Context, agent.Confirmation) error {
		return fmt.Errorf("asked in the chat window: %w", agent.ErrConfirmationPending)
	}
	decline := func(context.Context, agent.Confirmation) error { return agent.ErrDeclined }
	type confirmFn = func(context.Context, agent.Confirmation) error
	for _, tc := range []struct {
		name        string
		ctx         []confirmFn
		own         confirmFn // nil approves
		wantOutcome string
		wantLevel   string
		wantOwn     int // calls of the toolkit's WithConfirm
		wantSent    int
		wantText    []string
	}{
		{name: "session pending", ctx: []confirmFn{pending}, wantOutcome: "asked", wantLevel: "INFO",
			wantText: []string{"the user is being asked", "nothing was sent", "Do not call backups_restore again on your own"}},
		{name: "second session confirmer pending", ctx: []confirmFn{approve, wrappedPending}, wantOutcome: "asked", wantLevel: "INFO",
			wantText: []string{"the user is being asked"}},
		{name: "toolkit pending", own: wrappedPending, wantOutcome: "asked", wantLevel: "INFO", wantOwn: 1,
			wantText: []string{"the user is being asked"}},
		{name: "session declines", ctx: []confirmFn{decline}, wantOutcome: "declined", wantLevel: "WARN",
			wantText: []string{"session's confirmer", "nothing was sent"}},
		{name: "toolkit declines", ctx: []confirmFn{approve}, own: decline, wantOutcome: "declined", wantLevel: "WARN", wantOwn: 1,
			wantText: []string{"toolkit's confirmer", "nothing was sent"}},
		{name: "both approve", ctx: []confirmFn{approve}, wantOutcome: "ok", wantLevel: "INFO", wantOwn: 1, wantSent: 1},
		{name: "toolkit alone approves", wantOutcome: "ok", wantLevel: "INFO", wantOwn: 1, wantSent: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
			var buf bytes.Buffer
			var own atomic.Int32
			tk, err := agent.New(c, agent.WithScopes(restorehub.ScopeAll), agent.WithDestructiveLimit(5, time.Hour),
				agent.WithAudit(slog.New(slog.NewJSONHandler(&buf, nil))),
				agent.WithConfirm(func(ctx context.Context, cf agent.Confirmation) error {
					own.Add(1)
					if tc.own != nil {
						return tc.own(ctx, cf)
					}
					return nil
				}))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			for _, fn := range tc.ctx {
				ctx = agent.ContextWithConfirm(ctx, fn)
			}
			res, err := tk.Call(ctx, "backups_restore", json.RawMessage(restoreArgs))
			if err != nil {
				t.Fatal(err)
			}
			if n := srv.Count("backups.restore"); n != tc.wantSent {
				t.Fatalf("sent %d restores, want %d: %+v", n, tc.wantSent, res)
			}
			if n := int(own.Load()); n != tc.wantOwn {
				t.Errorf("the toolkit's WithConfirm was called %d times, want %d", n, tc.wantOwn)
			}
			if res.IsError != (tc.wantSent == 0) {
				t.Errorf("IsError %v: %s", res.IsError, res.Text)
			}
			for _, w := range tc.wantText {
				if !strings.Contains(res.Text, w) {
					t.Errorf("text %q lacks %q", res.Text, w)
				}
			}
			recs := auditLines(t, &buf)
			if len(recs) != 1 {
				t.Fatalf("%d audit records, want 1:\n%s", len(recs), buf.String())
			}
			if recs[0]["outcome"] != tc.wantOutcome || recs[0]["level"] != tc.wantLevel {
				t.Errorf("audit outcome %v at %v, want %s at %s", recs[0]["outcome"], recs[0]["level"], tc.wantOutcome, tc.wantLevel)
			}
			if n := tk.DestructiveSlotsUsed(); n != tc.wantSent {
				t.Errorf("%d destructive slots used, want %d", n, tc.wantSent)
			}
		})
	}
}

// TestDestructiveLimitCountsOnlySentCalls: a destructive call uses up a
// WithDestructiveLimit slot only when it is sent. Pending and declined
// confirmations, and calls the client refuses locally (its guard, a rate
// wait longer than its maximum), leave the slot free for the next call; a
// call the server refuses was sent and counts.
func TestDestructiveLimitCountsOnlySentCalls(t *testing.T) {
	var guardAsked atomic.Int32 // the guard refuses the first request it is asked about
	for _, tc := range []struct {
		name       string
		clientOpts []restorehub.Option
		before     func(t *testing.T, tk *agent.Toolkit) // spends what the case needs first
		ctxConfirm func(context.Context, agent.Confirmation) error
		args       string
		wantSent   int // restores that reached the fake
		wantUsed   int // slots used after the call
		wantText   string
		thenSends  bool // a following approved call is sent (the slot is free)
	}{
		{name: "pending", ctxConfirm: func(context.Context, agent.Confirmation) error { return agent.ErrConfirmationPending },
			wantText: "being asked", thenSends: true},
		{name: "declined", ctxConfirm: func(context.Context, agent.Confirmation) error { return agent.ErrDeclined },
			wantText: "not confirmed", thenSends: true},
		{name: "refused by the client's guard",
			clientOpts: []restorehub.Option{restorehub.WithDestructiveGuard(func(context.Context, restorehub.Operation) error {
				if guardAsked.Add(1) == 1 {
					return errors.New("not now")
				}
				return nil
			})},
			wantText: "destructive guard refused", thenSends: true},
		{name: "refused by the client's rate wait",
			clientOpts: []restorehub.Option{restorehub.WithRequestRate(0.001, 1), restorehub.WithMaxWait(time.Millisecond)},
			before: func(t *testing.T, tk *agent.Toolkit) {
				// Spends the one request the rate allows.
				if res, _ := tk.Call(context.Background(), "backups_get", json.RawMessage(`{"backupId":"backup_0002"}`)); res.IsError {
					t.Fatalf("read: %+v", res)
				}
			},
			wantText: "Rate limited"},
		{name: "sent, refused by the server", args: `{"backupId":"backup_9999","targetServerId":"server_0001"}`,
			wantSent: 1, wantUsed: 1, wantText: "Not found"},
		{name: "sent", wantSent: 1, wantUsed: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := fake(t, []restorehub.Scope{restorehub.ScopeAll})
			c, err := restorehub.New(testKey, append([]restorehub.Option{restorehub.WithBaseURL(srv.URL()), restorehub.WithHTTPClient(srv.Client()),
				restorehub.WithMaxRetries(0), restorehub.WithoutPacing()}, tc.clientOpts...)...)
			if err != nil {
				t.Fatal(err)
			}
			tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(approve), agent.WithDestructiveLimit(1, time.Hour))
			if tc.before != nil {
				tc.before(t, tk)
			}
			ctx := context.Background()
			if tc.ctxConfirm != nil {
				ctx = agent.ContextWithConfirm(ctx, tc.ctxConfirm)
			}
			args := restoreArgs
			if tc.args != "" {
				args = tc.args
			}
			res, err := tk.Call(ctx, "backups_restore", json.RawMessage(args))
			if err != nil {
				t.Fatal(err)
			}
			if n := srv.Count("backups.restore"); n != tc.wantSent {
				t.Fatalf("sent %d restores, want %d: %+v", n, tc.wantSent, res)
			}
			if tc.wantText != "" && !strings.Contains(res.Text, tc.wantText) {
				t.Fatalf("text %q, want %q", res.Text, tc.wantText)
			}
			if n := tk.DestructiveSlotsUsed(); n != tc.wantUsed {
				t.Fatalf("%d destructive slots used, want %d", n, tc.wantUsed)
			}
			// The next approved call is sent while a slot is free, refused
			// by the limit once it is taken.
			next, _ := tk.Call(context.Background(), "backups_restore", json.RawMessage(restoreArgs))
			switch {
			case tc.wantUsed == 1 && (!next.IsError || !strings.Contains(next.Text, "at most 1 destructive calls")):
				t.Fatalf("next call with the slot taken: %+v", next)
			case tc.thenSends && (next.IsError || srv.Count("backups.restore") != tc.wantSent+1 || tk.DestructiveSlotsUsed() != 1):
				t.Fatalf("next call with the slot free: %+v, %d sent, %d used", next, srv.Count("backups.restore"), tk.DestructiveSlotsUsed())
			}
		})
	}
}
