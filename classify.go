package restorehub

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

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
	// Tier is the request's tier: Scope's, or the matched operation's when
	// the table gives a higher one. A scope or tier the SDK does not know
	// counts as TierDestructive; TierUnknown means there is none.
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
// matches, never safer.
func Classify(method, path string, named Scope) Class {
	method = normalizeMethod(method)
	return decide(method, matchOperation(method, path), named)
}

// ClassifyOperation returns the Class of the operation with the given ID,
// such as "backups.restore", as a typed call of it would be classified.
func ClassifyOperation(id string) (Class, bool) {
	spec, ok := resources.LookupOperation(id)
	if !ok {
		return Class{}, false
	}
	return classifySpec(&spec, ""), true
}

// classifySpec is the Class of a typed call of spec: the rule of Classify
// applied to the operation the generated method names, with no matching.
func classifySpec(spec *resources.OperationSpec, named Scope) Class {
	return decide(normalizeMethod(spec.Method), spec, named)
}

// normalizeMethod is method in upper case, GET when empty.
func normalizeMethod(method string) string {
	if method == "" {
		return http.MethodGet
	}
	return strings.ToUpper(method)
}

// decide is the one rule both Classify and classifySpec apply: what a request
// of method is, given the operation it is (spec, nil for none) and the scope
// its caller named.
func decide(method string, spec *resources.OperationSpec, named Scope) Class {
	c := Class{Method: method}
	safeMethod := method == http.MethodGet || method == http.MethodHead
	unknownTier := false
	if spec != nil {
		c.Spec, c.ID, c.PathTemplate = spec, spec.ID, spec.Path
		c.Scope = spec.Scope
		c.Tier = c.Scope.Tier()
		if spec.Scope != "" && c.Tier == TierUnknown {
			// A scope the SDK does not know: assume the worst.
			c.Tier = TierDestructive
		}
		switch t := spec.Tier; {
		case t == TierUnknown:
		case t >= TierRead && t <= TierDestructive:
			// The table's tier counts when it is higher than the scope's.
			c.Tier = max(c.Tier, t)
		default:
			// A Tier the SDK does not know is the worst.
			c.Tier = TierDestructive
		}
		unknownTier = c.Tier == TierUnknown
		c.Idempotent = spec.Idempotent
	} else {
		// Only the named scope, if any, says what it needs (below).
		c.Idempotent = safeMethod
	}
	if named != "" && named != c.Scope {
		if t := named.Tier(); t > c.Tier || (t == TierUnknown && named != ScopeAll) {
			c.Scope = named
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
		switch st := c.Scope.Tier(); {
		case st == TierDestructive:
			c.Reason = "its scope " + string(c.Scope) + " is in the destructive tier"
		case c.Scope != "" && st == TierUnknown:
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

// matchOperation finds the operation whose method and path template match
// path; a HEAD matches the GET of the same path, as servers answer it. The
// path is cut at a "?" or "#", so a query smuggled into it does not hide the
// operation it names. A template segment "{name}" matches one non-empty path
// segment that is not "." or ".." and does not decode to one or to something
// holding a slash or backslash beside one. Literal segments win over
// parameters when several match. It allocates nothing for a plain path.
func matchOperation(method, path string) *resources.OperationSpec {
	if method == http.MethodHead {
		method = http.MethodGet
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	path = strings.Trim(path, "/")
	n := strings.Count(path, "/") + 1
	t := opTemplates()
	var best *resources.OperationSpec
	bestLiterals := -1
	for i := range t.specs {
		tm := &t.templates[i]
		if tm.method != method || len(tm.segs) != n {
			continue
		}
		literals, ok, rest := 0, true, path
		for _, ts := range tm.segs {
			var seg string
			seg, rest, _ = strings.Cut(rest, "/")
			if ts.param {
				if badSegment(seg) != "" {
					ok = false
					break
				}
				continue
			}
			if ts.literal != seg {
				ok = false
				break
			}
			literals++
		}
		if ok && literals > bestLiterals {
			best, bestLiterals = &t.specs[i], literals
		}
	}
	return best
}

// opTemplate is an operation's method and path template, split once.
type opTemplate struct {
	method string
	segs   []templateSeg
}

// templateSeg is a literal path segment, or a parameter.
type templateSeg struct {
	literal string
	param   bool
}

// operationTemplates is the operation table, copied once, and its templates.
type operationTemplates struct {
	specs     []resources.OperationSpec
	templates []opTemplate
}

var opTemplates = sync.OnceValue(func() *operationTemplates {
	t := &operationTemplates{specs: resources.Operations()}
	t.templates = make([]opTemplate, len(t.specs))
	for i, op := range t.specs {
		tm := opTemplate{method: op.Method}
		for _, seg := range strings.Split(strings.Trim(op.Path, "/"), "/") {
			if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
				tm.segs = append(tm.segs, templateSeg{param: true})
			} else {
				tm.segs = append(tm.segs, templateSeg{literal: seg})
			}
		}
		t.templates[i] = tm
	}
	return t
})

// badSegment says why an escaped path segment cannot be a path parameter,
// or returns "": it is empty, "." or "..", or, decoded, is one of those or
// holds a slash or backslash beside an empty, "." or ".." part (such as
// "..%2Fapi-keys"), which a server that decodes the path before routing
// would follow. It decodes up to three times, since a proxy may decode once
// more than the server.
func badSegment(seg string) string {
	if seg != "" && seg != "." && seg != ".." && !strings.ContainsAny(seg, "%/\\") {
		return "" // the common case, without allocating
	}
	dec := seg
	for range 4 {
		parts := strings.FieldsFunc(dec, func(r rune) bool { return r == '/' || r == '\\' })
		if len(parts) == 0 || len(strings.Join(parts, "/")) != len(dec) {
			// Empty, or an empty part: nothing, a leading, trailing or
			// doubled slash.
			if dec == "" {
				return "it is empty"
			}
			return fmt.Sprintf("it decodes to %q, with an empty part between slashes", truncate(dec, 40))
		}
		for _, p := range parts {
			if p == "." || p == ".." {
				if p == dec && dec == seg {
					return fmt.Sprintf("it is %q, which would change the path", dec)
				}
				return fmt.Sprintf("it decodes to %q, which would change the path", truncate(dec, 40))
			}
		}
		next, err := url.PathUnescape(dec)
		if err != nil || next == dec {
			return ""
		}
		dec = next
	}
	return ""
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
