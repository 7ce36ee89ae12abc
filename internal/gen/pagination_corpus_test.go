package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// corpusPagination is, per corpus document, how many of its lists that
// look paginated (a GET with a paging query parameter or a Link response
// header: pagingHint) must get iterators, and the styles some of them must
// get. A drop below the floor fails: the generator lost a style.
var corpusPagination = map[string]struct {
	looks, iterators int
	styles           map[string]string // operation ID → style
}{
	"discord-31": {looks: 21, iterators: 8, styles: map[string]string{
		"channels.listMessages":                "after",
		"channels.listMessageReactionsByEmoji": "after",
		"channels.getAnswerVoters":             "after",
		"guilds.getJoinRequests":               "after",
		"users.listMyGuilds":                   "after",
	}},
	"heyapi-full-31": {looks: 1},
	"nestjs-cats-30": {looks: 3},
	"opencode-hono-31": {looks: 7, iterators: 2, styles: map[string]string{
		"v2.sessionList":   "cursor",
		"messages.session": "cursor",
	}},
	"ory-kratos-30": {looks: 6, iterators: 6, styles: map[string]string{
		"identity.list":        "link",
		"courier.listMessages": "link",
		"identity.listSchemas": "link",
	}},
	"scalar-galaxy-31": {looks: 1, iterators: 1},
}

// TestCorpusPagination plans every corpus document and counts, per
// document, the lists that look paginated and those that get iterators
// (run with -v for the table in BENCHMARKS.md). Every list that looks
// paginated but gets no iterator must say why in its doc comment.
func TestCorpusPagination(t *testing.T) {
	specs := corpusSpecs(t)
	var allLooks, allIters int
	for _, spec := range specs {
		name := strings.TrimSuffix(filepath.Base(spec), ".json")
		_, d := mustLoadFile(t, spec)
		pl := buildPlan(d, nil)
		looks, iters := 0, 0
		styles := map[string]string{}
		for _, p := range pl.ops {
			if p.op.method != "GET" || pagingHint(p.op) == "" {
				if p.pag != nil {
					iters++
				}
				continue
			}
			looks++
			if p.pag != nil {
				iters++
				styles[p.op.id] = p.pag.style
				t.Logf("%s: %s %s: %s (%s)", name, p.op.id, p.op.path, p.pag.style, p.pag.nextNameOrCursor())
				continue
			}
			if p.pagNote == "" {
				t.Errorf("%s: %s looks paginated but has neither an iterator nor a note", name, p.op.id)
			}
			t.Logf("%s: %s %s: none: %s", name, p.op.id, p.op.path, p.pagNote)
		}
		t.Logf("%s: lists with iterators / lists that look paginated: %d / %d", name, iters, looks)
		allLooks += looks
		allIters += iters
		want := corpusPagination[name]
		if looks != want.looks {
			t.Errorf("%s: %d lists look paginated, want %d", name, looks, want.looks)
		}
		if iters < want.iterators {
			t.Errorf("%s: %d lists have iterators, want at least %d", name, iters, want.iterators)
		}
		for id, style := range want.styles {
			if styles[id] != style {
				t.Errorf("%s: %s has style %q, want %q", name, id, styles[id], style)
			}
		}
	}
	t.Logf("corpus: lists with iterators / lists that look paginated: %d / %d", allIters, allLooks)
}

// nextNameOrCursor names what a plan reads back or sends per page, for
// the test log.
func (pg *pagePlan) nextNameOrCursor() string {
	if n := pg.nextName(); n != "" {
		return pg.cursor.jsonName + " from " + n
	}
	if pg.id != nil {
		return pg.cursor.jsonName + " from each item's " + pg.id.jsonName
	}
	return pg.cursor.jsonName
}
