package main

import "strings"

// Words of a scope name that place it in a tier when the spec states no
// tier for it (no x-scope-tier on the operation, and the scope is in none of
// the document's x-scopes lists). Restore Hub names scopes
// "resource:action" ("backups:restore"); OAuth-style specs often put the
// action first ("read:backups") or use dots and slashes.
var (
	readScopeWords = map[string]bool{
		"read": true, "readonly": true, "list": true, "get": true, "view": true, "search": true,
	}
	destructiveScopeWords = map[string]bool{
		"delete": true, "destroy": true, "remove": true, "purge": true, "wipe": true,
		"restore": true, "pull": true, "payout": true, "apply": true, "admin": true,
	}
)

// tierFromScopeName infers a scope's tier from its name: destructive when
// any word of it is a destructive verb, read when one is a read verb, write
// for any other non-empty scope, and "" for the empty scope and the
// wildcard.
func tierFromScopeName(scope string) string {
	scope = strings.ToLower(strings.TrimSpace(scope))
	if scope == "" || scope == "*" {
		return ""
	}
	words := strings.FieldsFunc(scope, func(r rune) bool {
		return r == ':' || r == '.' || r == '/' || r == '_' || r == '-' || r == ' '
	})
	read := false
	for _, w := range words {
		if destructiveScopeWords[w] {
			return "destructive"
		}
		read = read || readScopeWords[w]
	}
	if read {
		return "read"
	}
	return "write"
}
