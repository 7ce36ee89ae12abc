package main

import (
	"encoding/json"
	"fmt"
	"go/token"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCapIdent(t *testing.T) {
	long := "IncidentWorkflowStepsItemActionConfigurationInlineStepsInputsItemValueLiteralReference"
	for _, tc := range []struct {
		in    string
		limit int
		want  string
	}{
		{"ServersListParams", 56, "ServersListParams"},
		{long, 56, "IncidentInlineStepsInputsItemValueLiteralReference"},
		{long, 30, "IncidentValueLiteralReference"},
		{"CatsControllerCreateWithRichStandardBodyRequestProfileTemperamentPlayful", 56, "CatsWithRichStandardBodyRequestProfileTemperamentPlayful"},
		// One word longer than the cap is cut.
		{strings.Repeat("a", 70), 56, strings.Repeat("a", 56)},
		{"Ab" + strings.Repeat("c", 70), 10, "Abcccccccc"},
		// Characters, not bytes.
		{"Ünïcode" + strings.Repeat("Ä", 3), 8, "ÜnïcodeÄ"},
	} {
		got := capIdent(tc.in, tc.limit)
		if got != tc.want {
			t.Errorf("capIdent(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
		}
		if n := utf8.RuneCountInString(got); n > tc.limit {
			t.Errorf("capIdent(%q, %d) has %d characters", tc.in, tc.limit, n)
		}
	}
}

// TestNamespaceCapsNumberedNames claims many names that cap to the same
// identifier: each is unique and within the cap, numbers included.
func TestNamespaceCapsNumberedNames(t *testing.T) {
	ns := newNamespace()
	seen := map[string]bool{}
	for i := range 120 {
		n := ns.claim(fmt.Sprintf("Widget%sPart%dName", strings.Repeat("Very", 15), i))
		if utf8.RuneCountInString(n) > maxIdentLen {
			t.Errorf("claim gave %q, %d characters", n, utf8.RuneCountInString(n))
		}
		if seen[n] {
			t.Errorf("claim gave %q twice", n)
		}
		seen[n] = true
	}
	if !ns.taken(strings.Repeat("Very", 20)) && ns.taken("Widget") {
		t.Error("taken disagrees with claim")
	}
}

func TestTypeHintNames(t *testing.T) {
	deep := hintFor("IncidentWorkflow").prop("Steps").part("Item").prop("Action").prop("Configuration").
		prop("InlineSteps").part("Item").prop("Inputs").part("Item").prop("Value")
	for _, tc := range []struct {
		h    typeHint
		want []string
	}{
		{hintFor("Server"), []string{"Server"}},
		{hintFor("ServersListParams").prop("Status"), []string{"ServersListParamsStatus"}},
		{hintFor("ServersCreateRequest").prop("Settings").prop("Roles").part("Item"), []string{"ServersCreateRequestSettingsRolesItem"}},
		// Two property names: the whole path, a leading Item included.
		{hintFor("FilesFindResponse").part("Item").prop("Submatches").part("Item").prop("Match"), []string{"FilesFindResponseItemSubmatchesItemMatch"}},
		{hintFor("ListResponse").part("Item").prop("A").prop("B").prop("C"), []string{"ListResponseBC", "ListResponseItemABC"}},
		{hintFor("Model").prop("Cost").prop("Tiers").part("Item").prop("Tier").prop("Type"), []string{
			"ModelTierType", "ModelTiersItemTierType", "ModelCostTiersItemTierType",
		}},
		{deep, []string{
			"IncidentWorkflowInputsItemValue",
			"IncidentWorkflowInlineStepsItemInputsItemValue",
			"IncidentWorkflowConfigurationInlineStepsItemInputsItemValue",
			"IncidentWorkflowActionConfigurationInlineStepsItemInputsItemValue",
			"IncidentWorkflowStepsItemActionConfigurationInlineStepsItemInputsItemValue",
		}},
	} {
		if got := tc.h.names(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: names() = %q, want %q", tc.h, got, tc.want)
		}
	}
	// A taken short name gives way to the next, never to a number first.
	ns := newNamespace("ModelTierType")
	if got := claimType(ns, hintFor("Model").prop("Cost").prop("Tiers").part("Item").prop("Tier").prop("Type")); got != "ModelTiersItemTierType" {
		t.Errorf("claimType = %q", got)
	}
}

// TestDeepInlineNames maps a schema nested six levels deep (and as wide) with long
// property names: every type it declares is within the cap, no two share a
// name, and a second run gives the same names.
func TestDeepInlineNames(t *testing.T) {
	inner := `{"type": "object", "properties": {"leaf_value_with_a_long_name": {"type": "string", "enum": ["first_choice", "second_choice"]}}}`
	for i := range 6 {
		inner = fmt.Sprintf(`{"type": "object", "properties": {"nested_configuration_level_%d": {"type": "array", "items": %s}, "sibling_%d": %s}}`, i, inner, i, inner)
	}
	spec := `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/things": {"post": {"operationId": "createThing", "tags": ["things"],
	  "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/IncidentWorkflowStepsItemActionConfiguration"}}}},
	  "responses": {"200": {"description": "ok"}}}}},
	  "components": {"schemas": {"IncidentWorkflowStepsItemActionConfiguration": ` + inner + `}}}`
	names := func() []string {
		res, err := generate([]byte(spec), "deep.json", "resources", nil)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range res.plan.m.decls {
			out = append(out, d.name)
			for _, c := range d.enum {
				out = append(out, c.name)
			}
		}
		return out
	}
	first := names()
	if len(first) < 20 {
		t.Fatalf("only %d names: %q", len(first), first)
	}
	seen := map[string]bool{}
	for _, n := range first {
		if utf8.RuneCountInString(n) > maxIdentLen {
			t.Errorf("%q has %d characters, over %d", n, utf8.RuneCountInString(n), maxIdentLen)
		}
		if seen[n] {
			t.Errorf("%q declared twice", n)
		}
		seen[n] = true
	}
	if second := names(); !slices.Equal(first, second) {
		t.Errorf("two runs differ:\n%q\n%q", first, second)
	}
}

func TestVersionPrefix(t *testing.T) {
	for _, tc := range []struct {
		name string
		want int
	}{
		{"v1GetConfig", 1}, {"V2Models", 1}, {"v1beta1ListThings", 1}, {"v1-beta1-list", 2},
		{"2023-10-01-list", 3}, {"2023-list", 0}, {"2023-10-list", 2},
		{"getV1", 0}, {"value", 0}, {"version", 0}, {"vip-list", 0}, {"v", 0}, {"", 0},
	} {
		if got := versionPrefix(splitWords(tc.name)); got != tc.want {
			t.Errorf("versionPrefix(%q) = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestDropResourceVersions(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{[]string{"v2-models", "session"}, []string{"models", "session"}},
		// The rest names another resource, in the singular too.
		{[]string{"v2-providers", "provider"}, []string{"v2-providers", "provider"}},
		{[]string{"v2-session", "session"}, []string{"v2-session", "session"}},
		// Only a version: nothing left to name it.
		{[]string{"v2", "v2"}, []string{"v2", "v2"}},
		// Two versions of one resource: the first keeps the short name.
		{[]string{"v1-keys", "v2-keys", "v1-keys"}, []string{"keys", "v2-keys", "keys"}},
	} {
		if got := dropResourceVersions(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("dropResourceVersions(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRPCPath(t *testing.T) {
	for _, tc := range []struct {
		path, resource, method string
		ok                     bool
	}{
		{"/v2/keys.createKey", "keys", "createKey", true},
		{"/v1/apis.deleteApi", "apis", "deleteApi", true},
		{"/api/chat.postMessage", "chat", "postMessage", true},
		{"/conversations.list", "conversations", "list", true},
		{"/openapi.json", "", "", false},
		{"/v2/widget.PNG", "", "", false},
		{"/guilds/{id}/widget.json", "", "", false},
		{"/servers/{id}", "", "", false},
		{"/a.b.c", "", "", false},
		{"/{id}.json", "", "", false},
	} {
		res, method, ok := rpcPath(tc.path)
		if res != tc.resource || method != tc.method || ok != tc.ok {
			t.Errorf("rpcPath(%q) = %q, %q, %v; want %q, %q, %v", tc.path, res, method, ok, tc.resource, tc.method, tc.ok)
		}
	}
}

func TestPickActions(t *testing.T) {
	for _, tc := range []struct {
		name      string
		resources []string
		cands     [][]string
		want      []string
	}{
		{"no clash: shortest", []string{"users", "users"}, [][]string{{"get", "getUser"}, {"list", "listUsers"}}, []string{"get", "list"}},
		{"a clash keeps the words", []string{"identity", "identity"},
			[][]string{{"listSessions", "listIdentitySessions"}, {"listSessions"}}, []string{"listIdentitySessions", "listSessions"}},
		{"both give way", []string{"r", "r"},
			[][]string{{"callWith", "callWithResponse"}, {"callWith", "callWithResponses"}}, []string{"callWithResponse", "callWithResponses"}},
		{"other resources do not clash", []string{"a", "b"}, [][]string{{"get", "getA"}, {"get", "getB"}}, []string{"get", "get"}},
		{"same operationId: numbered later", []string{"s", "s"}, [][]string{{"list", "listS"}, {"list", "listS"}}, []string{"list", "list"}},
	} {
		if got := pickActions(tc.resources, tc.cands); !slices.Equal(got, tc.want) {
			t.Errorf("%s: pickActions = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestConstEnum(t *testing.T) {
	for _, tc := range []struct {
		name, schema string
		ok           bool
		base         string
		values       []string // value=title
		nullable     bool
	}{
		{"discord integer", `{"type": "integer", "format": "int32", "oneOf": [{"title": "GUILD_TEXT", "description": "A text channel", "const": 0}, {"title": "DM", "const": 1}]}`,
			true, "int32", []string{"0=GUILD_TEXT", "1=DM"}, false},
		{"no type, no titles", `{"oneOf": [{"const": -1}, {"const": 5}]}`, true, "int", []string{"-1=", "5="}, false},
		{"strings", `{"type": "string", "oneOf": [{"title": "In progress", "const": "in_progress"}, {"const": "done"}]}`,
			true, "string", []string{"in_progress=In progress", "done="}, false},
		{"anyOf with null", `{"anyOf": [{"const": 1, "title": "LOW"}, {"type": "null"}]}`, true, "int", []string{"1=LOW"}, true},
		{"typed variants", `{"oneOf": [{"type": "integer", "const": 1}, {"type": "number", "const": 2}]}`, true, "int", []string{"1=", "2="}, false},
		{"mixed kinds", `{"oneOf": [{"const": "a"}, {"const": 1}]}`, false, "", nil, false},
		{"a fraction", `{"oneOf": [{"const": 1.5}, {"const": 1}]}`, false, "", nil, false},
		{"an object variant", `{"oneOf": [{"const": 1}, {"type": "object", "properties": {"a": {"type": "string"}}}]}`, false, "", nil, false},
		{"outer type disagrees", `{"type": "string", "oneOf": [{"const": 1}]}`, false, "", nil, false},
		{"a bool", `{"oneOf": [{"const": true}]}`, false, "", nil, false},
		{"only null", `{"oneOf": [{"type": "null"}]}`, false, "", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := decodeJSON([]byte(tc.schema))
			if err != nil {
				t.Fatal(err)
			}
			d, err := loadDocument([]byte(`{"openapi": "3.1.0", "paths": {}}`))
			if err != nil {
				t.Fatal(err)
			}
			m := newMapper(d, newNamespace())
			vals, base, nullable, ok := m.constEnum(readSchema(v))
			if ok != tc.ok || base != tc.base || nullable != tc.nullable {
				t.Fatalf("constEnum = %v, %q, nullable %v; want %v, %q, %v", ok, base, nullable, tc.ok, tc.base, tc.nullable)
			}
			var got []string
			for _, e := range vals {
				got = append(got, e.value+"="+e.title)
			}
			if ok && !slices.Equal(got, tc.values) {
				t.Errorf("values = %q, want %q", got, tc.values)
			}
		})
	}
}

func TestNamedNumberEnum(t *testing.T) {
	for _, tc := range []struct {
		name, schema string
		ok           bool
		base         string
		values       []string // value=name:doc
	}{
		{"x-enum-varnames", `{"enum": [200, 400], "x-enum-varnames": ["OK", "BAD"], "x-enum-descriptions": ["Fine. More.", "Not fine"]}`,
			true, "int", []string{"200=OK:Fine.", "400=BAD:Not fine"}},
		{"x-enumNames on a number", `{"type": "number", "enum": [1, 2], "x-enumNames": ["APPROVED", "PENDING"]}`,
			true, "float64", []string{"1=APPROVED:", "2=PENDING:"}},
		{"int64 format, a null and a missing name", `{"type": ["integer", "null"], "format": "int64", "enum": [null, 1, 2], "x-enumNames": [null, "ONE"]}`,
			true, "int64", []string{"1=ONE:", "2=:"}},
		{"no names: a plain int", `{"type": "integer", "enum": [1, 2]}`, false, "", nil},
		{"a fraction", `{"type": "number", "enum": [1.5], "x-enumNames": ["HALF"]}`, false, "", nil},
		{"strings are not numbers", `{"enum": ["a"], "x-enumNames": ["A"]}`, false, "", nil},
		{"names that are not strings", `{"enum": [1], "x-enumNames": [7]}`, false, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := decodeJSON([]byte(tc.schema))
			if err != nil {
				t.Fatal(err)
			}
			vals, base, ok := namedNumberEnum(readSchema(v))
			if ok != tc.ok || base != tc.base {
				t.Fatalf("namedNumberEnum = %v, %q; want %v, %q", ok, base, tc.ok, tc.base)
			}
			var got []string
			for _, e := range vals {
				got = append(got, e.value+"="+e.title+":"+e.doc)
			}
			if ok && !slices.Equal(got, tc.values) {
				t.Errorf("values = %q, want %q", got, tc.values)
			}
		})
	}
}

// FuzzOperationNames generates a document whose two operations share an
// arbitrary operationId, path and tag: generation never fails or panics,
// every type, service and method name is a Go identifier within
// maxIdentLen, and no two methods of a service share a name.
func FuzzOperationNames(f *testing.F) {
	f.Add("v1-get-realtime-config", "/v1/realtime/config", "Realtime")
	f.Add("keys.createKey", "/v2/keys.createKey", "")
	f.Add("2023-10-01-list-channels", "/channels", "v2 channels")
	f.Add("CatsController_findAll_v1", "/api/v1/cats", "cats")
	f.Add(strings.Repeat("veryLongWord", 20), "/"+strings.Repeat("segment.", 10)+"x", strings.Repeat("Tag", 30))
	f.Add("v2", "/v2/v3.v4", "v1")
	f.Fuzz(func(t *testing.T, opID, path, tag string) {
		spec, err := json.Marshal(map[string]any{
			"openapi": "3.1.0", "info": map[string]any{"title": "t", "version": "1"},
			"paths": map[string]any{
				path: map[string]any{
					"get":  map[string]any{"operationId": opID, "tags": []string{tag}, "responses": map[string]any{"200": map[string]any{"description": "ok"}}},
					"post": map[string]any{"operationId": opID, "responses": map[string]any{"204": map[string]any{"description": "ok"}}},
				},
			},
		})
		if err != nil {
			return
		}
		res, err := generate(spec, "fuzz.json", "fuzz", nil)
		if err != nil {
			t.Fatalf("generate: %v", err)
		}
		for _, svc := range res.plan.services {
			checkIdent(t, svc.typeName)
			checkIdent(t, svc.field)
			seen := map[string]bool{}
			for _, p := range svc.ops {
				checkIdent(t, p.name)
				if seen[p.name] {
					t.Errorf("%s.%s twice", svc.field, p.name)
				}
				seen[p.name] = true
			}
		}
		for _, d := range res.plan.m.decls {
			checkIdent(t, d.name)
		}
	})
}

// checkIdent fails t unless name is an exported Go identifier within maxIdentLen.
func checkIdent(t *testing.T, name string) {
	t.Helper()
	if !token.IsIdentifier(name) || !token.IsExported(name) {
		t.Errorf("%q is not an exported Go identifier", name)
	}
	if n := utf8.RuneCountInString(name); n > maxIdentLen {
		t.Errorf("%q has %d characters, over %d", name, n, maxIdentLen)
	}
}
