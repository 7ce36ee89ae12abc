package resources_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/resources/resourcestest"
)

// TestAllFollowsCursors walks servers.list through three pages and checks
// the cursor each request sent and that the caller's params are untouched.
func TestAllFollowsCursors(t *testing.T) {
	pages := map[string]string{
		"":   `{"data":[{"id":"s1","name":"a","guildId":"1","createdAt":"2026-01-02T03:04:05Z"}],"nextCursor":"c2"}`,
		"c2": `{"data":[{"id":"s2","name":"b","guildId":"2","createdAt":"2026-01-02T03:04:05Z"}],"nextCursor":"c3"}`,
		"c3": `{"data":[{"id":"s3","name":"c","guildId":"3","createdAt":"2026-01-02T03:04:05Z"}],"nextCursor":null}`,
	}
	rec := &resourcestest.Recorder{Respond: func(c resourcestest.Call) ([]byte, error) {
		return []byte(pages[c.Query.Get("cursor")]), nil
	}}
	s := resources.NewServices(rec)
	params := &resources.ServersListParams{Limit: resources.Ptr(1)}
	var ids []string
	for srv, err := range s.Servers.All(context.Background(), params) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, srv.ID)
	}
	if !slices.Equal(ids, []string{"s1", "s2", "s3"}) {
		t.Errorf("ids = %v", ids)
	}
	var sent []url.Values
	for _, c := range rec.Calls() {
		sent = append(sent, c.Query)
		if c.Op.ID != "servers.list" {
			t.Errorf("call to %s", c.Op.ID)
		}
	}
	want := []url.Values{{"limit": {"1"}}, {"limit": {"1"}, "cursor": {"c2"}}, {"limit": {"1"}, "cursor": {"c3"}}}
	if fmt.Sprint(sent) != fmt.Sprint(want) {
		t.Errorf("queries = %v, want %v", sent, want)
	}
	if params.Cursor != nil {
		t.Errorf("All changed the caller's params: cursor %q", *params.Cursor)
	}
}

// TestAllStopsOnErrorAndRepeats checks the two ways a broken server could
// otherwise make an iterator misbehave.
func TestAllStopsOnErrorAndRepeats(t *testing.T) {
	boom := errors.New("boom")
	calls := 0
	rec := &resourcestest.Recorder{Respond: func(c resourcestest.Call) ([]byte, error) {
		calls++
		if c.Query.Get("cursor") == "bad" {
			return nil, boom
		}
		return []byte(`{"data":[{"id":"m","userId":"1"}],"nextCursor":"same"}`), nil
	}}
	s := resources.NewServices(rec)
	n := 0
	for _, err := range s.Members.All(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 2 || calls != 2 {
		t.Errorf("repeating cursor: %d items in %d calls, want 2 in 2", n, calls)
	}

	var gotErr error
	items := 0
	for _, err := range s.Members.All(context.Background(), &resources.MembersListParams{Cursor: resources.Ptr("bad")}) {
		if err != nil {
			gotErr = err
			continue
		}
		items++
	}
	if !errors.Is(gotErr, boom) || items != 0 {
		t.Errorf("error page: %d items, error %v", items, gotErr)
	}
}

// TestAllEventsPages walks the page-numbered audit log.
func TestAllEventsPages(t *testing.T) {
	rec := &resourcestest.Recorder{Respond: func(c resourcestest.Call) ([]byte, error) {
		p := c.Query.Get("page")
		return []byte(`{"data":[{"id":"e` + p + `","action":"x","createdAt":"2026-01-02T03:04:05Z"}],"total":3,"totalPages":3}`), nil
	}}
	var ids []string
	for ev, err := range resources.NewServices(rec).Audit.AllEvents(context.Background(), &resources.AuditListEventsParams{Action: resources.Ptr("x")}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ev.ID)
	}
	if !slices.Equal(ids, []string{"e1", "e2", "e3"}) {
		t.Errorf("ids = %v", ids)
	}
	for _, c := range rec.Calls() {
		if c.Query.Get("action") != "x" {
			t.Errorf("page query lost the filter: %v", c.Query)
		}
	}
}

// TestAllStopsOnCanceledContext checks that a canceled context ends the
// iteration with its error.
func TestAllStopsOnCanceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := &resourcestest.Recorder{}
	for _, err := range resources.NewServices(rec).Templates.All(ctx, nil) {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	}
	if len(rec.Calls()) != 0 {
		t.Errorf("%d calls recorded after cancel", len(rec.Calls()))
	}
}
