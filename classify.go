package restorehub

import (
	"net/http"
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
// and never resent except after a 429.
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
	// Tier is Scope's tier, TierUnknown when it has none.
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
// base URL, escaped, without the query) and the scope its caller named, if
// any (Request.Scope). The request is matched against the operation table by
// method and path template; a match gives the operation's scope, tier,
// idempotency and pace. A named scope can make a request more dangerous than
// the operation it matches, never safer.
func Classify(method, path string, named Scope) Class {
	method = strings.ToUpper(method)
	if method == "" {
		method = http.MethodGet
	}
	c := Class{Method: method}
	if spec := matchOperation(method, path); spec != nil {
		c.Spec, c.ID, c.PathTemplate = spec, spec.ID, spec.Path
		c.Scope = Scope(spec.Scope)
		c.Tier = c.Scope.Tier()
		if spec.Scope != "" && c.Tier == TierUnknown {
			// A scope the SDK does not know: assume the worst.
			c.Tier = TierDestructive
		}
		c.Idempotent = spec.Idempotent
	} else {
		c.Scope = named
		c.Tier = named.Tier()
		c.Idempotent = method == http.MethodGet || method == http.MethodHead
	}
	if named != "" && named != c.Scope {
		if t := named.Tier(); t > c.Tier || (t == TierUnknown && named != ScopeAll) {
			c.Scope = named
			c.Tier = t
			if t == TierUnknown {
				c.Tier = TierDestructive
			}
		}
	}
	safeMethod := method == http.MethodGet || method == http.MethodHead
	switch {
	case c.Tier == TierDestructive:
		c.Destructive, c.Reason = true, "its scope "+string(c.Scope)+" is in the destructive tier"
	case method == http.MethodDelete:
		c.Destructive, c.Reason = true, "it is a DELETE"
	case c.Spec == nil && !safeMethod:
		c.Destructive, c.Reason = true, "it matches no known operation and is not a GET or HEAD"
	}
	if c.Destructive {
		c.Idempotent = false
	}
	c.ReadOnly = safeMethod && !c.Destructive && (c.Tier == TierRead || (c.Tier == TierUnknown && c.Scope == ""))
	return c
}

// ClassifyOperation returns the Class of the operation with the given ID,
// such as "backups.restore", as a typed call of it would be classified.
func ClassifyOperation(id string) (Class, bool) {
	spec, ok := resources.LookupOperation(id)
	if !ok {
		return Class{}, false
	}
	return Classify(spec.Method, spec.Path, ""), true
}

// matchOperation finds the operation whose method and path template match.
// A template segment "{name}" matches one non-empty path segment other than
// "." and "..". Literal segments win over parameters when several match.
func matchOperation(method, path string) *resources.OperationSpec {
	ops := operationSpecs()
	segs := strings.Split(strings.Trim(path, "/"), "/")
	var best *resources.OperationSpec
	bestLiterals := -1
	for i := range ops {
		op := &ops[i]
		if op.Method != method {
			continue
		}
		tsegs := strings.Split(strings.Trim(op.Path, "/"), "/")
		if len(tsegs) != len(segs) {
			continue
		}
		literals, ok := 0, true
		for j, t := range tsegs {
			if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
				if s := segs[j]; s == "" || s == "." || s == ".." || strings.EqualFold(s, "%2e") || strings.EqualFold(s, "%2e%2e") {
					ok = false
					break
				}
				continue
			}
			if t != segs[j] {
				ok = false
				break
			}
			literals++
		}
		if ok && literals > bestLiterals {
			best, bestLiterals = op, literals
		}
	}
	return best
}

// operationSpecs is the operation table, copied once.
var operationSpecs = sync.OnceValue(resources.Operations)
