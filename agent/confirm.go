package agent

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
)

// Confirmation is what a confirmer is asked to approve: one call of one tool
// with exact arguments.
type Confirmation struct {
	// Tool is the tool's name, such as "backups_restore".
	Tool string
	// Operation is the operation ID, such as "backups.restore".
	Operation string
	// Method and Path are the HTTP request the call sends, Path with its
	// parameters filled in.
	Method, Path string
	// Arguments are the exact, validated arguments the call will send.
	Arguments json.RawMessage
	// Summary says in words what will change.
	Summary string
	// Scope is the scope the operation needs.
	Scope restorehub.Scope
	// Reason says why confirmation is needed, such as "it is a DELETE".
	Reason string
	// Nonce identifies this one request for confirmation; an approval is
	// spent by the one call it was asked for and never approves another.
	Nonce string
}

// ErrDeclined is what a confirmer may return to decline a call; any non-nil
// error declines.
var ErrDeclined = errors.New("agent: declined")

// ErrConfirmationPending is what a confirmer returns (or wraps) to say that
// it has asked the user and the answer will come later, out of this call:
// nothing is sent now, and the caller will call again with the answer. The
// MCP server returns it in the first round of a confirmation through input
// requests. The toolkit records the outcome "asked" (at Info level, not as a
// decline), does not ask the confirmers after it (the toolkit's WithConfirm
// included), uses up no WithDestructiveLimit slot, and returns a Result
// telling the model that the user is being asked and not to retry on its own.
var ErrConfirmationPending = errors.New("agent: confirmation pending: the user is being asked")

// confirmersKey is the context key of ContextWithConfirm.
type confirmersKey struct{}

// ContextWithConfirm returns a context carrying fn as an extra confirmer.
// Toolkit.Call asks every confirmer in ctx first, in the order they were
// added, and then the toolkit's WithConfirm, and sends a destructive call
// only when all approve. The first refusal stops the asking: the confirmers
// after it are not called. A confirmer that returns ErrConfirmationPending
// stops it too, without declining: the user is being asked elsewhere and the
// call will come again with the answer, so the toolkit's WithConfirm is
// asked only in the round that can send. A context confirmer never makes a
// tool callable that the toolkit does not list: without WithConfirm,
// destructive tools stay unlisted.
func ContextWithConfirm(ctx context.Context, fn func(ctx context.Context, c Confirmation) error) context.Context {
	if fn == nil {
		return ctx
	}
	prev, _ := ctx.Value(confirmersKey{}).([]func(context.Context, Confirmation) error)
	return context.WithValue(ctx, confirmersKey{}, append(slices.Clip(prev), fn))
}

// confirm asks every confirmer about one destructive call and spends the
// approval; it returns a nil Result when the call may be sent, with the
// destructive limit's slot reserved for it (nil without a limit).
func (tk *Toolkit) confirm(ctx context.Context, e *entry, canon []byte, digest string, p args, rec *auditRecord) (*Result, *time.Time) {
	if tk.cfg.confirm == nil {
		return failed(rec, "refused", "%s is destructive and this toolkit has no confirmer; do not retry; ask the user to run it themselves.", e.def.name)
	}
	if wait, ok := tk.limitWait(); !ok {
		return failed(rec, "limited", "%s refused: at most %d destructive calls are allowed per %v in this session; the next is allowed in %s. Do not retry before then; tell the user.",
			e.def.name, tk.cfg.limitN, tk.cfg.limitPer, wait.Round(time.Second))
	}
	nonce := newNonce()
	tk.mu.Lock()
	tk.pending[nonce] = digest
	tk.mu.Unlock()
	spent := false
	defer func() {
		if !spent {
			tk.mu.Lock()
			delete(tk.pending, nonce)
			tk.mu.Unlock()
		}
	}()
	path := e.path.fill(p)
	c := Confirmation{
		Tool: e.def.name, Operation: e.def.operation,
		Method: e.class.Method, Path: path,
		Summary: summary(e, path, p), Scope: e.class.Scope, Reason: e.class.Reason, Nonce: nonce,
	}
	// The context's confirmers first, the toolkit's last: a round that
	// only asks the user (ErrConfirmationPending) never reaches it.
	extra, _ := ctx.Value(confirmersKey{}).([]func(context.Context, Confirmation) error)
	confirmers := append(slices.Clip(extra), tk.cfg.confirm)
	for i, fn := range confirmers {
		ask := c
		ask.Arguments = slices.Clone(json.RawMessage(canon))
		err := fn(ctx, ask)
		if err == nil {
			continue
		}
		if errors.Is(err, ErrConfirmationPending) {
			rec.outcome = "asked"
			return &Result{IsError: true, Text: fmt.Sprintf("%s needs the user's confirmation and the user is being asked now; nothing was sent yet. "+
				"Do not call %s again on your own: wait for the user's answer, and call it again only if the user asks you to.", e.def.name, e.def.name)}, nil
		}
		who := "the session's confirmer"
		if i == len(confirmers)-1 {
			who = "the toolkit's confirmer"
		}
		return failed(rec, "declined", "%s was not confirmed (%s: %v); nothing was sent. Do not retry unless the user asks you to.", e.def.name, who, err)
	}
	rec.confirmedBy = "toolkit"
	if len(extra) > 0 {
		rec.confirmedBy = fmt.Sprintf("toolkit+context(%d)", len(extra))
	}
	tk.mu.Lock()
	bound, ok := tk.pending[nonce]
	delete(tk.pending, nonce)
	spent = true
	var (
		slot    *time.Time
		limited bool
	)
	if ok && bound == digest {
		slot, limited = tk.reserveLocked()
	}
	tk.mu.Unlock()
	if !ok || bound != digest {
		return failed(rec, "refused", "%s refused: its confirmation was already used or does not match these arguments; nothing was sent. Ask the user again.", e.def.name)
	}
	if limited {
		return failed(rec, "limited", "%s refused: at most %d destructive calls are allowed per %v in this session. Do not retry now; tell the user.", e.def.name, tk.cfg.limitN, tk.cfg.limitPer)
	}
	return nil, slot
}

// failed is fail for confirm, which also returns a slot: none.
func failed(rec *auditRecord, outcome, format string, a ...any) (*Result, *time.Time) {
	return fail(rec, outcome, format, a...), nil
}

// summary says in words what a destructive call will change: the
// operation, the request, every argument, and why it needs confirmation.
func summary(e *entry, path string, p args) string {
	what := e.def.title
	if what == "" {
		what = e.def.operation
	}
	keys := slices.Sorted(maps.Keys(p))
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+shorten(string(p[k]), 120))
	}
	argText := "no arguments"
	if len(parts) > 0 {
		argText = strings.Join(parts, ", ")
	}
	return fmt.Sprintf("%s. This sends %s %s (%s). It needs confirmation because %s; it needs %s.",
		strings.TrimSuffix(what, "."), e.class.Method, path, argText, e.class.Reason, scopeText(e.class.Scope))
}

func scopeText(s restorehub.Scope) string {
	if s == "" {
		return "no documented scope"
	}
	return "the scope " + string(s)
}

// newNonce returns 128 random bits in hex.
func newNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
