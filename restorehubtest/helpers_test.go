package restorehubtest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// t0 is the start of every manual clock in these tests.
var t0 = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// Keys used across the tests.
const (
	allKey  = "rh_all_0000000000000000000000000000000000"
	readKey = "rh_read_000000000000000000000000000000000"
)

// testOps is a small operation table in the generated table's shape,
// covering every kind of operation the fake knows.
func testOps() []resources.OperationSpec {
	return []resources.OperationSpec{
		{ID: "account.get", Method: "GET", Path: "/account", Scope: "account:read", Tier: resources.TierRead},
		{ID: "account.update", Method: "PATCH", Path: "/account", Scope: "account:write", Tier: resources.TierWrite},
		{ID: "account.delete", Method: "DELETE", Path: "/account", Scope: "account:delete", Tier: resources.TierDestructive},
		{ID: "servers.list", Method: "GET", Path: "/servers", Scope: "servers:read", Tier: resources.TierRead, Pagination: resources.PaginationCursor},
		{ID: "servers.create", Method: "POST", Path: "/servers", Scope: "servers:write", Tier: resources.TierWrite},
		{ID: "servers.search", Method: "GET", Path: "/servers/search", Scope: "servers:read", Tier: resources.TierRead},
		{ID: "servers.get", Method: "GET", Path: "/servers/{serverId}", Scope: "servers:read", Tier: resources.TierRead},
		{ID: "servers.update", Method: "PATCH", Path: "/servers/{serverId}", Scope: "servers:write", Tier: resources.TierWrite},
		{ID: "servers.delete", Method: "DELETE", Path: "/servers/{serverId}", Scope: "servers:delete", Tier: resources.TierDestructive},
		{ID: "backups.list", Method: "GET", Path: "/servers/{serverId}/backups", Scope: "backups:read", Tier: resources.TierRead, Pagination: resources.PaginationPage},
		{ID: "backups.create", Method: "POST", Path: "/servers/{serverId}/backups", Scope: "backups:write", Tier: resources.TierWrite},
		{ID: "backups.get", Method: "GET", Path: "/backups/{backupId}", Scope: "backups:read", Tier: resources.TierRead},
		{ID: "backups.restore", Method: "POST", Path: "/backups/{backupId}/restore", Scope: "backups:restore", Tier: resources.TierDestructive},
		{ID: "audit.list", Method: "GET", Path: "/audit", Scope: "audit:read", Tier: resources.TierRead},
		{ID: "billing.get", Method: "GET", Path: "/billing", Scope: "billing:read", Tier: resources.TierRead},
		{ID: "billing.update", Method: "PUT", Path: "/billing", Scope: "billing:write", Tier: resources.TierWrite},
		{ID: "members.pull", Method: "POST", Path: "/members/pull", Scope: "members:pull", Tier: resources.TierDestructive,
			Pace: &resources.Pace{KeyField: "targetServerId", CountField: "memberIds", Limit: 50, Interval: time.Minute}},
		{ID: "marketplace.createPayout", Method: "POST", Path: "/marketplace/payouts", Scope: "marketplace:payout", Tier: resources.TierDestructive},
		{ID: "upload.create", Method: "POST", Path: "/upload", Scope: "upload:write", Tier: resources.TierWrite},
	}
}

// response is what a test request got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a map, failing the test when it is not JSON.
func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", r.body, err)
	}
	return m
}

// send makes one request with plain net/http. key "" sends no
// Authorization header; body nil sends none; a string body is sent as is.
func send(t *testing.T, srv *restorehubtest.Server, method, path, key string, body any) response {
	t.Helper()
	resp, err := trySend(srv.Client(), srv.URL()+path, method, key, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// trySend sends one request and returns the raw response or error.
func trySend(c *http.Client, url, method, key string, body any) (*http.Response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return nil, err
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.Do(req)
}

// newServer starts a server on the test table with an all-scopes key and
// a manual clock, closed when the test ends.
func newServer(t *testing.T, opts ...restorehubtest.Option) (*restorehubtest.Server, *restorehubtest.ManualClock) {
	t.Helper()
	clk := restorehubtest.NewManualClock(t0)
	base := []restorehubtest.Option{
		restorehubtest.WithOperations(testOps()),
		restorehubtest.WithKey(allKey, "*"),
		restorehubtest.WithClock(clk.Now),
	}
	srv := restorehubtest.NewServer(append(base, opts...)...)
	t.Cleanup(srv.Close)
	return srv, clk
}

// wantStatus fails the test unless r has status want.
func wantStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %s", r.status, want, r.body)
	}
}

// wantBody fails the test unless r's body is exactly want.
func wantBody(t *testing.T, r response, want string) {
	t.Helper()
	if string(r.body) != want {
		t.Fatalf("body\n got %s\nwant %s", r.body, want)
	}
}

// opAt returns a bare operation.
func opAt(id, method, path string) resources.OperationSpec {
	return resources.OperationSpec{ID: id, Method: method, Path: path}
}

// readResponse reads and closes resp.
func readResponse(t *testing.T, resp *http.Response) response {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// must panics on err, for calls whose failure the test cannot survive.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// seedAt seeds entities at path, failing the test on an error.
func seedAt(t *testing.T, srv *restorehubtest.Server, path string, entities ...any) []string {
	t.Helper()
	ids, err := srv.SeedAt(path, entities...)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}
