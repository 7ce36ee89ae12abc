package agent

import (
	"context"

	restorehub "github.com/restorehub/restorehub-go"
)

// WithToolObserver calls fn at the start of every tool call of a listed
// tool, with the tool's name and the scope it needs; fn returns the context
// the call runs in (so an observer can attach a span that the client's own
// calls are children of; return ctx to attach nothing) and a function the
// toolkit calls once the call is over, with its outcome (as WithAudit names
// it: "ok", "declined", "refused", "invalid_arguments", ...) and the HTTP
// status, 0 when there was none. The arguments are never given to fn.
//
// The signature is plain Go on purpose: an adapter (the otel module's
// Telemetry.ToolCall) fits it without importing this module, and this
// module imports no telemetry library.
func WithToolObserver(fn func(ctx context.Context, tool string, scope restorehub.Scope) (context.Context, func(outcome string, status int))) Option {
	return func(c *config) { c.observe = fn }
}
