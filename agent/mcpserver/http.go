package mcpserver

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// HTTPOptions configure HTTPHandler.
type HTTPOptions struct {
	// Verifier authenticates every request's bearer token and names its
	// principal (auth.TokenInfo.UserID), the caller that pending
	// confirmations are bound to. Nil serves without authentication: every
	// request is the one caller of the process, which is safe only on a
	// loopback address for the process's own user.
	Verifier auth.TokenVerifier
	// Scopes are the scopes a token must hold (auth.TokenInfo.Scopes);
	// a verified token without them gets 403 with error="insufficient_scope".
	Scopes []string
	// ResourceMetadataURL, when set, is named in every 401 and 403
	// (WWW-Authenticate resource_metadata), for OAuth clients to discover
	// the authorization server (RFC 9728).
	ResourceMetadataURL string
	// SessionTimeout closes idle sessions of protocol versions before
	// 2026-07-28; zero keeps 30 minutes.
	SessionTimeout time.Duration
}

// newProtocol is the first protocol version served without sessions.
const newProtocol = "2026-07-28"

// HTTPHandler serves s on streamable HTTP, every protocol version at one
// URL:
//
//   - requests of protocol 2026-07-28 and later (MCP-Protocol-Version
//     header) statelessly, as that revision has no sessions; destructive
//     calls confirm through input requests, bound to the caller;
//   - older versions with sessions, which elicitation/create needs (the
//     server asks the client during the call). Their sessions carry no
//     state of this package: a confirmation is asked and answered within
//     one call, and the destructive cap is the toolkit's, whoever calls.
//
// With opts.Verifier set, every request needs a valid bearer token (401
// with WWW-Authenticate otherwise) and a session of an older version is
// bound to the principal that opened it.
func HTTPHandler(s *mcp.Server, opts *HTTPOptions) http.Handler {
	var o HTTPOptions
	if opts != nil {
		o = *opts
	}
	if o.SessionTimeout <= 0 {
		o.SessionTimeout = 30 * time.Minute
	}
	get := func(*http.Request) *mcp.Server { return s }
	stateless := mcp.NewStreamableHTTPHandler(get, &mcp.StreamableHTTPOptions{Stateless: true, PropagateRequestCancellation: true})
	sessions := mcp.NewStreamableHTTPHandler(get, &mcp.StreamableHTTPOptions{SessionTimeout: o.SessionTimeout})
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if v := r.Header.Get("Mcp-Protocol-Version"); v >= newProtocol {
			stateless.ServeHTTP(w, r)
			return
		}
		sessions.ServeHTTP(w, r)
	})
	if o.Verifier != nil {
		h = requireToken(h, o)
	}
	return http.NewCrossOriginProtection().Handler(h)
}

// verifiedKey carries the TokenInfo requireToken verified to the
// verifier it gives auth.RequireBearerToken, which puts it where the SDK
// reads it (auth.TokenInfoFromContext, RequestExtra.TokenInfo).
type verifiedKey struct{}

// requireToken checks the bearer token of every request: 401 without a
// valid one, 403 with error="insufficient_scope" without o.Scopes.
func requireToken(next http.Handler, o HTTPOptions) http.Handler {
	pass := auth.RequireBearerToken(func(ctx context.Context, _ string, _ *http.Request) (*auth.TokenInfo, error) {
		if ti, ok := ctx.Value(verifiedKey{}).(*auth.TokenInfo); ok {
			return ti, nil
		}
		return nil, auth.ErrInvalidToken
	}, &auth.RequireBearerTokenOptions{AllowMissingExpiration: true})(next)
	challenge := func(w http.ResponseWriter, status int, errCode, desc string) {
		params := []string{`realm="restorehub-mcp"`}
		if errCode != "" {
			params = append(params, fmt.Sprintf("error=%q, error_description=%q", errCode, desc))
		}
		if len(o.Scopes) > 0 {
			params = append(params, fmt.Sprintf("scope=%q", strings.Join(o.Scopes, " ")))
		}
		if o.ResourceMetadataURL != "" {
			params = append(params, fmt.Sprintf("resource_metadata=%q", o.ResourceMetadataURL))
		}
		w.Header().Set("WWW-Authenticate", "Bearer "+strings.Join(params, ", "))
		http.Error(w, desc, status)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, token, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
		token = strings.TrimSpace(token)
		if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
			challenge(w, http.StatusUnauthorized, "", "a bearer token is required")
			return
		}
		ti, err := o.Verifier(r.Context(), token, r)
		if err != nil || ti == nil {
			challenge(w, http.StatusUnauthorized, "invalid_token", "the bearer token is not valid")
			return
		}
		if !ti.Expiration.IsZero() && !time.Now().Before(ti.Expiration) {
			challenge(w, http.StatusUnauthorized, "invalid_token", "the bearer token has expired")
			return
		}
		for _, sc := range o.Scopes {
			if !slices.Contains(ti.Scopes, sc) {
				challenge(w, http.StatusForbidden, "insufficient_scope", "the bearer token lacks the scope "+sc)
				return
			}
		}
		pass.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), verifiedKey{}, ti)))
	})
}

// StaticTokens is a Verifier for fixed bearer tokens, by principal: a
// request whose token equals tokens[p] is the principal p, with scopes
// "mcp". Tokens are compared in constant time (their SHA-256, so that not
// even their length leaks), every one of them on every request. Empty
// tokens are refused, and so is an empty map: it never verifies anything.
func StaticTokens(tokens map[string]string) (auth.TokenVerifier, error) {
	type entry struct {
		principal string
		sum       [sha256.Size]byte
	}
	var entries []entry
	for p, t := range tokens {
		if len(t) < 16 {
			return nil, fmt.Errorf("the token of %q is shorter than 16 characters; use a long random one", p)
		}
		entries = append(entries, entry{p, sha256.Sum256([]byte(t))})
	}
	if len(entries) == 0 {
		return nil, errors.New("no tokens")
	}
	return func(_ context.Context, token string, _ *http.Request) (*auth.TokenInfo, error) {
		got := sha256.Sum256([]byte(token))
		found := -1
		for i, e := range entries {
			if subtle.ConstantTimeCompare(got[:], e.sum[:]) == 1 {
				found = i
			}
		}
		if found < 0 {
			return nil, auth.ErrInvalidToken
		}
		return &auth.TokenInfo{UserID: entries[found].principal, Scopes: []string{"mcp"}}, nil
	}, nil
}
