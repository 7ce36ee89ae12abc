package restorehub

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestErrorDecoding(t *testing.T) {
	type check func(t *testing.T, err error)
	isA := func(target error) check {
		return func(t *testing.T, err error) {
			if !errors.Is(err, target) {
				t.Errorf("errors.Is(%v, %v) = false", err, target)
			}
		}
	}
	missing := func(scope Scope, yours ...Scope) check {
		return func(t *testing.T, err error) {
			var mse *MissingScopeError
			if !errors.As(err, &mse) {
				t.Fatalf("%v is not a *MissingScopeError", err)
			}
			if mse.RequiredScope != scope || len(mse.YourScopes) != len(yours) {
				t.Errorf("got %s / %v, want %s / %v", mse.RequiredScope, mse.YourScopes, scope, yours)
			}
			for i := range yours {
				if mse.YourScopes[i] != yours[i] {
					t.Errorf("YourScopes = %v, want %v", mse.YourScopes, yours)
				}
			}
			if !strings.Contains(err.Error(), "mint a key with scope "+string(scope)) {
				t.Errorf("message lacks the remedy: %v", err)
			}
		}
	}
	message := func(want string) check {
		return func(t *testing.T, err error) {
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("%v is not an *APIError", err)
			}
			if !strings.Contains(ae.Message, want) {
				t.Errorf("Message = %q, want it to contain %q", ae.Message, want)
			}
		}
	}
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		checks []check
	}{
		{"401 documented", 401, "application/json", `{"error":"Missing or invalid API key."}`, []check{isA(ErrUnauthorized), message("Missing or invalid API key.")}},
		{"403 scope, documented top level", 403, "application/json",
			`{"error":"Missing required scope: backups:restore","requiredScope":"backups:restore","yourScopes":["servers:read","backups:read"]}`,
			[]check{isA(ErrForbidden), missing(ScopeBackupsRestore, ScopeServersRead, ScopeBackupsRead)}},
		{"403 scope inside details", 403, "application/json",
			`{"error":"Missing required scope","details":{"requiredScope":"members:pull","yourScopes":["members:read"]}}`,
			[]check{isA(ErrForbidden), missing(ScopeMembersPull, ScopeMembersRead)}},
		{"403 free plan", 403, "application/json", `{"error":"Free plan keys are read-only","upgradeUrl":"https://restorehub.net/pricing"}`,
			[]check{isA(ErrForbidden), func(t *testing.T, err error) {
				var ue *UpgradeRequiredError
				if !errors.As(err, &ue) || ue.UpgradeURL != "https://restorehub.net/pricing" {
					t.Errorf("%v is not an UpgradeRequiredError with the URL", err)
				}
			}}},
		{"403 not yours", 403, "application/json", `{"error":"Not your resource"}`, []check{isA(ErrForbidden), func(t *testing.T, err error) {
			var mse *MissingScopeError
			var ue *UpgradeRequiredError
			if errors.As(err, &mse) || errors.As(err, &ue) {
				t.Errorf("ownership 403 decoded as %T", err)
			}
		}}},
		{"404", 404, "application/json", `{"error":"Not found"}`, []check{isA(ErrNotFound)}},
		{"409", 409, "application/json", `{"error":"Backup in progress"}`, []check{isA(ErrConflict)}},
		{"422 with usage", 422, "application/json", `{"error":"Server limit reached","details":{"current":5,"max":5}}`, []check{isA(ErrPlanLimit), func(t *testing.T, err error) {
			var ae *APIError
			if errors.As(err, &ae); string(ae.Details) != `{"current":5,"max":5}` {
				t.Errorf("Details = %s", ae.Details)
			}
		}}},
		{"400 zod issues", 400, "application/json", `{"error":"Invalid body","details":{"issues":[{"code":"invalid_type","path":["name"],"message":"Required"},{"code":"too_small","path":["members",0],"message":"Too short"}]}}`,
			[]check{isA(ErrValidation), func(t *testing.T, err error) {
				var ve *ValidationError
				if !errors.As(err, &ve) || len(ve.Issues) != 2 || ve.Issues[1].String() != "members.0: Too short" {
					t.Errorf("ValidationError = %+v", ve)
				}
			}}},
		{"400 unknown details shape", 400, "application/json", `{"error":"Malformed JSON","details":{"position":7}}`, []check{isA(ErrValidation), message("Malformed JSON")}},
		{"429 documented", 429, "application/json", `{"error":"Rate limit exceeded","limit":100,"window":"10s","retryAfter":10,"plan":"PREMIUM","upgradeUrl":"https://restorehub.net/pricing"}`,
			[]check{isA(ErrRateLimited), func(t *testing.T, err error) {
				var rle *RateLimitError
				if !errors.As(err, &rle) || rle.RetryAfter != 10*time.Second || rle.Limit != 100 || rle.Plan != "PREMIUM" {
					t.Errorf("RateLimitError = %+v", rle)
				}
			}}},
		{"500", 500, "application/json", `{"error":"Internal error"}`, []check{isA(ErrServer)}},
		{"502 HTML from a proxy", 502, "text/html", `<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>`, []check{isA(ErrServer), message(`HTML page titled "502 Bad Gateway"`)}},
		{"503 empty body", 503, "", ``, []check{isA(ErrServer), message("empty response body")}},
		{"500 truncated JSON", 500, "application/json", `{"error":"Internal err`, []check{isA(ErrServer), message("truncated or malformed JSON")}},
		{"404 plain text", 404, "text/plain", `no such thing`, []check{isA(ErrNotFound), message("non-JSON response: no such thing")}},
		{"403 error field not a string", 403, "application/json", `{"error":{"code":42},"requiredScope":7}`, []check{isA(ErrForbidden)}},
		{"echoed key is redacted", 401, "application/json", `{"error":"Key ` + testKey + ` was revoked","details":{"key":"` + testKey + `"}}`, []check{func(t *testing.T, err error) {
			var ae *APIError
			errors.As(err, &ae)
			assertNoKey(t, "error", err.Error())
			assertNoKey(t, "details", string(ae.Details))
			assertNoKey(t, "body", string(ae.Body))
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.ctype != "" {
				h.Set("Content-Type", tt.ctype)
			}
			err := buildError(tt.status, h, []byte(tt.body), nil, "GET", "/x")
			if err == nil {
				t.Fatal("nil error")
			}
			var ae *APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status {
				t.Fatalf("%v does not unwrap to an *APIError with status %d", err, tt.status)
			}
			for _, c := range tt.checks {
				c(t, err)
			}
		})
	}
}

func TestPreflightSendsNothing(t *testing.T) {
	s := &statusServer{script: []int{200}}
	srv := newServer(t, s)
	c := newTestClient(t, srv, WithScopes(ScopeServersRead, ScopeBackupsRead))
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/backups/b1/restore", Scope: ScopeBackupsRestore, Body: restoreBody}, nil)
	var mse *MissingScopeError
	if !errors.As(err, &mse) || !mse.Local || mse.RequiredScope != ScopeBackupsRestore || !errors.Is(err, ErrForbidden) {
		t.Fatalf("err = %v, want a local MissingScopeError for backups:restore", err)
	}
	if len(mse.YourScopes) != 2 {
		t.Errorf("YourScopes = %v", mse.YourScopes)
	}
	if _, err := c.Do(context.Background(), &Request{Path: "/servers", Scope: ScopeServersRead}, nil); err != nil {
		t.Fatal(err)
	}
	if s.count() != 1 {
		t.Errorf("server saw %d requests, want only the allowed one", s.count())
	}
	wild := newTestClient(t, srv, WithScopes(ScopeAll))
	if _, err := wild.Do(context.Background(), &Request{Method: "POST", Path: "/backups/b1/restore", Scope: ScopeBackupsRestore, Body: restoreBody}, nil); err != nil {
		t.Errorf("the wildcard should allow a restore: %v", err)
	}
}

func TestDestructiveGuard(t *testing.T) {
	s := &statusServer{script: []int{200}}
	srv := newServer(t, s)
	refuse := errors.New("operator said no")
	var seen []Operation
	c := newTestClient(t, srv, WithDestructiveGuard(func(ctx context.Context, op Operation) error {
		seen = append(seen, op)
		if op.Path == "/backups/b1/restore" {
			return refuse
		}
		return nil
	}))
	_, err := c.Do(context.Background(), &Request{Method: "POST", Path: "/backups/b1/restore", Scope: ScopeBackupsRestore, Body: restoreBody}, nil)
	if !errors.Is(err, refuse) || !errors.Is(err, ErrGuardRefused) {
		t.Fatalf("err = %v, want it to wrap the guard's error and ErrGuardRefused", err)
	}
	if strings.Count(err.Error(), "restorehub:") != 1 {
		t.Errorf("message repeats its prefix: %v", err)
	}
	if s.count() != 0 {
		t.Fatalf("a refused destructive call reached the server")
	}
	if _, err := c.Do(context.Background(), &Request{Method: "DELETE", Path: "/servers/s1", Scope: ScopeServersDelete}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), &Request{Path: "/servers", Scope: ScopeServersRead}, nil); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0].Tier != TierDestructive || seen[1].Scope != ScopeServersDelete {
		t.Errorf("guard saw %+v, want the two destructive calls only", seen)
	}
	if s.count() != 2 {
		t.Errorf("server saw %d requests, want 2", s.count())
	}
}
