package agent

import (
	"maps"
	"slices"
	"strings"
)

// sharedNote explains once the scope rule and the safety markers the tool
// descriptions carry.
const sharedNote = `A tool needs its toolset's scope (its name before "_") with ":read" if it only reads, ":write" if it changes state, ` +
	`unless its description names scopes or says "No scope.". "Writes." marks a call that changes state; ` +
	`"a human must confirm each call" one that asks the user before anything is sent. `

// argumentsNote says once what every tool's arguments and results share.
const argumentsNote = `Tools take only the arguments their schemas list; any other is refused and nothing is sent. ` +
	`"fields" (list and get tools): the top-level fields to return, comma-separated, of the object or of each item; omit for all. ` +
	`A result over the size budget is cut and says how to get the rest.`

// Instructions is what every tool of the toolkit shares, said once rather
// than in each tool: what the descriptions' markers mean and what the
// arguments many tools take are. Put it in the model's system prompt next to
// the tools (the MCP server sends it as its instructions). It covers only
// the arguments of the tools the toolkit lists, so it stays short.
func (tk *Toolkit) Instructions() string {
	tk.mu.Lock()
	seen := map[string]bool{}
	for _, n := range tk.names {
		for _, a := range tk.listed[n].argNames {
			seen[a] = true
		}
	}
	tk.mu.Unlock()
	var b strings.Builder
	b.WriteString(sharedNote)
	b.WriteString(inferenceNote())
	b.WriteString(argumentsNote)
	if tk.cfg.discovery {
		return b.String()
	}
	if shared := argNotes(seen); shared != "" {
		b.WriteString(" Arguments many tools share: ")
		b.WriteString(shared)
	}
	return b.String()
}

// argNotes describes the shared arguments among names, grouping the names a
// description covers: `adId, alertId: Identifier of the resource.`.
func argNotes(names map[string]bool) string {
	byDoc := map[string][]string{}
	for _, n := range slices.Sorted(maps.Keys(names)) {
		if d, ok := sharedArgDocs[n]; ok {
			byDoc[d] = append(byDoc[d], n)
		}
	}
	docs := slices.SortedFunc(maps.Keys(byDoc), func(a, b string) int { return strings.Compare(byDoc[a][0], byDoc[b][0]) })
	parts := make([]string, 0, len(docs))
	for _, d := range docs {
		parts = append(parts, strings.Join(byDoc[d], ", ")+": "+d)
	}
	return strings.Join(parts, " ")
}
