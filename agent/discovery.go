package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	restorehub "github.com/restorehub/restorehub-go"
)

// The three tools of discovery mode (WithDiscovery).
const (
	// SearchTool finds the operations the key may call, ranked, one line each.
	SearchTool = "search_operations"
	// DescribeTool gives one operation's input schema, scope, tier and
	// whether it needs confirmation.
	DescribeTool = "describe_operation"
	// CallTool calls one operation, exactly as its own tool would be called.
	CallTool = "call_operation"
)

// Limits of search_operations.
const (
	defaultSearchResults = 10
	maxSearchResults     = 50
)

// WithDiscovery lists three tools instead of one per operation: SearchTool,
// DescribeTool and CallTool. The model finds an operation, reads its schema
// and calls it, so the listing stays the same small size (under 1,500
// tokens) however many operations the API has. The operations reachable
// through them are exactly those the toolkit would list without
// WithDiscovery (scopes, ReadOnly, WithToolsets, DocumentedOnly, WithConfirm
// all apply, and a 403 narrows them): an operation the key may not call is
// never found, described or called, and is reported exactly like one that
// does not exist. A call through CallTool is validated, confirmed, limited
// and audited exactly as a call of the operation's own tool; its
// Confirmation and audit record name the operation's tool. Call accepts
// only the three tools' names in this mode.
func WithDiscovery() Option { return func(c *config) { c.discovery = true } }

// Discovery reports whether the toolkit lists the discovery tools.
func (tk *Toolkit) Discovery() bool { return tk.cfg.discovery }

// The discovery tools' input schemas.
const (
	searchSchema   = `{"type":"object","properties":{"query":{"description":"Words describing what to do, such as \"restore backup\" or \"list members\"; empty lists every operation.","type":"string","maxLength":200},"limit":{"description":"How many operations to return (default 10).","type":"integer","minimum":1,"maximum":50}},"additionalProperties":false}`
	describeSchema = `{"type":"object","properties":{"operation":{"description":"The operation's name, as search_operations gives it.","type":"string","minLength":1,"maxLength":200}},"required":["operation"],"additionalProperties":false}`
	callSchema     = `{"type":"object","properties":{"operation":{"description":"The operation's name, as search_operations gives it.","type":"string","minLength":1,"maxLength":200},"arguments":{"description":"The operation's arguments, matching the input schema describe_operation gives.","type":"object"}},"required":["operation"],"additionalProperties":false}`
)

// discoveryTools are the three tools of discovery mode. The call tool's
// annotations sum up what it can reach: read-only only when every
// reachable operation is, destructive when any is.
func (tk *Toolkit) discoveryToolsLocked() []Tool {
	readOnly, destructive, idempotent := true, false, true
	for _, n := range tk.names {
		c := tk.listed[n].class
		readOnly = readOnly && c.ReadOnly
		destructive = destructive || c.Destructive
		idempotent = idempotent && c.Idempotent
	}
	confirm := ""
	if destructive {
		confirm = " A destructive operation asks a human to confirm before anything is sent; if declined, do not retry unless the user asks."
	}
	return []Tool{
		{
			Name: CallTool, Title: "Call a Restore Hub API operation",
			Description: "Call one operation found with search_operations, with arguments matching the schema describe_operation gives. " +
				"The arguments are validated before anything is sent; the result says what to do next when it fails." + confirm,
			InputSchema: json.RawMessage(callSchema),
			ReadOnly:    readOnly, Destructive: destructive, Idempotent: idempotent, OpenWorld: true,
		},
		{
			Name: DescribeTool, Title: "Describe a Restore Hub API operation",
			Description: "Describe one operation: what it does, its HTTP request, the scope and tier it needs, whether a human must confirm it, " +
				"and the JSON Schema of its arguments. Read it before call_operation.",
			InputSchema: json.RawMessage(describeSchema),
			ReadOnly:    true, Idempotent: true,
		},
		{
			Name: SearchTool, Title: "Search the Restore Hub API operations",
			Description: "Find the Restore Hub API operations this key may call, best match first, one line each: name, title, " +
				"scope and tier, and whether a human must confirm it. Operations the key may not call are never listed. " +
				"Then describe_operation gives an operation's arguments and call_operation calls it.",
			InputSchema: json.RawMessage(searchSchema),
			ReadOnly:    true, Idempotent: true,
		},
	}
}

// discoveryCall serves Call in discovery mode.
func (tk *Toolkit) discoveryCall(ctx context.Context, name string, raw json.RawMessage) (*Result, error) {
	switch name {
	case SearchTool:
		var in struct {
			Query string `json:"query"`
			Limit int    `json:"limit"`
		}
		if res := discoveryArgs(searchSchema, name, raw, &in); res != nil {
			return res, nil
		}
		return tk.search(in.Query, in.Limit), nil
	case DescribeTool:
		var in struct {
			Operation string `json:"operation"`
		}
		if res := discoveryArgs(describeSchema, name, raw, &in); res != nil {
			return res, nil
		}
		e := tk.reachable(in.Operation)
		if e == nil {
			return unreachable(in.Operation), nil
		}
		return describeEntry(e), nil
	case CallTool:
		var in struct {
			Operation string          `json:"operation"`
			Arguments json.RawMessage `json:"arguments"`
		}
		if res := discoveryArgs(callSchema, name, raw, &in); res != nil {
			return res, nil
		}
		e := tk.reachable(in.Operation)
		if e == nil {
			tk.auditUnknown(ctx, in.Operation)
			return unreachable(in.Operation), nil
		}
		// The one path of every call: validation, confirmation, limit, audit.
		return tk.run(ctx, e, in.Arguments), nil
	}
	tk.auditUnknown(ctx, name)
	return nil, fmt.Errorf("%w %s: in discovery mode only %s, %s and %s are listed", ErrUnknownTool, shorten(strconv.Quote(name), 80), SearchTool, DescribeTool, CallTool)
}

// discoverySchemas are the discovery tools' compiled schemas.
var discoverySchemas = func() map[string]*argSchema {
	out := map[string]*argSchema{}
	for _, s := range []string{searchSchema, describeSchema, callSchema} {
		c, err := compileSchema([]byte(s))
		if err != nil {
			panic("agent: discovery schema: " + err.Error()) // a constant: caught by every test
		}
		out[s] = c
	}
	return out
}()

// discoveryArgs validates raw against a discovery tool's schema and decodes
// it into dst; it returns an error Result when they are invalid.
func discoveryArgs(schema, tool string, raw json.RawMessage, dst any) *Result {
	canon, err := canonicalArgs(raw, discoverySchemas[schema])
	if err == nil {
		err = json.Unmarshal(canon, dst)
	}
	if err != nil {
		return &Result{IsError: true, Text: fmt.Sprintf("Invalid arguments for %s: %v. Fix the arguments and call again.", tool, err)}
	}
	return nil
}

// reachable returns the listed operation named name (a tool name such as
// "backups_restore" or an operation ID such as "backups.restore"), or nil.
func (tk *Toolkit) reachable(name string) *entry {
	name = strings.ReplaceAll(strings.TrimSpace(name), ".", "_")
	tk.mu.Lock()
	defer tk.mu.Unlock()
	return tk.listed[name]
}

// unreachable is the one answer for an operation that does not exist and
// for one the key may not call, so that neither can be told from the other.
func unreachable(name string) *Result {
	return &Result{IsError: true, Text: fmt.Sprintf("No operation %s is available to this key; nothing was sent. Find one with %s.",
		shorten(strconv.Quote(name), 80), SearchTool)}
}

// search ranks the listed operations against query.
func (tk *Toolkit) search(query string, limit int) *Result {
	if limit <= 0 {
		limit = defaultSearchResults
	}
	limit = min(limit, maxSearchResults)
	terms := words(query)
	tk.mu.Lock()
	type hit struct {
		e     *entry
		score int
	}
	var hits []hit
	for _, n := range tk.names {
		e := tk.listed[n]
		if s := score(e, terms); s > 0 || len(terms) == 0 {
			hits = append(hits, hit{e, s})
		}
	}
	tk.mu.Unlock()
	// Best first; on a tie the safer first, then by name (the order of names).
	slices.SortStableFunc(hits, func(a, b hit) int {
		if a.score != b.score {
			return b.score - a.score
		}
		return risk(a.e) - risk(b.e)
	})
	if len(hits) == 0 {
		return &Result{Text: fmt.Sprintf("No operation available to this key matches %s. Try other words, or an empty query to list them all.", shorten(strconv.Quote(query), 80))}
	}
	var b strings.Builder
	shown := min(len(hits), limit)
	fmt.Fprintf(&b, "%d of %d matching operations, best first (describe_operation gives the arguments):\n", shown, len(hits))
	for _, h := range hits[:shown] {
		b.WriteString(searchLine(h.e))
		b.WriteByte('\n')
	}
	if shown < len(hits) {
		fmt.Fprintf(&b, "%d more: raise limit (at most %d) or use more precise words.\n", len(hits)-shown, maxSearchResults)
	}
	return &Result{Text: strings.TrimSuffix(b.String(), "\n")}
}

// searchLine is one operation in a search result, with its safety.
func searchLine(e *entry) string {
	return fmt.Sprintf("%s: %s [%s]", e.def.name, strings.TrimSuffix(e.def.title, "."), safety(e))
}

// safety says in a few words what an operation needs and risks.
func safety(e *entry) string {
	parts := []string{e.class.Method}
	if e.class.Scope == "" {
		parts = append(parts, "no scope")
	} else {
		parts = append(parts, fmt.Sprintf("%s, %s tier", e.class.Scope, tierName(e)))
	}
	switch {
	case e.class.Destructive:
		parts = append(parts, "confirmation needed")
	case e.class.ReadOnly:
		parts = append(parts, "read-only")
	}
	if e.def.inferred {
		parts = append(parts, "inferred")
	}
	return strings.Join(parts, "; ")
}

// risk orders operations from safe to dangerous: read-only, then the
// rest, then those needing confirmation.
func risk(e *entry) int {
	switch {
	case e.class.Destructive:
		return 2
	case e.class.ReadOnly:
		return 0
	}
	return 1
}

func tierName(e *entry) string {
	if t := e.class.Tier.String(); t != "" {
		return t
	}
	return "unknown"
}

// describeEntry is describe_operation's answer for e.
func describeEntry(e *entry) *Result {
	type description struct {
		Operation         string          `json:"operation"`
		Title             string          `json:"title"`
		Description       string          `json:"description"`
		Request           string          `json:"request"`
		Scope             string          `json:"scope"`
		Tier              string          `json:"tier"`
		ReadOnly          bool            `json:"readOnly"`
		NeedsConfirmation bool            `json:"needsConfirmation"`
		ConfirmationWhy   string          `json:"confirmationReason,omitempty"`
		Idempotent        bool            `json:"idempotent"`
		Inferred          bool            `json:"inferred"`
		InputSchema       json.RawMessage `json:"inputSchema"`
		ArgumentNotes     string          `json:"argumentNotes,omitempty"`
	}
	d := description{
		Operation: e.def.name, Title: e.def.title, Description: e.def.description,
		Request: e.class.Method + " " + e.class.PathTemplate, Scope: string(e.class.Scope), Tier: tierName(e),
		ReadOnly: e.class.ReadOnly, NeedsConfirmation: e.class.Destructive, Idempotent: e.class.Idempotent,
		Inferred: e.def.inferred, InputSchema: e.tool.InputSchema,
	}
	names := map[string]bool{}
	for _, a := range e.argNames {
		names[a] = true
	}
	d.ArgumentNotes = argNotes(names)
	if d.Scope == "" {
		d.Scope = "none"
	}
	if e.class.Destructive {
		d.ConfirmationWhy = e.class.Reason
	}
	text := fmt.Sprintf("%s. Call it with %s: operation %q and arguments matching inputSchema (in the data).", searchLine(e), CallTool, e.def.name)
	return &Result{Text: text, Data: mustMarshal(d)}
}

// words splits s into lower-case words, splitting camelCase too, and drops
// a plural "s", so that "Backups" and "backup" match.
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			w := strings.ToLower(string(cur))
			if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
				w = w[:len(w)-1]
			}
			out = append(out, w)
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range s {
		switch {
		case unicode.IsUpper(r) && prevLower:
			flush()
			cur = append(cur, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, r)
		default:
			flush()
		}
		prevLower = unicode.IsLower(r)
	}
	flush()
	return out
}

// searchText is what search matches a query's words against in one
// operation; the catalog computes it once per tool, not once per search.
type searchText struct {
	name  []string // the words of the tool's name
	title []string // the words of its title
	rest  string   // its description, scope and path, in lower case
}

// searchTextOf is the searchText of the tool d of class c.
func searchTextOf(d *toolDef, c restorehub.Class) searchText {
	return searchText{
		name:  words(d.name),
		title: words(d.title),
		rest:  strings.ToLower(d.description + " " + string(c.Scope) + " " + c.PathTemplate),
	}
}

// score ranks e for the query's terms: a term naming the operation's
// resource or action counts most, one in its title next, one anywhere in
// its description, scope or path least.
func score(e *entry, terms []string) int {
	total := 0
	for _, t := range terms {
		switch {
		case slices.Contains(e.search.name, t):
			total += 5
		case slices.Contains(e.search.title, t):
			total += 3
		case len(t) > 2 && strings.Contains(e.search.rest, t):
			total++
		}
	}
	return total
}
