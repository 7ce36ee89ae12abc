package main

import (
	"strings"
	"testing"
)

// TestCheckToolSchema names the keyword a strict validator would reject.
func TestCheckToolSchema(t *testing.T) {
	for _, tc := range []struct{ schema, want string }{
		{`{"type":"object","properties":{"n":{"type":"integer","exclusiveMaximum":true}}}`, "keyword exclusiveMaximum at #/properties/n/exclusiveMaximum"},
		{`{"type":"object","properties":{"s":{"type":"string","pattern":"^(?!x)"}}}`, "keyword pattern at #/properties/s/pattern"},
		{`{"type":"object","properties":{"s":{"type":"text"}}}`, "keyword type"},
		{`{"type":"object","properties":{"s":{"minLength":-1}}}`, "keyword minLength"},
		{`{"type":"object","properties":{"a":{"items":{"anyOf":[]}}}}`, "keyword anyOf"},
		{`{"type":"object","properties":{"n":{"type":["integer","null"],"exclusiveMinimum":0,"pattern":"^a+$"}},"required":["n"]}`, ""},
	} {
		err := checkToolSchema([]byte(tc.schema))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.schema, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one naming %q", tc.schema, err, tc.want)
		}
	}
}

// TestOpenAPI30FormsTranslated: boolean exclusive bounds, nullable (as
// anyOf with null, which strict clients accept), OpenAPI-only formats and
// RE2-incompatible patterns become 2020-12 that compiles, the dropped
// pattern noted in the description.
func TestOpenAPI30FormsTranslated(t *testing.T) {
	doc, err := loadDocument([]byte(`{"openapi":"3.0.3","paths":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := decodeJSON([]byte(`{"type":"integer","format":"int64","minimum":0,"exclusiveMinimum":true,"maximum":10,"exclusiveMaximum":false,"nullable":true,"example":3}`))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := marshalOrdered(convertSchema(doc, raw, nil))
	if got, want := string(b), `{"anyOf":[{"type":"integer","exclusiveMinimum":0,"maximum":10},{"type":"null"}]}`; got != want {
		t.Errorf("number: %s, want %s", got, want)
	}
	raw, _ = decodeJSON([]byte(`{"type":"string","description":"A slug.","pattern":"^(?!-)[a-z-]+$","format":"byte"}`))
	b, _ = marshalOrdered(convertSchema(doc, raw, nil))
	if err := checkToolSchema(b); err != nil || !strings.Contains(string(b), `RE2 cannot compile it`) || strings.Contains(string(b), `"pattern":"^(?!-)`) || strings.Contains(string(b), `"format"`) || !strings.Contains(string(b), `"contentEncoding":"base64"`) {
		t.Errorf("pattern: %s (%v)", b, err)
	}
}
