package resources_test

import (
	"testing"

	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/resources/resourcestest"
)

// TestMatchPathTemplateRoutingCases runs the routing cases every router of
// the SDK must agree on through MatchPathTemplate itself.
func TestMatchPathTemplateRoutingCases(t *testing.T) {
	for _, tc := range resourcestest.RoutingCases() {
		t.Run(tc.Name, func(t *testing.T) {
			var templates []resources.PathTemplate
			for _, op := range tc.Operations {
				tmpl, err := resources.ParsePathTemplate(op.Path)
				if err != nil {
					t.Fatal(err)
				}
				templates = append(templates, tmpl)
			}
			got := ""
			if i := resources.MatchPathTemplate(templates, tc.Path, func(i int) bool { return tc.Operations[i].Method == tc.Method }); i >= 0 {
				got = tc.Operations[i].ID
			}
			if got != tc.WantID {
				t.Errorf("%s %s matched %q, want %q", tc.Method, tc.Path, got, tc.WantID)
			}
		})
	}
}
