package main

import (
	"fmt"
	"strings"

	"github.com/restorehub/restorehub-go/internal/openapi"
)

// scopeConst is one scope constant of scopes.go.
type scopeConst struct {
	name, scope, tier string
}

// knownTiers maps the tiers the root package declares to their constants.
var knownTiers = map[string]string{
	"read":        "TierRead",
	"write":       "TierWrite",
	"destructive": "TierDestructive",
}

// scopeConsts reads the scope list: x-scopes when the spec has it, else the
// enum of a component schema named Scope with each scope's tier taken from
// the operations' x-scope-tier. The wildcard "*" is returned separately.
func (d *document) scopeConsts() (consts []scopeConst, wildcard string, source string) {
	xs := d.Root.Obj("x-scopes")
	goNames := map[string]string{}
	xs.Obj("x-go-names").Each(func(k string, v any) {
		if s, ok := v.(string); ok && exportedName(s) == s {
			goNames[k] = s
		}
	})
	seen := map[string]bool{}
	add := func(scope, tier string) {
		if scope == "" || seen[scope] {
			return
		}
		seen[scope] = true
		if scope == "*" {
			wildcard = scope
			return
		}
		name := goNames[scope]
		if name == "" {
			name = exportedName(scope)
		}
		if name == "" {
			name = "Unnamed" // a scope such as "!": "Scope" alone is the type
		}
		consts = append(consts, scopeConst{name: "Scope" + name, scope: scope, tier: tier})
	}
	if lists := d.ScopeLists(); len(lists) > 0 {
		for _, l := range lists {
			for _, s := range l.Scopes {
				add(s, l.Tier)
			}
		}
		if w := xs.Str("wildcard"); w != "" {
			add(w, "")
		}
		src := "the spec's x-scopes lists them"
		if u := xs.Str("x-source"); u != "" {
			src += " (source: " + u + ")"
		}
		return consts, wildcard, src
	}
	ops := d.readOperationsQuiet()
	tiers := scopeTiersFromOperations(ops)
	enum := d.Root.Obj("components").Obj("schemas").Obj("Scope")
	if enum == nil {
		src := d.securityScopes(ops, tiers, add)
		return consts, wildcard, src
	}
	for _, s := range openapi.Strings(mustGet(enum, "enum")) {
		add(s, tiers[s])
	}
	return consts, wildcard, "the spec's Scope enum lists them"
}

// tierRank orders the tiers by what they allow.
var tierRank = map[string]int{"read": 1, "write": 2, "destructive": 3}

// scopeTiersFromOperations gives each scope the highest tier of the
// operations that accept it (as their required scope or an alternative): a
// scope is as dangerous as the most dangerous call it allows, whatever
// order the spec lists the operations in. A scope no operation with a
// tier accepts is absent.
func scopeTiersFromOperations(ops []*operation) map[string]string {
	tiers := map[string]string{}
	for _, op := range ops {
		if tierRank[op.tier] == 0 {
			continue
		}
		for _, s := range append([]string{op.scope}, op.otherScopes...) {
			if s != "" && tierRank[op.tier] > tierRank[tiers[s]] {
				tiers[s] = op.tier
			}
		}
	}
	return tiers
}

// securityScopes is the last resort of scopeConsts, for a spec with neither
// x-scopes nor a Scope enum (a published spec usually has neither): the
// scopes its OAuth 2 security schemes declare, then those its operations'
// security requirements name, each with the tier of the operations that
// need it, else the tier its name suggests.
func (d *document) securityScopes(ops []*operation, tiers map[string]string, add func(scope, tier string)) string {
	collect := func(scope string) {
		tier := tiers[scope]
		if tier == "" {
			tier = openapi.TierFromScopeName(scope)
		}
		add(scope, tier)
	}
	d.Root.Obj("components").Obj("securitySchemes").Each(func(_ string, v any) {
		scheme, _ := d.Follow(v)
		scheme.Obj("flows").Each(func(_ string, fv any) {
			if flow, ok := fv.(*object); ok {
				for _, s := range flow.Obj("scopes").Keys() {
					collect(s)
				}
			}
		})
	})
	for _, op := range ops {
		collect(op.scope)
		for _, s := range op.otherScopes {
			collect(s)
		}
	}
	return "the spec's security schemes and its operations' security requirements name them"
}

// readOperationsQuiet reads the operations without keeping warnings.
func (d *document) readOperationsQuiet() []*operation {
	saved := d.warnings
	ops := d.readOperations()
	d.warnings = saved
	return ops
}

// scopesFile is the root package's scopes.go. It is always written, so a
// spec that lists no scopes leaves only ScopeAll: Restore Hub's constants
// never outlive a swap to compile against an empty scope table.
func (d *document) scopesFile(specPath, pkg string) ([]byte, error) {
	consts, wildcard, source := d.scopeConsts()
	if source == "" {
		source = "the spec gives (it lists none)"
	}
	// The root package's own names that start with Scope.
	ns := newNamespace("ScopeAll", "Scope", "ScopeSet", "ScopesByTier")
	var w writer
	w.comment(fmt.Sprintf("The documented scopes, in the order %s.", source))
	w.line("const (")
	for i := range consts {
		c := &consts[i]
		c.name = ns.claim(c.name)
		tier := c.tier
		if knownTiers[tier] == "" {
			w.comment(fmt.Sprintf("%s is the scope %q (tier not documented).", c.name, c.scope))
		} else {
			w.comment(fmt.Sprintf("%s is the %s-tier scope %q.", c.name, tier, c.scope))
		}
		w.line("%s Scope = %s", c.name, goQuote(c.scope))
	}
	switch {
	case wildcard != "":
		w.line("// ScopeAll is the wildcard %q: it grants every scope, destructive ones included.", wildcard)
		w.line("ScopeAll Scope = %s", goQuote(wildcard))
	default:
		// The root package needs ScopeAll whatever the spec lists.
		w.line("// ScopeAll is Restore Hub's documented wildcard \"*\" (this spec does not list it): it grants every scope, destructive ones included.")
		w.line(`ScopeAll Scope = "*"`)
	}
	w.line(")")
	w.line("")
	return finalize(specPath, pkg, []byte(strings.TrimLeft(w.String(), "\n")))
}

// emitScopeTable writes scopeTable and scopeWildcard, the data behind
// Scope.Tier and DocumentedScopes in the resources package: every
// documented scope with its tier, in documented order. A spec without
// scopes gets an empty table.
func (d *document) emitScopeTable(w *writer) {
	consts, wildcard, source := d.scopeConsts()
	if source == "" {
		source = "the spec lists none"
	}
	w.comment(fmt.Sprintf("scopeTable lists every documented scope with its tier, in the order %s.", source))
	w.line("var scopeTable = []scopeInfo{")
	for _, c := range consts {
		t := knownTiers[c.tier]
		if t == "" {
			t = "TierUnknown"
		}
		w.line("{%s, %s},", goQuote(c.scope), t)
	}
	w.line("}")
	w.line("")
	w.line("// scopeWildcard is the scope that grants every scope, or \"\" when the spec has none.")
	w.line("const scopeWildcard Scope = %s", goQuote(wildcard))
	w.line("")
}
