package doccheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"testing"
)

const walkSource = `package p

// Open opens.
func Open() {}

func close() {}

// Thing is a thing.
type Thing struct {
	// Name names it.
	Name string
	size int
	Kind string
}

// Colours of a thing.
const (
	// Red is red.
	Red = iota
	Green
	blue
)

// Limit is the one limit.
const Limit = 3

// Pair of values.
var A, B = 1, 2

type hidden struct {
	// Shown is a field of an unexported type.
	Shown int
}
`

// TestWalk checks the names Walk visits in a file, in order, whether each
// is a struct field and whether it was given a doc comment: unexported names
// and the fields of unexported types are skipped, a grouped constant gets
// only its own comment, and a lone spec gets its declaration's.
func TestWalk(t *testing.T) {
	type visit struct {
		name   string
		field  bool
		hasDoc bool
	}
	want := []visit{
		{"Open", false, true},
		{"Thing", false, true},
		{"Name", true, true},
		{"Kind", true, false},
		{"Red", false, true},
		{"Green", false, false},
		{"Limit", false, true},
		{"A", false, true},
		{"B", false, true},
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", walkSource, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var got []visit
	Walk(f, func(name string, doc *ast.CommentGroup, pos token.Pos, field bool) {
		if !pos.IsValid() {
			t.Errorf("%s: no position", name)
		}
		got = append(got, visit{name, field, doc != nil})
	})
	if !slices.Equal(got, want) {
		t.Errorf("visited:\n got %v\nwant %v", got, want)
	}
}
