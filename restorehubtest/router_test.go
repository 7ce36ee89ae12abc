package restorehubtest_test

import (
	"net/http"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/resources/resourcestest"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// TestRoutingRealWorldTemplates checks that the fake serves the path
// templates real OpenAPI documents write (trailing slashes as Django and
// FastAPI exporters write them, a suffix after a parameter as Twilio's,
// a custom method after a parameter as Google's, two parameters in one
// segment, several per path), without a panic, and routes each request to
// the operation resources.MatchPathTemplate picks.
func TestRoutingRealWorldTemplates(t *testing.T) {
	ops := []resources.OperationSpec{
		{ID: "items.list", Method: "GET", Path: "/items/"},
		{ID: "items.get", Method: "GET", Path: "/items/{id}/"},
		{ID: "items.search", Method: "GET", Path: "/items/search/"},
		{ID: "calls.get", Method: "GET", Path: "/accounts/{sid}/calls/{callSid}.json"},
		{ID: "ops.cancel", Method: "POST", Path: "/v1/operations/{name}:cancel"},
		{ID: "repos.get", Method: "GET", Path: "/repos/{owner}.{repo}"},
		{ID: "a.first", Method: "GET", Path: "/a/{x}/b/{y}"},
		{ID: "a.second", Method: "GET", Path: "/a/{x}/{z}/c"},
		{ID: "x.get", Method: "GET", Path: "/x/"},
	}
	srv := restorehubtest.NewServer(restorehubtest.WithOperations(ops), restorehubtest.WithKey(allKey, "*"))
	t.Cleanup(srv.Close)
	tests := []struct {
		method, path string
		wantOp       string // "" when no operation must be matched
		wantStatus   int    // 0: anything but 404 and 405
	}{
		{"GET", "/items/", "items.list", 0},
		{"GET", "/items", "items.list", 0},
		{"GET", "/items/it_1/", "items.get", 0},
		{"GET", "/items/search/", "items.search", 0},
		{"GET", "/accounts/AC1/calls/CA1.json", "calls.get", 0},
		{"POST", "/v1/operations/op1:cancel", "ops.cancel", 0},
		{"GET", "/repos/golang.go", "repos.get", 0},
		{"GET", "/a/1/b/c", "a.first", 0},
		{"GET", "/a/1/z/c", "a.second", 0},
		{"GET", "/x/", "x.get", 0},
		{"GET", "/items/../", "", http.StatusNotFound},
		{"GET", "/accounts/AC1/calls/.json", "", http.StatusNotFound},
		{"DELETE", "/x/", "", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			srv.Reset()
			r := send(t, srv, tt.method, tt.path, allKey, nil)
			switch {
			case tt.wantStatus != 0 && r.status != tt.wantStatus:
				t.Fatalf("status %d, want %d: %s", r.status, tt.wantStatus, r.body)
			case tt.wantStatus == 0 && (r.status == http.StatusNotFound && tt.wantOp == "" || r.status == http.StatusMethodNotAllowed):
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 || reqs[0].OperationID != tt.wantOp {
				t.Fatalf("recorded %+v, want operation %q", reqs, tt.wantOp)
			}
		})
	}
}

// TestFakeRoutesAsEveryRouter runs the routing cases every router of the
// SDK must agree on (resourcestest.RoutingCases; the client's classifier
// and resources.MatchPathTemplate run them too) through the fake.
func TestFakeRoutesAsEveryRouter(t *testing.T) {
	for _, tc := range resourcestest.RoutingCases() {
		t.Run(tc.Name, func(t *testing.T) {
			srv := restorehubtest.NewServer(restorehubtest.WithOperations(tc.Operations), restorehubtest.WithKey(allKey, "*"))
			t.Cleanup(srv.Close)
			send(t, srv, tc.Method, tc.Path, allKey, nil)
			reqs := srv.Requests()
			if len(reqs) != 1 || reqs[0].OperationID != tc.WantID {
				t.Errorf("%s %s recorded %+v, want operation %q", tc.Method, tc.Path, reqs, tc.WantID)
			}
		})
	}
}

// TestRootPathOperations: a spec whose operations sit at "/" and "/{id}"
// with models (the noopid feature spec's shape) starts the fake without a
// panic (looking for a jobs collection indexed the segment before the last
// of a path that has none) and serves both paths.
func TestRootPathOperations(t *testing.T) {
	ops := []resources.OperationSpec{
		{ID: "root.get", Method: "GET", Path: "/", Model: "Index"},
		{ID: "root.item", Method: "GET", Path: "/{id}", Model: "Item"},
	}
	srv := restorehubtest.NewServer(restorehubtest.WithOperations(ops), restorehubtest.WithKey(allKey, "*"))
	t.Cleanup(srv.Close)
	for _, p := range []string{"/", "/it_1"} {
		srv.Reset()
		r := send(t, srv, "GET", p, allKey, nil)
		if reqs := srv.Requests(); r.status == http.StatusMethodNotAllowed || len(reqs) != 1 || reqs[0].OperationID == "" {
			t.Errorf("GET %s: status %d, recorded %+v", p, r.status, reqs)
		}
	}
}
