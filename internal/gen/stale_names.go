package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// staleName is a use, in hand-written code, of a scope constant or an
// operation ID that the spec no longer has.
type staleName struct {
	file string // relative to the module root
	line int
	name string
}

var (
	scopeIdent     = regexp.MustCompile(`\bScope[A-Z][A-Za-z0-9]*\b`)
	operationIDLit = regexp.MustCompile(`"([a-z][a-z0-9-]*\.[a-z][A-Za-z0-9]*)"`)
	// Names of the root package that start with Scope and are not scopes.
	scopeTypeNames = []string{"ScopeAll", "ScopeSet", "ScopesByTier", "ScopeOf"}
)

// staleNames lists the places in the hand-written Go files under root
// (every .go file that is not generated, outside testdata, internal/ (the
// generator's own code) and nested modules other than agent) that name a Scope constant scopes does not
// declare, or quote an operation ID that was in oldIDs and is not in
// newIDs. After a swap they are the code a person has to edit.
func staleNames(root string, scopes []string, oldIDs, newIDs []string) ([]staleName, error) {
	var out []staleName
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || rel == "internal") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil && rel != "." && rel != "agent" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte("// Code generated ")) && bytes.Contains(data, []byte("DO NOT EDIT.")) {
			return nil
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			for _, id := range scopeIdent.FindAllString(line, -1) {
				if !slices.Contains(scopes, id) && !slices.Contains(scopeTypeNames, id) {
					out = append(out, staleName{rel, n, id})
				}
			}
			for _, m := range operationIDLit.FindAllStringSubmatch(line, -1) {
				if slices.Contains(oldIDs, m[1]) && !slices.Contains(newIDs, m[1]) {
					out = append(out, staleName{rel, n, m[1]})
				}
			}
		}
		return nil
	})
	return out, err
}

// reportStaleNames writes the stale names to w, at most max of them, with
// a count of the rest.
func reportStaleNames(w *bytes.Buffer, names []staleName, max int) {
	if len(names) == 0 {
		return
	}
	fmt.Fprintf(w, "restorehub-gen: %d uses in hand-written code of scopes or operations this spec does not have; edit or delete them (README: Regenerating from a live spec):\n", len(names))
	for i, s := range names {
		if i == max {
			fmt.Fprintf(w, "  … and %d more\n", len(names)-max)
			break
		}
		fmt.Fprintf(w, "  %s:%d: %s\n", s.file, s.line, s.name)
	}
}

var (
	operationIDField = regexp.MustCompile(`\bID:\s+"([^"]+)"`)
	scopeConstDecl   = regexp.MustCompile(`(?m)^\s*(Scope[A-Za-z0-9]+) Scope = `)
)

// operationIDsIn returns the operation IDs of a generated operation table.
func operationIDsIn(src []byte) []string {
	var out []string
	for _, m := range operationIDField.FindAllSubmatch(src, -1) {
		out = append(out, string(m[1]))
	}
	return out
}

// scopeConstsIn returns the Scope constants a generated scopes.go declares.
func scopeConstsIn(src []byte) []string {
	var out []string
	for _, m := range scopeConstDecl.FindAllSubmatch(src, -1) {
		out = append(out, string(m[1]))
	}
	return out
}
