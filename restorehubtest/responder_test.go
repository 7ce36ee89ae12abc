package restorehubtest_test

import (
	"errors"
	"io"
	"net/http"
	"syscall"
	"testing"

	"github.com/jarcoal/httpmock"

	"github.com/restorehub/restorehub-go/restorehubtest"
)

func TestResponder(t *testing.T) {
	srv, _ := newServer(t, restorehubtest.WithKey(readKey, "servers:read"))
	client := &http.Client{}
	httpmock.ActivateNonDefault(client)
	t.Cleanup(func() { httpmock.DeactivateNonDefault(client) })
	httpmock.RegisterNoResponder(srv.Responder())

	// The client keeps the real base URL; the responder ignores the host.
	const base = "https://api.restorehub.net/api/v1"
	do := func(method, path, key string, body any) (response, error) {
		resp, err := trySend(client, base+path, method, key, body)
		if err != nil {
			return response{}, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return response{status: resp.StatusCode, header: resp.Header, body: b}, err
	}

	r, err := do("POST", "/servers", allKey, map[string]any{"name": "mocked"})
	if err != nil || r.status != http.StatusCreated {
		t.Fatalf("create: %v %d %s", err, r.status, r.body)
	}
	if r.header.Get("X-RateLimit-Remaining") != "99" {
		t.Fatalf("headers %v", r.header)
	}
	r, _ = do("GET", "/servers", "", nil)
	wantStatus(t, r, http.StatusUnauthorized)
	wantBody(t, r, `{"error":"Missing or invalid API key."}`)
	r, _ = do("DELETE", "/servers/server_0001", readKey, nil)
	wantBody(t, r, `{"error":"Missing required scope: servers:delete","requiredScope":"servers:delete","yourScopes":["servers:read"]}`)
	r, _ = do("GET", "/servers", readKey, nil)
	if r.status != 200 || len(r.json(t)["data"].([]any)) != 1 {
		t.Fatalf("list through httpmock: %d %s", r.status, r.body)
	}

	srv.ResetNext(1)
	if _, err := do("GET", "/servers", allKey, nil); !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("reset through httpmock: %v, want ECONNRESET", err)
	}
	srv.TruncateNext(1)
	if _, err := do("GET", "/servers", allKey, nil); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("truncated body through httpmock: %v", err)
	}
	srv.FailNext(1, http.StatusInternalServerError)
	r, _ = do("GET", "/servers", allKey, nil)
	wantStatus(t, r, http.StatusInternalServerError)
	srv.HTMLNext(1)
	r, _ = do("GET", "/servers", allKey, nil)
	wantStatus(t, r, http.StatusBadGateway)

	if srv.Count("servers.list") != 6 || srv.Count("servers.create") != 1 {
		t.Fatalf("Count list %d create %d", srv.Count("servers.list"), srv.Count("servers.create"))
	}
	if len(srv.Entities("/servers")) != 1 {
		t.Fatal("the httpmock path and the server do not share a store")
	}
}
