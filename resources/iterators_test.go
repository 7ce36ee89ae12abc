package resources_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/resources/resourcestest"
)

// paged returns the cases of the operations that have an iterator, and
// fails the test when a paginated operation of the table has none.
func paged(t *testing.T) []resourcestest.Case {
	t.Helper()
	var out []resourcestest.Case
	has := map[string]bool{}
	for _, c := range resourcestest.Cases() {
		if c.Pages != nil {
			out = append(out, c)
			has[c.ID] = true
		}
	}
	for _, op := range resources.Operations() {
		if op.Pagination != resources.PaginationNone && !has[op.ID] {
			t.Errorf("%s is paginated (%s) but its case has no Pages", op.ID, op.Pagination)
		}
	}
	return out
}

// page rewrites a case's response into page n (from 1) of a walk: empty
// sets [] for the items, else the items of an after or before list get
// ids (idOf); next sets the next-cursor or page-count field, one level
// down when its name is "holder.name" (null for an empty cursor, left
// alone when the style has no such field).
func page(t *testing.T, c resourcestest.Case, n int, empty bool, next any) []byte {
	t.Helper()
	var doc map[string]json.RawMessage
	var items []json.RawMessage
	if c.Pages.Items == "" {
		if err := json.Unmarshal([]byte(c.Response), &items); err != nil {
			t.Fatalf("%s: the case's response is not an array: %v", c.ID, err)
		}
	} else {
		if err := json.Unmarshal([]byte(c.Response), &doc); err != nil {
			t.Fatalf("%s: the case's response is not an object: %v", c.ID, err)
		}
		_ = json.Unmarshal(doc[c.Pages.Items], &items)
	}
	if empty {
		items = []json.RawMessage{}
	}
	if c.Pages.ID != "" {
		for k, it := range items {
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(it, &obj); err != nil || obj == nil {
				t.Fatalf("%s: item %d is not an object: %s", c.ID, k, it)
			}
			obj[c.Pages.ID], _ = json.Marshal(idOf(c, n, k))
			items[k], _ = json.Marshal(obj)
		}
	}
	list, _ := json.Marshal(items)
	if c.Pages.Items == "" {
		return list
	}
	doc[c.Pages.Items] = list
	if c.Pages.Next != "" {
		if s, ok := next.(string); ok && s == "" {
			next = nil
		}
		b, _ := json.Marshal(next)
		if holder, name, nested := strings.Cut(c.Pages.Next, "."); nested {
			var h map[string]json.RawMessage
			_ = json.Unmarshal(doc[holder], &h)
			if h == nil {
				h = map[string]json.RawMessage{}
			}
			h[name] = b
			doc[holder], _ = json.Marshal(h)
		} else {
			doc[c.Pages.Next] = b
		}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// idOf is the id of item k of page n of an after or before list:
// increasing numbers for after, decreasing ones for before (newest
// first), so that the page's last item has the id the next page starts
// from.
func idOf(c resourcestest.Case, n, k int) string {
	if c.Pages.Style == "before" {
		return strconv.Itoa((10-n)*100 - k)
	}
	return strconv.Itoa(n*100 + k)
}

// nextLink is a Link header whose next link carries the page token
// token, on another host and path that the iterator must not follow.
func nextLink(c resourcestest.Case, token string) http.Header {
	return http.Header{"Link": {fmt.Sprintf(`<https://elsewhere.example/other/path?%s=%s>; rel="next"`, url.QueryEscape(c.Pages.Param), url.QueryEscape(token))}}
}

// countItems reports how many items a case's response holds.
func countItems(t *testing.T, c resourcestest.Case) int {
	t.Helper()
	if c.Pages.Items == "" {
		var items []json.RawMessage
		_ = json.Unmarshal([]byte(c.Response), &items)
		return len(items)
	}
	var doc map[string][]json.RawMessage
	_ = json.Unmarshal([]byte(c.Response), &doc)
	return len(doc[c.Pages.Items])
}

// TestIteratorsWalkEveryPage walks the iterator of every paginated operation
// over three pages and checks the paging parameter of each request, that
// the other query parameters carry over, and the items yielded.
func TestIteratorsWalkEveryPage(t *testing.T) {
	for _, c := range paged(t) {
		t.Run(c.ID, func(t *testing.T) {
			per := countItems(t, c)
			if per == 0 {
				t.Fatalf("the case's response has no items in %q", c.Pages.Items)
			}
			var rec *resourcestest.Recorder
			start := 1
			rec = &resourcestest.Recorder{Respond: func(call resourcestest.Call) ([]byte, error) {
				n := len(rec.Calls()) // this call is recorded already
				switch c.Pages.Style {
				case "cursor":
					next := ""
					if n < 3 {
						next = "c" + strconv.Itoa(n+1)
					}
					return page(t, c, n, false, next), nil
				case "link":
					return page(t, c, n, false, nil), nil
				case "after", "before":
					// An empty fourth page ends the walk.
					return page(t, c, n, n > 3, nil), nil
				case "offset":
					if n == 1 {
						if o, err := strconv.Atoi(call.Query.Get(c.Pages.Param)); err == nil && o > 0 {
							start = o
						} else {
							start = 0
						}
					}
					// With a total, the third page reaches it; without
					// one, an empty fourth page ends the walk.
					return page(t, c, n, n > 3, start+3*per), nil
				default:
					if n == 1 {
						if p, err := strconv.Atoi(call.Query.Get(c.Pages.Param)); err == nil && p > 0 {
							start = p
						}
					}
					// Without a page count, an empty fourth page ends the walk.
					return page(t, c, n, n > 3, start+2), nil
				}
			}}
			if c.Pages.Style == "link" {
				// Links to pages 2 and 3, none on page 3.
				rec.Header = func(resourcestest.Call) http.Header {
					if n := len(rec.Calls()); n < 3 {
						return nextLink(c, "c"+strconv.Itoa(n+1))
					}
					return http.Header{}
				}
			}
			got, err := c.Pages.All(context.Background(), resources.NewServices(rec))
			if err != nil {
				t.Fatal(err)
			}
			if got != 3*per {
				t.Errorf("%d items, want %d", got, 3*per)
			}
			calls := rec.Calls()
			wantCalls := 3
			switch c.Pages.Style {
			case "cursor", "link":
			case "after", "before":
				wantCalls = 4
			default:
				if c.Pages.Next == "" {
					wantCalls = 4
				}
			}
			if len(calls) != wantCalls {
				t.Fatalf("%d requests, want %d", len(calls), wantCalls)
			}
			for i, call := range calls {
				if call.Op.ID != c.ID {
					t.Errorf("request %d: operation %s", i+1, call.Op.ID)
				}
				if i == 0 {
					if !resourcestest.QueryEqual(call.Query, c.Query) {
						t.Errorf("first query %v, want the case's %v", call.Query, c.Query)
					}
					continue
				}
				want := "c" + strconv.Itoa(i+1)
				switch c.Pages.Style {
				case "page":
					want = strconv.Itoa(start + i)
				case "offset":
					want = strconv.Itoa(start + i*per)
				case "after", "before":
					want = idOf(c, i, per-1)
				}
				if g := call.Query.Get(c.Pages.Param); g != want {
					t.Errorf("request %d: %s=%q, want %q", i+1, c.Pages.Param, g, want)
				}
				rest, first := maps.Clone(call.Query), maps.Clone(url.Values(c.Query))
				delete(rest, c.Pages.Param)
				delete(first, c.Pages.Param)
				if !resourcestest.QueryEqual(rest, first) {
					t.Errorf("request %d lost the other parameters: %v, want %v", i+1, rest, first)
				}
			}
		})
	}
}

// TestIteratorsStopAtTheFirstError checks that an error on the second page
// ends the walk with that error and no further request.
func TestIteratorsStopAtTheFirstError(t *testing.T) {
	boom := errors.New("boom")
	for _, c := range paged(t) {
		t.Run(c.ID, func(t *testing.T) {
			calls := 0
			rec := &resourcestest.Recorder{Respond: func(resourcestest.Call) ([]byte, error) {
				calls++
				if calls == 2 {
					return nil, boom
				}
				return page(t, c, 1, false, map[string]any{"cursor": "c2", "page": 3, "offset": 1000}[c.Pages.Style]), nil
			}, Header: func(resourcestest.Call) http.Header { return nextLink(c, "c2") }}
			n, err := c.Pages.All(context.Background(), resources.NewServices(rec))
			if !errors.Is(err, boom) || calls != 2 || n != countItems(t, c) {
				t.Errorf("%d items in %d requests, error %v; want %d in 2, boom", n, calls, err, countItems(t, c))
			}
		})
	}
}

// TestIteratorsStopOnARepeatedCursor checks that a server that keeps
// answering with the same cursor (a next cursor, a Link header's page
// token, or the same page of ids) cannot make an iterator loop.
func TestIteratorsStopOnARepeatedCursor(t *testing.T) {
	for _, c := range paged(t) {
		switch c.Pages.Style {
		case "cursor", "link", "after", "before":
		default:
			continue
		}
		t.Run(c.ID, func(t *testing.T) {
			rec := &resourcestest.Recorder{Respond: func(resourcestest.Call) ([]byte, error) {
				return page(t, c, 1, false, "same"), nil
			}, Header: func(resourcestest.Call) http.Header { return nextLink(c, "same") }}
			n, err := c.Pages.All(context.Background(), resources.NewServices(rec))
			if err != nil || len(rec.Calls()) != 2 || n != 2*countItems(t, c) {
				t.Errorf("%d items in %d requests, error %v; want %d in 2", n, len(rec.Calls()), err, 2*countItems(t, c))
			}
		})
	}
}

// TestIteratorsStopOnACanceledContext checks that a canceled context ends
// every iterator with its error before any request.
func TestIteratorsStopOnACanceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range paged(t) {
		rec := &resourcestest.Recorder{}
		if n, err := c.Pages.All(ctx, resources.NewServices(rec)); !errors.Is(err, context.Canceled) || n != 0 {
			t.Errorf("%s: %d items, error %v; want 0, context.Canceled", c.ID, n, err)
		}
		if len(rec.Calls()) != 0 {
			t.Errorf("%s: %d requests after cancel", c.ID, len(rec.Calls()))
		}
	}
}
