package restorehubtest_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// typedKey is a key the root client accepts (letters and digits only).
const typedKey = "rh_TypedTestKey0000000000000000000000000"

// typedClient returns a client of srv holding typedKey.
func typedClient(t *testing.T, srv *restorehubtest.Server) *restorehub.Client {
	t.Helper()
	c, err := restorehub.New(typedKey, restorehub.WithBaseURL(srv.URL()), restorehub.WithRetryBackoff(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTypedListFiltersOfTheSpec lists through the typed client against
// the generated table: every filter the spec declares (backups.list's
// serverId, members.list's serverId, audit.listEvents's action) narrows
// the list, and an absent filter does not.
func TestTypedListFiltersOfTheSpec(t *testing.T) {
	srv := restorehubtest.NewServer(restorehubtest.WithKey(typedKey, "*"), restorehubtest.WithPageSize(2))
	defer srv.Close()
	c := typedClient(t, srv)
	ctx := context.Background()
	str := func(s string) *string { return &s }

	if _, err := srv.Seed(
		resources.Server{ID: "s1", Name: "one", GuildID: "1"},
		resources.Server{ID: "s2", Name: "two", GuildID: "2"},
		resources.Backup{ServerID: "s1", Status: resources.BackupStatusCompleted},
		resources.Backup{ServerID: "s2", Status: resources.BackupStatusCompleted},
		resources.Backup{ServerID: "s1", Status: resources.BackupStatusFailed},
		resources.Backup{ServerID: "s2"},
		resources.Backup{ServerID: "s1"},
		resources.Member{UserID: "u1", ServerID: str("s1")},
		resources.Member{UserID: "u2", ServerID: str("s2")},
		resources.Member{UserID: "u3"},
		resources.AuditEvent{Action: "backup.restore"},
		resources.AuditEvent{Action: "members.pull"},
		resources.AuditEvent{Action: "backup.restore"},
	); err != nil {
		t.Fatal(err)
	}

	backupsOf := func(params *resources.BackupsListParams) []string {
		var got []string
		for b, err := range c.Backups.All(ctx, params) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, b.ServerID)
		}
		return got
	}
	if got := backupsOf(&resources.BackupsListParams{ServerID: str("s1")}); !slices.Equal(got, []string{"s1", "s1", "s1"}) {
		t.Errorf("backups of s1 across pages of 2: %v", got)
	}
	if got := backupsOf(&resources.BackupsListParams{ServerID: str("nope")}); len(got) != 0 {
		t.Errorf("backups of an unknown server: %v", got)
	}
	if got := backupsOf(nil); len(got) != 5 {
		t.Errorf("all backups: %v", got)
	}

	var users []string
	for m, err := range c.Members.All(ctx, &resources.MembersListParams{ServerID: str("s2")}) {
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, m.UserID)
	}
	if !slices.Equal(users, []string{"u2"}) {
		t.Errorf("members of s2: %v (a member without serverId must not match)", users)
	}

	page, err := c.Audit.ListEvents(ctx, &resources.AuditListEventsParams{Action: str("backup.restore")})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != 2 || page.Data[0].Action != "backup.restore" || page.Data[1].Action != "backup.restore" {
		t.Errorf("audit filtered by action: %+v", page.Data)
	}
}

// filterOps is a table whose lists declare filters of every JSON type.
func filterOps() []resources.OperationSpec {
	return []resources.OperationSpec{
		{ID: "things.list", Method: "GET", Path: "/things", Pagination: resources.PaginationCursor,
			List: &resources.ListShape{Items: "data", Cursor: "cursor", Next: "nextCursor", Limit: "limit", Filters: []resources.QueryParam{
				{Name: "kind", Type: "string"},
				{Name: "size", Type: "integer"},
				{Name: "ratio", Type: "number"},
				{Name: "active", Type: "boolean"},
				{Name: "tag", Type: "string"},
				{Name: "owner_id", Type: "string"},
				{Name: "ids", Type: "array"},
				{Name: "q", Type: "string"},
			}}},
		{ID: "things.get", Method: "GET", Path: "/things/{thingId}"},
	}
}

func TestListFilterSemantics(t *testing.T) {
	srv, _ := newServer(t, restorehubtest.WithOperations(filterOps()))
	seedAt(t, srv, "/things",
		map[string]any{"id": "a", "kind": "disk", "size": 10, "ratio": 0.5, "active": true, "tags": nil, "tag": []string{"red", "blue"}, "ownerId": "o1", "title": "Alpha Disk"},
		map[string]any{"id": "b", "kind": "tape", "size": 20, "ratio": 1.25, "active": false, "tag": []string{"blue"}, "ownerId": "o2", "title": "Beta"},
		map[string]any{"id": "c", "kind": "disk", "size": 10.0, "active": nil, "title": "Gamma disk"},
	)
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"a", "b", "c"}},
		{"?kind=disk", []string{"a", "c"}},
		{"?kind=disk&size=10", []string{"a", "c"}},        // 10 equals 10.0 by value
		{"?size=1e1", []string{"a", "c"}},                 // numbers compare by value
		{"?size=20&kind=disk", nil},                       // filters combine with AND
		{"?size=20/2", nil},                               // not a JSON number
		{"?ratio=1.25", []string{"b"}},                    // a number filter
		{"?active=true", []string{"a"}},                   // a boolean filter
		{"?active=0", []string{"b"}},                      // strconv.ParseBool spellings
		{"?active=maybe", nil},                            // not a boolean matches nothing
		{"?tag=blue", []string{"a", "b"}},                 // an array field matches any element
		{"?tag=red", []string{"a"}},                       //
		{"?owner_id=o2", []string{"b"}},                   // owner_id finds ownerId
		{"?kind=disk&kind=tape", []string{"a", "b", "c"}}, // repeated: any value
		{"?ids=a,c", nil},                                 // no "ids" field: nothing matches
		{"?q=disk", []string{"a", "c"}},                   // q searches the text, ignoring case
		{"?kind=", []string{"a", "b", "c"}},               // an empty value is no filter
		{"?undeclared=x", []string{"a", "b", "c"}},        // only declared filters apply
		{"?kind=disk&limit=1", []string{"a"}},             // paging applies after filtering
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := send(t, srv, "GET", "/things"+tt.query, allKey, nil)
			wantStatus(t, r, http.StatusOK)
			var got []string
			for _, it := range r.json(t)["data"].([]any) {
				got = append(got, it.(map[string]any)["id"].(string))
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	// The cursor of a filtered list walks the filtered items.
	m := send(t, srv, "GET", "/things?kind=disk&limit=1", allKey, nil).json(t)
	next, _ := m["nextCursor"].(string)
	m = send(t, srv, "GET", "/things?kind=disk&limit=1&cursor="+next, allKey, nil).json(t)
	if d := m["data"].([]any); len(d) != 1 || d[0].(map[string]any)["id"] != "c" || m["nextCursor"] != nil {
		t.Fatalf("second filtered page %v", m)
	}
}

// TestListShapeFromTable serves lists whose paging fields have the names
// a swapped spec gives them, in every style and unpaginated.
func TestListShapeFromTable(t *testing.T) {
	ops := []resources.OperationSpec{
		{ID: "users.list", Method: "GET", Path: "/users", Pagination: resources.PaginationCursor,
			List: &resources.ListShape{Items: "results", Cursor: "after", Next: "next_after", Limit: "page_size"}},
		{ID: "groups.list", Method: "GET", Path: "/groups", Pagination: resources.PaginationPage,
			List: &resources.ListShape{Items: "items", Cursor: "pageNumber", Next: "pages", Limit: "per_page"}},
		{ID: "tags.list", Method: "GET", Path: "/tags", Pagination: resources.PaginationNone,
			List: &resources.ListShape{Items: "entries"}},
		{ID: "events.list", Method: "GET", Path: "/events", Pagination: resources.PaginationOffset,
			List: &resources.ListShape{Items: "rows", Cursor: "skip", Next: "count", Limit: "take"}},
		{ID: "logs.list", Method: "GET", Path: "/logs", Pagination: resources.PaginationOffset},
	}
	srv, _ := newServer(t, restorehubtest.WithOperations(ops))
	for _, p := range []string{"/users", "/groups", "/tags", "/events", "/logs"} {
		seedAt(t, srv, p, map[string]any{"n": 1}, map[string]any{"n": 2}, map[string]any{"n": 3})
	}
	r := send(t, srv, "GET", "/users?page_size=2", allKey, nil).json(t)
	next, ok := r["next_after"].(string)
	if len(r["results"].([]any)) != 2 || !ok || len(r) != 2 {
		t.Fatalf("first cursor page %v", r)
	}
	r = send(t, srv, "GET", "/users?page_size=2&after="+next, allKey, nil).json(t)
	if len(r["results"].([]any)) != 1 || r["next_after"] != nil {
		t.Fatalf("last cursor page %v", r)
	}
	wantStatus(t, send(t, srv, "GET", "/users?after=bogus", allKey, nil), http.StatusBadRequest)

	r = send(t, srv, "GET", "/groups?per_page=2&pageNumber=2", allKey, nil).json(t)
	if len(r["items"].([]any)) != 1 || r["pages"] != 2.0 || r["total"] != 3.0 {
		t.Fatalf("page style %v", r)
	}
	wantStatus(t, send(t, srv, "GET", "/groups?pageNumber=0", allKey, nil), http.StatusBadRequest)

	r = send(t, srv, "GET", "/events?take=2&skip=2", allKey, nil).json(t)
	if len(r["rows"].([]any)) != 1 || r["count"] != 3.0 || len(r) != 2 {
		t.Fatalf("offset style %v", r)
	}
	r = send(t, srv, "GET", "/events?skip=9", allKey, nil).json(t)
	if len(r["rows"].([]any)) != 0 || r["count"] != 3.0 {
		t.Fatalf("offset past the end %v", r)
	}
	wantStatus(t, send(t, srv, "GET", "/events?skip=-1", allKey, nil), http.StatusBadRequest)
	// Without a ListShape, offset, limit, data and total.
	r = send(t, srv, "GET", "/logs?limit=1&offset=1", allKey, nil).json(t)
	if len(r["data"].([]any)) != 1 || r["total"] != 3.0 {
		t.Fatalf("offset style by default %v", r)
	}

	r = send(t, srv, "GET", "/tags", allKey, nil).json(t)
	if len(r["entries"].([]any)) != 3 || len(r) != 1 {
		t.Fatalf("unpaginated %v", r)
	}
}

// TestPaceFromTable applies whatever budget the table gives an
// operation, not the member-pull numbers.
func TestPaceFromTable(t *testing.T) {
	ops := []resources.OperationSpec{
		{ID: "invites.send", Method: "POST", Path: "/guilds/{guildId}/invites",
			Pace: &resources.Pace{KeyField: "guildId", CountField: "users", Limit: 3, Interval: 10 * time.Second}},
	}
	srv, clk := newServer(t, restorehubtest.WithOperations(ops))
	body := map[string]any{"users": []string{"a", "b"}}
	wantStatus(t, send(t, srv, "POST", "/guilds/g1/invites", allKey, body), http.StatusOK)
	r := send(t, srv, "POST", "/guilds/g1/invites", allKey, body)
	wantStatus(t, r, http.StatusTooManyRequests)
	if r.header.Get("Retry-After") != "10" {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	// The budget is kept per path parameter guildId.
	wantStatus(t, send(t, srv, "POST", "/guilds/g2/invites", allKey, body), http.StatusOK)
	clk.Advance(10 * time.Second)
	wantStatus(t, send(t, srv, "POST", "/guilds/g1/invites", allKey, body), http.StatusOK)
}
