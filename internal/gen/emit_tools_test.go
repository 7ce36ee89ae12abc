package main

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckedInToolsAreFresh regenerates agent/tools_gen.go the way
// resources/generate_tools.go does and fails when the checked-in file
// differs.
func TestCheckedInToolsAreFresh(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	reserved, err := handWrittenNames(resourcesDir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := toolsFile(data, projectSpecArg, "agent", reserved)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../agent/tools_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("agent/tools_gen.go is not what the generator produces; run go generate ./... at the module root")
	}
}

// TestToolSchemas checks the input schemas the generator derives: path,
// query and body arguments flattened into one closed object, required
// arguments listed, enums and formats kept, references inlined.
func TestToolSchemas(t *testing.T) {
	_, d := mustLoadFile(t, "openapi.json")
	pl := buildPlan(d, nil)
	byID := map[string][]byte{}
	descs := map[string]string{}
	pacing := map[string]string{}
	for _, p := range pl.ops {
		byID[p.op.id] = toolSchema(toolArgs(d, p))
		descs[p.op.id] = toolDescription(p)
		pacing[p.op.id] = toolPacing(p)
	}
	for _, tc := range []struct {
		id           string
		wantContains []string
	}{
		// A path parameter and the body's properties in one object.
		{"backups.restore", []string{`"backupId":{`, `"required":["backupId"`, `"additionalProperties":false}`}},
		// A query parameter with its bounds.
		{"backups.list", []string{`"serverId":{`, `"limit":{`, `"cursor":{`}},
		// Formats survive.
		{"account.update", []string{`"format":"email"`}},
	} {
		s, ok := byID[tc.id]
		if !ok {
			t.Fatalf("%s: no such operation", tc.id)
		}
		if !json.Valid(s) {
			t.Fatalf("%s: schema is not JSON: %s", tc.id, s)
		}
		for _, w := range tc.wantContains {
			if !strings.Contains(string(s), w) {
				t.Errorf("%s: schema lacks %s:\n%s", tc.id, w, s)
			}
		}
	}
	for id, s := range byID {
		if strings.Contains(string(s), `"$ref"`) {
			t.Errorf("%s: schema keeps a $ref: %s", id, s)
		}
		if !strings.HasSuffix(string(s), `"additionalProperties":false}`) {
			t.Errorf("%s: schema is not closed: %s", id, s)
		}
	}
	if d := descs["backups.restore"]; strings.Contains(d, "backups:restore") || strings.Contains(d, "Inferred") || strings.Contains(d, "confirm") {
		t.Errorf("backups.restore description carries safety text the agent adds from the classification: %s", d)
	}
	if d := pacing["members.pull"]; !strings.Contains(d, "Paced") {
		t.Errorf("members.pull pacing is missing: %s", d)
	}
}

// TestSharedArgDocs: a parameter description that at least minSharedDoc
// tools repeat is taken out of their schemas and kept once by argument
// name; one fewer tools keep theirs.
func TestSharedArgDocs(t *testing.T) {
	arg := func(name, in, desc string) toolArg {
		return toolArg{name: name, in: in, schema: orderedJSON{{"description", desc}, {"type", "string"}}}
	}
	argsOf := [][]toolArg{
		{arg("cursor", "query", "Page cursor."), arg("a", "path", "An id."), arg("x", "body", "Body text.")},
		{arg("cursor", "query", "Page cursor."), arg("b", "path", "An id."), arg("x", "body", "Body text.")},
		{arg("cursor", "query", "Page cursor."), arg("c", "path", "An id."), arg("x", "body", "Body text."), arg("rare", "query", "Twice.")},
		{arg("rare", "query", "Twice.")},
	}
	shared := shareArgDocs(argsOf)
	want := map[string]string{"cursor": "Page cursor.", "a": "An id.", "b": "An id.", "c": "An id."}
	if !maps.Equal(shared, want) {
		t.Fatalf("shared %v, want %v", shared, want)
	}
	for _, args := range argsOf {
		for _, a := range args {
			has := a.schema.(orderedJSON).Has("description")
			if keep := want[a.name] == ""; has != keep {
				t.Errorf("%s (%s): description kept %v, want %v", a.name, a.in, has, keep)
			}
		}
	}
}

// TestToolsForEveryFeatureSpec generates tools from every test spec (odd
// names, recursion, composition, OpenAPI 3.0 and 3.1, …): generation never
// fails, the file formats, and every schema is closed, self-contained JSON.
func TestToolsForEveryFeatureSpec(t *testing.T) {
	t.Parallel()
	specs, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	if len(specs) == 0 {
		t.Fatal("no test specs")
	}
	for _, spec := range specs {
		t.Run(filepath.Base(spec), func(t *testing.T) {
			data, err := os.ReadFile(spec)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := toolsFile(data, spec, "agent", nil); err != nil {
				t.Fatal(err)
			}
			d := mustLoad(t, data)
			for _, p := range buildPlan(d, nil).ops {
				s := toolSchema(toolArgs(d, p))
				var v map[string]any
				if err := json.Unmarshal(s, &v); err != nil {
					t.Fatalf("%s: %v: %s", p.op.id, err, s)
				}
				if v["type"] != "object" || v["additionalProperties"] != false || strings.Contains(string(s), `"$ref"`) {
					t.Fatalf("%s: schema %s", p.op.id, s)
				}
			}
		})
	}
}

// TestToolText: a closing "Source: URL" citation leaves tool schemas'
// descriptions; any other text stays, on one line.
func TestToolText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"API-key scope. Source: https://restorehub.net/docs/authentication", "API-key scope."},
		{"Scope.\n Source: http://example.com/a.", "Scope."},
		{"Source: https://example.com", ""},
		{"The Source: field of the upload.", "The Source: field of the upload."},
		{"Cited. Source: the vendor's docs", "Cited. Source: the vendor's docs"},
		{"Two\n  lines", "Two lines"},
	} {
		if got := toolText(tc.in); got != tc.want {
			t.Errorf("toolText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
