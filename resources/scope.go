package resources

import "strings"

// Scope is an API-key permission in Restore Hub's "resource:action" form,
// such as "backups:restore". restorehub.Scope is the same type; the
// documented scopes are the restorehub.Scope… constants, and "*" is the
// wildcard. Generated fields that hold scopes, such as APIKey.Scopes, have
// this type.
type Scope string

// Tier is the risk class Restore Hub assigns to a scope. restorehub.Tier is
// the same type.
type Tier int

// The three documented tiers. The zero Tier is TierUnknown.
const (
	// TierUnknown is the tier of a scope that is not documented.
	TierUnknown Tier = iota
	// TierRead scopes only list, get and search.
	TierRead
	// TierWrite scopes change state but never destroy or exfiltrate data permanently.
	TierWrite
	// TierDestructive scopes pull members, restore backups, delete records or move money.
	TierDestructive
)

// String returns "read", "write", "destructive" or "unknown".
func (t Tier) String() string {
	switch t {
	case TierRead:
		return "read"
	case TierWrite:
		return "write"
	case TierDestructive:
		return "destructive"
	}
	return "unknown"
}

// scopeInfo is one documented scope and its tier.
type scopeInfo struct {
	scope Scope
	tier  Tier
}

// scopeTiers indexes scopeTable; the wildcard, when the spec has one,
// counts as destructive.
var scopeTiers = func() map[Scope]Tier {
	m := make(map[Scope]Tier, len(scopeTable)+1)
	for _, s := range scopeTable {
		m[s.scope] = s.tier
	}
	if scopeWildcard != "" {
		m[scopeWildcard] = TierDestructive
	}
	return m
}()

// Tier returns the documented tier of s. The wildcard counts as
// TierDestructive, since it grants destructive scopes; an undocumented scope
// is TierUnknown.
func (s Scope) Tier() Tier { return scopeTiers[s] }

// Valid reports whether s is a documented scope or the wildcard.
func (s Scope) Valid() bool {
	_, ok := scopeTiers[s]
	return ok
}

// Resource returns the part before the colon ("backups" for
// "backups:restore"), or "*" for the wildcard.
func (s Scope) Resource() string {
	r, _, _ := strings.Cut(string(s), ":")
	return r
}

// Action returns the part after the colon ("restore" for
// "backups:restore"), or "" when there is none.
func (s Scope) Action() string {
	_, a, _ := strings.Cut(string(s), ":")
	return a
}

// String returns the scope as Restore Hub spells it.
func (s Scope) String() string { return string(s) }

// DocumentedScopes returns the documented scopes with their order in the
// spec (read, then write, then destructive), without the wildcard.
func DocumentedScopes() []Scope {
	out := make([]Scope, len(scopeTable))
	for i, s := range scopeTable {
		out[i] = s.scope
	}
	return out
}
