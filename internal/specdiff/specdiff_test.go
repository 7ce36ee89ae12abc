package specdiff

import (
	"errors"
	"reflect"
	"testing"
)

func TestShape(t *testing.T) {
	tests := []struct{ a, b string }{
		{"/backups/{backupId}", "/backups/{id}"},
		{"/servers/{serverId}/members/{memberId}", "/servers/{a}/members/{b}"},
		{"/files/{name}.json", "/files/{x}.json"},
	}
	for _, tt := range tests {
		if Shape(tt.a) != Shape(tt.b) || Key("get", tt.a) != Key("GET", tt.b) {
			t.Errorf("%s and %s differ in shape: %s, %s", tt.a, tt.b, Shape(tt.a), Shape(tt.b))
		}
	}
	for _, p := range [][2]string{{"/backups/{id}", "/backups/id"}, {"/backups/{id}", "/backups/{id}/restore"}, {"/a/{x}", "/b/{x}"}} {
		if Shape(p[0]) == Shape(p[1]) {
			t.Errorf("%s and %s have the same shape", p[0], p[1])
		}
	}
	if Key("GET", "/a") == Key("POST", "/a") {
		t.Error("GET and POST of one path have the same key")
	}
}

func TestParse(t *testing.T) {
	spec := []byte(`{
	  "openapi": "3.1.0",
	  "info": {"title": "T", "version": "9"},
	  "security": [{"oauth2": ["root:read"]}],
	  "x-scopes": {"read": ["root:read", "a:read"], "destructive": ["a:nuke"], "x-note": ["ignored"]},
	  "components": {"parameters": {"Cursor": {"name": "cursor", "in": "query"}, "Page": {"name": "page", "in": "query"}}},
	  "paths": {
	    "/root": {"get": {}},
	    "/public": {"get": {"security": []}},
	    "/a": {
	      "parameters": [{"$ref": "#/components/parameters/Cursor"}],
	      "get": {"operationId": "listA", "summary": " List A ", "security": [{"b": [], "a": ["a:read", "a:write"]}]},
	      "post": {"x-required-scope": "a:write", "x-scope-tier": "Write", "x-inferred": true}
	    },
	    "/a/{id}": {"delete": {"x-required-scope": "a:nuke"}},
	    "/pages": {"get": {"parameters": [{"$ref": "#/components/parameters/Page"}]}},
	    "/styled": {"get": {"x-pagination": {"style": "Page"}}, "put": {"x-pagination": "sideways"}},
	    "/ref": {"$ref": "#/x-items/one"}
	  },
	  "x-items": {"one": {"head": {"x-required-scope": "a:read"}}}
	}`)
	s, err := Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	if s.Title != "T" || s.Version != "9" {
		t.Errorf("title, version = %q, %q", s.Title, s.Version)
	}
	want := map[string]Op{
		"GET /root":    {Scope: "root:read", Tier: "read", Pagination: "none"},
		"GET /public":  {Pagination: "none"},
		"GET /a":       {OperationID: "listA", Summary: "List A", Scope: "a:read", Tier: "read", Pagination: "cursor"},
		"POST /a":      {Scope: "a:write", Tier: "write", Pagination: "none", Inferred: true},
		"DELETE /a/{}": {Scope: "a:nuke", Tier: "destructive", Pagination: "none"},
		"GET /pages":   {Pagination: "page", Scope: "root:read", Tier: "read"},
		"GET /styled":  {Pagination: "page", Scope: "root:read", Tier: "read"},
		"PUT /styled":  {Pagination: "none", Scope: "root:read", Tier: "read"},
		"HEAD /ref":    {Scope: "a:read", Tier: "read", Pagination: "none"},
	}
	got := map[string]Op{}
	for _, op := range s.Ops {
		k := op.Key()
		op.Method, op.Path, op.Accepted = "", "", nil
		got[k] = op
	}
	for k, w := range want {
		if !reflect.DeepEqual(got[k], w) {
			t.Errorf("%s = %+v, want %+v", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d operations, want %d: %v", len(got), len(want), got)
	}
}

func TestParseErrors(t *testing.T) {
	for _, in := range []string{`{}`, `[]`, `"x"`, `{"paths": []}`} {
		if _, err := Parse([]byte(in)); !errors.Is(err, ErrNotOpenAPI) {
			t.Errorf("Parse(%s) = %v, want ErrNotOpenAPI", in, err)
		}
	}
	if _, err := Parse([]byte(`{`)); err == nil || errors.Is(err, ErrNotOpenAPI) {
		t.Errorf("Parse of bad JSON = %v", err)
	}
}
