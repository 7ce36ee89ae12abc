package restorehubtest_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/restorehub/restorehub-go/restorehubtest"
)

func TestCRUDRoundTrip(t *testing.T) {
	srv, _ := newServer(t)

	created := send(t, srv, "POST", "/servers", allKey, map[string]any{"name": "Pixel Lounge", "memberCount": 12})
	wantStatus(t, created, http.StatusCreated)
	e := created.json(t)
	id, _ := e["id"].(string)
	if id != "server_0001" || e["name"] != "Pixel Lounge" || e["memberCount"] != 12.0 || e["createdAt"] != "2030-01-02T03:04:05Z" {
		t.Fatalf("created entity %v", e)
	}

	got := send(t, srv, "GET", "/servers/"+id, allKey, nil)
	wantStatus(t, got, http.StatusOK)
	if string(got.body) != string(created.body) {
		t.Fatalf("get %s, want the created %s", got.body, created.body)
	}

	upd := send(t, srv, "PATCH", "/servers/"+id, allKey, map[string]any{"name": "Pixel Lounge 2", "memberCount": nil, "id": "hijack"})
	wantStatus(t, upd, http.StatusOK)
	u := upd.json(t)
	if u["name"] != "Pixel Lounge 2" || u["id"] != id || u["updatedAt"] == nil {
		t.Fatalf("updated entity %v", u)
	}
	if _, still := u["memberCount"]; still {
		t.Fatalf("null did not remove memberCount: %v", u)
	}
	if o, ok := srv.Object("/servers/" + id); !ok || o["name"] != "Pixel Lounge 2" {
		t.Fatalf("Object after update = %v, %v", o, ok)
	}

	del := send(t, srv, "DELETE", "/servers/"+id, allKey, nil)
	wantStatus(t, del, http.StatusNoContent)
	if len(del.body) != 0 {
		t.Fatalf("204 with body %q", del.body)
	}
	for _, method := range []string{"GET", "PATCH", "DELETE"} {
		r := send(t, srv, method, "/servers/"+id, allKey, nil)
		wantStatus(t, r, http.StatusNotFound)
		wantBody(t, r, `{"error":"No servers with id \"server_0001\".","details":{"id":"server_0001","path":"/servers","resource":"servers"}}`)
	}
}

func TestCreateConflictAndBadBody(t *testing.T) {
	srv, _ := newServer(t)
	seedAt(t, srv, "/servers", map[string]any{"id": "g1", "name": "one"})
	r := send(t, srv, "POST", "/servers", allKey, map[string]any{"id": "g1"})
	wantStatus(t, r, http.StatusConflict)
	for _, body := range []string{"{", "[1,2]", "null", `"x"`, `{"a":1} {"b":2}`} {
		r := send(t, srv, "POST", "/servers", allKey, body)
		wantStatus(t, r, http.StatusBadRequest)
		if m := r.json(t); m["error"] == nil || m["details"] == nil {
			t.Fatalf("400 body %s lacks error or details", r.body)
		}
	}
	if n := len(srv.Entities("/servers")); n != 1 {
		t.Fatalf("%d servers after failed creates, want 1", n)
	}
}

func TestCursorPagination(t *testing.T) {
	srv, _ := newServer(t, restorehubtest.WithPageSize(2))
	var want []string
	for i := range 5 {
		want = append(want, seedAt(t, srv, "/servers", map[string]any{"name": fmt.Sprint("s", i)})...)
	}

	var got []string
	cursor := ""
	pages := 0
	for {
		path := "/servers"
		if cursor != "" {
			path += "?cursor=" + cursor
		}
		r := send(t, srv, "GET", path, allKey, nil)
		wantStatus(t, r, http.StatusOK)
		m := r.json(t)
		data := m["data"].([]any)
		if len(data) > 2 {
			t.Fatalf("page of %d with page size 2", len(data))
		}
		for _, e := range data {
			got = append(got, e.(map[string]any)["id"].(string))
		}
		pages++
		next, present := m["nextCursor"]
		if !present {
			t.Fatalf("no nextCursor field in %s", r.body)
		}
		if next == nil {
			break
		}
		cursor = next.(string)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || pages != 3 {
		t.Fatalf("walked %v in %d pages, want %v in 3", got, pages, want)
	}

	r := send(t, srv, "GET", "/servers?limit=4", allKey, nil)
	if n := len(r.json(t)["data"].([]any)); n != 4 {
		t.Fatalf("limit=4 gave %d", n)
	}
	for _, q := range []string{"limit=0", "limit=-1", "limit=x", "cursor=bogus"} {
		wantStatus(t, send(t, srv, "GET", "/servers?"+q, allKey, nil), http.StatusBadRequest)
	}
}

func TestPagePaginationAndCap(t *testing.T) {
	srv, _ := newServer(t)
	parent := seedAt(t, srv, "/servers", map[string]any{"name": "p"})[0]
	for i := range 130 {
		seedAt(t, srv, "/servers/"+parent+"/backups", map[string]any{"n": i})
	}
	base := "/servers/" + parent + "/backups"
	tests := []struct {
		query      string
		wantLen    int
		wantFirstN float64
		wantPages  float64
	}{
		{"", restorehubtest.DefaultPageSize, 0, 7},
		{"?page=2", restorehubtest.DefaultPageSize, 20, 7},
		{"?limit=50&page=3", 30, 100, 3},
		{"?limit=1000", restorehubtest.MaxPageSize, 0, 2},
		{"?limit=100&page=2", 30, 100, 2},
		{"?page=9", 0, -1, 7},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := send(t, srv, "GET", base+tt.query, allKey, nil)
			wantStatus(t, r, http.StatusOK)
			m := r.json(t)
			data := m["data"].([]any)
			if len(data) != tt.wantLen || m["total"] != 130.0 || m["totalPages"] != tt.wantPages {
				t.Fatalf("got %d items, total %v, totalPages %v", len(data), m["total"], m["totalPages"])
			}
			if len(data) > 0 && data[0].(map[string]any)["n"] != tt.wantFirstN {
				t.Fatalf("first item %v, want n=%v", data[0], tt.wantFirstN)
			}
		})
	}
	wantStatus(t, send(t, srv, "GET", base+"?page=0", allKey, nil), http.StatusBadRequest)
}

func TestNestedCollectionsAndParents(t *testing.T) {
	srv, _ := newServer(t)
	// Creating into the backups of an unknown server is a 404 on the parent.
	r := send(t, srv, "POST", "/servers/nope/backups", allKey, map[string]any{})
	wantStatus(t, r, http.StatusNotFound)
	wantStatus(t, send(t, srv, "GET", "/servers/nope/backups", allKey, nil), http.StatusNotFound)

	sid := send(t, srv, "POST", "/servers", allKey, map[string]any{"name": "a"}).json(t)["id"].(string)
	b := send(t, srv, "POST", "/servers/"+sid+"/backups", allKey, map[string]any{"label": "nightly"})
	wantStatus(t, b, http.StatusCreated)
	if id := b.json(t)["id"]; id != "backup_0002" {
		t.Fatalf("backup id %v, want backup_0002", id)
	}
	list := send(t, srv, "GET", "/servers/"+sid+"/backups", allKey, nil).json(t)
	if list["total"] != 1.0 {
		t.Fatalf("list %v", list)
	}
}

func TestSingleObjects(t *testing.T) {
	srv, _ := newServer(t, restorehubtest.WithPlan("business"))
	acct := send(t, srv, "GET", "/account", allKey, nil)
	wantStatus(t, acct, http.StatusOK)
	if m := acct.json(t); m["id"] != "acct_demo" || m["plan"] != "BUSINESS" || m["email"] == nil {
		t.Fatalf("account %v", m)
	}
	if m := send(t, srv, "PATCH", "/account", allKey, map[string]any{"username": "neo"}).json(t); m["username"] != "neo" || m["id"] != "acct_demo" {
		t.Fatalf("patched account %v", m)
	}
	wantBody(t, send(t, srv, "GET", "/billing", allKey, nil), `{}`)
	if err := srv.SetObject("/api/v1/billing/", map[string]any{"card": "visa"}); err != nil {
		t.Fatal(err)
	}
	if m := send(t, srv, "PUT", "/billing", allKey, map[string]any{"tier": 2}).json(t); m["card"] != "visa" || m["tier"] != 2.0 {
		t.Fatalf("merged billing %v", m)
	}
	if _, ok := srv.Object("/api/v10/billing"); ok {
		t.Fatal("/api/v10 taken for the base path")
	}
	wantStatus(t, send(t, srv, "DELETE", "/account", allKey, nil), http.StatusNoContent)
	wantStatus(t, send(t, srv, "GET", "/account", allKey, nil), http.StatusNotFound)
	if _, ok := srv.Object("/account"); ok {
		t.Fatal("Object found the deleted account")
	}
}

func TestListWithoutPagination(t *testing.T) {
	srv, _ := newServer(t)
	seedAt(t, srv, "/audit", map[string]any{"event": "login"}, map[string]any{"event": "logout"})
	m := send(t, srv, "GET", "/audit", allKey, nil).json(t)
	if len(m["data"].([]any)) != 2 || len(m) != 1 {
		t.Fatalf("unpaginated list %v", m)
	}
	// A literal beats a parameter: /servers/search is a list, not a get.
	wantBody(t, send(t, srv, "GET", "/servers/search", allKey, nil), `{"data":[]}`)
}

func TestActions(t *testing.T) {
	srv, _ := newServer(t)
	r := send(t, srv, "POST", "/backups/missing/restore", allKey, nil)
	wantStatus(t, r, http.StatusNotFound)
	if m := r.json(t); m["error"] != `No backups with id "missing".` {
		t.Fatalf("404 body %s", r.body)
	}
	bid := seedAt(t, srv, "/backups", map[string]any{"label": "x"})[0]
	r = send(t, srv, "POST", "/backups/"+bid+"/restore", allKey, map[string]any{"confirm": true})
	wantStatus(t, r, http.StatusOK)
	job := r.json(t)
	if job["status"] != "queued" || job["type"] != "backups.restore" || job["id"] == nil ||
		job["total"] != nil || job["progress"] != 0.0 || job["createdAt"] != "2030-01-02T03:04:05Z" {
		t.Fatalf("job %v", job)
	}
	// Only the fields of the spec's Job schema.
	for k := range job {
		switch k {
		case "id", "type", "status", "progress", "total", "createdAt", "finishedAt":
		default:
			t.Fatalf("job has field %q not in the Job schema: %v", k, job)
		}
	}
	r = send(t, srv, "POST", "/marketplace/payouts", allKey, map[string]any{"amount": 5})
	wantStatus(t, r, http.StatusOK)
	if r.json(t)["status"] != "queued" {
		t.Fatalf("payout %s", r.body)
	}
	// A POST whose action is "create" creates, even with no list or item
	// path of its own.
	r = send(t, srv, "POST", "/upload", allKey, map[string]any{"size": 3})
	wantStatus(t, r, http.StatusCreated)
	if up := r.json(t); up["id"] != "upload_0004" || up["size"] != 3.0 {
		t.Fatalf("upload %v", up)
	}
}

func TestRouting(t *testing.T) {
	srv, _ := newServer(t)
	tests := []struct {
		method, path string
		want         int
		allow        string
	}{
		{"GET", "/nothing", http.StatusNotFound, ""},
		// A trailing slash is matched as the client classifies it
		// (resources.MatchPathTemplate); an empty segment is not.
		{"GET", "/servers//srv_missing", http.StatusNotFound, ""},
		{"DELETE", "/servers//", http.StatusMethodNotAllowed, "GET, POST"},
		{"PUT", "/servers", http.StatusMethodNotAllowed, "GET, POST"},
		{"POST", "/account", http.StatusMethodNotAllowed, "DELETE, GET, PATCH"},
		{"GET", "/", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := send(t, srv, tt.method, tt.path, allKey, nil)
			wantStatus(t, r, tt.want)
			if r.json(t)["error"] == nil {
				t.Fatalf("no error in %s", r.body)
			}
			if got := r.header.Get("Allow"); got != tt.allow {
				t.Fatalf("Allow %q, want %q", got, tt.allow)
			}
			if r.header.Get("X-RateLimit-Limit") == "" {
				t.Fatal("authenticated 404/405 without rate-limit headers")
			}
		})
	}
	// Outside the base path: 404 before authentication.
	resp, err := trySend(srv.Client(), srv.URL()[:len(srv.URL())-len(restorehubtest.BasePath)]+"/servers", "GET", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("outside the base: %d", resp.StatusCode)
	}
}

func TestDemoDataAndDefaultTable(t *testing.T) {
	srv, _ := newServer(t, restorehubtest.WithDemoData())
	m := send(t, srv, "GET", "/servers", allKey, nil).json(t)
	servers := m["data"].([]any)
	if len(servers) != 3 {
		t.Fatalf("demo servers %v", m)
	}
	// The test table has both /backups and /servers/{serverId}/backups;
	// the flat collection wins.
	sid := servers[0].(map[string]any)["id"].(string)
	if b := srv.Entities("/backups"); len(b) != 3 || b[0]["serverId"] != sid {
		t.Fatalf("demo backups %v", b)
	}

	// The generated table, whatever it holds today, serves /account.
	def := restorehubtest.NewServer(restorehubtest.WithKey(readKey, "account:read"), restorehubtest.WithDemoData())
	defer def.Close()
	wantStatus(t, send(t, def, "GET", "/account", readKey, nil), http.StatusOK)
}

func TestInvalidTablesPanic(t *testing.T) {
	tests := map[string][]restorehubtest.Option{
		"relative path": {restorehubtest.WithOperations(append(testOps(), opAt("x.get", "GET", "servers")))},
		"duplicate":     {restorehubtest.WithOperations(append(testOps(), opAt("x.get", "GET", "/servers/{id}")))},
		"partial param": {restorehubtest.WithOperations(append(testOps(), opAt("x.get", "GET", "/x/{id")))},
		"empty key":     {restorehubtest.WithKey("")},
		"bad limit":     {restorehubtest.WithRateLimit(0, 0)},
	}
	for name, opts := range tests {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("NewServer did not panic")
				}
			}()
			srv := restorehubtest.NewServer(opts...)
			srv.Close()
		})
	}
}
