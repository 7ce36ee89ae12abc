package restorehub

import (
	"fmt"
	"slices"
	"strings"

	"github.com/restorehub/restorehub-go/resources"
)

// Scope is an API-key permission in Restore Hub's "resource:action" form,
// such as "backups:restore". The documented scopes are the Scope constants in
// scopes.go; ScopeAll is the wildcard "*". It is the type resources declares,
// so that generated fields holding scopes, such as resources.APIKey.Scopes,
// are Scopes too.
type Scope = resources.Scope

// Tier is the risk class Restore Hub assigns to a scope.
type Tier = resources.Tier

// The three documented tiers. The zero Tier is TierUnknown.
const (
	// TierUnknown is the tier of a scope that is not documented.
	TierUnknown = resources.TierUnknown
	// TierRead scopes only list, get and search.
	TierRead = resources.TierRead
	// TierWrite scopes change state but never destroy or exfiltrate data permanently.
	TierWrite = resources.TierWrite
	// TierDestructive scopes pull members, restore backups, delete records or move money.
	TierDestructive = resources.TierDestructive
)

// ParseTier maps "read", "write" and "destructive" to their Tier.
func ParseTier(s string) (Tier, error) {
	switch s {
	case "read":
		return TierRead, nil
	case "write":
		return TierWrite, nil
	case "destructive":
		return TierDestructive, nil
	}
	return TierUnknown, fmt.Errorf("restorehub: unknown scope tier %s (want read, write or destructive)", truncate(fmt.Sprintf("%q", s), 40))
}

// ParseScope checks that s is a documented scope or "*". Surrounding white
// space is ignored; case is not, since Restore Hub spells scopes in lower case.
func ParseScope(s string) (Scope, error) {
	sc := Scope(strings.TrimSpace(s))
	if !sc.Valid() {
		return "", fmt.Errorf("restorehub: unknown scope %s: scopes look like \"servers:read\"; see AllScopes", truncate(fmt.Sprintf("%q", sc), 60))
	}
	return sc, nil
}

// AllScopes returns the 53 documented scopes in documented order (read, then
// write, then destructive). It does not include ScopeAll.
func AllScopes() []Scope { return resources.DocumentedScopes() }

// ScopesByTier returns the documented scopes of tier t, in documented order.
func ScopesByTier(t Tier) []Scope {
	var out []Scope
	for _, s := range resources.DocumentedScopes() {
		if s.Tier() == t {
			out = append(out, s)
		}
	}
	return out
}

// ScopeSet is the set of scopes an API key holds. The zero value holds none.
type ScopeSet struct {
	all    bool
	scopes map[Scope]struct{}
}

// NewScopeSet returns a set holding scopes. Including ScopeAll makes the set
// allow everything.
func NewScopeSet(scopes ...Scope) ScopeSet {
	set := ScopeSet{scopes: make(map[Scope]struct{}, len(scopes))}
	for _, s := range scopes {
		if s == ScopeAll {
			set.all = true
		}
		set.scopes[s] = struct{}{}
	}
	return set
}

// Allows reports whether a key with this set may call an operation that
// requires s. The wildcard allows every scope; an empty s (an operation with
// no documented scope) is always allowed.
func (set ScopeSet) Allows(s Scope) bool {
	if s == "" || set.all {
		return true
	}
	_, ok := set.scopes[s]
	return ok
}

// AllowsAny reports whether a key with this set may call an operation that
// accepts any one of scopes, such as Class.AcceptedScopes or
// resources.OperationSpec.Accepted: the set allows at least one of them. An
// operation that accepts no scope (scopes empty) is always allowed, as
// Allows("") is.
func (set ScopeSet) AllowsAny(scopes ...Scope) bool {
	if len(scopes) == 0 {
		return true
	}
	return slices.ContainsFunc(scopes, set.Allows)
}

// Scopes returns the members of the set, sorted.
func (set ScopeSet) Scopes() []Scope {
	out := make([]Scope, 0, len(set.scopes))
	for s := range set.scopes {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// Len returns the number of scopes in the set.
func (set ScopeSet) Len() int { return len(set.scopes) }
