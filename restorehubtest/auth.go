package restorehubtest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
)

// DefaultPlan is the plan of a key when neither WithPlan nor WithKeyPlan
// names one.
const DefaultPlan = "PREMIUM"

// keyState is one registered API key.
type keyState struct {
	scopes restorehub.ScopeSet
	// list is the key's scopes in registration order, without duplicates,
	// as the 403 body's yourScopes reports them.
	list []string
	plan string // "" means the server's plan
}

// newKeyState builds the state of a key holding scopes.
func newKeyState(scopes []restorehub.Scope) *keyState {
	ks := &keyState{scopes: restorehub.NewScopeSet(scopes...), list: []string{}}
	for _, s := range scopes {
		if !slices.Contains(ks.list, string(s)) {
			ks.list = append(ks.list, string(s))
		}
	}
	return ks
}

// KeyID returns a short, stable, non-secret identifier of an API key, the
// KeyID of the requests the key sends: "key_" and the first 12 hex digits
// of its SHA-256. It returns "" for "".
func KeyID(key string) string {
	if key == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(key))
	return "key_" + hex.EncodeToString(sum[:6])
}

// bearerToken returns the token of a well-formed "Bearer <token>"
// Authorization header (the scheme is case-insensitive), or "" when the
// header is missing, repeated or malformed.
func bearerToken(h http.Header) string {
	values := h.Values("Authorization")
	if len(values) != 1 {
		return ""
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || strings.ContainsAny(token, " \t") {
		return ""
	}
	return token
}

// AddKey registers key, holding scopes, while the server runs; registering
// a key again replaces its scopes and keeps its plan. A new key's plan is
// the one WithKeyPlan named for it, else the server's. With RevokeKey it
// lets a test rotate keys.
func (s *Server) AddKey(key string, scopes ...restorehub.Scope) {
	if key == "" {
		panic("restorehubtest: AddKey with an empty key")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	plan := s.keyPlans[key]
	if old, ok := s.keys[key]; ok {
		plan = old.plan
	}
	ks := newKeyState(scopes)
	ks.plan = plan
	s.keys[key] = ks
}

// RevokeKey unregisters key: from then on its requests get 401, as a
// revoked Restore Hub key's do. Revoking an unknown key does nothing.
func (s *Server) RevokeKey(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.keys, key)
}

// planOf returns the plan of ks.
func (s *Server) planOf(ks *keyState) string {
	if ks.plan != "" {
		return ks.plan
	}
	return s.plan
}

// planLimit returns the documented requests per 10s of plan.
func planLimit(plan string) int {
	switch plan {
	case "FREE":
		return 50
	case "BUSINESS", "ENTERPRISE":
		return 200
	}
	return 100
}

// forbiddenScope returns the documented 403 for a key without scope.
func forbiddenScope(h http.Header, scope restorehub.Scope, ks *keyState) *reply {
	return jsonReply(http.StatusForbidden, h, missingScopeBody{
		Error:         "Missing required scope: " + scope.String(),
		RequiredScope: scope.String(),
		YourScopes:    append([]string{}, ks.list...),
	})
}

// forbiddenPlan returns the 403 a Free-plan key gets for a non-GET request.
func forbiddenPlan(h http.Header, plan string) *reply {
	return jsonReply(http.StatusForbidden, h, planBodyOf(plan))
}

// scopeOf returns the scope op requires.
func scopeOf(op *resources.OperationSpec) restorehub.Scope { return op.Scope }
