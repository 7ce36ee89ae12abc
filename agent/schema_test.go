package agent

import (
	"strings"
	"testing"
)

// TestValidate covers every keyword the generator emits, each with a value
// that passes and one that fails with the argument named.
func TestValidate(t *testing.T) {
	const schema = `{"type":"object","properties":{
		"id":{"type":"string","minLength":2,"maxLength":5},
		"n":{"type":"integer","minimum":1,"maximum":100},
		"ratio":{"type":"number","exclusiveMinimum":0},
		"big":{"type":"integer","format":"int64"},
		"small":{"type":"integer","format":"int32"},
		"when":{"type":"string","format":"date-time"},
		"mail":{"type":"string","format":"email"},
		"hook":{"type":"string","format":"uri"},
		"blob":{"type":"string","format":"byte"},
		"status":{"type":"string","enum":["pending","done"]},
		"maybe":{"type":["string","null"]},
		"tags":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":2},
		"meta":{"type":"object","properties":{"k":{"type":"boolean"}},"required":["k"],"additionalProperties":{"type":"integer"}},
		"slug":{"type":"string","pattern":"^[a-z]+$"},
		"either":{"oneOf":[{"type":"string"},{"type":"integer"}]}
	},"required":["id"],"additionalProperties":false}`
	n, err := compileSchema([]byte(schema))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args string
		want string // "" for valid; else a substring of the error
	}{
		{`{"id":"ab"}`, ""},
		{`{"id":"ab","n":1,"ratio":0.5,"big":9007199254740993,"small":-5,"when":"2026-01-02T15:04:05Z","mail":"a@b.co","hook":"https://x.y/z","blob":"aGk=","status":"done","maybe":null,"tags":["x"],"meta":{"k":true,"extra":3},"slug":"abc","either":7}`, ""},
		{`{}`, `argument "id" is required`},
		{`{"id":"ab","nope":1}`, `argument "nope" is not a known argument`},
		{`{"id":5}`, `argument "id" must be a string, not the number 5`},
		{`{"id":"a"}`, `at least 2 characters`},
		{`{"id":"abcdef"}`, `at most 5 characters`},
		{`{"id":"ab","n":1.5}`, `argument "n" must be an integer`},
		{`{"id":"ab","n":0}`, `argument "n" must be at least 1`},
		{`{"id":"ab","n":101}`, `at most 100`},
		{`{"id":"ab","ratio":0}`, `greater than 0`},
		{`{"id":"ab","big":1e30}`, `64 bits`},
		{`{"id":"ab","small":3000000000}`, `32 bits`},
		{`{"id":"ab","when":"yesterday"}`, `argument "when" must be an RFC 3339 date-time`},
		{`{"id":"ab","mail":"Bob <b@c.d>"}`, `e-mail address`},
		{`{"id":"ab","hook":"/relative"}`, `absolute URI`},
		{`{"id":"ab","blob":"!!"}`, `base64`},
		{`{"id":"ab","status":"gone"}`, `argument "status" must be one of "pending", "done"`},
		{`{"id":"ab","maybe":1}`, `must be a string or null`},
		{`{"id":"ab","tags":[]}`, `at least 1 items`},
		{`{"id":"ab","tags":["a","b","c"]}`, `at most 2 items`},
		{`{"id":"ab","tags":["a",2]}`, `argument "tags"[1] must be a string`},
		{`{"id":"ab","meta":{}}`, `argument "meta".k is required`},
		{`{"id":"ab","meta":{"k":true,"x":"y"}}`, `argument "meta".x must be an integer`},
		{`{"id":"ab","slug":"ABC"}`, `must match the pattern`},
		{`{"id":"ab","either":true}`, `exactly one`},
	} {
		checkValidate(t, n, tc.args, tc.want)
	}
}

// checkValidate validates the JSON args against s and fails the test
// unless the outcome is want: no error when want is "", else an error
// containing want.
func checkValidate(t *testing.T, s *argSchema, args, want string) {
	t.Helper()
	v, err := decodeJSON([]byte(args))
	if err != nil {
		t.Fatal(err)
	}
	err = s.validate(v, "")
	switch {
	case want == "" && err != nil:
		t.Errorf("%s: %v", args, err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("%s: error %v, want one containing %q", args, err, want)
	}
}

func TestCompileSchemaRejectsMalformed(t *testing.T) {
	for _, s := range []string{`[]`, `{"pattern":"("}`, `{"minimum":"x"}`, `{"properties":{"a":7}}`, `not json`} {
		if _, err := compileSchema([]byte(s)); err == nil {
			t.Errorf("%s compiled", s)
		}
	}
}

func TestFillPath(t *testing.T) {
	for _, tc := range []struct{ tmpl, args, want string }{
		{"/backups/{backupId}/restore", `{"backupId":"b 1/x"}`, "/backups/b%201%2Fx/restore"},
		{"/servers/{serverId}", `{"serverId":42}`, "/servers/42"},
		// As the typed call formats an integer: never an exponent.
		{"/servers/{serverId}", `{"serverId":12345678}`, "/servers/12345678"},
		{"/servers/{serverId}", `{"serverId":1.5}`, "/servers/1.5"},
		{"/files/{name}.json", `{"name":"a b"}`, "/files/a%20b.json"},
		{"/a/{x}/b/{y}/", `{"x":"1","y":true}`, "/a/1/b/true/"},
		{"/a/{missing}", `{}`, "/a/{missing}"},
		{"/plain", `{}`, "/plain"},
	} {
		var p args
		if err := jsonUnmarshal(tc.args, &p); err != nil {
			t.Fatal(err)
		}
		if got := parseToolPath(tc.tmpl).fill(p); got != tc.want {
			t.Errorf("parseToolPath(%s).fill(%s) = %s, want %s", tc.tmpl, tc.args, got, tc.want)
		}
	}
}

// TestValidateKeywordsOnlyTheLibraryChecks: keywords the generator does not
// emit today are still enforced, by the JSON Schema library, so a schema
// from a richer spec never passes arguments it forbids (the hand-written
// validator ignored them). Numbers too large for float64 are refused with
// the argument named.
func TestValidateKeywordsOnlyTheLibraryChecks(t *testing.T) {
	const schema = `{"type":"object","$defs":{"id":{"type":"string","minLength":3}},"properties":{
		"step":{"type":"integer","multipleOf":5},
		"tags":{"type":"array","items":{"type":"string"},"uniqueItems":true},
		"mode":{"type":"string","not":{"const":"unsafe"}},
		"ref":{"$ref":"#/$defs/id"},
		"a":{"type":"string"},"b":{"type":"string"},
		"n":{"type":"number"},
		"free":{}
	},"dependentRequired":{"a":["b"]},"maxProperties":3,"additionalProperties":false}`
	s, err := compileSchema([]byte(schema))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args string
		want string // "" for valid; else a substring of the error
	}{
		{`{"step":10,"tags":["x","y"],"mode":"safe"}`, ""},
		{`{"ref":"abc","a":"x","b":"y"}`, ""},
		{`{"n":12345678901234567890123}`, ""},
		{`{"step":7}`, `argument "step" does not match the tool's input schema (multipleOf: `},
		{`{"tags":["x","x"]}`, `argument "tags" does not match`},
		{`{"tags":["x","x"]}`, "match the tool's input schema"},
		{`{"mode":"unsafe"}`, "match the tool's input schema"},
		{`{"ref":"ab"}`, `argument "ref" does not match the tool's input schema (minLength: `},
		{`{"a":"x"}`, "match the tool's input schema"},
		{`{"step":5,"mode":"m","a":"x","b":"y"}`, "match the tool's input schema"},
		{`{"free":{"x":1e400}}`, `argument "free".x is a number too large to use`},
		{`{"free":[{"x":-1e999}]}`, `argument "free"[0].x is a number too large to use`},
		{`{"tags":["x"],"step":1.5}`, `argument "step" must be an integer`}, // the toolkit's words come first
	} {
		checkValidate(t, s, tc.args, tc.want)
	}
}
