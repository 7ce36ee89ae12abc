package restorehub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

func TestNewChecksKey(t *testing.T) {
	tests := []struct {
		name, key string
		ok        bool
	}{
		{"docs example shape", "rh_" + strings.Repeat("x", 34), true},
		{"long key", "rh_" + strings.Repeat("aZ9", 20), true},
		{"empty", "", false},
		{"no prefix", strings.Repeat("x", 40), false},
		{"wrong prefix", "sk_" + strings.Repeat("x", 34), false},
		{"bearer pasted", "Bearer rh_" + strings.Repeat("x", 34), false},
		{"trailing newline", "rh_" + strings.Repeat("x", 34) + "\n", false},
		{"not base62", "rh_" + strings.Repeat("x", 30) + "-_+/", false},
		{"truncated", "rh_abc123", false},
		{"quoted", `"rh_` + strings.Repeat("x", 34) + `"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.key)
			if tt.ok != (err == nil) {
				t.Fatalf("New error = %v, want ok=%t", err, tt.ok)
			}
			if err != nil {
				if !errors.Is(err, ErrInvalidKey) {
					t.Errorf("error %v does not match ErrInvalidKey", err)
				}
				if len(tt.key) > 8 && strings.Contains(err.Error(), strings.Trim(tt.key, "\"\n")[3:]) {
					t.Errorf("error echoes the key: %v", err)
				}
				return
			}
			if c.BaseURL() != DefaultBaseURL {
				t.Errorf("BaseURL = %q, want %q", c.BaseURL(), DefaultBaseURL)
			}
		})
	}
}

func TestBaseURLSchemes(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"https://api.restorehub.net/api/v1", true},
		{"https://api.restorehub.net/api/v1/", true},
		{"http://127.0.0.1:8080/api/v1", true},
		{"http://localhost:9/api/v1", true},
		{"http://[::1]:9/api/v1", true},
		{"http://api.restorehub.net/api/v1", false},
		{"http://10.0.0.5/api/v1", false},
		{"ftp://api.restorehub.net", false},
		{"https://user:pw@api.restorehub.net", false},
		{"api.restorehub.net/api/v1", false},
		{"", false},
	}
	for _, tt := range tests {
		_, err := New(testKey, WithBaseURL(tt.url))
		if tt.ok != (err == nil) {
			t.Errorf("WithBaseURL(%q): error = %v, want ok=%t", tt.url, err, tt.ok)
		}
	}
}

func TestNewFromEnv(t *testing.T) {
	t.Setenv(EnvAPIKey, testKey)
	t.Setenv(EnvBaseURL, "http://127.0.0.1:1/api/v1")
	c, err := NewFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != "http://127.0.0.1:1/api/v1" {
		t.Errorf("BaseURL = %q", c.BaseURL())
	}
	t.Setenv(EnvAPIKey, "")
	if _, err := NewFromEnv(); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("NewFromEnv without key: %v, want ErrInvalidKey", err)
	}
}

func TestBearerOnEveryRequestAndUserAgent(t *testing.T) {
	var mu sync.Mutex
	var auths, uas []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		uas = append(uas, r.Header.Get("User-Agent"))
		mu.Unlock()
		if r.URL.Path == "/api/v1/flaky" && len(auths) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		writeJSON(w, 200, map[string]string{"id": "1"})
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL+"/api/v1", WithUserAgent("my-bot/2.0"), WithAgent("triage agent#1"))
	for _, p := range []string{"/flaky", "/account"} {
		if _, err := c.Do(context.Background(), &Request{Path: p}, nil); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
	}
	if len(auths) != 3 {
		t.Fatalf("server saw %d requests, want 3 (one retry)", len(auths))
	}
	for i, a := range auths {
		if a != "Bearer "+testKey {
			t.Errorf("request %d Authorization = %q", i, a)
		}
		if !strings.HasPrefix(uas[i], "restorehub-go/"+Version+" ") || !strings.Contains(uas[i], " agent/triage-agent-1") || !strings.HasSuffix(uas[i], " my-bot/2.0") {
			t.Errorf("request %d User-Agent = %q", i, uas[i])
		}
	}
}

func TestRedirectToOtherHostDropsKey(t *testing.T) {
	var otherAuth atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherAuth.Store(r.Header.Get("Authorization"))
		writeJSON(w, 200, map[string]string{"id": "elsewhere"})
	}))
	defer other.Close()
	var sameAuth atomic.Value
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/away":
			http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
		case "/api/v1/here":
			http.Redirect(w, r, "/api/v1/landing", http.StatusFound)
		case "/api/v1/landing":
			sameAuth.Store(r.Header.Get("Authorization"))
			writeJSON(w, 200, map[string]string{"id": "home"})
		}
	}))
	defer api.Close()
	// The other server is also on 127.0.0.1, on another port: a different host.
	c := newTestClient(t, api.URL+"/api/v1")
	var got account
	if _, err := c.Do(context.Background(), &Request{Path: "/away"}, &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != "elsewhere" {
		t.Fatalf("redirect not followed: %+v", got)
	}
	if a, _ := otherAuth.Load().(string); a != "" {
		t.Errorf("the other host received Authorization %q", a)
	}
	if _, err := c.Do(context.Background(), &Request{Path: "/here"}, &got); err != nil {
		t.Fatal(err)
	}
	if a, _ := sameAuth.Load().(string); a != "Bearer "+testKey {
		t.Errorf("same-host redirect lost the key: %q", a)
	}
}

func TestTransportNeverSendsKeyToOtherHost(t *testing.T) {
	// Even a caller who sets Authorization on a request through the client's
	// transport cannot send it to another host.
	var got atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("Authorization"))
	}))
	defer other.Close()
	c := newTestClient(t, "https://api.restorehub.net/api/v1")
	req, _ := http.NewRequest("GET", other.URL, nil)
	req.Header.Set("Authorization", "Bearer "+testKey)
	resp, err := (&transport{c: c}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if a, _ := got.Load().(string); a != "" {
		t.Errorf("other host got Authorization %q", a)
	}
}

func TestFormattingHidesKey(t *testing.T) {
	c, err := New(testKey, WithAgent("a"))
	if err != nil {
		t.Fatal(err)
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		s := fmt.Sprintf(verb, c)
		assertNoKey(t, verb, s)
		if verb == "%v" && !strings.Contains(s, "REDACTED") {
			t.Errorf("%%v = %q, want a redaction marker", s)
		}
	}
	assertNoKey(t, "%+v of config", fmt.Sprintf("%+v %#v", c.cfg, c.cfg))
}

func TestRotateKey(t *testing.T) {
	ws, srv := newWindowServer(t, 1000, 10e9)
	c := newTestClient(t, srv.URL)
	if err := c.RotateKey("not-a-key"); !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("RotateKey(bad) = %v", err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i == 10 {
				if err := c.RotateKey(otherKey); err != nil {
					t.Error(err)
				}
			}
			if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
		t.Fatal(err)
	}
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if ws.keys["Bearer "+otherKey] == 0 {
		t.Errorf("new key never used: %v", len(ws.keys))
	}
	if n := ws.keys["Bearer "+testKey] + ws.keys["Bearer "+otherKey]; n != 21 {
		t.Errorf("saw %d requests with the two keys, want 21", n)
	}
}

func TestUnauthorizedSaysWhatToDo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, map[string]string{"error": "Missing or invalid API key."})
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	for _, want := range []string{"401", "Missing or invalid API key.", "revoked", "RotateKey"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
