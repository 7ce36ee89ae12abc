package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// diamondSpec chains n component schemas, each an allOf of the next one
// twice, and n path-level schemas, each referring to the next one twice.
// Without memoizing merged members and resolved references the generator
// would take 2^n steps.
func diamondSpec(n int) []byte {
	var comps, inline []string
	for i := range n {
		comps = append(comps, fmt.Sprintf(`"S%d":{"allOf":[{"$ref":"#/components/schemas/S%d"},{"$ref":"#/components/schemas/S%d"},{"properties":{"p%d":{"type":"string"}}}]}`, i, i+1, i+1, i))
		inline = append(inline, fmt.Sprintf(`"i%d":{"type":"object","properties":{"a":{"$ref":"#/x-defs/i%d"},"b":{"$ref":"#/x-defs/i%d"}}}`, i, i+1, i+1))
	}
	comps = append(comps, fmt.Sprintf(`"S%d":{"type":"object","properties":{"a":{"type":"string"}}}`, n))
	inline = append(inline, fmt.Sprintf(`"i%d":{"type":"string"}`, n))
	return []byte(`{"openapi":"3.1.0","x-defs":{` + strings.Join(inline, ",") + `},
	  "paths":{"/x":{"get":{"responses":{"200":{"description":"","content":{"application/json":{"schema":{"$ref":"#/components/schemas/S0"}}}}}},
	               "put":{"responses":{"200":{"description":"","content":{"application/json":{"schema":{"$ref":"#/x-defs/i0"}}}}}}}},
	  "components":{"schemas":{` + strings.Join(comps, ",") + `}}}`)
}

func TestDiamondsStayLinear(t *testing.T) {
	res, err := generate(diamondSpec(30), "x.json", "x", nil)
	if err != nil {
		t.Fatal(err)
	}
	if src := allFiles(res); !strings.Contains(src, "P29 *string") || !strings.Contains(src, "A *string") {
		t.Errorf("S0 lacks the merged properties of S29 and S30:\n%s", src)
	}
	// Deeper than the generator follows: raw JSON, quickly.
	res, err = generate(diamondSpec(60), "x.json", "x", nil)
	if err != nil {
		t.Fatal(err)
	}
	if src := allFiles(res); !strings.Contains(src, "type S0 = json.RawMessage") {
		t.Errorf("S0 of a 60-deep allOf chain is not raw JSON:\n%.2000s", src)
	}
}

// allFiles joins the generated files in name order.
func allFiles(res *result) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(res.files)) {
		b.Write(res.files[name])
	}
	return b.String()
}
