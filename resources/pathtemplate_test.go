package resources

import (
	"errors"
	"strings"
	"testing"
)

// TestPathTemplateAliases checks that resources' names are the leaf
// package's: a template parsed here routes, fills and refuses with a
// *PathParamError, and a bad template's error says it came from here.
func TestPathTemplateAliases(t *testing.T) {
	if _, err := ParsePathTemplate("/a//b"); err == nil || !strings.HasPrefix(err.Error(), "resources: path template") {
		t.Errorf("ParsePathTemplate(/a//b) = %v, want a resources: error", err)
	}
	var ts []PathTemplate
	for _, s := range []string{"/servers/{serverId}", "/servers/search"} {
		tmpl, err := ParsePathTemplate(s)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, tmpl)
	}
	if got := MatchPathTemplate(ts, "/servers/search", nil); got != 1 {
		t.Errorf("MatchPathTemplate = %d, want 1 (the literal segment wins)", got)
	}
	var segs []PathSegment = ts[0].Segments()
	var pieces []PathPiece = segs[1].Pieces()
	if len(pieces) != 1 || pieces[0].Param != "serverId" {
		t.Errorf("pieces = %+v", pieces)
	}
	_, err := ts[0].Fill(map[string]string{"serverId": ".."})
	var pe *PathParamError
	if !errors.As(err, &pe) || pe.Param != "serverId" {
		t.Errorf("Fill(..) = %v, want a *PathParamError for serverId", err)
	}
}

// TestOperationTemplatesParse checks every template of the table parses
// and no two operations of one method share a shape.
func TestOperationTemplatesParse(t *testing.T) {
	seen := map[string]string{}
	for _, op := range Operations() {
		tmpl, err := ParsePathTemplate(op.Path)
		if err != nil {
			t.Errorf("%s: %v", op.ID, err)
			continue
		}
		key := op.Method + " " + tmpl.Shape()
		if other, dup := seen[key]; dup {
			t.Errorf("%s and %s both serve %s", other, op.ID, key)
		}
		seen[key] = op.ID
	}
}
