package restorehubtest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// TestErrorBodies checks that the documented bodies (REFERENCE.md §4.3,
// §4.4, §5.3, written compactly), the exported body functions and what the
// fake sends are the same bytes.
func TestErrorBodies(t *testing.T) {
	clk := restorehubtest.NewManualClock(t0)
	srv := restorehubtest.NewServer(
		restorehubtest.WithKey("k_scoped", "servers:read", "backups:read"),
		restorehubtest.WithKey("k_free", "*"),
		restorehubtest.WithKeyPlan("k_free", "free"),
		restorehubtest.WithKey("k_limited", "*"),
		restorehubtest.WithKeyPlan("k_limited", "PREMIUM"),
		restorehubtest.WithClock(clk.Now),
	)
	defer srv.Close()
	bid := func() string {
		ids, err := srv.SeedAt("/backups", map[string]any{})
		if err != nil {
			t.Fatal(err)
		}
		return ids[0]
	}()
	for range 100 {
		send(t, srv, "GET", "/account", "k_limited", nil)
	}
	tests := []struct {
		name, documented, helper string
		status                   int
		method, path, key        string
	}{
		{"401", `{"error":"Missing or invalid API key."}`, restorehubtest.UnauthorizedBody(),
			http.StatusUnauthorized, "GET", "/account", ""},
		{"403 missing scope", `{"error":"Missing required scope: backups:restore","requiredScope":"backups:restore","yourScopes":["servers:read","backups:read"]}`,
			restorehubtest.MissingScopeBody(restorehub.ScopeBackupsRestore, restorehub.ScopeServersRead, restorehub.ScopeBackupsRead),
			http.StatusForbidden, "POST", "/backups/" + bid + "/restore", "k_scoped"},
		{"403 upgrade required", "", restorehubtest.PlanBody("FREE"),
			http.StatusForbidden, "POST", "/backups/" + bid + "/restore", "k_free"},
		{"429", `{"error":"Rate limit exceeded","limit":100,"window":"10s","retryAfter":10,"plan":"PREMIUM","upgradeUrl":"https://restorehub.net/pricing"}`,
			restorehubtest.RateLimitBody(100, 10*time.Second, 10, "premium"),
			http.StatusTooManyRequests, "GET", "/account", "k_limited"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.documented != "" && tt.helper != tt.documented {
				t.Errorf("helper\n got %s\nwant %s", tt.helper, tt.documented)
			}
			r := send(t, srv, tt.method, tt.path, tt.key, map[string]any{"targetServerId": "s1"})
			wantStatus(t, r, tt.status)
			wantBody(t, r, tt.helper)
			if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
		})
	}
}

// TestErrorRespondersDecodeAsTypedErrors scripts each documented error
// with the exported responders and checks the client reads each as its
// typed error.
func TestErrorRespondersDecodeAsTypedErrors(t *testing.T) {
	hc := &http.Client{}
	httpmock.ActivateNonDefault(hc)
	defer httpmock.DeactivateNonDefault(hc)
	c, err := restorehub.New(typedKey, restorehub.WithHTTPClient(hc), restorehub.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		responder httpmock.Responder
		check     func(error) bool
	}{
		{"401", restorehubtest.ErrorResponder(401, restorehubtest.UnauthorizedBody()),
			func(err error) bool { return errors.Is(err, restorehub.ErrUnauthorized) }},
		{"403 missing scope", restorehubtest.ErrorResponder(403, restorehubtest.MissingScopeBody(restorehub.ScopeAccountRead, restorehub.ScopeServersRead)),
			func(err error) bool {
				var e *restorehub.MissingScopeError
				return errors.As(err, &e) && e.RequiredScope == restorehub.ScopeAccountRead &&
					len(e.YourScopes) == 1 && e.YourScopes[0] == restorehub.ScopeServersRead
			}},
		{"403 upgrade required", restorehubtest.ErrorResponder(403, restorehubtest.PlanBody("FREE")),
			func(err error) bool {
				var e *restorehub.UpgradeRequiredError
				return errors.As(err, &e) && e.UpgradeURL == restorehubtest.UpgradeURL
			}},
		{"429", restorehubtest.RateLimitResponder(100, 10*time.Second, 7, "PREMIUM"),
			func(err error) bool {
				var e *restorehub.RateLimitError
				return errors.As(err, &e) && e.RetryAfter == 7*time.Second && e.Limit == 100 && e.Window == 10*time.Second && e.Plan == "PREMIUM"
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			httpmock.Reset()
			httpmock.RegisterNoResponder(tt.responder)
			_, err := c.Account.Get(context.Background())
			if err == nil || !tt.check(err) {
				t.Fatalf("error %#v (%v) is not the typed error", err, err)
			}
		})
	}
}
