package resources

import (
	"errors"
	"slices"
	"testing"
)

// TestCursorPages checks that the page iterator fetches the same cursors
// as the item iterator, yields every page whole (an empty last page
// included), and stops when the loop does.
func TestCursorPages(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name      string
		pages     map[string]cursorPage
		errAt     string
		wantPages [][]int
		wantErr   error
		wantFetch []string
	}{
		{
			name:      "three pages",
			pages:     map[string]cursorPage{"": {[]int{1, 2}, "b"}, "b": {[]int{3}, "c"}, "c": {[]int{4}, ""}},
			wantPages: [][]int{{1, 2}, {3}, {4}},
			wantFetch: []string{"", "b", "c"},
		},
		{
			name:      "an empty page is yielded and ends it",
			pages:     map[string]cursorPage{"": {[]int{1}, "b"}, "b": {nil, "c"}},
			wantPages: [][]int{{1}, nil},
			wantFetch: []string{"", "b"},
		},
		{
			name:      "repeated cursor ends it",
			pages:     map[string]cursorPage{"": {[]int{1}, "b"}, "b": {[]int{2}, "c"}, "c": {[]int{3}, "b"}},
			wantPages: [][]int{{1}, {2}, {3}},
			wantFetch: []string{"", "b", "c"},
		},
		{
			name:      "a loop of cursors ends",
			pages:     map[string]cursorPage{"": {[]int{1}, "a"}, "a": {[]int{2}, "a"}},
			wantPages: [][]int{{1}, {2}},
			wantFetch: []string{"", "a"},
		},
		{
			name:      "error is yielded and ends it",
			pages:     map[string]cursorPage{"": {[]int{1}, "b"}},
			errAt:     "b",
			wantPages: [][]int{{1}},
			wantErr:   boom,
			wantFetch: []string{"", "b"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fetched []string
			seq := cursorPages("", func(c string) (*cursorPage, int, string, error) {
				fetched = append(fetched, c)
				if tc.errAt != "" && c == tc.errAt {
					return nil, 0, "", boom
				}
				p := tc.pages[c]
				return &p, len(p.items), p.next, nil
			})
			var got [][]int
			var err error
			for p, e := range seq {
				if e != nil {
					err = e
					break
				}
				got = append(got, p.items)
			}
			if !slices.EqualFunc(got, tc.wantPages, slices.Equal) || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Errorf("got %v, %v; want %v, %v", got, err, tc.wantPages, tc.wantErr)
			}
			if !slices.Equal(fetched, tc.wantFetch) {
				t.Errorf("fetched %q, want %q", fetched, tc.wantFetch)
			}
		})
	}
	t.Run("stops when the loop does", func(t *testing.T) {
		fetches := 0
		for range cursorPages("", func(string) (int, int, string, error) {
			fetches++
			return 0, 1, "next" + string(rune('a'+fetches)), nil
		}) {
			break
		}
		if fetches != 1 {
			t.Errorf("%d fetches after one page, want 1", fetches)
		}
	})
}

// TestPagePages checks the page-numbered page iterator.
func TestPagePages(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name      string
		start     int
		total     int
		sizes     map[int]int
		errAt     int
		wantPages []int
		wantErr   error
	}{
		{name: "stops after totalPages", total: 3, sizes: map[int]int{1: 2, 2: 2, 3: 1}, wantPages: []int{1, 2, 3}},
		{name: "start below 1 is 1", start: -4, total: 1, sizes: map[int]int{1: 1}, wantPages: []int{1}},
		{name: "unknown total stops after an empty page", sizes: map[int]int{1: 2}, wantPages: []int{1, 2}},
		{name: "error", total: 3, sizes: map[int]int{1: 1}, errAt: 2, wantPages: []int{1}, wantErr: boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []int
			var err error
			for p, e := range pagePages(tc.start, func(p int) (int, int, int, error) {
				if p == tc.errAt {
					return 0, 0, 0, boom
				}
				return p, tc.sizes[p], tc.total, nil
			}) {
				if e != nil {
					err = e
					break
				}
				got = append(got, p)
			}
			if !slices.Equal(got, tc.wantPages) || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Errorf("got pages %v, %v; want %v, %v", got, err, tc.wantPages, tc.wantErr)
			}
		})
	}
}
