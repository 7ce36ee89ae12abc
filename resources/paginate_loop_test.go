package resources

import (
	"strconv"
	"testing"
)

// loopList is a cursor list that runs lead pages, then loops over loop
// pages forever: the cursor after c_i is c_{i+1}, and after the last page
// of the loop comes its first again. Cursor "" starts it.
func loopList(lead, loop int) func(cursor string) ([]int, int, string, error) {
	return func(cursor string) ([]int, int, string, error) {
		i := 0
		if cursor != "" {
			i, _ = strconv.Atoi(cursor)
		}
		next := i + 1
		if next == lead+loop {
			next = lead
		}
		if next == 0 {
			return []int{i}, 1, "", nil // a loop back to the start cursor ""
		}
		return []int{i}, 1, strconv.Itoa(next), nil
	}
}

// TestCursorLoopCaughtInBoundedPages: a loop of any length, after any
// lead-in, ends the iterator within the documented 2·max(μ+1, λ)+λ pages;
// a loop that fits the recent cursors is caught fetching no page twice.
func TestCursorLoopCaughtInBoundedPages(t *testing.T) {
	for lead := 0; lead <= 70; lead += 7 {
		for _, loop := range []int{1, 2, 15, 16, 17, 31, 64, 65, 100, 257, 1000} {
			fetch := loopList(lead, loop)
			fetched := 0
			for _, err := range cursorPages("", func(c string) ([]int, int, string, error) {
				fetched++
				if fetched > 1_000_000 {
					t.Fatalf("lead %d, loop %d: no end", lead, loop)
				}
				return fetch(c)
			}) {
				if err != nil {
					t.Fatal(err)
				}
			}
			bound := 2*max(lead+1, loop) + loop
			if lead+loop <= recentCursors {
				bound = lead + loop
			}
			if fetched > bound || fetched < lead+loop {
				t.Errorf("lead %d, loop %d: %d pages fetched, want %d..%d", lead, loop, fetched, lead+loop, bound)
			}
		}
	}
}

// TestCursorLoopNeverCutsAnHonestList: a list of many distinct cursors
// runs to its end; no false repeat.
func TestCursorLoopNeverCutsAnHonestList(t *testing.T) {
	const pages = 200_000
	fetched := 0
	for _, err := range cursorPages("", func(c string) ([]int, int, string, error) {
		fetched++
		if fetched == pages {
			return []int{fetched}, 1, "", nil
		}
		return []int{fetched}, 1, "c" + strconv.Itoa(fetched), nil
	}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if fetched != pages {
		t.Errorf("fetched %d pages, want %d", fetched, pages)
	}
}

// TestCursorLoopConstantMemory: watching a page costs no allocation, so
// the guard's memory does not grow with the number of pages (the set it
// replaces grew by about 70 bytes a page).
func TestCursorLoopConstantMemory(t *testing.T) {
	cursors := make([]string, 4096)
	for i := range cursors {
		cursors[i] = "cursor-" + strconv.Itoa(i)
	}
	l := newCursorLoop("")
	i := 0
	allocs := testing.AllocsPerRun(len(cursors)-1, func() {
		if l.repeats(cursors[i]) {
			t.Fatalf("cursor %d taken for a repeat", i)
		}
		i++
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per page, want 0", allocs)
	}
}
