package restorehubtest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/jarcoal/httpmock"

	restorehub "github.com/restorehub/restorehub-go"
)

// UnauthorizedBody returns the body of a 401, exactly as Restore Hub
// documents it and the fake sends it:
//
//	{"error":"Missing or invalid API key."}
func UnauthorizedBody() string {
	return mustJSON(envelope{Error: unauthorizedMessage})
}

// MissingScopeBody returns the body of the 403 a key gets when it lacks
// the operation's scope, in the documented shape (the extra fields at the
// top level, yourScopes in the key's order):
//
//	{"error":"Missing required scope: backups:restore","requiredScope":"backups:restore","yourScopes":["servers:read","backups:read"]}
func MissingScopeBody(required restorehub.Scope, yours ...restorehub.Scope) string {
	list := make([]string, 0, len(yours))
	for _, s := range yours {
		list = append(list, string(s))
	}
	return mustJSON(missingScopeBody{
		Error:         "Missing required scope: " + string(required),
		RequiredScope: string(required),
		YourScopes:    list,
	})
}

// PlanBody returns the body of the 403 a key on plan (such as "FREE")
// gets for a non-GET request. Restore Hub documents only that the body
// carries an upgradeUrl; the rest is the fake's guess:
//
//	{"error":"The FREE plan can only send read (GET) requests. Upgrade your plan to use this operation.","plan":"FREE","upgradeUrl":"https://restorehub.net/pricing"}
func PlanBody(plan string) string {
	return mustJSON(planBodyOf(normalizePlan(plan)))
}

// RateLimitBody returns the body of a 429 of the key's rate limit, in the
// documented shape; window is written as Go formats a duration ("10s"):
//
//	{"error":"Rate limit exceeded","limit":100,"window":"10s","retryAfter":10,"plan":"PREMIUM","upgradeUrl":"https://restorehub.net/pricing"}
func RateLimitBody(limit int, window time.Duration, retryAfter int, plan string) string {
	return mustJSON(rateLimitBodyOf(limit, window, retryAfter, normalizePlan(plan)))
}

// ErrorResponder returns an httpmock.Responder answering status with body
// as JSON, with the Content-Type the API sends, for example
//
//	httpmock.RegisterResponder("POST", url, restorehubtest.ErrorResponder(403,
//		restorehubtest.MissingScopeBody(restorehub.ScopeBackupsRestore, restorehub.ScopeBackupsRead)))
//
// For a 429 with its headers use RateLimitResponder.
func ErrorResponder(status int, body string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json; charset=utf-8")
		resp.Request = req
		return resp, nil
	}
}

// RateLimitResponder returns an httpmock.Responder answering 429 with
// RateLimitBody and the headers the API sends with it: Retry-After, and
// X-RateLimit-Limit, X-RateLimit-Remaining (0), X-RateLimit-Reset (now
// plus retryAfter, in Unix seconds) and X-RateLimit-Window.
func RateLimitResponder(limit int, window time.Duration, retryAfter int, plan string) httpmock.Responder {
	body := RateLimitBody(limit, window, retryAfter, plan)
	return func(req *http.Request) (*http.Response, error) {
		resp, _ := ErrorResponder(http.StatusTooManyRequests, body)(req)
		resp.Header.Set("Retry-After", strconv.Itoa(retryAfter))
		resp.Header.Set("X-RateLimit-Limit", strconv.Itoa(limit))
		resp.Header.Set("X-RateLimit-Remaining", "0")
		resp.Header.Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Duration(retryAfter)*time.Second).Unix(), 10))
		resp.Header.Set("X-RateLimit-Window", window.String())
		return resp, nil
	}
}

// planBodyOf builds the Free-plan 403 body.
func planBodyOf(plan string) planBody {
	return planBody{
		Error:      "The " + plan + " plan can only send read (GET) requests. Upgrade your plan to use this operation.",
		Plan:       plan,
		UpgradeURL: UpgradeURL,
	}
}

// rateLimitBodyOf builds the 429 body of the key's rate limit.
func rateLimitBodyOf(limit int, window time.Duration, retryAfter int, plan string) rateLimitBody {
	return rateLimitBody{
		Error:      "Rate limit exceeded",
		Limit:      limit,
		Window:     window.String(),
		RetryAfter: retryAfter,
		Plan:       plan,
		UpgradeURL: UpgradeURL,
	}
}

// mustJSON encodes v, which is one of the fake's body types and always
// encodes.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("restorehubtest: " + err.Error())
	}
	return string(b)
}
