package agent

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
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

// entry is a generated tool with what the toolkit decided about it.
type entry struct {
	def    *toolDef
	tool   Tool
	class  restorehub.Class
	schema *node
}

// catalog compiles every generated tool once.
var catalog = sync.OnceValues(func() ([]*entry, error) {
	out := make([]*entry, 0, len(toolDefs))
	for i := range toolDefs {
		d := &toolDefs[i]
		class, ok := restorehub.ClassifyOperation(d.operation)
		if !ok {
			return nil, fmt.Errorf("agent: tool %s: operation %s is not in the client's operation table", d.name, d.operation)
		}
		n, err := compileSchema([]byte(d.schema))
		if err != nil {
			return nil, fmt.Errorf("agent: tool %s: input schema: %w", d.name, err)
		}
		out = append(out, &entry{
			def: d, class: class, schema: n,
			tool: Tool{
				Name: d.name, Title: d.title, Description: d.description,
				InputSchema: json.RawMessage(d.schema), Operation: d.operation,
				Scope: class.Scope, ReadOnly: class.ReadOnly, Destructive: class.Destructive,
				Idempotent: class.Idempotent, OpenWorld: true, Inferred: d.inferred, Toolset: d.toolset,
			},
		})
	}
	return out, nil
})

// Toolsets returns the names of every toolset, sorted: the API's resources.
func Toolsets() []string {
	var out []string
	for i := range toolDefs {
		if !slices.Contains(out, toolDefs[i].toolset) {
			out = append(out, toolDefs[i].toolset)
		}
	}
	slices.Sort(out)
	return out
}

// Toolkit is a set of tools bound to one client. It is safe for concurrent
// use.
type Toolkit struct {
	client *restorehub.Client
	cfg    config
	all    []*entry

	mu       sync.Mutex
	own      restorehub.ScopeSet  // WithScopes, or the client's
	declared *restorehub.ScopeSet // the client's, when WithScopes is also given
	server   *restorehub.ScopeSet // what a 403 said the key holds
	listed   map[string]*entry
	names    []string // sorted names of listed
	changed  []func()
	pending  map[string]string // nonce → digest of the arguments it was issued for
	sent     []time.Time       // when the destructive calls within the limit's window were sent
	now      func() time.Time  // the clock of the destructive limit
}

// New returns a Toolkit over c. It fails when the key's scopes are known
// neither from WithScopes nor from the client's restorehub.WithScopes (the
// toolkit fails closed), on an unknown scope or toolset, and on a bad
// WithDestructiveLimit.
func New(c *restorehub.Client, opts ...Option) (*Toolkit, error) {
	if c == nil {
		return nil, errors.New("agent: New: nil client")
	}
	var cfg config
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	all, err := catalog()
	if err != nil {
		return nil, err
	}
	tk := &Toolkit{client: c, cfg: cfg, all: all, pending: map[string]string{}, now: time.Now}
	declared, hasDeclared := c.DeclaredScopes()
	switch {
	case cfg.scopesSet:
		for _, s := range cfg.scopes {
			if !s.Valid() {
				return nil, fmt.Errorf("agent: WithScopes: unknown scope %s", truncate(strconv.Quote(string(s)), 60))
			}
		}
		tk.own = restorehub.NewScopeSet(cfg.scopes...)
		if hasDeclared {
			set := restorehub.NewScopeSet(declared...)
			tk.declared = &set
		}
	case hasDeclared:
		tk.own = restorehub.NewScopeSet(declared...)
	default:
		return nil, errors.New("agent: the key's scopes are unknown: pass agent.WithScopes or build the client with restorehub.WithScopes (the toolkit lists nothing it cannot vouch for)")
	}
	known := Toolsets()
	for _, ts := range cfg.toolsets {
		if !slices.Contains(known, ts) {
			return nil, fmt.Errorf("agent: WithToolsets: unknown toolset %s (known: %s)", truncate(strconv.Quote(ts), 60), strings.Join(known, ", "))
		}
	}
	if cfg.limitN != 0 || cfg.limitPer != 0 {
		if cfg.limitN <= 0 || cfg.limitPer <= 0 {
			return nil, fmt.Errorf("agent: WithDestructiveLimit(%d, %v): both must be positive", cfg.limitN, cfg.limitPer)
		}
	}
	tk.mu.Lock()
	tk.relistLocked()
	tk.mu.Unlock()
	return tk, nil
}

// allowsLocked reports whether the toolkit lists e: the key may call it as
// far as the toolkit knows, and the filters keep it.
func (tk *Toolkit) allowsLocked(e *entry) bool {
	s := e.class.Scope
	if !tk.own.Allows(s) || (tk.declared != nil && !tk.declared.Allows(s)) || (tk.server != nil && !tk.server.Allows(s)) {
		return false
	}
	if tk.cfg.readOnly && !e.class.ReadOnly {
		return false
	}
	if e.class.Destructive && tk.cfg.confirm == nil {
		return false
	}
	if len(tk.cfg.toolsets) > 0 && !slices.Contains(tk.cfg.toolsets, e.def.toolset) {
		return false
	}
	if tk.cfg.documentedOnly && e.def.inferred {
		return false
	}
	return true
}

// relistLocked recomputes the listed tools and reports whether they changed.
func (tk *Toolkit) relistLocked() bool {
	listed := map[string]*entry{}
	var names []string
	for _, e := range tk.all {
		if tk.allowsLocked(e) {
			listed[e.def.name] = e
			names = append(names, e.def.name)
		}
	}
	slices.Sort(names)
	changed := !slices.Equal(names, tk.names)
	tk.listed, tk.names = listed, names
	return changed
}

// Tools returns the tools the toolkit lists, sorted by name.
func (tk *Toolkit) Tools() []Tool {
	tk.mu.Lock()
	defer tk.mu.Unlock()
	out := make([]Tool, 0, len(tk.names))
	for _, n := range tk.names {
		t := tk.listed[n].tool
		t.InputSchema = slices.Clone(t.InputSchema)
		out = append(out, t)
	}
	return out
}

// OnToolsChanged registers fn to be called when the tool list changes, as
// when a 403 carrying the key's scopes narrows it. fn is called
// synchronously, after the change, from the goroutine of the Call that
// caused it, with no lock of the toolkit held; it may call Tools.
func (tk *Toolkit) OnToolsChanged(fn func()) {
	if fn == nil {
		return
	}
	tk.mu.Lock()
	tk.changed = append(tk.changed, fn)
	tk.mu.Unlock()
}

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

// Call calls the tool name with args, a JSON object ("" and null mean no
// arguments). The error is non-nil only when the toolkit does not list
// name (it wraps ErrUnknownTool); then nothing is sent. Every other failure
// is a Result with IsError set and a Text saying what to do next: invalid
// arguments, declined, pending or refused confirmations and API errors. Arguments
// are validated against the tool's schema before anything is sent, and a
// destructive call is sent only after every confirmer approved it.
func (tk *Toolkit) Call(ctx context.Context, name string, args json.RawMessage) (*Result, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	tk.mu.Lock()
	e := tk.listed[name]
	tk.mu.Unlock()
	if e == nil {
		return nil, fmt.Errorf("%w %s: it is not in this toolkit's list (call Tools for the list)", ErrUnknownTool, truncate(strconv.Quote(name), 80))
	}
	rec := auditRecord{tool: name, scope: e.class.Scope}
	res := tk.call(ctx, e, args, &rec)
	tk.audit(ctx, rec)
	return res, nil
}

// auditRecord is what the audit log says about one call.
type auditRecord struct {
	tool        string
	scope       restorehub.Scope
	argsHash    string
	outcome     string
	confirmedBy string
	status      int
}

func (tk *Toolkit) audit(ctx context.Context, r auditRecord) {
	if tk.cfg.audit == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("tool", r.tool),
		slog.String("scope", string(r.scope)),
		slog.String("args_sha256", r.argsHash),
		slog.String("outcome", r.outcome),
	}
	if r.confirmedBy != "" {
		attrs = append(attrs, slog.String("confirmed_by", r.confirmedBy))
	}
	if r.status != 0 {
		attrs = append(attrs, slog.Int("status", r.status))
	}
	level := slog.LevelInfo
	if r.outcome != "ok" && r.outcome != "asked" {
		level = slog.LevelWarn
	}
	tk.cfg.audit.LogAttrs(ctx, level, "restorehub agent tool call", attrs...)
}

// fail is an error Result.
func fail(rec *auditRecord, outcome, format string, a ...any) *Result {
	rec.outcome = outcome
	return &Result{IsError: true, Text: fmt.Sprintf(format, a...)}
}

func (tk *Toolkit) call(ctx context.Context, e *entry, raw json.RawMessage, rec *auditRecord) *Result {
	canon, err := canonicalArgs(raw, e.schema)
	if err != nil {
		return fail(rec, "invalid_arguments", "Invalid arguments for %s: %v. Fix the arguments and call again; nothing was sent.", e.def.name, err)
	}
	sum := sha256.Sum256(canon)
	digest := hex.EncodeToString(sum[:])
	rec.argsHash = digest
	var p args
	if err := json.Unmarshal(canon, &p); err != nil {
		return fail(rec, "invalid_arguments", "Invalid arguments for %s: %v. Fix the arguments and call again; nothing was sent.", e.def.name, err)
	}
	if err := checkPathArgs(e.class.PathTemplate, p); err != nil {
		return fail(rec, "invalid_arguments", "Invalid arguments for %s: %v. Fix the arguments and call again; nothing was sent.", e.def.name, err)
	}
	var slot *time.Time // the destructive limit's slot this call holds
	if e.class.Destructive {
		res, s := tk.confirm(ctx, e, canon, digest, p, rec)
		if res != nil {
			return res
		}
		slot = s
	}
	out, err := e.def.call(ctx, tk.client, p)
	if err != nil {
		if slot != nil && notSent(err) {
			tk.release(*slot)
		}
		return tk.apiError(e, err, rec)
	}
	rec.outcome = "ok"
	if out == nil || isNilPointer(out) {
		return &Result{Text: fmt.Sprintf("%s succeeded.", e.def.name)}
	}
	data, err := json.Marshal(out)
	if err != nil {
		return fail(rec, "decode_error", "%s was sent and succeeded, but its response could not be encoded: %v. Do not repeat it; check its effect with a read tool.", e.def.name, err)
	}
	return &Result{Text: fmt.Sprintf("%s succeeded; the response is in the data (%d bytes of JSON).", e.def.name, len(data)), Data: data}
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
	path := fillPath(e.class.PathTemplate, p)
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

// limitWait reports whether a destructive call may be sent now, and if not
// how long until it may.
func (tk *Toolkit) limitWait() (time.Duration, bool) {
	if tk.cfg.limitN <= 0 {
		return 0, true
	}
	tk.mu.Lock()
	defer tk.mu.Unlock()
	now := tk.now()
	tk.pruneLocked(now)
	if len(tk.sent) < tk.cfg.limitN {
		return 0, true
	}
	return tk.sent[0].Add(tk.cfg.limitPer).Sub(now), false
}

// reserveLocked counts one destructive call against the limit and returns
// its slot (nil without a limit), or reports that the limit is reached.
func (tk *Toolkit) reserveLocked() (slot *time.Time, limited bool) {
	if tk.cfg.limitN <= 0 {
		return nil, false
	}
	now := tk.now()
	tk.pruneLocked(now)
	if len(tk.sent) >= tk.cfg.limitN {
		return nil, true
	}
	tk.sent = append(tk.sent, now)
	return &now, false
}

// release gives back slot, the reservation of a destructive call the client
// refused without sending. Slots taken at the same instant are alike, so
// any one of them goes; a slot the window already dropped is gone anyway.
func (tk *Toolkit) release(slot time.Time) {
	tk.mu.Lock()
	defer tk.mu.Unlock()
	if i := slices.IndexFunc(tk.sent, slot.Equal); i >= 0 {
		tk.sent = slices.Delete(tk.sent, i, i+1)
	}
}

// notSent reports whether err proves the client refused the request before
// sending it: a local refusal (scopes, pacing or budget waits), the
// destructive guard, an invalid request, or arguments that could not be
// decoded.
func notSent(err error) bool {
	var (
		ae  *restorehub.APIError
		mse *restorehub.MissingScopeError
		rle *restorehub.RateLimitError
		arg *argError
	)
	switch {
	case errors.Is(err, restorehub.ErrGuardRefused), errors.Is(err, restorehub.ErrInvalidRequest), errors.As(err, &arg):
		return true
	case errors.As(err, &mse) && mse.Local, errors.As(err, &rle) && rle.Local:
		return true
	case errors.As(err, &ae) && ae.Local:
		return true
	}
	return false
}

func (tk *Toolkit) pruneLocked(now time.Time) {
	i := 0
	for i < len(tk.sent) && !tk.sent[i].Add(tk.cfg.limitPer).After(now) {
		i++
	}
	tk.sent = tk.sent[i:]
}

// apiError turns a failed call into a Result the model can act on, and
// narrows the toolkit when the server said which scopes the key holds.
func (tk *Toolkit) apiError(e *entry, err error, rec *auditRecord) *Result {
	var (
		ae    *restorehub.APIError
		scope *restorehub.MissingScopeError
		up    *restorehub.UpgradeRequiredError
		rl    *restorehub.RateLimitError
		val   *restorehub.ValidationError
		arg   *argError
	)
	if errors.As(err, &ae) {
		rec.status = ae.StatusCode
	}
	switch {
	case errors.As(err, &arg):
		return fail(rec, "invalid_arguments", "Invalid arguments for %s: %v. Fix the arguments and call again; nothing was sent.", e.def.name, arg)
	case errors.As(err, &scope):
		if !scope.Local && len(scope.YourScopes) > 0 {
			tk.narrow(scope.YourScopes)
		}
		need := scope.RequiredScope
		if need == "" {
			need = e.class.Scope
		}
		return fail(rec, "missing_scope", "The API key lacks the scope %s that %s needs; do not retry; ask the user to grant %s to the key or to do this themselves.", need, e.def.name, need)
	case errors.As(err, &up):
		return fail(rec, "upgrade_required", "The key's plan only allows reads, so %s was refused; do not retry; ask the user to upgrade the plan at %s.", e.def.name, up.UpgradeURL)
	case errors.As(err, &rl):
		secs := int(math.Ceil(rl.RetryAfter.Seconds()))
		if secs < 1 {
			secs = 1
		}
		return fail(rec, "rate_limited", "Rate limited: wait %d seconds, then call %s again with the same arguments.", secs, e.def.name)
	case errors.As(err, &val):
		return fail(rec, "api_error", "The API rejected the arguments of %s: %s. Fix them and call again.", e.def.name, validationText(val))
	case errors.Is(err, restorehub.ErrGuardRefused):
		return fail(rec, "refused", "The client's destructive guard refused %s; nothing was sent. Do not retry; ask the user.", e.def.name)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fail(rec, "cancelled", "%s was cancelled or timed out (%v); check with a read tool whether it took effect before calling it again.", e.def.name, err)
	case errors.Is(err, restorehub.ErrNotFound):
		hint := ""
		if e.def.inferred {
			hint = " This operation is inferred, not documented, so its path may also be wrong."
		}
		return fail(rec, "api_error", "Not found: %s. Check the IDs in the arguments (list them with a read tool) and call again.%s", err, hint)
	case errors.Is(err, restorehub.ErrUnauthorized):
		return fail(rec, "api_error", "The API key was refused (401); do not retry; ask the user to check the key.")
	case errors.Is(err, restorehub.ErrConflict):
		return fail(rec, "api_error", "Conflict: %v. Read the current state with a read tool before trying again.", err)
	case errors.Is(err, restorehub.ErrServer):
		return fail(rec, "api_error", "Restore Hub failed (%v). Wait a minute and try again; for a call that changes state, check first with a read tool whether it took effect.", err)
	}
	return fail(rec, "api_error", "%s failed: %v.", e.def.name, err)
}

// validationText lists the issues of a 400.
func validationText(v *restorehub.ValidationError) string {
	if len(v.Issues) == 0 {
		return v.Message
	}
	var parts []string
	for _, is := range v.Issues {
		var path []string
		for _, p := range is.Path {
			path = append(path, fmt.Sprint(p))
		}
		parts = append(parts, fmt.Sprintf("%s: %s", strings.Join(path, "."), is.Message))
	}
	return strings.Join(parts, "; ")
}

// narrow intersects what the toolkit believes the key holds with what the
// server said it holds, and calls the OnToolsChanged functions when the
// list shrank.
func (tk *Toolkit) narrow(yours []restorehub.Scope) {
	tk.mu.Lock()
	var keep []restorehub.Scope
	for _, s := range yours {
		if tk.server == nil || tk.server.Allows(s) {
			keep = append(keep, s)
		}
	}
	set := restorehub.NewScopeSet(keep...)
	tk.server = &set
	changed := tk.relistLocked()
	fns := slices.Clone(tk.changed)
	tk.mu.Unlock()
	if changed {
		for _, fn := range fns {
			fn()
		}
	}
}

// canonicalArgs validates raw against the schema and returns its canonical
// encoding (keys sorted, no insignificant space): what is confirmed, hashed
// and sent.
func canonicalArgs(raw json.RawMessage, schema *node) ([]byte, error) {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || bytes.Equal(t, []byte("null")) {
		t = []byte("{}")
	}
	v, err := decodeJSON(t)
	if err != nil {
		return nil, fmt.Errorf("the arguments are not valid JSON (%v)", err)
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, fmt.Errorf("the arguments must be a JSON object, not %s", describe(v))
	}
	if err := schema.validate(v, ""); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// checkPathArgs refuses path arguments that would not name one item: a
// missing or blank one, or one the path template's rule refuses
// (resources.PathTemplate: "", ".", "..", their escaped forms, or a value
// that decodes to a path change such as "x/../../api-keys"), which a
// server may resolve to another path. It checks the path fillPath builds,
// the one the call sends.
func checkPathArgs(tmpl string, p args) error {
	t, err := resources.ParsePathTemplate(tmpl)
	if err != nil {
		return fmt.Errorf("the tool's path cannot be filled: %v", err)
	}
	for _, name := range t.Params() {
		var s string
		if json.Unmarshal(p[name], &s) == nil && (strings.TrimSpace(s) == "" || s == "." || s == "..") {
			return fmt.Errorf("argument %q must name one item: it may not be empty, \".\" or \"..\"", name)
		}
		if _, ok := p[name]; !ok {
			return fmt.Errorf("argument %q is required: it names the item in the path %s", name, tmpl)
		}
	}
	var refused *resources.PathParamError
	switch err := t.Check(fillPath(tmpl, p)); {
	case err == nil:
		return nil
	case errors.As(err, &refused) && refused.Param != "":
		return fmt.Errorf("argument %q must name one item: %s", refused.Param, refused.Reason)
	default:
		return fmt.Errorf("the arguments do not fill the path %s: %v", tmpl, err)
	}
}

// fillPath fills a path template's parameters from the arguments exactly
// as the typed call the tool makes fills them (resources.PathTemplate.Fill,
// each value escaped), so the path a confirmer is shown is the path that
// is sent: a string as it is, a number in decimal without an exponent (the
// generated methods format theirs so), a boolean as true or false. A
// missing argument is shown as "{name}"; checkPathArgs refuses such a call
// before anything is confirmed or sent.
func fillPath(tmpl string, p args) string {
	t, err := resources.ParsePathTemplate(tmpl)
	if err != nil {
		return tmpl
	}
	values := make(map[string]string)
	for _, name := range t.Params() {
		dec := json.NewDecoder(bytes.NewReader(p[name]))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil || v == nil {
			continue
		}
		switch x := v.(type) {
		case string:
			values[name] = x
		case json.Number:
			if f, err := strconv.ParseFloat(x.String(), 64); err == nil {
				values[name] = strconv.FormatFloat(f, 'f', -1, 64)
			} else {
				values[name] = x.String()
			}
		default:
			values[name] = fmt.Sprint(x)
		}
	}
	if path, err := t.Fill(values); err == nil {
		return path
	}
	// A value is missing or refused: the same pieces, escaped the same way.
	var b strings.Builder
	for _, piece := range t.Pieces() {
		v, ok := values[piece.Param]
		switch {
		case piece.Param == "":
			b.WriteString(piece.Literal)
		case ok:
			b.WriteString(url.PathEscape(v))
		default:
			b.WriteString("{" + piece.Param + "}")
		}
	}
	return b.String()
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
		parts = append(parts, k+"="+truncate(string(p[k]), 120))
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

// isNilPointer reports whether v is a typed nil pointer.
func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// OpenAITools renders tools in the shape of the OpenAI Chat Completions
// "tools" parameter: [{"type":"function","function":{"name","description","parameters"}}].
func OpenAITools(tools []Tool) json.RawMessage {
	type function struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		Parameters  json.RawMessage `json:"parameters"`
	}
	type tool struct {
		Type     string   `json:"type"`
		Function function `json:"function"`
	}
	out := make([]tool, 0, len(tools))
	for _, t := range tools {
		out = append(out, tool{Type: "function", Function: function{Name: t.Name, Description: t.Description, Parameters: schemaOrEmpty(t.InputSchema)}})
	}
	return mustMarshal(out)
}

// AnthropicTools renders tools in the shape of the Anthropic Messages
// "tools" parameter: [{"name","description","input_schema"}].
func AnthropicTools(tools []Tool) json.RawMessage {
	type tool struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		InputSchema json.RawMessage `json:"input_schema"`
	}
	out := make([]tool, 0, len(tools))
	for _, t := range tools {
		out = append(out, tool{Name: t.Name, Description: t.Description, InputSchema: schemaOrEmpty(t.InputSchema)})
	}
	return mustMarshal(out)
}

// schemaOrEmpty returns s, or the empty object schema when s is not JSON.
func schemaOrEmpty(s json.RawMessage) json.RawMessage {
	if !json.Valid(s) {
		return json.RawMessage(`{"type":"object","properties":{}}`)
	}
	return s
}

func mustMarshal(v any) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return json.RawMessage("[]") // unreachable: only strings and valid JSON
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}
