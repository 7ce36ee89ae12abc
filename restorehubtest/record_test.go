package restorehubtest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go/restorehubtest"
)

func TestRequestsRecordsEverything(t *testing.T) {
	srv, clk := newServer(t, restorehubtest.WithKey(readKey, "servers:read"), restorehubtest.WithRateLimit(3, time.Minute))
	send(t, srv, "GET", "/servers?limit=5&q=a%20b", allKey, nil)
	clk.Advance(time.Second)
	send(t, srv, "POST", "/servers", readKey, map[string]any{"name": "n"})
	send(t, srv, "GET", "/nope", "rh_bogus", nil)
	send(t, srv, "GET", "/servers/a%2Fb", allKey, nil)
	send(t, srv, "GET", "/servers", allKey, nil)
	send(t, srv, "GET", "/servers", allKey, nil) // the fourth of allKey in a minute: 429

	recs := srv.Requests()
	type row struct {
		method, path, op, keyID string
		status                  int
	}
	want := []row{
		{"GET", "/servers", "servers.list", restorehubtest.KeyID(allKey), 200},
		{"POST", "/servers", "servers.create", restorehubtest.KeyID(readKey), 403},
		{"GET", "/nope", "", restorehubtest.KeyID("rh_bogus"), 401},
		{"GET", "/servers/a%2Fb", "servers.get", restorehubtest.KeyID(allKey), 404},
		{"GET", "/servers", "servers.list", restorehubtest.KeyID(allKey), 200},
		{"GET", "/servers", "servers.list", restorehubtest.KeyID(allKey), 429},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d", len(recs), len(want))
	}
	for i, w := range want {
		r := recs[i]
		if got := (row{r.Method, r.Path, r.OperationID, r.KeyID, r.Status}); got != w {
			t.Errorf("record %d = %+v, want %+v", i, got, w)
		}
	}
	first, second := recs[0], recs[1]
	if first.Query.Get("limit") != "5" || first.Query.Get("q") != "a b" {
		t.Errorf("query %v", first.Query)
	}
	if !first.Received.Equal(t0) || !second.Received.Equal(t0.Add(time.Second)) {
		t.Errorf("Received %v and %v", first.Received, second.Received)
	}
	if string(second.Body) != `{"name":"n"}` || second.Header.Get("Content-Type") != "application/json" {
		t.Errorf("body %q header %v", second.Body, second.Header)
	}
	if got := second.Header.Get("Authorization"); got != "[redacted]" {
		t.Errorf("Authorization recorded as %q", got)
	}

	// The copies are the caller's own.
	recs[0].Query.Set("limit", "9")
	recs[0].Body = append(recs[0].Body, 'x')
	if srv.Requests()[0].Query.Get("limit") != "5" {
		t.Error("Requests shares its maps")
	}

	if srv.Count("servers.list") != 3 || srv.Count("servers.create") != 1 || srv.Count("nope") != 0 {
		t.Errorf("Count list %d create %d", srv.Count("servers.list"), srv.Count("servers.create"))
	}
	if srv.RateLimited() != 1 {
		t.Errorf("RateLimited %d", srv.RateLimited())
	}
	srv.Reset()
	if len(srv.Requests()) != 0 || srv.RateLimited() != 0 || srv.Count("servers.list") != 0 {
		t.Fatal("Reset kept records")
	}
	// Reset keeps the rate-limit window: still limited.
	wantStatus(t, send(t, srv, "GET", "/servers", allKey, nil), http.StatusTooManyRequests)
}
