package agent

import (
	"context"
	"log/slog"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
)

// Option configures a Toolkit.
type Option func(*config)

// config is what the options set.
type config struct {
	scopes         []restorehub.Scope
	scopesSet      bool
	readOnly       bool
	confirm        func(ctx context.Context, c Confirmation) error
	toolsets       []string
	documentedOnly bool
	audit          *slog.Logger
	limitN         int
	limitPer       time.Duration
	discovery      bool
	maxResult      int
	observe        func(ctx context.Context, tool string, scope restorehub.Scope) (context.Context, func(outcome string, status int))
}

// WithScopes declares the scopes the key holds. Only operations these scopes
// allow (and operations that need no scope) are listed. Without it the
// toolkit uses the scopes given to the client's restorehub.WithScopes; when
// neither is known, New fails.
func WithScopes(scopes ...restorehub.Scope) Option {
	return func(c *config) {
		c.scopes = append([]restorehub.Scope(nil), scopes...)
		c.scopesSet = true
	}
}

// ReadOnly lists only read-only tools: GET operations of the read tier.
func ReadOnly() Option { return func(c *config) { c.readOnly = true } }

// WithConfirm sets the function that approves each destructive call
// (destructive tier, or any DELETE). It receives the operation, the exact
// arguments and a summary of what will change; returning nil approves that
// one call, anything else declines it and nothing is sent. Each call asks
// again, with a new Confirmation.Nonce: no approval is remembered. fn may be
// called from several goroutines at once. Without WithConfirm, destructive
// tools are neither listed nor callable.
//
// fn is asked last, after every confirmer of ContextWithConfirm approved,
// and only when the call is within WithDestructiveLimit: when a context
// confirmer declines or returns ErrConfirmationPending, fn is not called.
// So fn is called once for each call that is then sent (unless the client
// refuses it locally or the limit filled up meanwhile), never for a round
// that only asks the user. Both must approve: fn's refusal sends nothing.
func WithConfirm(fn func(ctx context.Context, c Confirmation) error) Option {
	return func(c *config) { c.confirm = fn }
}

// WithToolsets lists only the tools of the named toolsets. A toolset is a
// resource of the API, such as "backups" or "members"; Toolsets returns them
// all. Unknown names make New fail.
func WithToolsets(names ...string) Option {
	return func(c *config) { c.toolsets = append(c.toolsets, names...) }
}

// DocumentedOnly hides the operations inferred from scope names rather than
// documented by Restore Hub.
func DocumentedOnly() Option { return func(c *config) { c.documentedOnly = true } }

// WithAudit writes one record per tool call to logger: the tool, its scope,
// a SHA-256 of the arguments, the outcome and who confirmed. The key and the
// arguments themselves are never logged. Records of the outcomes "ok" and
// "asked" (a confirmer returned ErrConfirmationPending: nothing was sent,
// the user is being asked) are logged at Info level, every other outcome
// ("declined", "refused", "limited", "invalid_arguments", API errors) at
// Warn.
func WithAudit(logger *slog.Logger) Option { return func(c *config) { c.audit = logger } }

// WithDestructiveLimit allows at most n destructive calls to be sent per
// period, for example one restore per hour; further calls are refused with a
// Result saying when to try again, before anyone is asked. Only calls that
// are sent count: a call whose confirmation is pending or declined, and a
// call the client refuses locally without sending it (its destructive
// guard, its scopes, a pacing or budget wait longer than its maximum: an
// error with Local set, restorehub.ErrGuardRefused or
// restorehub.ErrInvalidRequest), leaves its slot free. A call that reached
// Restore Hub counts even when the server refused it. The limit counts the
// calls of one Toolkit, so give each agent session its own Toolkit. n must
// be positive and per longer than zero.
func WithDestructiveLimit(n int, per time.Duration) Option {
	return func(c *config) { c.limitN, c.limitPer = n, per }
}
