package main

import "strings"

// typeHint is what a type a schema declares is named after: its nearest
// named parent (a component schema, an operation's request, response or
// parameters, or another named reference) and the path below it, property
// names and the structural words Item (an array's element) and Value (a
// map's value).
type typeHint struct {
	anchor string
	trail  []hintStep
}

// hintStep is one step of a typeHint's path.
type hintStep struct {
	word string
	prop bool // a property name, not Item or Value
}

// hintFor starts a hint at a named parent.
func hintFor(anchor string) typeHint { return typeHint{anchor: anchor} }

// prop extends h by the property whose exported name is word.
func (h typeHint) prop(word string) typeHint { return h.step(word, true) }

// part extends h by a structural word, such as Item or Value.
func (h typeHint) part(word string) typeHint { return h.step(word, false) }

func (h typeHint) step(word string, prop bool) typeHint {
	trail := make([]hintStep, len(h.trail), len(h.trail)+1)
	copy(trail, h.trail)
	return typeHint{anchor: h.anchor, trail: append(trail, hintStep{word: word, prop: prop})}
}

// String spells the whole path, for messages and for a hint with a short
// path.
func (h typeHint) String() string {
	var b strings.Builder
	b.WriteString(h.anchor)
	for _, s := range h.trail {
		b.WriteString(s.word)
	}
	return b.String()
}

// hintProps is how many property names of the path a type's name keeps
// (beside the Item and Value words after them).
const hintProps = 2

// names returns the names to try for the type, best first: the anchor with
// the path's last two property names and the words after them, then with
// one more property name at a time, up to the whole path. A path with two
// property names or fewer gives only the whole path.
func (h typeHint) names() []string {
	var starts []int // index of every property step, last first
	for i := len(h.trail) - 1; i >= 0; i-- {
		if h.trail[i].prop {
			starts = append(starts, i)
		}
	}
	var out []string
	for k := hintProps; k < len(starts); k++ {
		out = append(out, typeHint{anchor: h.anchor, trail: h.trail[starts[k-1]:]}.String())
	}
	return append(out, h.String())
}

// claimType claims the first of h's names that is free in ns (each capped at
// maxIdentLen), or, when all are taken, the first numbered.
func claimType(ns *namespace, h typeHint) string {
	names := h.names()
	for _, n := range names {
		if !ns.taken(n) {
			return ns.claim(n)
		}
	}
	return ns.claim(names[0])
}
