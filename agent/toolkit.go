package agent

import (
	"context"
	"encoding/json"
	"errors"
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
	errs           []error
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
// one call, anything else declines it and nothing is sent. Without
// WithConfirm, destructive tools are neither listed nor callable.
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
// arguments themselves are never logged.
func WithAudit(logger *slog.Logger) Option { return func(c *config) { c.audit = logger } }

// WithDestructiveLimit allows at most n destructive calls to be sent per
// period, for example one restore per hour; further calls are refused with a
// Result saying when to try again. n must be positive and per longer than
// zero.
func WithDestructiveLimit(n int, per time.Duration) Option {
	return func(c *config) { c.limitN, c.limitPer = n, per }
}

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

// Tool describes one tool: an operation of the API.
type Tool struct {
	// Name is the operation ID with "." replaced by "_", such as "backups_restore".
	Name string
	// Title is a short human-readable title.
	Title string
	// Description says what the tool does, its scope, tier and pacing, and
	// warns when the operation is inferred.
	Description string
	// InputSchema is the JSON Schema of the arguments: one object holding
	// the path, query and body arguments.
	InputSchema json.RawMessage
	// Operation is the operation ID, such as "backups.restore".
	Operation string
	// Scope is the scope the operation needs; "" when it needs none.
	Scope restorehub.Scope
	// ReadOnly reports that the tool cannot change state.
	ReadOnly bool
	// Destructive reports that the tool needs confirmation: a
	// destructive-tier scope or a DELETE.
	Destructive bool
	// Idempotent reports that calling the tool twice has the effect of once.
	Idempotent bool
	// OpenWorld reports that the tool reaches beyond Restore Hub (Discord,
	// payment providers, webhooks); it is true for every tool.
	OpenWorld bool
	// Inferred reports that the operation is a guess from a scope name, not
	// documented by Restore Hub.
	Inferred bool
	// Toolset is the resource the tool belongs to, such as "backups".
	Toolset string
}

// Result is the outcome of a call, for the model.
type Result struct {
	// IsError reports that the call failed; Text then says what to do next.
	IsError bool
	// Text is a short description of the outcome.
	Text string
	// Data is the response's JSON on success; nil when there is none.
	Data json.RawMessage
}

// ErrUnknownTool is wrapped by the error Call returns for a tool name the
// toolkit does not list.
var ErrUnknownTool = errors.New("agent: unknown tool")

// Toolkit is a set of tools bound to one client. It is safe for concurrent
// use.
type Toolkit struct {
	client *restorehub.Client
	cfg    config
}

// New returns a Toolkit over c. It fails when the key's scopes are known
// neither from WithScopes nor from the client's restorehub.WithScopes.
func New(c *restorehub.Client, opts ...Option) (*Toolkit, error) {
	return nil, errors.New("agent: not implemented")
}

// Tools returns the tools the toolkit lists, sorted by name.
func (tk *Toolkit) Tools() []Tool { return nil }

// Call calls the tool name with args (a JSON object). The error is non-nil
// only when the toolkit does not list name; every other failure is a Result
// with IsError set.
func (tk *Toolkit) Call(ctx context.Context, name string, args json.RawMessage) (*Result, error) {
	return nil, ErrUnknownTool
}

// OnToolsChanged registers fn to be called when the tool list changes, as
// when a 403 carrying the key's scopes narrows it. fn is called
// synchronously, after the change, from the goroutine of the Call that
// caused it, with no lock held.
func (tk *Toolkit) OnToolsChanged(fn func()) {}

// ContextWithConfirm returns a context carrying fn as an extra confirmer.
// Toolkit.Call asks both the toolkit's WithConfirm and every confirmer in
// ctx, and sends a destructive call only when all approve.
func ContextWithConfirm(ctx context.Context, fn func(ctx context.Context, c Confirmation) error) context.Context {
	return ctx
}

// OpenAITools renders tools in the shape of the OpenAI Chat Completions
// "tools" parameter: [{"type":"function","function":{"name","description","parameters"}}].
func OpenAITools(tools []Tool) json.RawMessage { return json.RawMessage("[]") }

// AnthropicTools renders tools in the shape of the Anthropic Messages
// "tools" parameter: [{"name","description","input_schema"}].
func AnthropicTools(tools []Tool) json.RawMessage { return json.RawMessage("[]") }
