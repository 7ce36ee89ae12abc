package openapi

import (
	"slices"
	"strings"
)

// ScopeExtensions names the vendor extensions of an operation object that
// carry the scope (or scopes) it needs, for specs that do not put scopes in
// security requirements. A value may be a string, an array of strings, or an
// object whose string and string-array values are scopes.
type ScopeExtensions struct {
	// Names are extension keys matched exactly, in order of preference.
	Names []string
	// Suffixes match any other "x-" key ending in one of them, such as
	// "-permission" for "x-acme-permission".
	Suffixes []string
}

// DefaultScopeExtensions are the extensions read when a Document names none:
// Restore Hub's x-required-scope and the forms vendors' exporters use.
var DefaultScopeExtensions = ScopeExtensions{
	Names:    []string{"x-required-scope", "x-required-scopes", "x-oauth-scope", "x-oauth-scopes", "x-scope", "x-permission", "x-permissions"},
	Suffixes: []string{"-requires-scope", "-required-scope", "-requires-scopes", "-required-scopes", "-oauth-scope", "-oauth-scopes", "-permission", "-permissions"},
}

// match returns the scopes of the first extension of o it names.
func (e *ScopeExtensions) match(o *Object) []string {
	for _, k := range e.Names {
		if v, ok := o.Get(k); ok {
			if s := scopeValues(v); len(s) > 0 {
				return s
			}
		}
	}
	var found []string
	o.Each(func(k string, v any) {
		if found != nil || !strings.HasPrefix(k, "x-") {
			return
		}
		for _, suf := range e.Suffixes {
			if strings.HasSuffix(k, suf) {
				if s := scopeValues(v); len(s) > 0 {
					found = s
				}
				return
			}
		}
	})
	return found
}

// scopeValues reads the scopes of an extension value.
func scopeValues(v any) []string {
	var out []string
	// add takes a string or the strings of an array.
	add := func(v any) {
		list := Strings(v)
		if s, ok := v.(string); ok {
			list = []string{s}
		}
		for _, s := range list {
			if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	if o, ok := v.(*Object); ok {
		o.Each(func(_ string, v any) { add(v) })
	} else {
		add(v)
	}
	return out
}

// Scopes is what an operation says about the scopes it needs.
type Scopes struct {
	// Required is the least privileged of Accepted (the first in document
	// order among equally privileged ones), or "" when none is named.
	Required string
	// Accepted are the scopes any of which the operation accepts, in
	// document order, Required among them.
	Accepted []string
}

// Scopes returns the scopes an operation accepts, from the first of:
//
//   - the scope lists of its own security requirements (every scope any
//     requirement lists is an accepted alternative);
//   - its scope extensions (x-required-scope and the forms of
//     [DefaultScopeExtensions]);
//   - when it has no security of its own, the document's security
//     requirements.
//
// Security schemes are read in document order. The required scope is the
// least privileged accepted one by [Document.ScopeTier].
func (d *Document) Scopes(o *Object) Scopes {
	var accepted []string
	if sec, ok := o.Get("security"); ok {
		accepted = requirementScopes(sec)
	}
	if len(accepted) == 0 {
		ext := d.Extensions
		if ext == nil {
			ext = &DefaultScopeExtensions
		}
		accepted = ext.match(o)
	}
	if _, own := o.Get("security"); len(accepted) == 0 && !own {
		if sec, ok := d.Root.Get("security"); ok {
			accepted = requirementScopes(sec)
		}
	}
	if len(accepted) == 0 {
		return Scopes{}
	}
	best, rank := "", 99
	for _, s := range accepted {
		if r := tierRank(d.ScopeTier(s)); r < rank {
			best, rank = s, r
		}
	}
	return Scopes{Required: best, Accepted: accepted}
}

// requirementScopes lists every scope named by the security requirements,
// in document order, without repeats.
func requirementScopes(sec any) []string {
	var out []string
	a, _ := sec.([]any)
	for _, r := range a {
		req, _ := r.(*Object)
		req.Each(func(_ string, v any) {
			for _, s := range Strings(v) {
				if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
					out = append(out, s)
				}
			}
		})
	}
	return out
}

// tierRank orders tiers by privilege; an unknown tier ranks as write.
func tierRank(tier string) int {
	switch tier {
	case "read":
		return 0
	case "destructive":
		return 2
	}
	return 1
}

// ScopeList is one tier's list in the document's x-scopes.
type ScopeList struct {
	Tier   string
	Scopes []string
}

// ScopeLists reads x-scopes: every key whose value is an array of strings is
// a tier ("read", "write", "destructive"), in document order.
func (d *Document) ScopeLists() []ScopeList {
	var out []ScopeList
	d.Root.Obj("x-scopes").Each(func(k string, v any) {
		if _, ok := v.([]any); ok && !strings.HasPrefix(k, "x-") {
			out = append(out, ScopeList{Tier: strings.ToLower(k), Scopes: Strings(v)})
		}
	})
	return out
}

// ListedTiers maps each scope of the document's x-scopes lists to its tier
// (the first list naming it wins).
func (d *Document) ListedTiers() map[string]string {
	m := map[string]string{}
	for _, l := range d.ScopeLists() {
		for _, s := range l.Scopes {
			if _, ok := m[s]; !ok {
				m[s] = l.Tier
			}
		}
	}
	return m
}

// ScopeTier returns a scope's tier: the x-scopes list naming it, else the
// tier its name suggests ([TierFromScopeName]).
func (d *Document) ScopeTier(scope string) string {
	for _, l := range d.ScopeLists() {
		if slices.Contains(l.Scopes, scope) {
			return l.Tier
		}
	}
	return TierFromScopeName(scope)
}

// Words of a scope name that place it in a tier when the spec states no
// tier for it. Restore Hub names scopes "resource:action"
// ("backups:restore"); OAuth-style specs often put the action first
// ("read:backups") or use dots and slashes.
var (
	readScopeWords = map[string]bool{
		"read": true, "readonly": true, "list": true, "get": true, "view": true, "search": true,
	}
	writeScopeWords = map[string]bool{
		"write": true, "create": true, "update": true, "edit": true, "modify": true, "manage": true,
	}
	destructiveScopeWords = map[string]bool{
		"delete": true, "destroy": true, "remove": true, "purge": true, "wipe": true,
		"restore": true, "pull": true, "payout": true, "apply": true, "admin": true,
	}
)

// TierFromScopeName infers a scope's tier from its name, the words between
// ':', '.', '/', '_', '-' and spaces deciding in this order:
//
//   - an explicit write word (write, create, update, ...) means write;
//   - else a read word (read, list, view, ...) means read, so "org:read" is
//     read even where "admin" appears too;
//   - else a destructive word (delete, restore, admin, ...) means
//     destructive;
//   - any other non-empty scope is write;
//   - the empty scope and the wildcard "*" have no tier ("").
func TierFromScopeName(scope string) string {
	scope = strings.ToLower(strings.TrimSpace(scope))
	if scope == "" || scope == "*" {
		return ""
	}
	words := strings.FieldsFunc(scope, func(r rune) bool {
		return r == ':' || r == '.' || r == '/' || r == '_' || r == '-' || r == ' '
	})
	var read, write, destructive bool
	for _, w := range words {
		read = read || readScopeWords[w]
		write = write || writeScopeWords[w]
		destructive = destructive || destructiveScopeWords[w]
	}
	switch {
	case write:
		return "write"
	case read:
		return "read"
	case destructive:
		return "destructive"
	}
	return "write"
}

// DeclaredTier returns the tier the document states for an operation that
// requires scope: its x-scope-tier in lower case, else the x-scopes list
// naming the scope, else "". The value is not checked to be a tier.
func (d *Document) DeclaredTier(o *Object, scope string) string {
	tier := strings.ToLower(strings.TrimSpace(o.Str("x-scope-tier")))
	if tier == "" && scope != "" {
		tier = d.ListedTiers()[scope]
	}
	return tier
}

// OperationTier returns the tier of an operation that requires scope:
// x-scope-tier when it is one of read, write, destructive, else the x-scopes
// list naming the scope, else the tier the scope's name suggests. A safe
// method (GET, HEAD, OPTIONS) whose tier comes from the name alone is read:
// a GET is never destructive by name inference. inferred reports a tier
// from the name.
func (d *Document) OperationTier(method string, o *Object, scope string) (tier string, inferred bool) {
	switch tier = d.DeclaredTier(o, scope); tier {
	case "read", "write", "destructive":
		return tier, false
	}
	tier = TierFromScopeName(scope)
	if tier != "" && (method == "GET" || method == "HEAD" || method == "OPTIONS") {
		tier = "read"
	}
	return tier, true
}
