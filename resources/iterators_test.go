package resources_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/url"
	"strconv"
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

// page rewrites a case's response into one page of a walk: items keeps
// the response's items or, when empty, sets []; next sets the next-cursor
// or page-count field (null for an empty cursor, left alone when the style
// has no such field).
func page(t *testing.T, c resourcestest.Case, empty bool, next any) []byte {
	t.Helper()
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(c.Response), &doc); err != nil {
		t.Fatalf("%s: the case's response is not an object: %v", c.ID, err)
	}
	if empty {
		doc[c.Pages.Items] = json.RawMessage("[]")
	}
	if c.Pages.Next != "" {
		if s, ok := next.(string); ok && s == "" {
			next = nil
		}
		b, _ := json.Marshal(next)
		doc[c.Pages.Next] = b
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// countItems reports how many items a case's response holds.
func countItems(t *testing.T, c resourcestest.Case) int {
	t.Helper()
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
					return page(t, c, false, next), nil
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
					return page(t, c, n > 3, start+3*per), nil
				default:
					if n == 1 {
						if p, err := strconv.Atoi(call.Query.Get(c.Pages.Param)); err == nil && p > 0 {
							start = p
						}
					}
					// Without a page count, an empty fourth page ends the walk.
					return page(t, c, n > 3, start+2), nil
				}
			}}
			got, err := c.Pages.All(context.Background(), resources.NewServices(rec))
			if err != nil {
				t.Fatal(err)
			}
			if got != 3*per {
				t.Errorf("%d items, want %d", got, 3*per)
			}
			calls := rec.Calls()
			wantCalls := 3
			if c.Pages.Style != "cursor" && c.Pages.Next == "" {
				wantCalls = 4
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
				return page(t, c, false, map[string]any{"cursor": "c2", "page": 3, "offset": 1000}[c.Pages.Style]), nil
			}}
			n, err := c.Pages.All(context.Background(), resources.NewServices(rec))
			if !errors.Is(err, boom) || calls != 2 || n != countItems(t, c) {
				t.Errorf("%d items in %d requests, error %v; want %d in 2, boom", n, calls, err, countItems(t, c))
			}
		})
	}
}

// TestIteratorsStopOnARepeatedCursor checks that a server that keeps
// answering with the same cursor cannot make a cursor iterator loop.
func TestIteratorsStopOnARepeatedCursor(t *testing.T) {
	for _, c := range paged(t) {
		if c.Pages.Style != "cursor" {
			continue
		}
		t.Run(c.ID, func(t *testing.T) {
			rec := &resourcestest.Recorder{Respond: func(resourcestest.Call) ([]byte, error) {
				return page(t, c, false, "same"), nil
			}}
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
