package resources

import (
	"iter"
	"math"
)

// cursorSeq yields the items of successive pages of a cursor-paginated list.
// fetch gets the page at a cursor ("" for the first page) and returns its
// items and the next cursor. The sequence fetches a page only when the loop
// wants more items, keeps only the current page, and ends after yielding the
// first error, at an empty page, or when the next cursor is empty or repeats
// one it fetched (a server that loops cannot make it loop forever; see
// cursorLoop for how, in constant memory).
func cursorSeq[T any](start string, fetch func(cursor string) ([]T, string, error)) iter.Seq2[T, error] {
	pages := cursorPages(start, func(cursor string) ([]T, int, string, error) {
		items, next, err := fetch(cursor)
		return items, len(items), next, err
	})
	return itemsOf(pages)
}

// pageSeq yields the items of successive pages of a page-numbered list.
// fetch gets page n (1-based) and returns its items and the number of pages
// (0 when the response does not say). The sequence starts at start (1 when
// start is below 1), fetches a page only when the loop wants more items,
// keeps only the current page, and ends after yielding the first error, at
// an empty page, or after the last page.
func pageSeq[T any](start int, fetch func(page int) ([]T, int, error)) iter.Seq2[T, error] {
	pages := pagePages(start, func(page int) ([]T, int, int, error) {
		items, total, err := fetch(page)
		return items, len(items), total, err
	})
	return itemsOf(pages)
}

// itemsOf yields the items of each page of pages, and the first error. The
// page iterators decide when to stop, so that the item and page iterators
// of a list follow the same rules.
func itemsOf[T any](pages iter.Seq2[[]T, error]) iter.Seq2[T, error] {
	return itemsOfPages(pages, func(page []T) []T { return page })
}

// itemsOfPages yields the items of each page of pages, as items reads
// them from a page, and the first error; like itemsOf, it leaves to the
// page iterator when to stop.
func itemsOfPages[P, T any](pages iter.Seq2[P, error], items func(P) []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for page, err := range pages {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items(page) {
				if !yield(it, nil) {
					return
				}
			}
		}
	}
}

// cursorPages yields successive pages of a cursor-paginated list, whole.
// fetch gets the page at a cursor ("" for the first page) and returns it,
// how many items it holds and the next cursor. It stops after yielding the
// first error, after an empty page, and when the next cursor is empty or
// repeats one it fetched (cursorLoop).
func cursorPages[P any](start string, fetch func(cursor string) (P, int, string, error)) iter.Seq2[P, error] {
	return func(yield func(P, error) bool) {
		loop := newCursorLoop(start)
		cursor := start
		for {
			page, n, next, err := fetch(cursor)
			if err != nil {
				var zero P
				yield(zero, err)
				return
			}
			if !yield(page, nil) || n == 0 || next == "" || loop.repeats(next) {
				return
			}
			cursor = next
		}
	}
}

// recentCursors is how many of the latest cursors cursorLoop remembers.
const recentCursors = 16

// cursorLoop tells when a cursor repeats one already fetched, in constant
// memory however many pages a list has: it keeps the last recentCursors
// cursors and one more saved by Brent's cycle detection, never a set of
// every cursor (which grows by a cursor per page: 70 MB for a million
// pages).
//
// The guarantee: it reports a repeat only when the cursor was really
// fetched before, so an honest list is never cut short. A loop of up to
// recentCursors pages is caught at its first repeat, fetching no page
// twice, as a set of every cursor would. A longer loop (a server whose
// next cursor is a function of the current one, looping λ pages after a
// lead-in of μ) is caught within at most 2·max(μ+1, λ)+λ pages in all:
// Brent's saved cursor moves to the page fetched at each power of two, and
// once it is on the loop and the power is at least λ, the loop comes back
// to it within λ pages.
type cursorLoop struct {
	recent [recentCursors]string
	next   int // where recent takes the next cursor
	filled int
	saved  string // Brent's tortoise
	power  int    // pages between moves of saved
	steps  int    // pages since saved last moved
}

// newCursorLoop starts watching a list whose first cursor is start.
func newCursorLoop(start string) *cursorLoop {
	l := &cursorLoop{saved: start, power: 1}
	l.remember(start)
	return l
}

// repeats reports whether cursor, the next one to fetch, was fetched
// before (as far as the guard can tell); if not, it is remembered.
func (l *cursorLoop) repeats(cursor string) bool {
	if cursor == l.saved {
		return true
	}
	for i := range l.filled {
		if l.recent[i] == cursor {
			return true
		}
	}
	l.remember(cursor)
	if l.steps++; l.steps == l.power {
		l.saved, l.steps = cursor, 0
		if l.power < math.MaxInt/2 {
			l.power *= 2
		}
	}
	return false
}

// remember adds cursor to the ring of recent ones.
func (l *cursorLoop) remember(cursor string) {
	l.recent[l.next] = cursor
	l.next = (l.next + 1) % recentCursors
	l.filled = min(l.filled+1, recentCursors)
}

// pagePages yields successive pages of a page-numbered list, whole. fetch
// gets page n (1-based) and returns it, how many items it holds and the
// number of pages (0 when the response does not say). It starts at start
// (1 when start is below 1) and stops after yielding the first error, after
// an empty page, or after the last page.
func pagePages[P any](start int, fetch func(page int) (P, int, int, error)) iter.Seq2[P, error] {
	return func(yield func(P, error) bool) {
		page := max(start, 1)
		for {
			got, n, total, err := fetch(page)
			if err != nil {
				var zero P
				yield(zero, err)
				return
			}
			if !yield(got, nil) || n == 0 || (total > 0 && page >= total) || page == math.MaxInt {
				return
			}
			page++
		}
	}
}

// offsetSeq yields the items of successive pages of an offset-paginated
// list. fetch gets the page that skips offset items and returns its items
// and the total number of items (0 when the response does not say). The
// sequence starts at start (0 when start is negative), fetches a page only
// when the loop wants more items, keeps only the current page, and ends
// after yielding the first error, at an empty page, or once the offset
// reaches the total.
func offsetSeq[T any](start int, fetch func(offset int) ([]T, int, error)) iter.Seq2[T, error] {
	pages := offsetPages(start, func(offset int) ([]T, int, int, error) {
		items, total, err := fetch(offset)
		return items, len(items), total, err
	})
	return itemsOf(pages)
}

// offsetPages yields successive pages of an offset-paginated list, whole.
// fetch gets the page that skips offset items and returns it, how many
// items it holds and the total number of items (0 when the response does
// not say). It starts at start (0 when start is negative); each next offset
// is the last plus the items the page held, so it only grows and a server
// cannot make it loop. It stops after yielding the first error, after an
// empty page, once the offset reaches the total, and before the offset
// would overflow.
func offsetPages[P any](start int, fetch func(offset int) (P, int, int, error)) iter.Seq2[P, error] {
	return func(yield func(P, error) bool) {
		offset := max(start, 0)
		for {
			got, n, total, err := fetch(offset)
			if err != nil {
				var zero P
				yield(zero, err)
				return
			}
			if !yield(got, nil) || n <= 0 || n > math.MaxInt-offset {
				return
			}
			if offset += n; total > 0 && offset >= total {
				return
			}
		}
	}
}

// Ptr returns a pointer to v, for the optional fields of params and request
// bodies, as in &resources.ServerUpdate{Name: resources.Ptr("new name")}.
func Ptr[T any](v T) *T { return &v }

// valueOf returns *p, or the zero value when p is nil.
func valueOf[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

// optional returns a pointer to v, or nil when v is the zero value.
func optional[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// bodyOf returns p as a request body, or an untyped nil when p is nil, so
// that a nil body sends no body rather than the JSON null.
func bodyOf[T any](p *T) any {
	if p == nil {
		return nil
	}
	return p
}
