package restorehubtest_test

import (
	"net/http"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

func TestUnauthorized(t *testing.T) {
	srv, _ := newServer(t)
	const want401 = `{"error":"Missing or invalid API key."}`
	tests := map[string]func(*http.Request){
		"missing":        func(r *http.Request) {},
		"unknown key":    func(r *http.Request) { r.Header.Set("Authorization", "Bearer rh_unknown") },
		"no scheme":      func(r *http.Request) { r.Header.Set("Authorization", allKey) },
		"basic scheme":   func(r *http.Request) { r.SetBasicAuth("user", allKey) },
		"empty token":    func(r *http.Request) { r.Header.Set("Authorization", "Bearer ") },
		"extra field":    func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+allKey+" x") },
		"two headers":    func(r *http.Request) { r.Header["Authorization"] = []string{"Bearer " + allKey, "Bearer " + allKey} },
		"key with space": func(r *http.Request) { r.Header.Set("Authorization", "Bearer  "+allKey) },
	}
	for name, set := range tests {
		t.Run(name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL()+"/servers", nil)
			set(req)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			r := readResponse(t, resp)
			wantStatus(t, r, http.StatusUnauthorized)
			wantBody(t, r, want401)
			if r.header.Get("X-RateLimit-Limit") != "" {
				t.Fatal("401 carries rate-limit headers")
			}
		})
	}
	// The scheme is case-insensitive.
	req, _ := http.NewRequest("GET", srv.URL()+"/servers", nil)
	req.Header.Set("Authorization", "bearer "+allKey)
	wantStatus(t, readResponse(t, must(srv.Client().Do(req))), http.StatusOK)
}

func TestMissingScope(t *testing.T) {
	srv, _ := newServer(t, restorehubtest.WithKey(readKey,
		restorehub.ScopeServersRead, restorehub.ScopeBackupsRead, restorehub.ScopeServersRead))
	bid := seedAt(t, srv, "/backups", map[string]any{})[0]
	tests := []struct {
		method, path string
		body         any
		want         int
		wantBody     string
	}{
		{"GET", "/servers", nil, http.StatusOK, ""},
		{"GET", "/backups/" + bid, nil, http.StatusOK, ""},
		{"POST", "/backups/" + bid + "/restore", map[string]any{}, http.StatusForbidden,
			`{"error":"Missing required scope: backups:restore","requiredScope":"backups:restore","yourScopes":["servers:read","backups:read"]}`},
		{"GET", "/account", nil, http.StatusForbidden,
			`{"error":"Missing required scope: account:read","requiredScope":"account:read","yourScopes":["servers:read","backups:read"]}`},
		// The scope check comes before the existence check: no probing.
		{"DELETE", "/servers/unknown", nil, http.StatusForbidden,
			`{"error":"Missing required scope: servers:delete","requiredScope":"servers:delete","yourScopes":["servers:read","backups:read"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := send(t, srv, tt.method, tt.path, readKey, tt.body)
			wantStatus(t, r, tt.want)
			if tt.wantBody != "" {
				wantBody(t, r, tt.wantBody)
			}
			if r.header.Get("X-RateLimit-Remaining") == "" {
				t.Fatal("authenticated response without rate-limit headers")
			}
		})
	}

	// A key with no scopes reports an empty list, not null.
	srv.AddKey("rh_none")
	wantBody(t, send(t, srv, "GET", "/servers", "rh_none", nil),
		`{"error":"Missing required scope: servers:read","requiredScope":"servers:read","yourScopes":[]}`)
	// The wildcard allows the destructive tier.
	wantStatus(t, send(t, srv, "POST", "/backups/"+bid+"/restore", allKey, nil), http.StatusOK)
}

func TestFreePlan(t *testing.T) {
	const wantBody403 = `{"error":"The FREE plan can only send read (GET) requests. Upgrade your plan to use this operation.","plan":"FREE","upgradeUrl":"https://restorehub.net/pricing"}`
	t.Run("server plan", func(t *testing.T) {
		srv, _ := newServer(t, restorehubtest.WithPlan("free"))
		id := seedAt(t, srv, "/servers", map[string]any{})[0]
		wantStatus(t, send(t, srv, "GET", "/servers/"+id, allKey, nil), http.StatusOK)
		for _, m := range []string{"POST", "PATCH", "DELETE"} {
			path := "/servers/" + id
			if m == "POST" {
				path = "/servers"
			}
			r := send(t, srv, m, path, allKey, map[string]any{})
			wantStatus(t, r, http.StatusForbidden)
			wantBody(t, r, wantBody403)
		}
		if n := len(srv.Entities("/servers")); n != 1 {
			t.Fatalf("%d servers after refused writes", n)
		}
		if r := send(t, srv, "GET", "/servers", allKey, nil); r.header.Get("X-RateLimit-Limit") != "50" {
			t.Fatalf("FREE limit header %q, want 50", r.header.Get("X-RateLimit-Limit"))
		}
	})
	t.Run("per-key plan", func(t *testing.T) {
		srv, _ := newServer(t, restorehubtest.WithKey("rh_free", "*"), restorehubtest.WithKeyPlan("rh_free", "FREE"),
			restorehubtest.WithKeyPlan("rh_later", "free"))
		srv.AddKey("rh_later", "*")
		wantBody(t, send(t, srv, "PATCH", "/account", "rh_later", map[string]any{}), wantBody403)
		wantBody(t, send(t, srv, "PATCH", "/account", "rh_free", map[string]any{}), wantBody403)
		wantStatus(t, send(t, srv, "PATCH", "/account", allKey, map[string]any{}), http.StatusOK)
		// A missing scope is reported before the plan.
		srv.AddKey("rh_free", "servers:read")
		r := send(t, srv, "POST", "/servers", "rh_free", map[string]any{})
		if r.json(t)["requiredScope"] != "servers:write" {
			t.Fatalf("got %s", r.body)
		}
		// AddKey kept the key's plan.
		srv.AddKey("rh_free", "servers:write")
		wantBody(t, send(t, srv, "POST", "/servers", "rh_free", map[string]any{}), wantBody403)
	})
}

func TestRotation(t *testing.T) {
	srv, _ := newServer(t)
	const newKey = "rh_rotated_00000000000000000000000000000"
	wantStatus(t, send(t, srv, "GET", "/servers", newKey, nil), http.StatusUnauthorized)
	srv.AddKey(newKey, restorehub.ScopeServersRead)
	wantStatus(t, send(t, srv, "GET", "/servers", newKey, nil), http.StatusOK)
	srv.RevokeKey(allKey)
	r := send(t, srv, "GET", "/servers", allKey, nil)
	wantStatus(t, r, http.StatusUnauthorized)
	wantBody(t, r, `{"error":"Missing or invalid API key."}`)
	wantStatus(t, send(t, srv, "GET", "/servers", newKey, nil), http.StatusOK)
	srv.RevokeKey("rh_never_registered")
}

func TestKeyID(t *testing.T) {
	a, b := restorehubtest.KeyID(allKey), restorehubtest.KeyID(readKey)
	if a == b || len(a) != len("key_")+12 || a != restorehubtest.KeyID(allKey) || restorehubtest.KeyID("") != "" {
		t.Fatalf("KeyID gave %q and %q", a, b)
	}
}
