package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The pagination styles of real APIs (testdata/pagestyles.json): a
// cursor one level down, page numbers with a nested page count, the Link
// header, before/after ids on arrays and objects, x-pagination overrides
// of each, and lists that look paginated but get no iterator, with the
// reason in their doc comment.
func init() {
	featureCases = append(featureCases, featureCase{
		spec: "pagestyles.json",
		want: map[string][]string{
			"feed_gen.go": {
				// meta.next_cursor, meta optional.
				"return cursorPages(valueOf(p.Cursor), func(cursor string) (*FeedListResponse, int, string, error) {",
				"var next string if resp.Meta != nil { next = valueOf(resp.Meta.NextCursor) } return resp, len(resp.Data), next, nil",
				"func (s *FeedService) All(ctx context.Context, params *FeedListParams, opts ...RequestOption) iter.Seq2[Post, error] { return itemsOfPages(s.Pages(ctx, params, opts...), func(page *FeedListResponse) []Post { return page.Data }) }",
				"Each next cursor is the response's meta.next_cursor.",
				// cursor.next, cursor required (opencode's shape).
				"next := valueOf(resp.Cursor.Next) return resp, len(resp.Items), next, nil",
				// meta.last_page.
				"pages := resp.Meta.LastPage return resp, len(resp.Data), pages, nil",
				"and after the last page the response's meta.last_page reports. A short page does not end it",
			},
			"identities_gen.go": {
				`return linkPages(valueOf(p.PageToken), "page_token", opts, func(cursor string, opts []RequestOption) ([]Post, int, error) {`,
				"resp, err := s.List(ctx, &q, opts...)",
				"func (s *IdentitiesService) All(ctx context.Context, params *IdentitiesListParams, opts ...RequestOption) iter.Seq2[Post, error] { return itemsOf(s.Pages(ctx, params, opts...)) }",
				"only that value is taken, never the link's host or path, so every request goes to /identities.",
				// A named array response, no Link header declared: assumed.
				"return itemsOfPages(s.PagesSessions(ctx, params, opts...), func(page SessionList) []Post { return page })",
			},
			"channels_gen.go": {
				"return idPages(string(valueOf(p.After)), true, func(item Message) string { return string(item.ID) }, func(cursor string) ([]Message, []Message, error) {",
				"q.After = optional(Snowflake(cursor))",
				"set After to the oldest id to walk from",
				// Newest first in the description: before drives it; nullable items.
				"return idPages(valueOf(p.Before), false, func(item *ChannelsListHistoryResponseItem) string { if item == nil { return \"\" } return valueOf(item.ID) }",
				// An object holding the items.
				"return resp, resp.Users, nil",
			},
			"declared_gen.go": {
				"return idPages(valueOf(p.Until), false, func(item DeclaredListKeysResponseItem) string { return valueOf(item.Key) }",
				`return linkPages(valueOf(p.PageToken), "pageToken", opts, func(cursor string, opts []RequestOption) (*DeclaredListLinkedResponse, int, error) {`,
				"return resp, len(resp.Items), nil",
				"var next string if resp.Paging != nil { next = valueOf(resp.Paging.After) }",
			},
			"unpaged_gen.go": {
				"It looks paginated (it takes the limit query parameter) but has no iterator: its after or before query parameter is not a string id. Page with params yourself.",
				"It looks paginated (it takes the after query parameter) but has no iterator: its items have no string id field to page from.",
				"It looks paginated (it takes the limit query parameter) but has no iterator: it takes a page size but no cursor, page, offset or token to go on from.",
				"It looks paginated (it takes the page query parameter) but has no iterator: it has no JSON response.",
			},
			"operations_gen.go": {
				`ID: "feed.list", Method: "GET", Path: "/feed", Idempotent: true, Pagination: PaginationCursor, List: &ListShape{ Items: "data", Cursor: "cursor", Next: "meta.next_cursor", Limit: "limit", }`,
				`Next: "cursor.next",`,
				`Next: "meta.last_page", Limit: "per_page",`,
				`ID: "identities.list", Method: "GET", Path: "/identities", Idempotent: true, Pagination: PaginationLink,`,
				`ID: "channels.listMessages", Method: "GET", Path: "/messages", Idempotent: true, Pagination: PaginationAfter,`,
				`ID: "channels.listHistory", Method: "GET", Path: "/history", Idempotent: true, Pagination: PaginationBefore,`,
				`ID: "declared.listKeys", Method: "GET", Path: "/keys", Idempotent: true, Pagination: PaginationBefore,`,
				`ID: "declared.listNoIDs", Method: "GET", Path: "/no-ids", Idempotent: true, Pagination: PaginationNone,`,
				`ID: "unpaged.listMembers", Method: "GET", Path: "/members", Idempotent: true, Pagination: PaginationNone,`,
			},
		},
		absent: map[string][]string{
			"unpaged_gen.go":  {"func (s *UnpagedService) All", "func (s *UnpagedService) Pages"},
			"declared_gen.go": {"AllNoIDs", "PagesNoIDs", "looks paginated"},
		},
		warnings: []string{`declared.listNoIDs: x-pagination "after" but its items lack a string id field`},
	})
}

// TestPageStylesBehave runs the iterators generated from
// testdata/pagestyles.json against a Backend serving canned pages
// (testdata/pagestyles_behave_test.go.txt): a hostile Link header, ids
// compared as numbers, a looping server, the first error, nested cursors
// and page counts.
func TestPageStylesBehave(t *testing.T) {
	t.Parallel()
	goBin := goTool(t)
	mod := t.TempDir()
	pkg := filepath.Join(mod, "pagestyles")
	writeTestFile(t, filepath.Join(mod, "go.mod"), []byte("module example.com/pagestyles\n\ngo 1.26\n"))
	data, err := os.ReadFile(filepath.Join("testdata", "pagestyles.json"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := generate(data, "testdata/pagestyles.json", "pagestyles", nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range res.files {
		writeTestFile(t, filepath.Join(pkg, name), src)
	}
	for name, src := range runtimeFiles(t) {
		writeTestFile(t, filepath.Join(pkg, name), packageClause.ReplaceAll(src, []byte("package pagestyles")))
	}
	probe, err := os.ReadFile(filepath.Join("testdata", "pagestyles_behave_test.go.txt"))
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(pkg, "behave_test.go"), probe)
	cmd := exec.Command(goBin, "test", "-count=1", "-vet=off", "./pagestyles")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOPROXY=off", "GOFLAGS=-mod=mod -trimpath", "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go test: %v\n%s", err, strings.TrimSpace(string(out)))
	}
}
