package restorehubtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// styleOps are lists in the styles real APIs use beyond cursor, page and
// offset on objects: bare arrays (Discord's), Link headers (Ory's) and
// before/after on ids.
func styleOps() []resources.OperationSpec {
	list := func(id, path string, pag resources.Pagination, ls resources.ListShape) resources.OperationSpec {
		return resources.OperationSpec{ID: id, Method: "GET", Path: path, Scope: "x:read", Tier: resources.TierRead, Idempotent: true, Pagination: pag, List: &ls}
	}
	item := func(id, path string) resources.OperationSpec {
		return resources.OperationSpec{ID: id, Method: "GET", Path: path, Scope: "x:read", Tier: resources.TierRead, Idempotent: true}
	}
	return []resources.OperationSpec{
		list("roles.list", "/roles", resources.PaginationNone, resources.ListShape{}),
		item("roles.get", "/roles/{id}"),
		list("identities.list", "/identities", resources.PaginationLink, resources.ListShape{Cursor: "page_token", Limit: "page_size"}),
		item("identities.get", "/identities/{id}"),
		list("messages.list", "/messages", resources.PaginationBefore, resources.ListShape{Cursor: "before", Limit: "limit"}),
		item("messages.get", "/messages/{id}"),
		list("members.list", "/members", resources.PaginationAfter, resources.ListShape{Cursor: "after", Limit: "limit", ID: "user_id"}),
		item("members.get", "/members/{id}"),
		list("boxes.list", "/boxes", resources.PaginationPage, resources.ListShape{Cursor: "page", Limit: "per_page"}),
		item("boxes.get", "/boxes/{id}"),
	}
}

// TestListStyles walks every style's pages as a client would and checks
// each item comes once, in the style's order, with a bare array where the
// table says so.
func TestListStyles(t *testing.T) {
	srv := restorehubtest.NewServer(restorehubtest.WithOperations(styleOps()), restorehubtest.WithKey(allKey, "*"), restorehubtest.WithoutRateLimit())
	t.Cleanup(srv.Close)
	seed := func(path, idField string, ids ...string) {
		for _, id := range ids {
			if _, err := srv.SeedAt(path, map[string]any{"id": id, idField: id}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Snowflake-like ids whose text order differs from their number order.
	seed("/messages", "id", "9", "12", "100", "7", "30")
	seed("/members", "user_id", "9", "12", "100", "7", "30")
	seed("/identities", "id", "a", "b", "c", "d", "e")
	seed("/roles", "id", "r1", "r2")
	seed("/boxes", "id", "b1", "b2", "b3")
	get := func(path string) ([]string, http.Header) {
		t.Helper()
		r := send(t, srv, "GET", path, allKey, nil)
		wantStatus(t, r, http.StatusOK)
		var items []map[string]any
		if err := json.Unmarshal(r.body, &items); err != nil {
			t.Fatalf("%s: not a bare array: %s", path, r.body)
		}
		var ids []string
		for _, it := range items {
			ids = append(ids, fmt.Sprint(it["id"]))
		}
		return ids, r.header
	}
	if ids, _ := get("/roles"); strings.Join(ids, ",") != "r1,r2" {
		t.Errorf("bare list: %v", ids)
	}
	for _, tc := range []struct {
		name, path, cursor string
		next               func(page []string) string
		want               string
	}{
		{"before pages backward by the smallest id", "/messages?limit=2", "before", func(p []string) string { return p[len(p)-1] }, "100,30,12,9,7"},
		{"after pages forward by the largest id field", "/members?limit=2", "after", func(p []string) string { return p[len(p)-1] }, "7,9,12,30,100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var all []string
			path := tc.path
			for range 10 {
				page, _ := get(path)
				if len(page) == 0 {
					break
				}
				all = append(all, page...)
				path = tc.path + "&" + tc.cursor + "=" + page[len(page)-1]
			}
			if got := strings.Join(all, ","); got != tc.want {
				t.Errorf("walked %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("link header carries the next token", func(t *testing.T) {
		var all []string
		path := "/identities?page_size=2"
		for range 10 {
			page, h := get(path)
			all = append(all, page...)
			link := h.Get("Link")
			if link == "" {
				break
			}
			target, _, ok := strings.Cut(strings.TrimPrefix(link, "<"), ">")
			u, err := url.Parse(target)
			if !ok || err != nil || !strings.Contains(link, `rel="next"`) {
				t.Fatalf("Link %q", link)
			}
			path = "/identities?" + u.RawQuery
		}
		if got := strings.Join(all, ","); got != "a,b,c,d,e" {
			t.Errorf("walked %s", got)
		}
	})
	t.Run("page on a bare array ends at an empty page", func(t *testing.T) {
		var all []string
		for n := 1; n < 10; n++ {
			page, _ := get(fmt.Sprintf("/boxes?per_page=2&page=%d", n))
			if len(page) == 0 {
				break
			}
			all = append(all, page...)
		}
		if got := strings.Join(all, ","); got != "b1,b2,b3" {
			t.Errorf("walked %s", got)
		}
	})
}
