package mcpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
)

// toolSnapsDir holds one golden file per tool: its definition as an MCP
// client receives it from tools/list (name, title, description,
// annotations, input schema and output schema when there is one).
const toolSnapsDir = "testdata/toolsnaps"

// updateToolSnapsEnv rewrites the snapshots when set to a non-empty value:
//
//	cd agent && UPDATE_TOOLSNAPS=1 go test ./mcpserver -run TestToolSnapshots
const updateToolSnapsEnv = "UPDATE_TOOLSNAPS"

// TestToolSnapshots compares every tool definition an MCP client lists
// (a toolkit holding every scope, with a confirmer, so every tool is
// listed) with its snapshot. It fails listing the tools whose definition
// changed, the tools without a snapshot and the snapshots without a tool,
// so that a change to a schema, a title or the classifier (destructiveHint,
// readOnlyHint, idempotentHint) is a diff a reviewer sees.
func TestToolSnapshots(t *testing.T) {
	got := listedToolSnaps(t)
	if os.Getenv(updateToolSnapsEnv) != "" {
		writeToolSnaps(t, got)
		return
	}
	var changed, missing, orphaned []string
	for name, def := range got {
		want, err := os.ReadFile(filepath.Join(toolSnapsDir, name+".json"))
		switch {
		case os.IsNotExist(err):
			missing = append(missing, name)
		case err != nil:
			t.Fatal(err)
		case !bytes.Equal(want, def):
			changed = append(changed, name+" ("+firstDifference(want, def)+")")
		}
	}
	for _, name := range snapNames(t) {
		if _, ok := got[name]; !ok {
			orphaned = append(orphaned, name)
		}
	}
	slices.Sort(changed)
	slices.Sort(missing)
	slices.Sort(orphaned)
	for _, f := range []struct {
		what  string
		names []string
	}{
		{"tool definitions differ from their snapshot", changed},
		{"tools have no snapshot", missing},
		{"snapshots have no tool", orphaned},
	} {
		if len(f.names) > 0 {
			t.Errorf("%d %s:\n  %s", len(f.names), f.what, strings.Join(f.names, "\n  "))
		}
	}
	if t.Failed() {
		t.Logf("if the change is intended, run `%s=1 go test ./mcpserver -run TestToolSnapshots` in agent/ and commit the reviewed diff of %s", updateToolSnapsEnv, toolSnapsDir)
	}
}

// snapName is what a tool name must look like to name its snapshot file:
// MCP's characters for tool names, and never a path.
var snapName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)

// listedToolSnaps lists the tools through an MCP client session and
// returns each definition as indented JSON with sorted object keys.
func listedToolSnaps(t *testing.T) map[string][]byte {
	t.Helper()
	_, tk, srv := setup(t, restorehub.AllScopes(), []restorehub.Scope{restorehub.ScopeAll}, agent.WithConfirm(alwaysApprove))
	cs := connect(t, srv, nil, "")
	out := make(map[string][]byte)
	for tool, err := range cs.Tools(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(tool)
		if err != nil {
			t.Fatal(err)
		}
		var v any // through a generic value, so that object keys come out sorted
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		if !snapName.MatchString(tool.Name) {
			t.Fatalf("tool name %q cannot name a snapshot file", tool.Name)
		}
		if _, dup := out[tool.Name]; dup {
			t.Fatalf("tool %s listed twice", tool.Name)
		}
		out[tool.Name] = b.Bytes()
	}
	if want := len(tk.Tools()); len(out) != want || want == 0 {
		t.Fatalf("the client listed %d tools, the toolkit %d", len(out), want)
	}
	return out
}

// snapNames returns the tool names of the snapshot files.
func snapNames(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(toolSnapsDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(files))
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".json"))
	}
	return names
}

// writeToolSnaps replaces the snapshots with got, removing those of tools
// that are gone.
func writeToolSnaps(t *testing.T, got map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(toolSnapsDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range snapNames(t) {
		if _, ok := got[name]; !ok {
			if err := os.Remove(filepath.Join(toolSnapsDir, name+".json")); err != nil {
				t.Fatal(err)
			}
			t.Logf("removed the snapshot of %s", name)
		}
	}
	for name, def := range got {
		path := filepath.Join(toolSnapsDir, name+".json")
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, def) {
			continue
		}
		if err := os.WriteFile(path, def, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote the snapshot of %s", name)
	}
}

// firstDifference names the first line where the snapshot and the listed
// definition differ.
func firstDifference(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d: snapshot %q, listed %q", i+1, strings.TrimSpace(wl), strings.TrimSpace(gl))
		}
	}
	return "same lines, different bytes"
}
