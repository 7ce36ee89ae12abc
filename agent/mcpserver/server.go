// Package mcpserver serves an agent.Toolkit over the Model Context Protocol,
// on the official Go SDK (github.com/modelcontextprotocol/go-sdk).
//
// New registers every tool the toolkit lists, with its JSON Schema and with
// every annotation set explicitly: title, readOnlyHint, destructiveHint,
// idempotentHint and openWorldHint. When the toolkit's list changes (a 403
// from the server narrowed the key's scopes), the server's list follows and
// the SDK sends notifications/tools/list_changed.
//
// A destructive call asks the human in the MCP client before anything is
// sent, showing what will change (the toolkit's summary and the exact
// arguments):
//
//   - on protocol version 2026-07-28 and later, through the multi round-trip
//     input requests of SEP-2322: the first tools/call answers with an
//     elicitation input request and an opaque requestState; the client asks
//     the user and retries the call with the answer;
//   - on older protocol versions, through elicitation/create sent during the
//     call.
//
// The question is added with agent.ContextWithConfirm, on top of the
// toolkit's own WithConfirm: both must approve. The toolkit asks the MCP
// question first and its own WithConfirm last, so that the first round of
// an input request (which only asks, with agent.ErrConfirmationPending)
// never reaches WithConfirm: it is asked once, in the round that can send.
// The audit trail records that first round as "asked", then the retry's
// outcome. A decline, a cancel, a
// client that supports neither mechanism, or an answer that does not match
// the question asked, sends nothing; the tool result is an error that tells
// the model so. An approval is spent by the one call it was given for.
package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
)

// Option configures the server made by New.
type Option func(*config)

// config is what the options set.
type config struct {
	impl       *mcp.Implementation
	serverOpts mcp.ServerOptions
	ttl        time.Duration
	maxPending int
	logger     *slog.Logger
	now        func() time.Time
}

// DefaultInstructions are the instructions the server gives clients for the
// model unless WithServerOptions sets others.
const DefaultInstructions = "These tools call the Restore Hub API with one API key. Only what the key's scopes allow is listed; " +
	"the list can change when the server reports fewer scopes. A failed call's result says what to do next: follow it. " +
	"When the user declines a confirmation, nothing is sent: do not retry unless the user asks."

// DefaultConfirmTimeout is how long a question asked through an input
// request stays answerable unless WithConfirmTimeout says otherwise.
const DefaultConfirmTimeout = 10 * time.Minute

// defaultMaxPending bounds the questions waiting for an answer, so that a
// client that never answers cannot grow the server's memory.
const defaultMaxPending = 256

// WithImplementation sets the name, title and version the server reports
// to clients. The default is "restorehub-mcp" with the SDK's version.
func WithImplementation(impl mcp.Implementation) Option {
	return func(c *config) {
		if impl.Name != "" {
			c.impl = &impl
		}
	}
}

// WithServerOptions sets the options given to mcp.NewServer, such as
// Instructions (when empty: DefaultInstructions followed by the toolkit's
// Instructions) or a Logger. The tools capability with listChanged is
// always declared, so that clients learn the list can change even while it
// is empty.
func WithServerOptions(opts mcp.ServerOptions) Option {
	return func(c *config) { c.serverOpts = opts }
}

// WithConfirmTimeout sets how long a question asked through an input
// request (protocol 2026-07-28 and later) stays answerable; an answer that
// comes later sends nothing and asks the model to call the tool again.
// Values of zero or less keep DefaultConfirmTimeout.
func WithConfirmTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.ttl = d
		}
	}
}

// WithLogger makes the server log what it skips or refuses (a tool whose
// schema the SDK would reject, a confirmation that could not be asked) to
// logger. It never logs the API key or tool arguments. The default discards.
func WithLogger(logger *slog.Logger) Option {
	return func(c *config) {
		if logger != nil {
			c.logger = logger
		}
	}
}

// New returns an MCP server that serves the tools of tk; serve it with
// (*mcp.Server).Run or mcp.NewStreamableHTTPHandler. It keeps its tool list
// equal to tk.Tools(), registering for tk.OnToolsChanged. A nil tk gives a
// server that lists no tools.
func New(tk *agent.Toolkit, opts ...Option) *mcp.Server {
	cfg := config{
		ttl:        DefaultConfirmTimeout,
		maxPending: defaultMaxPending,
		logger:     slog.New(slog.DiscardHandler),
		now:        time.Now,
	}
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	impl := cfg.impl
	if impl == nil {
		impl = &mcp.Implementation{Name: "restorehub-mcp", Title: "Restore Hub", Version: restorehub.Version}
	}
	so := cfg.serverOpts
	so.Capabilities = withTools(so.Capabilities)
	if so.SetCacheable == nil {
		so.SetCacheable = toolsCacheHint
	}
	if so.Instructions == "" {
		so.Instructions = DefaultInstructions
		if tk != nil { // what every tool shares, said once instead of in each tool
			so.Instructions += " " + tk.Instructions()
		}
	}
	s := mcp.NewServer(impl, &so)
	if tk == nil {
		cfg.logger.Error("mcpserver: nil toolkit; the server lists no tools")
		return s
	}
	serve(s, tk, agent.ContextWithConfirm, cfg)
	return s
}

// withTools returns caps (copied) with the tools capability and its
// listChanged flag, so that clients learn the list can change even while it
// is empty.
func withTools(caps *mcp.ServerCapabilities) *mcp.ServerCapabilities {
	var out mcp.ServerCapabilities
	if caps != nil {
		out = *caps
	}
	out.Tools = &mcp.ToolCapabilities{ListChanged: true}
	return &out
}

// toolkit is what the bridge needs of an *agent.Toolkit; tests give a
// stand-in.
type toolkit interface {
	Tools() []agent.Tool
	Call(ctx context.Context, name string, args json.RawMessage) (*agent.Result, error)
	OnToolsChanged(fn func())
}

// confirmFunc is the signature of a confirmer.
type confirmFunc = func(ctx context.Context, c agent.Confirmation) error

// serve makes s serve the tools of tk, adding the MCP confirmer to each
// call's context with withConfirm.
func serve(s *mcp.Server, tk toolkit, withConfirm func(context.Context, confirmFunc) context.Context, cfg config) *bridge {
	sl, err := newSealer()
	if err != nil {
		// Without randomness no question can be sealed: every destructive
		// call is refused (sealing fails closed too), reads still work.
		cfg.logger.Error("mcpserver: " + err.Error())
	}
	b := &bridge{
		sealer:      sl,
		tk:          tk,
		withConfirm: withConfirm,
		srv:         s,
		cfg:         cfg,
		listed:      make(map[string][]byte),
		pending:     newPendingStore(cfg.ttl, cfg.maxPending, cfg.now),
	}
	b.sync()
	tk.OnToolsChanged(b.sync)
	return b
}

// bridge connects one toolkit to one MCP server.
type bridge struct {
	tk          toolkit
	withConfirm func(context.Context, confirmFunc) context.Context
	srv         *mcp.Server
	cfg         config
	pending     *pendingStore
	sealer      *sealer // seals each requestState for the caller it was asked of

	mu     sync.Mutex
	listed map[string][]byte // by tool name: the JSON of each MCP definition the server lists now
}

// sync makes the server's tool list equal to the toolkit's: it removes the
// tools no longer listed and adds (or replaces) new and changed ones. The
// SDK notifies tools/list_changed for each change, coalescing bursts.
func (b *bridge) sync() {
	b.mu.Lock()
	defer b.mu.Unlock()
	want := make(map[string]bool)
	for _, t := range b.tk.Tools() {
		def, err := mcpTool(t)
		if err != nil {
			b.cfg.logger.Error("mcpserver: tool not served", "tool", t.Name, "error", err)
			continue
		}
		raw, err := json.Marshal(def)
		if err != nil {
			b.cfg.logger.Error("mcpserver: tool not served", "tool", t.Name, "error", err)
			continue
		}
		want[t.Name] = true
		if old, ok := b.listed[t.Name]; ok && bytes.Equal(old, raw) {
			continue
		}
		b.srv.AddTool(def, b.handler(t.Name))
		b.listed[t.Name] = raw
	}
	var gone []string
	for name := range b.listed {
		if !want[name] {
			gone = append(gone, name)
			delete(b.listed, name)
		}
	}
	if len(gone) > 0 {
		b.srv.RemoveTools(gone...)
	}
}

// handler returns the MCP handler of the tool name.
func (b *bridge) handler(name string) mcp.ToolHandler {
	return func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		args := normalizeArgs(req.Params.Arguments)
		if usesInputRequests(req) {
			return b.callWithInputRequests(ctx, req, name, args)
		}
		return b.callWithElicit(ctx, req, name, args)
	}
}

// normalizeArgs turns absent or null arguments into the empty object, the
// way clients mean them for a tool without required arguments.
func normalizeArgs(raw json.RawMessage) json.RawMessage {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return json.RawMessage("{}")
	}
	return raw
}

// call runs the tool through the toolkit with confirm as the MCP
// confirmer, and maps the outcome.
func (b *bridge) call(ctx context.Context, name string, args json.RawMessage, confirm confirmFunc) *mcp.CallToolResult {
	res, err := b.tk.Call(b.withConfirm(ctx, confirm), name, args)
	if err != nil {
		// Only an unknown tool gets here: the list changed under the call.
		return errorResult("The tool " + name + " is no longer available to this key, so nothing was sent. " +
			"List the tools again and use one that is listed.")
	}
	return toCallToolResult(res)
}
