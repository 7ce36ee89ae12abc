package agent

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestCutToBudget: whatever the shape, a value over the budget is cut to
// valid JSON that fits, and says what was left out; one that fits is
// returned as it is.
func TestCutToBudget(t *testing.T) {
	item := func(i int) string { return fmt.Sprintf(`{"id":"item_%04d","name":"%s"}`, i, strings.Repeat("x", 80)) }
	var items []string
	for i := range 200 {
		items = append(items, item(i))
	}
	list := "[" + strings.Join(items, ",") + "]"
	for _, tc := range []struct {
		name, data, wantWhat string
		max                  int
	}{
		{"fits", `{"a":1}`, "", 100},
		{"list", list, "the first 10 of 200 items", 1100},
		{"page", `{"data":` + list + `,"nextCursor":"c_200"}`, `of "data"`, 4000},
		{"object with a large field", `{"id":"a","blob":"` + strings.Repeat("y", 5000) + `","name":"n"}`, "the fields blob", 1000},
		{"one huge string", `"` + strings.Repeat("z", 5000) + `"`, "the whole", 1000},
		{"page whose first item is too big", `{"data":[{"big":"` + strings.Repeat("q", 3000) + `"}],"nextCursor":"x"}`, "the fields data", 1000},
		{"multi-byte text", `{"t":"` + strings.Repeat("é", 3000) + `","u":"ok"}`, "the fields t", 100},
	} {
		out, what := cutToBudget([]byte(tc.data), tc.max)
		if !json.Valid(out) || len(out) > tc.max {
			t.Errorf("%s: %d bytes, valid %v, want valid JSON within %d", tc.name, len(out), json.Valid(out), tc.max)
		}
		if tc.wantWhat == "" {
			if what != "" || string(out) != tc.data {
				t.Errorf("%s: cut a value that fits: %q", tc.name, what)
			}
			continue
		}
		if !strings.Contains(what, tc.wantWhat) {
			t.Errorf("%s: what %q, want %q", tc.name, what, tc.wantWhat)
		}
		if strings.Contains(tc.data, "nextCursor") && tc.name == "page" && !strings.Contains(string(out), `"nextCursor":"c_200"`) {
			t.Errorf("%s: the page's cursor was lost: %.200s", tc.name, out)
		}
	}
}

// TestSelectFields: fields keeps the named top-level fields of an object,
// of each item of a list, and of each item of a page (keeping the page's
// cursor).
func TestSelectFields(t *testing.T) {
	for _, tc := range []struct {
		data, want string
		hit        bool
	}{
		{`{"id":"a","name":"n","big":[1,2]}`, `{"id":"a","name":"n"}`, true},
		{`[{"id":"a","x":1},{"id":"b","x":2}]`, `[{"id":"a"},{"id":"b"}]`, true},
		{`{"data":[{"id":"a","x":1}],"nextCursor":"c"}`, `{"data":[{"id":"a"}],"nextCursor":"c"}`, true},
		{`{"x":1}`, `{}`, false},
	} {
		got, hit := selectFields([]byte(tc.data), []string{"id", "name"})
		if string(got) != tc.want || hit != tc.hit {
			t.Errorf("%s: got %s (hit %v), want %s (hit %v)", tc.data, got, hit, tc.want, tc.hit)
		}
	}
}

// FuzzCutToBudget: whatever JSON a server returns, the budget gives valid
// JSON within the budget (or the value itself when it fits), and fields
// selection gives valid JSON; neither panics.
func FuzzCutToBudget(f *testing.F) {
	f.Add([]byte(`{"data":[{"id":"a","x":"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}],"nextCursor":"c"}`), uint16(0))
	f.Add([]byte(`[1,2,3,"é",{"a":[]}]`), uint16(10))
	f.Add([]byte(`"`+strings.Repeat("z", 600)+`"`), uint16(1))
	f.Add([]byte(`{"a":{"b":[`+strings.Repeat(`{"id":1},`, 60)+`{"id":2}]}}`), uint16(5))
	f.Fuzz(func(t *testing.T, data []byte, extra uint16) {
		if !json.Valid(data) {
			return
		}
		limit := MinResultBytes + int(extra%2048)
		out, what := cutToBudget(data, limit)
		if !json.Valid(out) {
			t.Fatalf("cut to invalid JSON: %q", out)
		}
		if len(data) <= limit && (what != "" || string(out) != string(data)) {
			t.Fatalf("cut a value that fits")
		}
		if len(data) > limit && (len(out) > limit || what == "") {
			t.Fatalf("%d bytes over a %d budget (what %q)", len(out), limit, what)
		}
		sel, _ := selectFields(data, []string{"id"})
		if !json.Valid(sel) {
			t.Fatalf("fields gave invalid JSON: %q", sel)
		}
	})
}
