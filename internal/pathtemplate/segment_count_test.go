package pathtemplate

import "testing"

// TestSegmentCountAgreesWithMatches: a template matches a path only when
// the path's SegmentCount is the template's Len, the rule routers use to
// compare only the templates that can match.
func TestSegmentCountAgreesWithMatches(t *testing.T) {
	templates := []string{"/", "/servers", "/servers/", "/servers/{id}", "/a/{x}/b/{y}", "/a/{x}/{z}/c", "/files/{name}.json", "/ops/{name}:cancel"}
	paths := []string{"", "/", "//", "/servers", "/servers/", "servers", "/servers/s1", "/servers/s1/", "/servers/s1?x=/a/b", "/a/1/b/2", "/a/1/2/c", "/files/f.json", "/ops/o:cancel", "/a/1/b/2#frag/x"}
	for _, text := range templates {
		tmpl, err := Parse(text)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		for _, p := range paths {
			if tmpl.Matches(p) && SegmentCount(p) != tmpl.Len() {
				t.Errorf("%s matches %q, but SegmentCount is %d and Len %d", text, p, SegmentCount(p), tmpl.Len())
			}
		}
	}
}
