package restorehub

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
)

// TestWithHeaderRefusesOwnKey: the client's own key is refused as a header
// value (and name) in every spelling, nothing is sent, and no error quotes
// it.
func TestWithHeaderRefusesOwnKey(t *testing.T) {
	body := strings.TrimPrefix(testKey, "rh_")
	cases := map[string][2]string{
		"bare value":        {"X-Debug", body},
		"bare in text":      {"X-Debug", "token " + body + " end"},
		"upper case":        {"X-Debug", strings.ToUpper(testKey)},
		"upper bare":        {"X-Debug", strings.ToUpper(body)},
		"percent":           {"X-Debug", percentAll(testKey)},
		"percent bare":      {"X-Debug", percentAll(body)},
		"json escaped":      {"X-Debug", escapeAll(body)},
		"base64":            {"X-Debug", base64.StdEncoding.EncodeToString([]byte(testKey))},
		"basic credentials": {"X-Auth", "Basic " + base64.StdEncoding.EncodeToString([]byte("user:"+body))},
		"base64url raw":     {"X-Auth", base64.RawURLEncoding.EncodeToString([]byte(body))},
		"bare name":         {body, "v"},
		"prefixed name":     {testKey, "v"},
		"name with space":   {testKey + " x", "v"},
		"upper prefix":      {"X-Debug", "RH_" + body},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv, n, _ := metaServer(t, 200, `{}`)
			c := newTestClient(t, srv.URL)
			_, err := c.Servers.Get(context.Background(), "s1", WithHeader(tc[0], tc[1]))
			if err == nil {
				t.Fatal("sent")
			}
			assertNoKey(t, "error", err.Error())
			if strings.Contains(strings.ToLower(err.Error()), strings.ToLower(body[:8])) {
				t.Errorf("error quotes part of the key: %v", err)
			}
			if n.Load() != 0 {
				t.Errorf("%d requests sent", n.Load())
			}
		})
	}
}

// TestWithHeaderInvalidNameQuotesNothing: an invalid header name is refused
// without quoting any of it, so a secret passed as a name stays out of the
// error.
func TestWithHeaderInvalidNameQuotesNothing(t *testing.T) {
	secret := "s3cr3t-" + strings.Repeat("x", 30)
	for _, name := range []string{secret + "\x00", "Bearer " + secret, "a:" + secret, ""} {
		var cfg resources.RequestConfig
		WithHeader(name, "v")(&cfg)
		if cfg.Err == nil || !strings.Contains(cfg.Err.Error(), "invalid header name") {
			t.Fatalf("%q: err = %v", name, cfg.Err)
		}
		if strings.Contains(cfg.Err.Error(), "s3cr3t") {
			t.Errorf("error quotes the name: %v", cfg.Err)
		}
	}
}

// TestWithHeaderRefusesMethodOverride: a header asking the server to run
// another method than the one the client classified is refused in any
// case, and nothing is sent (the guard would otherwise never see a DELETE
// sent as a GET).
func TestWithHeaderRefusesMethodOverride(t *testing.T) {
	for _, name := range []string{"X-HTTP-Method-Override", "x-http-method-override", "X-HTTP-Method", "X-Method-Override", "x-method-override", "X_HTTP_Method_Override"} {
		t.Run(name, func(t *testing.T) {
			srv, n, _ := metaServer(t, 200, `{}`)
			guarded := false
			c := newTestClient(t, srv.URL, WithDestructiveGuard(func(context.Context, Operation) error { guarded = true; return nil }))
			_, err := c.Servers.Get(context.Background(), "s1", WithHeader(name, "DELETE"))
			if err == nil || !strings.Contains(err.Error(), "another method") {
				t.Fatalf("err = %v", err)
			}
			if n.Load() != 0 || guarded {
				t.Errorf("sent %d, guard asked %v", n.Load(), guarded)
			}
		})
	}
}

// TestCallHeadersStayOnAPIHost: a GET redirected to another host arrives
// there without the call's WithHeader headers (Go would forward them) and
// without the key, while the API host got them.
func TestCallHeadersStayOnAPIHost(t *testing.T) {
	var got atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Clone())
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"id":"s1"}`)
	}))
	defer other.Close()
	u, _ := url.Parse(other.URL)
	elsewhere := "http://localhost:" + u.Port() + "/moved"
	var apiSaw atomic.Value
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		apiSaw.Store(r.Header.Clone())
		http.Redirect(w, r, elsewhere, http.StatusFound)
	}))
	defer api.Close()
	c := newTestClient(t, api.URL)
	if _, err := c.Servers.Get(context.Background(), "s1", WithHeader("X-Trace-Secret", "tenant-token-42"), WithHeader("Traceparent", "00-a-b-01")); err != nil {
		t.Fatal(err)
	}
	if h, _ := apiSaw.Load().(http.Header); h.Get("X-Trace-Secret") != "tenant-token-42" {
		t.Fatalf("the API host did not get the header: %v", h)
	}
	h, _ := got.Load().(http.Header)
	if h == nil {
		t.Fatal("the redirect was not followed")
	}
	for _, k := range []string{"X-Trace-Secret", "Traceparent", "Authorization"} {
		if v := h.Get(k); v != "" {
			t.Errorf("%s = %q reached another host", k, v)
		}
	}
}
