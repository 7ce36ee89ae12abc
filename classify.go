package restorehub

import (
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/restorehub/restorehub-go/internal/pathtemplate"
	"github.com/restorehub/restorehub-go/resources"
)

// Class is what the client has decided one request is. It is decided once,
// by Classify, and every safety decision reads it: the WithScopes preflight,
// the destructive guard, the retry policy, the operation pacer and the
// logger. The agent toolkit reads the same Class, so a tool is destructive
// exactly when the client would guard it.
//
// Anything that cannot be classified is treated as the most dangerous kind:
// a request that matches no operation and is not a GET or HEAD is guarded
// and never resent except after a 429 or a failed dial.
type Class struct {
	// Spec is the operation the request matched in the operation table, or
	// nil when it matched none.
	Spec *resources.OperationSpec
	// ID is the matched operation's ID, such as "backups.restore"; "" when
	// the request matched none.
	ID string
	// Method is the request's HTTP method, upper-case.
	Method string
	// PathTemplate is the matched operation's path template, such as
	// "/backups/{backupId}/restore"; "" when the request matched none.
	PathTemplate string
	// Scope is the scope the request needs: the matched operation's, or
	// the one the caller named when that is of a higher tier. "" means the
	// scope is unknown (an unmatched raw request that names none) or, for
	// a matched operation, that the operation needs no scope.
	Scope Scope
	// AcceptedScopes are the scopes any one of which allows the request:
	// the matched operation's (resources.OperationSpec.Accepted), Scope
	// the least privileged of them; Scope alone when the caller named a
	// more dangerous one; nil when Scope is "". WithScopes and the agent
	// toolkit allow the request when the key holds any of them.
	AcceptedScopes []Scope
	// Tier is the request's tier: the matched operation's as the table
	// states it (the spec's x-scope-tier, its scope lists, or the
	// generator's inference, by which a GET is read), else its scope's; or
	// the tier of the scope the caller named when that is higher. A scope
	// or tier the SDK does not know, where no tier is stated, counts as
	// TierDestructive; TierUnknown means there is none.
	Tier Tier
	// Destructive reports that the request goes through the destructive
	// guard and is never resent after a 5xx: a destructive-tier scope, any
	// DELETE, or an unmatched request that is not a GET or HEAD.
	Destructive bool
	// Idempotent reports that resending the request after a 5xx or a lost
	// response cannot change more than sending it once. It is never true
	// for a destructive request.
	Idempotent bool
	// ReadOnly reports that the request cannot change state: a GET or HEAD
	// whose scope, when known, is of the read tier.
	ReadOnly bool
	// Reason says in words why the request is destructive, for the guard and
	// for logs; "" when it is not.
	Reason string
}

// Matched reports whether the request matched an operation of the table.
func (c Class) Matched() bool { return c.Spec != nil }

// Classify decides what a request is from its method and path (below the
// base URL, escaped; a query or fragment left in it is ignored) and the scope
// its caller named, if any (Request.Scope). The request is matched against
// the operation table by method and path template (a HEAD by the GET of the
// same path); a match gives the operation's scope, tier, idempotency and
// pace. A named scope can make a request more dangerous than the operation it
// matches, never safer; naming one of the scopes the operation accepts
// changes nothing where the table states the operation's tier.
func Classify(method, path string, named Scope) Class {
	return classify(method, path, named).owned()
}

// classify is Classify for the client's own use: its Class's
// AcceptedScopes is compact (see classifyMatched).
func classify(method, path string, named Scope) Class {
	method = normalizeMethod(method)
	return classifyMatched(method, matchOperation(method, path), named)
}

// ClassifyOperation returns the Class of the operation with the given ID,
// such as "backups.restore", as a typed call of it would be classified.
func ClassifyOperation(id string) (Class, bool) {
	spec, ok := resources.LookupOperation(id)
	if !ok {
		return Class{}, false
	}
	return classifySpec(&spec, "").owned(), true
}

// classifySpec is the Class of a typed call of spec: the rule of Classify
// applied to the operation the generated method names, with no matching.
// Its AcceptedScopes is compact (see classifyMatched).
func classifySpec(spec *resources.OperationSpec, named Scope) Class {
	return classifyMatched(normalizeMethod(spec.Method), spec, named)
}

// normalizeMethod is method in upper case, GET when empty.
func normalizeMethod(method string) string {
	if method == "" {
		return http.MethodGet
	}
	return strings.ToUpper(method)
}

// classifyMatched is the one rule both Classify and classifySpec apply:
// what a request of method is, given the operation it matched (spec, nil
// for none) and the scope its caller named.
//
// So that a call allocates nothing for it, the Class's AcceptedScopes is
// compact: the operation's own AcceptedScopes, shared and never written,
// when it lists any, else nil, which means Scope alone. Read it with
// slices.ContainsFunc or a loop, never ScopeSet.AllowsAny (which allows
// everything for none); owned turns it into the documented field before a
// Class leaves the package.
func classifyMatched(method string, spec *resources.OperationSpec, named Scope) Class {
	c := Class{Method: method}
	safeMethod := method == http.MethodGet || method == http.MethodHead
	unknownTier := false
	if spec != nil {
		c.Spec, c.ID, c.PathTemplate = spec, spec.ID, spec.Path
		c.Scope = spec.Scope
		if n := len(spec.AcceptedScopes); n > 0 {
			c.AcceptedScopes = spec.AcceptedScopes[:n:n]
		}
		switch t := spec.Tier; {
		case t >= TierRead && t <= TierDestructive:
			// The table's tier is what the spec states (or the generator
			// inferred, a GET being read): it wins over the scope's, so a
			// GET that also accepts an admin scope stays a read.
			c.Tier = t
		case t != TierUnknown:
			// A Tier the SDK does not know is the worst.
			c.Tier = TierDestructive
		default:
			c.Tier = c.Scope.Tier()
			if spec.Scope != "" && c.Tier == TierUnknown {
				// No stated tier and a scope the SDK does not know:
				// assume the worst.
				c.Tier = TierDestructive
			}
		}
		unknownTier = c.Tier == TierUnknown
		c.Idempotent = spec.Idempotent
	} else {
		// Only the named scope, if any, says what it needs (below).
		c.Idempotent = safeMethod
	}
	// A named scope the operation accepts says nothing new where the
	// table states the operation's tier.
	stated := spec != nil && spec.Tier >= TierRead && spec.Tier <= TierDestructive
	if named != "" && named != c.Scope && !(stated && slices.Contains(c.AcceptedScopes, named)) {
		if t := named.Tier(); t > c.Tier || (t == TierUnknown && named != ScopeAll) {
			c.Scope, c.AcceptedScopes = named, nil
			c.Tier = t
			if t == TierUnknown {
				c.Tier = TierDestructive
			}
			unknownTier = false
		}
	}
	switch {
	case c.Tier == TierDestructive:
		c.Destructive = true
		switch scopeTier := c.Scope.Tier(); {
		case scopeTier == TierDestructive:
			c.Reason = "its scope " + string(c.Scope) + " is in the destructive tier"
		case stated && c.Scope == spec.Scope:
			c.Reason = "the operation " + c.ID + " is in the destructive tier"
		case c.Scope != "" && scopeTier == TierUnknown:
			c.Reason = "its scope " + truncate(redact(string(c.Scope)), 60) + " is not one the SDK knows, so it is taken as destructive"
		default:
			c.Reason = "the operation " + c.ID + " is in the destructive tier"
		}
	case method == http.MethodDelete:
		c.Destructive, c.Reason = true, "it is a DELETE"
	case c.Spec == nil && !safeMethod:
		c.Destructive, c.Reason = true, "it matches no known operation and is not a GET or HEAD"
	case unknownTier && !safeMethod:
		c.Destructive, c.Reason = true, "the operation "+c.ID+" has no known scope or tier and is not a GET or HEAD"
	}
	if c.Destructive {
		c.Idempotent = false
	}
	c.ReadOnly = safeMethod && !c.Destructive && (c.Tier == TierRead || (c.Tier == TierUnknown && c.Scope == ""))
	return c
}

// owned is c with the documented AcceptedScopes, a slice of the caller's
// own: a copy of the compact one classifyMatched shares with the operation
// table, or Scope alone, or nil when Scope is "". Spec is a deep copy too
// (resources.OperationSpec.Clone), so that a caller writing to what
// Classify returned cannot change how the client classifies its next
// request.
func (c Class) owned() Class {
	if c.Spec != nil {
		spec := c.Spec.Clone()
		c.Spec = &spec
	}
	switch {
	case len(c.AcceptedScopes) > 0:
		c.AcceptedScopes = slices.Clone(c.AcceptedScopes)
	case c.Scope != "":
		c.AcceptedScopes = []Scope{c.Scope}
	}
	return c
}

// matchOperation finds the operation whose method and path template match
// path, by resources.MatchPathTemplate's one precedence rule (the
// leftmost segment where templates differ decides, a literal beating a
// parameter); a HEAD matches the GET of the same path, as servers answer
// it. The path is cut at a "?" or "#", so a query smuggled into it does
// not hide the operation it names. A parameter matches only a value the
// template's rule accepts: not empty, "." or "..", and not decoding to
// one or to something holding a slash or backslash beside one. It
// allocates nothing for a plain path.
func matchOperation(method, path string) *resources.OperationSpec {
	return operationTemplates().match(method, path)
}

// match is matchOperation in table. Only the operations of the request's
// method whose templates have as many segments as path are compared (no
// other can match), in table order, so the precedence rule and its last
// tie-break (the earlier in the table) are MatchPathTemplate's.
func (table *parsedOperations) match(method, path string) *resources.OperationSpec {
	if method == http.MethodHead {
		method = http.MethodGet
	}
	group := table.groups[routeKey{method, pathtemplate.SegmentCount(path)}]
	if group == nil {
		return nil
	}
	i := resources.MatchPathTemplate(group.templates, path, nil)
	if i < 0 {
		return nil
	}
	return &table.specs[group.index[i]]
}

// parsedOperations is the operation table with the operations' parsed
// path templates, by their text and grouped by method and segment count. An
// operation whose template does not parse is in no group, so it matches
// nothing.
type parsedOperations struct {
	specs  []resources.OperationSpec
	byText map[string]resources.PathTemplate
	groups map[routeKey]*routeGroup
}

// routeKey is what a request must share with a template to match it: the
// method and the number of path segments.
type routeKey struct {
	method   string
	segments int
}

// routeGroup is the templates of one routeKey in table order, with each
// one's index in the table.
type routeGroup struct {
	templates []resources.PathTemplate
	index     []int
}

// operationTemplates is the operation table, copied once and parsed, with
// the templates also by their text for the typed calls' check.
var operationTemplates = sync.OnceValue(func() *parsedOperations { return parseOperations(resources.Operations()) })

// parseOperations parses the path template of every operation of specs.
func parseOperations(specs []resources.OperationSpec) *parsedOperations {
	table := &parsedOperations{specs: specs, byText: map[string]resources.PathTemplate{}, groups: map[routeKey]*routeGroup{}}
	for i, op := range table.specs {
		tmpl, err := resources.ParsePathTemplate(op.Path)
		if err != nil {
			table.specs[i].Method = "" // never matched: normalizeMethod gives no request ""
			continue
		}
		table.byText[op.Path] = tmpl
		key := routeKey{op.Method, tmpl.Len()}
		g := table.groups[key]
		if g == nil {
			g = &routeGroup{}
			table.groups[key] = g
		}
		g.templates = append(g.templates, tmpl)
		g.index = append(g.index, i)
	}
	return table
}

// parsedTemplate is the parsed path template text, from the operation
// table's when it is one of them.
func parsedTemplate(text string) (resources.PathTemplate, error) {
	if tmpl, ok := operationTemplates().byText[text]; ok {
		return tmpl, nil
	}
	return resources.ParsePathTemplate(text)
}

// logAttrs appends what the per-attempt log record says of the class: the
// operation, when the request matched one, and why it is destructive.
func (c *Class) logAttrs(attrs []slog.Attr) []slog.Attr {
	if c.ID != "" {
		attrs = append(attrs, slog.String("operation", c.ID))
	}
	if c.Destructive {
		attrs = append(attrs, slog.Bool("destructive", true), slog.String("reason", c.Reason))
	}
	return attrs
}

// acceptedBesides returns the scopes of c.AcceptedScopes other than
// scope, in order; nil when there are none.
func (c *Class) acceptedBesides(scope Scope) []Scope {
	var out []Scope
	for _, s := range c.AcceptedScopes {
		if s != scope {
			out = append(out, s)
		}
	}
	return out
}
