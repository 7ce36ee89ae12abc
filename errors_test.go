package restorehub

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
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
	if s.count("") != 1 {
		t.Errorf("server saw %d requests, want only the allowed one", s.count(""))
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
	if s.count("") != 0 {
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
	if s.count("") != 2 {
		t.Errorf("server saw %d requests, want 2", s.count(""))
	}
}

// TestNilContext: every entry point that takes a context refuses a nil one
// with ErrNilContext, without sending anything or panicking.
func TestNilContext(t *testing.T) {
	var nilCtx context.Context
	var sent int
	var mu sync.Mutex
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sent++
		mu.Unlock()
		writeJSON(w, 200, map[string]string{"id": "x"})
	})
	c := newHandlerClient(t, h)
	cp := newHandlerClient(t, h, WithoutPacing(), WithRequestRate(100, 1))
	tests := []struct {
		name string
		call func() error
	}{
		{"Do", func() error { _, err := c.Do(nilCtx, &Request{Path: "/account"}, nil); return err }},
		{"Do without pacing, with a request rate", func() error { _, err := cp.Do(nilCtx, &Request{Path: "/account"}, nil); return err }},
		{"typed call", func() error { _, err := c.Account.Get(nilCtx); return err }},
		{"typed list", func() error { _, err := c.Servers.List(nilCtx, nil); return err }},
		{"paced operation", func() error {
			_, err := c.Members.Pull(nilCtx, nil)
			return err
		}},
		{"MemoryBudget.Acquire", func() error { _, err := NewMemoryBudget().Acquire(nilCtx, 0); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("panic: %v", p)
					}
				}()
				err = tt.call()
			}()
			if !errors.Is(err, ErrNilContext) {
				t.Errorf("err = %v, want ErrNilContext", err)
			}
		})
	}
	if sent != 0 {
		t.Errorf("%d requests were sent with a nil context", sent)
	}
}

// TestLocalErrorsAreSafe: every error the client makes without a response
// has a non-nil *APIError with Local set, readable field by field and found
// by errors.As; and no error type's zero value panics when printed.
func TestLocalErrorsAreSafe(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "1")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Window", "10s")
		writeJSON(w, 200, map[string]string{"id": "x"})
	})
	tests := []struct {
		name  string
		setup func(t *testing.T) error
	}{
		{"budget wait beyond WithMaxWait", func(t *testing.T) error {
			c := newHandlerClient(t, h, WithMaxWait(time.Second))
			_, _ = c.Do(context.Background(), &Request{Path: "/account"}, nil)
			_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
			return err
		}},
		{"custom Budget's bare RateLimitError", func(t *testing.T) error {
			c := newHandlerClient(t, h, WithBudget(refusingBudget{}))
			_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
			return err
		}},
		{"request rate beyond WithMaxWait", func(t *testing.T) error {
			c := newHandlerClient(t, h, WithoutPacing(), WithRequestRate(0.01, 1), WithMaxWait(time.Second))
			_, _ = c.Do(context.Background(), &Request{Path: "/account"}, nil)
			_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
			return err
		}},
		{"WithScopes refusal", func(t *testing.T) error {
			c := newHandlerClient(t, h, WithScopes(ScopeAccountRead))
			_, err := c.Do(context.Background(), &Request{Path: "/servers", Scope: ScopeServersRead}, nil)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.setup(t)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T): errors.As finds no *APIError", err, err)
			}
			if !apiErr.Local || apiErr.StatusCode != 0 || apiErr.Method == "" || apiErr.Path == "" {
				t.Errorf("APIError = %+v, want Local, StatusCode 0, the method and path", apiErr)
			}
			var rle *RateLimitError
			if errors.As(err, &rle) && (rle.APIError == nil || !rle.Local || rle.StatusCode != 0) {
				t.Errorf("RateLimitError = %+v", rle)
			}
			if !strings.Contains(err.Error(), apiErr.Path) {
				t.Errorf("error %q does not name the request", err)
			}
		})
	}
	for _, e := range []error{&APIError{}, &MissingScopeError{}, &UpgradeRequiredError{}, &RateLimitError{}, &ValidationError{}, &GuardError{},
		(*APIError)(nil), (*MissingScopeError)(nil), (*RateLimitError)(nil)} {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%T: panic: %v", e, p)
				}
			}()
			_ = e.Error()
			_ = errors.Is(e, ErrRateLimited)
			_ = errors.As(e, new(*APIError))
		}()
	}
}

// refusingBudget is a custom Budget that refuses every wait with a bare
// *RateLimitError, as a third-party Budget might.
type refusingBudget struct{}

func (refusingBudget) Acquire(context.Context, time.Duration) (Grant, error) {
	return Grant{}, &RateLimitError{RetryAfter: time.Minute}
}

func (refusingBudget) Observe(RateLimit, time.Time) {}

// TestErrorTextsHaveOnePrefix: no error the client returns says
// "restorehub:" twice.
func TestErrorTextsHaveOnePrefix(t *testing.T) {
	reply := func(status int, body string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		})
	}
	do := func(h http.Handler, req *Request, opts ...Option) func(t *testing.T) error {
		return func(t *testing.T) error {
			c := newHandlerClient(t, h, append([]Option{WithMaxRetries(0)}, opts...)...)
			var out struct{ ID int }
			_, err := c.Do(context.Background(), req, &out)
			return err
		}
	}
	get := &Request{Path: "/account"}
	tests := []struct {
		name string
		err  func(t *testing.T) error
	}{
		{"401", do(reply(401, `{"error":"Invalid API key"}`), get)},
		{"403 missing scope", do(reply(403, `{"error":"Missing required scope: servers:read","requiredScope":"servers:read","yourScopes":["account:read"]}`), get)},
		{"403 upgrade", do(reply(403, `{"error":"Free plan","upgradeUrl":"https://restorehub.net/pricing"}`), get)},
		{"400 validation", do(reply(400, `{"error":"Validation failed","details":[{"code":"x","path":["a"],"message":"bad"}]}`), get)},
		{"429", do(reply(429, `{"error":"Rate limit exceeded"}`), get)},
		{"500 HTML", do(reply(500, `<html><title>oops</title></html>`), get)},
		{"200 malformed", do(reply(200, `{"id":"not a number"}`), get)},
		{"200 too large", do(reply(200, `{"id":"`+strings.Repeat("1", 100)+`"}`), get, WithMaxResponseBytes(10))},
		{"local missing scope", do(reply(200, `{}`), &Request{Path: "/servers", Scope: ScopeServersRead}, WithScopes(ScopeAccountRead))},
		{"guard refusal with a restorehub error", do(reply(200, `{}`), &Request{Method: "POST", Path: "/backups/b/restore", Scope: ScopeBackupsRestore, Body: restoreBody},
			WithDestructiveGuard(func(context.Context, Operation) error { return ErrGuardRefused }))},
		{"transport contract broken", func(t *testing.T) error {
			c := newTestClient(t, bubbleBase, WithHTTPClient(&http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, nil })}), WithMaxRetries(0))
			_, err := c.Do(context.Background(), get, nil)
			return err
		}},
		{"cross-host redirect of a POST", do(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example/x", http.StatusTemporaryRedirect)
		}), &Request{Method: "POST", Path: "/servers", Scope: ScopeServersWrite})},
		{"nil context", func(t *testing.T) error {
			var nilCtx context.Context
			_, err := newHandlerClient(t, reply(200, `{}`)).Do(nilCtx, get, nil)
			return err
		}},
		{"invalid key", func(*testing.T) error { _, err := New("nope"); return err }},
		{"base URL", func(*testing.T) error { _, err := New(testKey, WithBaseURL("http://example.com")); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err(t)
			if err == nil {
				t.Fatal("want an error")
			}
			if n := strings.Count(err.Error(), "restorehub:"); n != 1 {
				t.Errorf("%q says \"restorehub:\" %d times", err, n)
			}
		})
	}
}

// TestMissingScopeMessage: the message names the missing scope and how many
// scopes the key has (not all of them), and the remedy gives the dashboard's
// full address.
func TestMissingScopeMessage(t *testing.T) {
	all := AllScopes()
	tests := []struct {
		name      string
		have      []Scope
		wantCount string
	}{
		{"none", nil, "it has no scopes"},
		{"one", []Scope{ScopeAccountRead}, "it has 1 scope: account:read"},
		{"many", all[:len(all)-1], fmt.Sprintf("it has %d scopes", len(all)-1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			missing := all[len(all)-1]
			e := &MissingScopeError{APIError: &APIError{StatusCode: 403, Method: "GET", Path: "/x"}, RequiredScope: missing, YourScopes: tt.have}
			msg := e.Error()
			if !strings.Contains(msg, string(missing)) || !strings.Contains(msg, tt.wantCount) {
				t.Errorf("%q: want the missing scope %s and %q", msg, missing, tt.wantCount)
			}
			if len(tt.have) > 1 && strings.Contains(msg, string(tt.have[1])) {
				t.Errorf("%q lists the key's scopes", msg)
			}
			if !strings.Contains(e.Remedy(), "https://restorehub.net/dashboard/api-keys") {
				t.Errorf("Remedy() = %q, want the dashboard's full URL", e.Remedy())
			}
		})
	}
}

// TestNotSent pins which errors prove that nothing was sent.
func TestNotSent(t *testing.T) {
	scopeRefusal := &MissingScopeError{APIError: &APIError{Local: true}, RequiredScope: ScopeBackupsRestore}
	serverScope := &MissingScopeError{APIError: &APIError{StatusCode: 403}, RequiredScope: ScopeBackupsRestore}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"local scope refusal", scopeRefusal, true},
		{"wrapped local scope refusal", fmt.Errorf("outer: %w", scopeRefusal), true},
		{"local budget refusal", newLocalRateLimitError(time.Second, 0, 0), true},
		{"guard", &GuardError{Err: errors.New("no")}, true},
		{"invalid request", &InvalidRequestError{Operation: "x", Param: "body", Reason: "is missing"}, true},
		{"nil context", ErrNilContext, true},
		{"server 403", serverScope, false},
		{"server 429", &RateLimitError{APIError: &APIError{StatusCode: 429}}, false},
		{"server 500", &APIError{StatusCode: 500}, false},
		{"cancelled", context.Canceled, false},
		{"refused redirect", fmt.Errorf("x: %w", ErrCrossHostRedirect), false},
		{"network", errors.New("connection reset"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NotSent(tt.err); got != tt.want {
				t.Errorf("NotSent(%v) = %t, want %t", tt.err, got, tt.want)
			}
		})
	}
}
