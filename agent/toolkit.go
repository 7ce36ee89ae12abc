package agent

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
)

// Tool describes one tool: an operation of the API.
type Tool struct {
	// Name is the operation ID with "." replaced by "_", such as "backups_restore".
	Name string
	// Title is a short human-readable title.
	Title string
	// Description says what the tool does, whether it writes or needs a
	// human's confirmation, its scope where the rule Instructions states
	// does not give it, its pacing, and whether the spec documents the
	// operation (the marker goes on the fewer tools; Instructions says
	// which). Scope carries the scope whatever the description says.
	Description string
	// InputSchema is the JSON Schema of the arguments: one object holding
	// the path, query and body arguments. It is the schema the toolkit
	// validates against, except that the top-level object is not marked
	// closed ("additionalProperties": false): every tool refuses arguments
	// its schema does not list, before anything is sent, and Instructions
	// says so once rather than each schema. List and get tools also take
	// the optional "fields" argument (Instructions says what it does).
	InputSchema json.RawMessage
	// Operation is the operation ID, such as "backups.restore".
	Operation string
	// Scope is the scope the operation needs; "" when it needs none.
	Scope restorehub.Scope
	// ReadOnly reports that the tool cannot change state.
	ReadOnly bool
	// Destructive reports that the tool needs confirmation: a
	// destructive-tier scope or a DELETE. A call of a tool that mints or
	// changes an API key (scope api-keys:write) is also confirmed, and
	// counted by WithDestructiveLimit, when it grants scopes beyond the
	// toolkit's own (privilege escalation); without WithConfirm such a call
	// is refused. The secret of a minted key never reaches Result.Data.
	Destructive bool
	// Idempotent reports that calling the tool twice with the same
	// arguments has the effect of once, as the operation table says (a
	// DELETE is). It is a hint for the model; the client still never resends
	// a destructive call on its own (restorehub.Class.Idempotent).
	Idempotent bool
	// OpenWorld reports that the tool reaches beyond Restore Hub (Discord,
	// payment providers, webhooks); it is true for every operation's tool
	// and for CallTool, false for SearchTool and DescribeTool.
	OpenWorld bool
	// Inferred reports that the operation is a guess from a scope name, not
	// documented by Restore Hub.
	Inferred bool
	// Toolset is the resource the tool belongs to, such as "backups".
	Toolset string
}

// entry is a generated tool with what the toolkit decided about it.
type entry struct {
	def    *toolDef
	tool   Tool
	class  restorehub.Class
	schema *argSchema
	// argNames are the schema's top-level property names, sorted.
	argNames []string
	// path is the operation's path template (class.PathTemplate), parsed.
	path toolPath
	// search is what discovery's search matches a query against.
	search searchText
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
		e := &entry{
			def: d, class: class, schema: n, argNames: slices.Sorted(maps.Keys(n.root.Properties)),
			path: parseToolPath(class.PathTemplate), search: searchTextOf(d, class),
			tool: Tool{
				Name: d.name, Title: d.title, Description: listedDescription(d, class, inferenceMarks()),
				InputSchema: listedSchema(d.schema), Operation: d.operation,
				Scope: class.Scope, ReadOnly: class.ReadOnly, Destructive: class.Destructive,
				Idempotent: class.Spec.Idempotent, OpenWorld: true, Inferred: d.inferred, Toolset: d.toolset,
			},
		}
		if takesFields(e) {
			e.tool.InputSchema = withFieldsArg(e.tool.InputSchema)
		}
		out = append(out, e)
	}
	return out, nil
})

// closedSuffix ends every generated schema: its object takes no other
// arguments.
const closedSuffix = `,"additionalProperties":false}`

// listedSchema is a generated schema as tools list it: without the
// closedSuffix every schema shares, which Instructions says once.
func listedSchema(schema string) json.RawMessage {
	if open, ok := strings.CutSuffix(schema, closedSuffix); ok {
		return json.RawMessage(open + "}")
	}
	return json.RawMessage(schema)
}

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

	mu sync.Mutex
	// The scopes the key holds, as far as the toolkit knows. A tool is
	// listed only when every one of these that is known allows its scope.
	keyScopes    restorehub.ScopeSet  // WithScopes, or else the client's declared scopes
	clientScopes *restorehub.ScopeSet // the client's declared scopes, when WithScopes is also given
	serverScopes *restorehub.ScopeSet // what a 403 said the key holds; nil until one does
	listed       map[string]*entry
	names        []string // sorted names of listed
	changed      []func()
	pending      map[string]string // nonce → digest of the arguments it was issued for
	sent         []time.Time       // when the destructive calls within the limit's window were sent
	now          func() time.Time  // the clock of the destructive limit
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
	clientDeclared, hasDeclared := c.DeclaredScopes()
	switch {
	case cfg.scopesSet:
		for _, s := range cfg.scopes {
			if !s.Valid() {
				return nil, fmt.Errorf("agent: WithScopes: unknown scope %s", shorten(strconv.Quote(string(s)), 60))
			}
		}
		tk.keyScopes = restorehub.NewScopeSet(cfg.scopes...)
		if hasDeclared {
			set := restorehub.NewScopeSet(clientDeclared...)
			tk.clientScopes = &set
		}
	case hasDeclared:
		tk.keyScopes = restorehub.NewScopeSet(clientDeclared...)
	default:
		return nil, errors.New("agent: the key's scopes are unknown: pass agent.WithScopes or build the client with restorehub.WithScopes (the toolkit lists nothing it cannot vouch for)")
	}
	known := Toolsets()
	for _, ts := range cfg.toolsets {
		if !slices.Contains(known, ts) {
			return nil, fmt.Errorf("agent: WithToolsets: unknown toolset %s (known: %s)", shorten(strconv.Quote(ts), 60), strings.Join(known, ", "))
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

// allowsLocked reports whether the toolkit lists e. It lists e only when
// all of these hold:
//
//   - every known scope set of the key (keyScopes, clientScopes,
//     serverScopes) allows one of the scopes e accepts
//     (Class.AcceptedScopes);
//   - with ReadOnly, e is read-only;
//   - e is not destructive, or WithConfirm set a confirmer;
//   - with WithToolsets, e's toolset is one of them;
//   - with DocumentedOnly, e is documented, not inferred.
func (tk *Toolkit) allowsLocked(e *entry) bool {
	// A key may call e when it holds any one of the scopes e accepts.
	if !tk.keyAllowsAnyLocked(e.class.AcceptedScopes...) {
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

// keyAllowsAnyLocked reports whether every scope set the toolkit knows
// the key by (keyScopes, clientScopes, serverScopes) allows one of scopes
// (restorehub.ScopeSet.AllowsAny): the one rule for whether the key may
// call an operation and whether a scope a call grants is one it holds.
func (tk *Toolkit) keyAllowsAnyLocked(scopes ...restorehub.Scope) bool {
	return tk.keyScopes.AllowsAny(scopes...) &&
		(tk.clientScopes == nil || tk.clientScopes.AllowsAny(scopes...)) &&
		(tk.serverScopes == nil || tk.serverScopes.AllowsAny(scopes...))
}

// grantsKey reports whether e mints or changes an API key: a call that is
// not read-only under the scope api-keys:write. Such a call can hand out
// more than the toolkit's own key holds, so callClass decides per call
// whether it escalates.
func grantsKey(e *entry) bool {
	return e.class.Scope == keyWriteScope && !e.class.ReadOnly
}

// keyWriteScope is Restore Hub's scope for creating and changing API keys.
// It is named by its value, not by the generated constant, so that the
// agent still compiles when the spec is swapped for one without it (then
// no tool is under it and grantsKey is false).
const keyWriteScope restorehub.Scope = "api-keys:write"

// callClass is the one decision of what a call of e with arguments p is:
// e's Class, except that a call that mints or widens an API key beyond the
// scopes the toolkit knows its own key holds (every known set must allow
// each scope asked for, "*" included) is privilege escalation and is
// classified as destructive: it needs confirmation and counts against
// WithDestructiveLimit. Scopes that cannot be read count as escalation.
func (tk *Toolkit) callClass(e *entry, p args) *entry {
	if !grantsKey(e) || e.class.Destructive {
		return e
	}
	raw, ok := p["scopes"]
	if !ok {
		return e // the call grants no scopes (an update of the name only)
	}
	var asked []restorehub.Scope
	beyond := json.Unmarshal(raw, &asked) != nil
	tk.mu.Lock()
	for _, s := range asked {
		if s == "" || !tk.keyAllowsAnyLocked(s) {
			beyond = true
		}
	}
	tk.mu.Unlock()
	if !beyond {
		return e
	}
	up := *e
	up.class.Destructive, up.class.Idempotent, up.class.ReadOnly = true, false, false
	up.class.Reason = "it grants an API key scopes beyond those of the toolkit's own key (privilege escalation)"
	return &up
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

// Tools returns the tools the toolkit lists, sorted by name: one per
// operation the key may call, or with WithDiscovery the three discovery
// tools.
func (tk *Toolkit) Tools() []Tool {
	tk.mu.Lock()
	defer tk.mu.Unlock()
	if tk.cfg.discovery {
		return tk.discoveryToolsLocked()
	}
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

// narrow intersects what the toolkit believes the key holds with what the
// server said it holds, and calls the OnToolsChanged functions when the
// list shrank.
func (tk *Toolkit) narrow(yours []restorehub.Scope) {
	tk.mu.Lock()
	var keep []restorehub.Scope
	for _, s := range yours {
		if tk.serverScopes == nil || tk.serverScopes.Allows(s) {
			keep = append(keep, s)
		}
	}
	set := restorehub.NewScopeSet(keep...)
	tk.serverScopes = &set
	changed := tk.relistLocked()
	fns := slices.Clone(tk.changed)
	tk.mu.Unlock()
	if changed {
		for _, fn := range fns {
			fn()
		}
	}
}
