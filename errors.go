package restorehub

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Sentinel errors for errors.Is. Every *APIError matches the one for its
// status class, and the more precise error types match theirs too.
var (
	// ErrUnauthorized matches 401: the key is missing, invalid or revoked.
	ErrUnauthorized = errors.New("restorehub: unauthorized")
	// ErrForbidden matches 403: a missing scope, a Free-plan write, or a resource that is not yours.
	ErrForbidden = errors.New("restorehub: forbidden")
	// ErrNotFound matches 404: it does not exist, or the key cannot see it.
	ErrNotFound = errors.New("restorehub: not found")
	// ErrConflict matches 409: it already exists, or a competing operation is in progress.
	ErrConflict = errors.New("restorehub: conflict")
	// ErrValidation matches 400: the request failed validation.
	ErrValidation = errors.New("restorehub: validation failed")
	// ErrPlanLimit matches 422: a plan limit or business rule was hit.
	ErrPlanLimit = errors.New("restorehub: plan limit or business rule")
	// ErrRateLimited matches 429, and a local refusal to wait longer than WithMaxWait.
	ErrRateLimited = errors.New("restorehub: rate limited")
	// ErrServer matches every 5xx response.
	ErrServer = errors.New("restorehub: server error")
)

// APIError is any non-2xx response from Restore Hub. Every error the client
// returns for a response unwraps to one; errors.As finds the more precise
// *MissingScopeError, *UpgradeRequiredError, *RateLimitError and
// *ValidationError where they apply.
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Message is the envelope's "error" string, or a description of the
	// body when it was not the documented JSON envelope (an HTML 502 page, an
	// empty or truncated body). API keys in it are redacted.
	Message string
	// Details is the envelope's raw "details" value, or nil. API keys in it are redacted.
	Details json.RawMessage
	// Method and Path name the request (the path below the base URL, without the query).
	Method, Path string
	// RateLimit is the budget state the response reported.
	RateLimit RateLimit
	// Body is the raw response body (at most 64 KiB), with API keys redacted.
	Body []byte
	// Local reports that no response was received: the client refused the
	// request before sending it (StatusCode is then 0). The more precise
	// error that embeds this APIError says why: a *MissingScopeError from
	// WithScopes, or a *RateLimitError for a wait longer than the maximum.
	// It is the one Local field: the errors that embed an APIError read it
	// (as e.Local) through the embedding.
	Local bool
	// RequestID is the response's request ID header (see
	// Response.RequestID; X-Request-Id is an assumption), "" when it had
	// none. The error's text shows it, for a support ticket.
	RequestID string
}

// requestIDNote is " (request id ID)" for an error with a request ID, else "".
func (e *APIError) requestIDNote() string {
	if e == nil || e.RequestID == "" {
		return ""
	}
	return " (request id " + e.RequestID + ")"
}

// Error returns a short description with what to do about it.
func (e *APIError) Error() string {
	if e == nil {
		return "restorehub: <nil APIError>"
	}
	var b strings.Builder
	b.WriteString("restorehub: ")
	if e.Method != "" {
		b.WriteString(e.Method + " " + e.Path + ": ")
	}
	if e.Local || e.StatusCode == 0 {
		b.WriteString("refused before sending")
	} else {
		fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if hint := statusHint(e.StatusCode); hint != "" {
		b.WriteString(" (" + hint + ")")
	}
	b.WriteString(e.requestIDNote())
	return b.String()
}

// Is matches the sentinel for the response's status.
func (e *APIError) Is(target error) bool {
	return e != nil && target != nil && target == sentinelFor(e.StatusCode)
}

func sentinelFor(status int) error {
	switch {
	case status == http.StatusUnauthorized:
		return ErrUnauthorized
	case status == http.StatusForbidden:
		return ErrForbidden
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusConflict:
		return ErrConflict
	case status == http.StatusBadRequest:
		return ErrValidation
	case status == http.StatusUnprocessableEntity:
		return ErrPlanLimit
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500:
		return ErrServer
	}
	return nil
}

func statusHint(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return "the API key is missing, invalid or revoked: mint a new key at " + DashboardAPIKeysURL + " and pass it to New or RotateKey"
	case status == http.StatusNotFound:
		return "it does not exist or this key cannot see it"
	case status == http.StatusConflict:
		return "re-fetch the current state before trying again"
	case status >= 500:
		return "a transient Restore Hub problem; retry later"
	}
	return ""
}

// MissingScopeError is a 403 whose body names the scope the key lacks, or a
// request refused locally because WithScopes says the key lacks it (then
// StatusCode is 0 and nothing was sent). It also matches ErrForbidden.
type MissingScopeError struct {
	*APIError
	// RequiredScope is the scope the operation needs: the least privileged
	// of the scopes it accepts.
	RequiredScope Scope
	// AlsoAccepted are the other scopes the operation accepts instead of
	// RequiredScope, any one of which would do, in the spec's order; nil
	// when RequiredScope is the only one or the operation is not known
	// (resources.OperationSpec.AcceptedScopes).
	AlsoAccepted []Scope
	// YourScopes are the scopes the key holds: in the server's order, or
	// sorted when the refusal was local (from WithScopes, APIError.Local).
	YourScopes []Scope
}

// Error names the missing scope, how many scopes the key has (YourScopes
// lists them) and how to get the missing one.
func (e *MissingScopeError) Error() string {
	if e == nil {
		return "restorehub: <nil MissingScopeError>"
	}
	where := "Restore Hub refused the request"
	local := e.APIError != nil && e.APIError.Local
	if local {
		where = "refused before sending"
	}
	if e.RequiredScope == "" && local {
		// A raw request WithScopes cannot classify (see Classify).
		return fmt.Sprintf("restorehub: %s%s: %s (%s)",
			requestOf(e.APIError), where, e.APIError.Message, scopeCount(e.YourScopes))
	}
	return fmt.Sprintf("restorehub: %s%s: key lacks scope %s%s (%s); %s%s",
		requestOf(e.APIError), where, e.RequiredScope, e.alternatives(), scopeCount(e.YourScopes), e.Remedy(), e.APIError.requestIDNote())
}

// alternatives says which other scopes would do, as " (or a, which the
// operation also accepts)" or " (or one of a, b, ...)", or "" when there
// are none. It names at most maxAlternatives of them.
func (e *MissingScopeError) alternatives() string {
	const maxAlternatives = 8
	others := e.AlsoAccepted
	if len(others) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(" (or ")
	if len(others) > 1 {
		b.WriteString("one of ")
	}
	for i, s := range others[:min(len(others), maxAlternatives)] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(truncate(redact(string(s)), 60))
	}
	if n := len(others) - maxAlternatives; n > 0 {
		fmt.Fprintf(&b, " and %d more", n)
	}
	b.WriteString(", which the operation also accepts)")
	return b.String()
}

// Remedy says how to get the missing scope, with the dashboard page's full
// address (DashboardAPIKeysURL).
func (e *MissingScopeError) Remedy() string {
	if e == nil {
		return "mint a key with the scope needed at " + DashboardAPIKeysURL
	}
	if len(e.AlsoAccepted) > 0 {
		return fmt.Sprintf("mint a key with scope %s (the least privileged one accepted), or add it to this key, at %s", e.RequiredScope, DashboardAPIKeysURL)
	}
	return fmt.Sprintf("mint a key with scope %s, or add it to this key, at %s", e.RequiredScope, DashboardAPIKeysURL)
}

// Unwrap returns the underlying *APIError.
func (e *MissingScopeError) Unwrap() error {
	if e == nil || e.APIError == nil {
		return nil
	}
	return e.APIError
}

// Is matches ErrForbidden.
func (e *MissingScopeError) Is(target error) bool { return target == ErrForbidden }

// scopeCount says how many scopes a key has, without listing them: a
// wildcard key has every one, and the list would drown the message.
func scopeCount(s []Scope) string {
	switch len(s) {
	case 0:
		return "it has no scopes"
	case 1:
		return "it has 1 scope: " + string(s[0])
	}
	return fmt.Sprintf("it has %d scopes", len(s))
}

// requestOf is "METHOD /path: " for an error's request, or "" when the
// error names none (or has no *APIError).
func requestOf(e *APIError) string {
	if e == nil || e.Method == "" {
		return ""
	}
	return e.Method + " " + e.Path + ": "
}

// UpgradeRequiredError is the 403 Restore Hub returns for a write with a
// Free-plan key: Free keys may only GET.
type UpgradeRequiredError struct {
	*APIError
	// UpgradeURL is where the plan can be upgraded.
	UpgradeURL string
}

// Error says that the plan, not the key, is the problem.
func (e *UpgradeRequiredError) Error() string {
	if e == nil {
		return "restorehub: <nil UpgradeRequiredError>"
	}
	return fmt.Sprintf("restorehub: %s403: Free-plan keys may only read; upgrade at %s to make writes%s", requestOf(e.APIError), e.UpgradeURL, e.APIError.requestIDNote())
}

// Unwrap returns the underlying *APIError.
func (e *UpgradeRequiredError) Unwrap() error {
	if e == nil || e.APIError == nil {
		return nil
	}
	return e.APIError
}

// RateLimitError is a 429 that retries did not get past, or a wait for the
// key's budget longer than WithMaxWait allows (then APIError.Local is true
// and nothing was sent). It matches ErrRateLimited.
type RateLimitError struct {
	*APIError
	// RetryAfter is how long to wait before trying again.
	RetryAfter time.Duration
	// Limit is the number of requests the plan allows per Window.
	Limit int
	// Window is the length of the rate window.
	Window time.Duration
	// Plan is the key's plan as the server names it ("PREMIUM"), if given.
	Plan string
	// UpgradeURL is where a larger plan can be bought, if given.
	UpgradeURL string
}

// Error says how long to wait and what helps.
func (e *RateLimitError) Error() string {
	if e == nil {
		return "restorehub: <nil RateLimitError>"
	}
	what := requestOf(e.APIError)
	if e.APIError != nil && e.APIError.Local {
		return fmt.Sprintf("restorehub: %srate budget: the next slot frees in %s, longer than the maximum wait; nothing was sent: retry after that or lower concurrency", what, e.RetryAfter.Round(time.Millisecond))
	}
	msg := fmt.Sprintf("restorehub: %s429 Too Many Requests: retry after %s", what, e.RetryAfter.Round(time.Millisecond))
	if e.Limit > 0 {
		msg += fmt.Sprintf(" (limit %d per %s", e.Limit, e.Window)
		if e.Plan != "" {
			msg += " on plan " + e.Plan
		}
		msg += ")"
	}
	return msg + "; lower concurrency, or upgrade the plan if this keeps happening" + e.APIError.requestIDNote()
}

// Unwrap returns the underlying *APIError, if the server sent one.
func (e *RateLimitError) Unwrap() error {
	if e == nil || e.APIError == nil {
		return nil
	}
	return e.APIError
}

// Is matches ErrRateLimited.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// ValidationError is a 400: the request body or parameters failed validation.
type ValidationError struct {
	*APIError
	// Issues are the Zod-style issues found in the body, decoded leniently:
	// a body whose issues have another shape leaves Issues empty and keeps
	// them in Details.
	Issues []ValidationIssue
}

// ValidationIssue is one Zod-style validation issue. Restore Hub's docs say
// 400 bodies carry a Zod issue list; these are Zod's standard fields.
type ValidationIssue struct {
	// Code is Zod's issue code, such as "invalid_type".
	Code string `json:"code"`
	// Path locates the field: property names and array indexes.
	Path []any `json:"path"`
	// Message describes the problem.
	Message string `json:"message"`
}

// Error lists the first issues.
func (e *ValidationError) Error() string {
	if e == nil {
		return "restorehub: <nil ValidationError>"
	}
	msg := e.APIError.Error()
	for i, is := range e.Issues {
		if i == 3 {
			msg += fmt.Sprintf("; and %d more", len(e.Issues)-3)
			break
		}
		msg += "; " + is.String()
	}
	return msg
}

// String renders the issue as "path.to.field: message".
func (is ValidationIssue) String() string {
	parts := make([]string, len(is.Path))
	for i, p := range is.Path {
		parts[i] = fmt.Sprint(p)
	}
	if len(parts) == 0 {
		return is.Message
	}
	return strings.Join(parts, ".") + ": " + is.Message
}

// Unwrap returns the underlying *APIError.
func (e *ValidationError) Unwrap() error {
	if e == nil || e.APIError == nil {
		return nil
	}
	return e.APIError
}

// ErrInvalidKey is returned (wrapped) by New, NewFromEnv and RotateKey when
// the API key is not of Restore Hub's form. The message never repeats the key.
var ErrInvalidKey = errors.New("restorehub: invalid API key")

// ErrResponseTooLarge is wrapped by the error returned when a response body
// is larger, once decoded, than WithMaxResponseBytes allows (by default
// DefaultMaxResponseBytes). The rest of the body is not read.
var ErrResponseTooLarge = errors.New("restorehub: response body too large")

// ErrNilContext is returned, without sending anything, when a nil
// context.Context is passed to a method that takes one.
var ErrNilContext = errors.New("restorehub: nil context.Context; pass context.Background() or a request's context")

// ErrBadTransport is wrapped by the error returned when the HTTP transport
// (a caller's http.RoundTripper) breaks its contract, for example by
// returning neither a response nor an error.
var ErrBadTransport = errors.New("restorehub: the HTTP transport broke its contract")

// ErrMalformedResponse is wrapped by the error Do returns when a 2xx
// response's body is not the JSON expected (truncated, HTML, wrong type).
var ErrMalformedResponse = errors.New("restorehub: malformed response body")

// ErrGuardRefused matches the *GuardError returned when
// WithDestructiveGuard refuses a request. Nothing was sent.
var ErrGuardRefused = errors.New("restorehub: destructive guard refused the request")

// GuardError is returned when WithDestructiveGuard refuses a request; nothing
// was sent. It matches ErrGuardRefused and unwraps to the guard's own error.
type GuardError struct {
	// Operation is what the guard was asked about.
	Operation Operation
	// Err is the guard's error.
	Err error
}

// Error names the refused request and the guard's reason.
func (e *GuardError) Error() string {
	if e == nil {
		return "restorehub: <nil GuardError>"
	}
	reason := "no reason given"
	if e.Err != nil {
		reason = strings.TrimPrefix(redact(e.Err.Error()), "restorehub: ")
	}
	return fmt.Sprintf("restorehub: %s %s: the destructive guard refused it, nothing was sent: %s", e.Operation.Method, e.Operation.Path, reason)
}

// Unwrap returns the guard's error.
func (e *GuardError) Unwrap() error { return e.Err }

// Is matches ErrGuardRefused.
func (e *GuardError) Is(target error) bool { return target == ErrGuardRefused }

// ErrCrossHostRedirect is wrapped by the error returned when the API
// redirects a request other than GET or HEAD to another host: following it
// would send the request's body, or a GET standing for it, off the API host,
// and return the other host's answer as the request's result.
var ErrCrossHostRedirect = errors.New("restorehub: refused to follow a redirect to another host")

// ErrInsecureRedirect is wrapped by the error returned when a redirect would
// take a request from https to plain http.
var ErrInsecureRedirect = errors.New("restorehub: refused to follow a redirect from https to plain http")

// ErrRedirectChangesOperation is wrapped by the error returned when a 307 or
// 308 redirect would resend a request other than GET or HEAD, with its body,
// to another path where it would be destructive: the destructive guard
// approved the path the caller named, not the one the server points to.
var ErrRedirectChangesOperation = errors.New("restorehub: refused to follow a redirect that resends the request to another destructive path")

// newLocalRateLimitError is the error for a wait the client refused: its
// *APIError is never nil, so its fields can be read without a check.
func newLocalRateLimitError(retryAfter time.Duration, limit int, window time.Duration) *RateLimitError {
	return &RateLimitError{
		APIError: &APIError{
			StatusCode: 0,
			Message:    "the wait for the rate budget is longer than the maximum wait; nothing was sent",
			Local:      true,
		},
		RetryAfter: retryAfter,
		Limit:      limit,
		Window:     window,
	}
}

// localized makes a local *RateLimitError name the request it refused and
// carry a non-nil *APIError, whatever Budget produced it.
func localized(rle *RateLimitError, rec *callRecord) *RateLimitError {
	cp := *rle // the Budget's error is not changed in place
	if cp.APIError == nil {
		cp.APIError = newLocalRateLimitError(rle.RetryAfter, rle.Limit, rle.Window).APIError
	} else {
		api := *cp.APIError
		api.Local = true // a budget's refusal: nothing was sent
		cp.APIError = &api
	}
	rle = &cp
	if rle.APIError.Method == "" && rec != nil {
		rle.APIError.Method, rle.APIError.Path = rec.method, rec.path
	}
	return rle
}

// wrapError is an error whose text is written in full by the client (one
// "restorehub: " prefix, keys scrubbed) and that still matches the errors it
// wraps with errors.Is and errors.As.
type wrapError struct {
	msg  string
	errs []error
}

func (e *wrapError) Error() string   { return e.msg }
func (e *wrapError) Unwrap() []error { return e.errs }

// ErrInvalidRequest matches the *InvalidRequestError returned when a typed
// call or a Client.Do request is refused before anything is sent because it
// cannot mean what its caller meant: an empty, "." or ".." path parameter of
// a typed call, or a missing required body.
var ErrInvalidRequest = errors.New("restorehub: invalid request")

// InvalidRequestError is returned when a call is refused locally, with
// nothing sent: a path parameter is empty, ".", "..", one of those escaped,
// or holds a slash or backslash (any of which would send the request to
// another path, such as DELETE /api-keys/ or POST /backups/../restore), or
// the operation's required body is nil; or a Client.Do request matches an
// operation whose body is required and carries none. It matches
// ErrInvalidRequest.
type InvalidRequestError struct {
	// Operation is the operation's ID, such as "backups.restore".
	Operation string
	// Param names what is wrong: a path parameter such as "backupId", or
	// "body" for a missing required body.
	Param string
	// Reason says what is wrong with it.
	Reason string
}

// Error names the operation, the parameter and what is wrong.
func (e *InvalidRequestError) Error() string {
	return fmt.Sprintf("restorehub: %s: %s %s; nothing was sent", e.Operation, e.Param, e.Reason)
}

// Is matches ErrInvalidRequest.
func (e *InvalidRequestError) Is(target error) bool { return target == ErrInvalidRequest }

// NotSent reports that err proves the request was certainly not sent: the
// client refused it before anything reached the network. It is true when
// err matches, with errors.Is or errors.As, any of:
//   - an *APIError with Local set: a *MissingScopeError from WithScopes, or a
//     *RateLimitError for a wait for the key's budget, the request rate or an
//     operation's pace longer than the maximum wait;
//   - ErrGuardRefused: WithDestructiveGuard turned the request down;
//   - ErrInvalidRequest: a path parameter or a required body was wrong;
//   - ErrNilContext: no context was given.
//
// It is false for everything else, including errors that say nothing about
// whether the request left (a network error, a cancelled context, a
// redirect the client refused after the server answered): false means
// "may have been sent", never "was sent".
func NotSent(err error) bool {
	if err == nil {
		return false
	}
	var api *APIError
	if errors.As(err, &api) && api.Local {
		return true
	}
	return errors.Is(err, ErrGuardRefused) || errors.Is(err, ErrInvalidRequest) || errors.Is(err, ErrNilContext)
}
