package resources

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
)

// cursorPage is one page a fake cursor list serves: its items and the next cursor.
type cursorPage struct {
	items []int
	next  string
}

func collect[T any](t *testing.T, seq func(func(T, error) bool)) ([]T, error) {
	t.Helper()
	var got []T
	for v, err := range seq {
		if err != nil {
			return got, err
		}
		got = append(got, v)
	}
	return got, nil
}

func TestCursorSeq(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name      string
		start     string
		pages     map[string]cursorPage
		errAt     string
		want      []int
		wantErr   error
		wantFetch []string
	}{
		{
			name:      "three pages",
			pages:     map[string]cursorPage{"": {[]int{1, 2}, "b"}, "b": {[]int{3}, "c"}, "c": {[]int{4}, ""}},
			want:      []int{1, 2, 3, 4},
			wantFetch: []string{"", "b", "c"},
		},
		{
			name:      "starts at the given cursor",
			start:     "b",
			pages:     map[string]cursorPage{"b": {[]int{3}, ""}},
			want:      []int{3},
			wantFetch: []string{"b"},
		},
		{
			name:      "empty page ends it even with a cursor",
			pages:     map[string]cursorPage{"": {[]int{1}, "b"}, "b": {nil, "c"}},
			want:      []int{1},
			wantFetch: []string{"", "b"},
		},
		{
			name:      "repeated cursor ends it",
			pages:     map[string]cursorPage{"": {[]int{1}, "b"}, "b": {[]int{2}, "c"}, "c": {[]int{3}, "b"}},
			want:      []int{1, 2, 3},
			wantFetch: []string{"", "b", "c"},
		},
		{
			name:      "a cursor pointing at itself ends it",
			pages:     map[string]cursorPage{"": {[]int{1}, "a"}, "a": {[]int{2}, "a"}},
			want:      []int{1, 2},
			wantFetch: []string{"", "a"},
		},
		{
			name:      "error is yielded and ends it",
			pages:     map[string]cursorPage{"": {[]int{1}, "b"}},
			errAt:     "b",
			want:      []int{1},
			wantErr:   boom,
			wantFetch: []string{"", "b"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fetched []string
			seq := cursorSeq(tc.start, func(c string) ([]int, string, error) {
				fetched = append(fetched, c)
				if c == tc.errAt && tc.errAt != "" {
					return nil, "", boom
				}
				p, ok := tc.pages[c]
				if !ok {
					return nil, "", fmt.Errorf("unexpected cursor %q", c)
				}
				return p.items, p.next, nil
			})
			got, err := collect(t, seq)
			if !slices.Equal(got, tc.want) || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Errorf("got %v, %v; want %v, %v", got, err, tc.want, tc.wantErr)
			}
			if !slices.Equal(fetched, tc.wantFetch) {
				t.Errorf("fetched %q, want %q", fetched, tc.wantFetch)
			}
		})
	}
}

func TestCursorSeqIsLazy(t *testing.T) {
	fetches := 0
	seq := cursorSeq("", func(c string) ([]int, string, error) {
		fetches++
		return []int{fetches*10 + 1, fetches*10 + 2}, fmt.Sprint("next", fetches), nil
	})
	n := 0
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 3 {
			if v != 21 {
				t.Errorf("third item = %d, want 21", v)
			}
			break
		}
	}
	if fetches != 2 {
		t.Errorf("%d fetches for 3 items of 2-item pages, want 2", fetches)
	}
	// Ranging again starts over.
	fetches = 0
	for range seq {
		break
	}
	if fetches != 1 {
		t.Errorf("second range fetched %d pages, want 1", fetches)
	}
}

func TestPageSeq(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name      string
		start     int
		total     int
		sizes     map[int]int
		errAt     int
		want      int // items
		wantErr   error
		wantPages []int
	}{
		{name: "stops after totalPages", total: 3, sizes: map[int]int{1: 2, 2: 2, 3: 1}, want: 5, wantPages: []int{1, 2, 3}},
		{name: "start below 1 is 1", start: -4, total: 1, sizes: map[int]int{1: 1}, want: 1, wantPages: []int{1}},
		{name: "starts at the given page", start: 2, total: 3, sizes: map[int]int{2: 1, 3: 1}, want: 2, wantPages: []int{2, 3}},
		{name: "unknown total stops at an empty page", sizes: map[int]int{1: 2, 2: 2}, want: 4, wantPages: []int{1, 2, 3}},
		{name: "empty page stops before totalPages", total: 9, sizes: map[int]int{1: 1}, want: 1, wantPages: []int{1, 2}},
		{name: "past totalPages at the start", start: 5, total: 3, sizes: map[int]int{5: 1}, want: 1, wantPages: []int{5}},
		{name: "error", total: 3, sizes: map[int]int{1: 1}, errAt: 2, want: 1, wantErr: boom, wantPages: []int{1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var pages []int
			seq := pageSeq(tc.start, func(p int) ([]string, int, error) {
				pages = append(pages, p)
				if p == tc.errAt {
					return nil, 0, boom
				}
				return make([]string, tc.sizes[p]), tc.total, nil
			})
			got, err := collect(t, seq)
			if len(got) != tc.want || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Errorf("got %d items, %v; want %d, %v", len(got), err, tc.want, tc.wantErr)
			}
			if !slices.Equal(pages, tc.wantPages) {
				t.Errorf("fetched pages %v, want %v", pages, tc.wantPages)
			}
		})
	}
}

// TestOffsetSeq: the offset grows by each page's item count; the walk ends
// at the first error, at an empty page, once the offset reaches a known
// total, and before the offset would overflow, so a server that never
// sends an empty page cannot make it loop.
func TestOffsetSeq(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name        string
		start       int
		total       int
		sizes       map[int]int // items per offset
		errAt       int
		want        int // items
		wantErr     error
		wantOffsets []int
	}{
		{name: "stops at the total", total: 5, sizes: map[int]int{0: 2, 2: 2, 4: 1}, want: 5, wantOffsets: []int{0, 2, 4}},
		{name: "unknown total stops at an empty page", sizes: map[int]int{0: 3, 3: 3}, want: 6, wantOffsets: []int{0, 3, 6}},
		{name: "negative start is 0", start: -7, total: 1, sizes: map[int]int{0: 1}, want: 1, wantOffsets: []int{0}},
		{name: "starts at the given offset", start: 10, total: 12, sizes: map[int]int{10: 2}, want: 2, wantOffsets: []int{10}},
		{name: "short pages still advance by what they held", total: 4, sizes: map[int]int{0: 1, 1: 1, 2: 2}, want: 4, wantOffsets: []int{0, 1, 2}},
		{name: "empty page stops before the total", total: 100, sizes: map[int]int{0: 1}, want: 1, wantOffsets: []int{0, 1}},
		{name: "error", total: 9, sizes: map[int]int{0: 2}, errAt: 2, want: 2, wantErr: boom, wantOffsets: []int{0, 2}},
		{name: "no overflow", start: math.MaxInt - 1, sizes: map[int]int{math.MaxInt - 1: 1, math.MaxInt: 5}, want: 6, wantOffsets: []int{math.MaxInt - 1, math.MaxInt}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var offsets []int
			seq := offsetSeq(tc.start, func(o int) ([]string, int, error) {
				offsets = append(offsets, o)
				if len(offsets) > 10 {
					t.Fatal("more than 10 pages")
				}
				if o == tc.errAt && tc.errAt != 0 {
					return nil, 0, boom
				}
				return make([]string, tc.sizes[o]), tc.total, nil
			})
			got, err := collect(t, seq)
			if len(got) != tc.want || !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Errorf("got %d items, %v; want %d, %v", len(got), err, tc.want, tc.wantErr)
			}
			if !slices.Equal(offsets, tc.wantOffsets) {
				t.Errorf("fetched offsets %v, want %v", offsets, tc.wantOffsets)
			}
		})
	}
}

func TestHelpers(t *testing.T) {
	if p := Ptr(0); p == nil || *p != 0 {
		t.Error("Ptr(0)")
	}
	if valueOf[string](nil) != "" || valueOf(Ptr("x")) != "x" {
		t.Error("valueOf")
	}
	if optional("") != nil || *optional("x") != "x" || optional(0) != nil {
		t.Error("optional")
	}
	var nilBody *struct{}
	if bodyOf(nilBody) != nil {
		t.Error("bodyOf(nil) is not an untyped nil")
	}
	if b := bodyOf(&struct{}{}); b == nil {
		t.Error("bodyOf(non-nil) is nil")
	}
}
