package resources

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestNextLink(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []string
		want   string // "" for none
	}{
		{name: "one next link", values: []string{`<https://api.example/items?page_token=abc>; rel="next"`}, want: "https://api.example/items?page_token=abc"},
		{name: "rel unquoted", values: []string{`</items?page_token=abc>; rel=next`}, want: "/items?page_token=abc"},
		{name: "after a prev link", values: []string{`</items?page_token=p>; rel="prev", </items?page_token=n>; rel="next"`}, want: "/items?page_token=n"},
		{name: "in a second header line", values: []string{`</a>; rel="first"`, `</b>; rel="next"`}, want: "/b"},
		{name: "several rels", values: []string{`</b>; rel="last next"`}, want: "/b"},
		{name: "case of rel and next", values: []string{`</b>; REL="NEXT"`}, want: "/b"},
		{name: "other params first", values: []string{`</b>; title="a; b, c"; rel="next"`}, want: "/b"},
		{name: "escaped quote in a value", values: []string{`</a>; title="x\"; rel=next"; rel="prev", </b>; rel="next"`}, want: "/b"},
		{name: "comma inside the target", values: []string{`</b?x=1,2>; rel="next"`}, want: "/b?x=1,2"},
		{name: "only the first rel counts", values: []string{`</a>; rel="prev"; rel="next"`}},
		{name: "no rel", values: []string{`</a>; title="next"`}},
		{name: "nextish is not next", values: []string{`</a>; rel="next-page"`}},
		{name: "empty", values: []string{""}},
		{name: "no header"},
		{name: "no angle brackets", values: []string{`https://a/b; rel="next"`}},
		{name: "unclosed target", values: []string{`</a; rel="next"`}},
		{name: "unclosed quote", values: []string{`</a>; rel="next`}},
		{name: "garbage after a link stops the reading", values: []string{`</a>; rel="prev" junk, </b>; rel="next"`}},
		{name: "a valid link before garbage is kept", values: []string{`</b>; rel="next", junk`}, want: "/b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := nextLink(tc.values)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("nextLink(%q) = %q, %v; want %q", tc.values, got, ok, tc.want)
			}
		})
	}
}

func TestLinkToken(t *testing.T) {
	for _, tc := range []struct {
		name, header, want string
	}{
		{name: "relative", header: `</identities?page_size=2&page_token=t2>; rel="next"`, want: "t2"},
		{name: "another host: only the token is taken", header: `<https://evil.example/steal?page_token=t2>; rel="next"`, want: "t2"},
		{name: "escaped token", header: `<?page_token=a%2Bb%26c>; rel="next"`, want: "a+b&c"},
		{name: "no token in the link", header: `</identities?page=3>; rel="next"`},
		{name: "not a URL", header: `<%zz?page_token=x>; rel="next"`},
		{name: "no next link", header: `</identities?page_token=t0>; rel="prev"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := linkToken([]string{tc.header}, "page_token"); got != tc.want {
				t.Errorf("linkToken(%q) = %q, want %q", tc.header, got, tc.want)
			}
		})
	}
}

// TestNextLinkReadsABoundedHeader checks that a header far longer than
// maxLinkHeader is read only up to it.
func TestNextLinkReadsABoundedHeader(t *testing.T) {
	long := strings.Repeat(`</a>; rel="prev", `, maxLinkHeader/16) + `</b>; rel="next"`
	if got, ok := nextLink([]string{long}); ok {
		t.Errorf("a next link past %d bytes was read: %q", maxLinkHeader, got)
	}
	if got, _ := nextLink([]string{`</a>; rel="prev"`, `</b>; rel="next"`}); got != "/b" {
		t.Errorf("short headers: %q, want /b", got)
	}
}

// headerOf is a response description that shows a header.
type headerOf http.Header

func (h headerOf) ResponseHeader() http.Header { return http.Header(h) }

// linkPage is one page a fake Link-paged list serves.
type linkPage struct {
	items []int
	link  string // the Link header; "" for none
	err   error
}

// walkLinks runs linkPages over pages keyed by token and returns the
// tokens fetched, the items and the error. describe turns a Link header
// into what the Backend hands to OnResponse.
func walkLinks(t *testing.T, pages map[string]linkPage, describe func(link string) any) ([]string, []int, error) {
	t.Helper()
	var fetched []string
	seq := linkPages("", "page_token", nil, func(token string, opts []RequestOption) ([]int, int, error) {
		fetched = append(fetched, token)
		p, ok := pages[token]
		if !ok {
			t.Fatalf("fetched unknown token %q", token)
		}
		cfg := NewRequestConfig(opts...)
		for _, f := range cfg.OnResponse {
			f(describe(p.link))
		}
		return p.items, len(p.items), p.err
	})
	var items []int
	for page, err := range seq {
		if err != nil {
			return fetched, items, err
		}
		items = append(items, page...)
	}
	return fetched, items, nil
}

func TestLinkPages(t *testing.T) {
	boom := errors.New("boom")
	next := func(token string) string { return `</identities?page_token=` + token + `>; rel="next"` }
	headered := func(link string) any {
		h := http.Header{}
		if link != "" {
			h.Set("Link", link)
		}
		return headerOf(h)
	}
	for _, tc := range []struct {
		name        string
		pages       map[string]linkPage
		describe    func(string) any
		wantFetched []string
		wantItems   []int
		wantErr     error
	}{
		{
			name:        "three pages, the last without a next link",
			pages:       map[string]linkPage{"": {[]int{1, 2}, next("b"), nil}, "b": {[]int{3}, next("c"), nil}, "c": {[]int{4}, "", nil}},
			wantFetched: []string{"", "b", "c"}, wantItems: []int{1, 2, 3, 4},
		},
		{
			name:        "an empty page ends it even with a next link",
			pages:       map[string]linkPage{"": {[]int{1}, next("b"), nil}, "b": {nil, next("c"), nil}},
			wantFetched: []string{"", "b"}, wantItems: []int{1},
		},
		{
			name:        "a token it fetched ends it",
			pages:       map[string]linkPage{"": {[]int{1}, next("b"), nil}, "b": {[]int{2}, next("c"), nil}, "c": {[]int{3}, next("b"), nil}},
			wantFetched: []string{"", "b", "c"}, wantItems: []int{1, 2, 3},
		},
		{
			name:        "a link back to the first page ends it",
			pages:       map[string]linkPage{"": {[]int{1}, `</identities>; rel="next"`, nil}},
			wantFetched: []string{""}, wantItems: []int{1},
		},
		{
			name:        "the first error is yielded and ends it",
			pages:       map[string]linkPage{"": {[]int{1}, next("b"), nil}, "b": {nil, next("c"), boom}},
			wantFetched: []string{"", "b"}, wantItems: []int{1}, wantErr: boom,
		},
		{
			name:        "a hostile link to another host gives only its token",
			pages:       map[string]linkPage{"": {[]int{1}, `<https://evil.example/x?page_token=b&redirect=1>; rel="next"`, nil}, "b": {[]int{2}, `<javascript:alert(1)>; rel="next"`, nil}},
			wantFetched: []string{"", "b"}, wantItems: []int{1, 2},
		},
		{
			name:        "a response that shows no header: one page",
			pages:       map[string]linkPage{"": {[]int{1}, next("b"), nil}},
			describe:    func(string) any { return struct{}{} },
			wantFetched: []string{""}, wantItems: []int{1},
		},
		{
			name:        "no response described (nil): one page",
			pages:       map[string]linkPage{"": {[]int{1}, next("b"), nil}},
			describe:    func(string) any { return nil },
			wantFetched: []string{""}, wantItems: []int{1},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			describe := tc.describe
			if describe == nil {
				describe = headered
			}
			fetched, items, err := walkLinks(t, tc.pages, describe)
			if !slices.Equal(fetched, tc.wantFetched) || !slices.Equal(items, tc.wantItems) || !errors.Is(err, tc.wantErr) || tc.wantErr == nil && err != nil {
				t.Errorf("fetched %q, items %v, err %v; want %q, %v, %v", fetched, items, err, tc.wantFetched, tc.wantItems, tc.wantErr)
			}
		})
	}
}

// TestLinkPagesEndlessLinks checks that a server whose every page links to
// a new token is walked only as far as the loop asks.
func TestLinkPagesEndlessLinks(t *testing.T) {
	n := 0
	var mine []int
	caller := func(cfg *RequestConfig) {
		cfg.OnResponse = append(cfg.OnResponse, func(any) { mine = append(mine, n) })
	}
	seq := linkPages("", "page_token", []RequestOption{caller}, func(_ string, opts []RequestOption) ([]int, int, error) {
		n++
		cfg := NewRequestConfig(opts...)
		for _, f := range cfg.OnResponse {
			f(headerOf(http.Header{"Link": {`<?page_token=t` + strings.Repeat("x", n) + `>; rel="next"`}}))
		}
		return []int{n}, 1, nil
	})
	for page, err := range seq {
		if err != nil || page[0] == 5 {
			break
		}
	}
	if n != 5 {
		t.Errorf("%d pages fetched, want 5", n)
	}
	// The caller's own options apply to every page.
	if !slices.Equal(mine, []int{1, 2, 3, 4, 5}) {
		t.Errorf("the caller's OnResponse saw pages %v, want [1 2 3 4 5]", mine)
	}
}

// FuzzParseLink checks that no Link header makes the parser panic or
// return a target that is not part of the header, and that linkToken
// never panics either.
func FuzzParseLink(f *testing.F) {
	for _, s := range []string{
		`<https://api.example/items?page_token=abc>; rel="next"`,
		`</a>; rel="prev", </b>; rel="next last"; title="x, y"`,
		`</a>; title="\"; rel=next"`,
		`<`, `<>`, `<>;`, `<>;rel`, `<>;rel=`, `<>;rel="`, `<>;rel="\`, `;;;,,,`, "\x00<\xff>; rel=next",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		target, ok := nextLink([]string{s, s})
		if ok && !strings.Contains(s, target) {
			t.Errorf("target %q is not in the header %q", target, s)
		}
		if !ok && target != "" {
			t.Errorf("no link but target %q", target)
		}
		_ = linkToken([]string{s}, "page_token")
	})
}
