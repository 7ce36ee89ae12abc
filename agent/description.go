package agent

import (
	"strings"
	"sync"

	restorehub "github.com/restorehub/restorehub-go"
)

// listedDescription is tool d's description as tools list it: what the
// generated text says the tool does, then what the client's classifier c
// decided about its operation, so the description and the toolkit's
// behaviour come from the same place:
//   - the scope, only when it is not the one Instructions' rule gives (the
//     toolset's ":read" scope for a read, its ":write" scope for a write);
//     "No scope." when the operation needs none;
//   - "Writes." for a call that changes state without confirmation;
//   - "Destructive: a human must confirm each call." (or "Deletes: …" for a
//     DELETE below the destructive tier) for a call the toolkit confirms;
//   - how calls are paced, when the spec says;
//   - whether the spec documents the operation, on the fewer tools
//     (inferenceMarks): "Inferred." on the inferred ones when they are the
//     fewer, else "Documented." on the documented ones and "Partly
//     inferred." on those documented only to exist. An unmarked tool is then
//     an inferred one, the cautious reading.
func listedDescription(d *toolDef, c restorehub.Class, marks inferenceMark) string {
	parts := make([]string, 0, 5)
	switch {
	case d.description != "":
		parts = append(parts, d.description)
	case d.title != "":
		parts = append(parts, strings.TrimSuffix(d.title, ".")+".")
	}
	parts = append(parts, scopeNote(d.toolset, c)...)
	switch {
	case c.Destructive && c.Tier != restorehub.TierDestructive && c.Method == "DELETE":
		parts = append(parts, "Deletes: a human must confirm each call.")
	case c.Destructive:
		parts = append(parts, "Destructive: a human must confirm each call.")
	case !c.ReadOnly:
		parts = append(parts, "Writes.")
	}
	if d.pacing != "" {
		parts = append(parts, d.pacing)
	}
	switch {
	case d.partlyInferred:
		parts = append(parts, "Partly inferred.")
	case d.inferred && marks == markInferred:
		parts = append(parts, "Inferred.")
	case !d.inferred && marks == markDocumented:
		parts = append(parts, "Documented.")
	}
	return strings.Join(parts, " ")
}

// inferenceMark says which tools' descriptions say whether the spec
// documents their operation.
type inferenceMark int

const (
	// markNone: no operation of the spec is inferred, so nothing is marked.
	markNone inferenceMark = iota
	// markInferred: inferred operations are at most half of the spec's, and
	// each says "Inferred.".
	markInferred
	// markDocumented: inferred operations are most of the spec's (as with
	// the scope-name inference before the live spec), so the documented
	// ones say "Documented." and an unmarked tool is inferred.
	markDocumented
)

// inferenceMarks is the marking for the generated tools: the marker goes
// on the fewer, so the many do not repeat it.
var inferenceMarks = sync.OnceValue(func() inferenceMark { return marksFor(toolDefs) })

// marksFor chooses the marking for defs.
func marksFor(defs []toolDef) inferenceMark {
	inferred := 0
	for i := range defs {
		if defs[i].inferred && !defs[i].partlyInferred {
			inferred++
		}
	}
	switch {
	case inferred == 0:
		return markNone
	case 2*inferred <= len(defs):
		return markInferred
	}
	return markDocumented
}

// inferenceNote explains the marks inferenceMarks chose, once.
func inferenceNote() string {
	const partly = `"Partly inferred." marks one documented to exist whose path and arguments are guesses. `
	switch inferenceMarks() {
	case markInferred:
		return `"Inferred." marks an operation guessed from its scope's name, not documented by Restore Hub: its path or arguments may be wrong, so it may fail with 404 or 400; ` + partly
	case markDocumented:
		return `Most operations are guessed from scope names, not documented by Restore Hub: a tool not marked "Documented." may have a wrong path or arguments and fail with 404 or 400; ` + partly
	}
	return ""
}

// scopeNote names the scopes that allow c when Instructions' rule does not
// give them: none when the only accepted scope is toolset's ":read" scope for
// a read-only call or its ":write" scope for a write.
func scopeNote(toolset string, c restorehub.Class) []string {
	if c.Scope == "" {
		return []string{"No scope."}
	}
	accepted := c.AcceptedScopes
	if len(accepted) == 0 { // Scope alone
		accepted = []restorehub.Scope{c.Scope}
	}
	rule := restorehub.Scope(toolset + ":write")
	if c.ReadOnly {
		rule = restorehub.Scope(toolset + ":read")
	}
	if len(accepted) == 1 && accepted[0] == rule {
		return nil
	}
	names := make([]string, len(accepted))
	for i, s := range accepted {
		names[i] = string(s)
	}
	list := names[len(names)-1]
	if len(names) > 1 {
		list = strings.Join(names[:len(names)-1], ", ") + " or " + list
	}
	return []string{"Scope " + list + "."}
}
