package resources

import (
	"errors"
	"slices"
	"testing"
)

// idItem is an item of a fake id-paged list.
type idItem struct{ id string }

func idsOf(items []*idItem) []string {
	var out []string
	for _, it := range items {
		if it == nil {
			out = append(out, "<nil>")
			continue
		}
		out = append(out, it.id)
	}
	return out
}

func items(ids ...string) []*idItem {
	out := make([]*idItem, len(ids))
	for i, id := range ids {
		out[i] = &idItem{id}
	}
	return out
}

func TestEdgeID(t *testing.T) {
	id := func(it *idItem) string {
		if it == nil {
			return ""
		}
		return it.id
	}
	for _, tc := range []struct {
		name    string
		page    []*idItem
		forward bool
		want    string
	}{
		{name: "after: largest snowflake, newest first", page: items("12", "11", "10", "9"), forward: true, want: "12"},
		{name: "after: largest snowflake, oldest first", page: items("9", "10", "11"), forward: true, want: "11"},
		{name: "after: numbers, not text (9 < 10)", page: items("9", "10"), forward: true, want: "10"},
		{name: "after: snowflakes past int64", page: items("99999999999999999999", "100000000000000000000"), forward: true, want: "100000000000000000000"},
		{name: "before: smallest snowflake", page: items("12", "11", "10", "9"), forward: false, want: "9"},
		{name: "before: numbers, not text", page: items("100", "99"), forward: false, want: "99"},
		{name: "not numbers: the last item's id", page: items("b", "a", "c"), forward: true, want: "c"},
		{name: "mixed: the last item's id", page: items("10", "x", "9"), forward: false, want: "9"},
		{name: "leading zero is not a snowflake", page: items("010", "9"), forward: true, want: "9"},
		{name: "a nil last item: no cursor", page: []*idItem{{"1"}, nil}, forward: true, want: ""},
		{name: "an item without id: the last item's id", page: items("5", "", "3"), forward: true, want: "3"},
		{name: "a shared id is not the items' own: no cursor", page: items("7", "7", "7"), forward: true, want: ""},
		{name: "a shared id among others: no cursor", page: items("a", "b", "a"), forward: false, want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := edgeID(tc.page, tc.forward, id); got != tc.want {
				t.Errorf("edgeID(%v, %v) = %q, want %q", idsOf(tc.page), tc.forward, got, tc.want)
			}
		})
	}
}

func TestIDPages(t *testing.T) {
	boom := errors.New("boom")
	id := func(it *idItem) string { return it.id }
	for _, tc := range []struct {
		name        string
		start       string
		forward     bool
		pages       map[string][]*idItem
		errAt       string
		wantFetched []string
		wantIDs     []string
		wantErr     error
	}{
		{
			name: "after walks forward by the largest id", start: "0", forward: true,
			pages:       map[string][]*idItem{"0": items("3", "2", "1"), "3": items("6", "5", "4"), "6": nil},
			wantFetched: []string{"0", "3", "6"}, wantIDs: []string{"3", "2", "1", "6", "5", "4"},
		},
		{
			name:        "before walks backward by the smallest id",
			pages:       map[string][]*idItem{"": items("9", "8"), "8": items("7"), "7": {}},
			wantFetched: []string{"", "8", "7"}, wantIDs: []string{"9", "8", "7"},
		},
		{
			name: "a server that ignores the cursor is caught on the repeat", forward: true,
			pages:       map[string][]*idItem{"": items("1", "2"), "2": items("1", "2")},
			wantFetched: []string{"", "2"}, wantIDs: []string{"1", "2", "1", "2"},
		},
		{
			name: "a cursor that comes back later is caught", forward: true,
			pages:       map[string][]*idItem{"": items("a"), "a": items("b"), "b": items("a")},
			wantFetched: []string{"", "a", "b"}, wantIDs: []string{"a", "b", "a"},
		},
		{
			name: "an item without id ends it", forward: true,
			pages:       map[string][]*idItem{"": items("1", "")},
			wantFetched: []string{""}, wantIDs: []string{"1", ""},
		},
		{
			name: "the first error is yielded and ends it", forward: true, errAt: "1",
			pages:       map[string][]*idItem{"": items("1")},
			wantFetched: []string{"", "1"}, wantIDs: []string{"1"}, wantErr: boom,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fetched []string
			seq := idPages(tc.start, tc.forward, id, func(cursor string) ([]*idItem, []*idItem, error) {
				fetched = append(fetched, cursor)
				if cursor == tc.errAt && tc.errAt != "" {
					return nil, nil, boom
				}
				p, ok := tc.pages[cursor]
				if !ok {
					t.Fatalf("fetched unknown cursor %q", cursor)
				}
				return p, p, nil
			})
			var got []*idItem
			var err error
			for page, e := range seq {
				if e != nil {
					err = e
					break
				}
				got = append(got, page...)
			}
			if !slices.Equal(fetched, tc.wantFetched) || !slices.Equal(idsOf(got), tc.wantIDs) || !errors.Is(err, tc.wantErr) || tc.wantErr == nil && err != nil {
				t.Errorf("fetched %q, ids %v, err %v; want %q, %v, %v", fetched, idsOf(got), err, tc.wantFetched, tc.wantIDs, tc.wantErr)
			}
		})
	}
}

// TestItemsOfPages checks that the item iterator over a page iterator
// yields every item, then the first error, and stops when the loop does.
func TestItemsOfPages(t *testing.T) {
	boom := errors.New("boom")
	pages := func(yield func(*struct{ Data []int }, error) bool) {
		if !yield(&struct{ Data []int }{[]int{1, 2}}, nil) || !yield(&struct{ Data []int }{[]int{3}}, nil) {
			return
		}
		yield(nil, boom)
	}
	seq := itemsOfPages(pages, func(p *struct{ Data []int }) []int { return p.Data })
	var got []int
	var err error
	for v, e := range seq {
		if e != nil {
			err = e
			break
		}
		got = append(got, v)
	}
	if !slices.Equal(got, []int{1, 2, 3}) || !errors.Is(err, boom) {
		t.Errorf("got %v, %v; want [1 2 3], boom", got, err)
	}
	got = nil
	for v := range seq {
		got = append(got, v)
		if v == 2 {
			break
		}
	}
	if !slices.Equal(got, []int{1, 2}) {
		t.Errorf("after break: %v, want [1 2]", got)
	}
}
