package restorehub

import (
	"testing"

	"github.com/restorehub/restorehub-go/resources/resourcestest"
)

// TestClassifierRoutesAsEveryRouter runs the routing cases every router of
// the SDK must agree on (resourcestest.RoutingCases; the fake and
// resources.MatchPathTemplate run them too) through the classifier's
// matching.
func TestClassifierRoutesAsEveryRouter(t *testing.T) {
	for _, tc := range resourcestest.RoutingCases() {
		t.Run(tc.Name, func(t *testing.T) {
			got := ""
			if spec := parseOperations(tc.Operations).match(tc.Method, tc.Path); spec != nil {
				got = spec.ID
			}
			if got != tc.WantID {
				t.Errorf("%s %s matched %q, want %q", tc.Method, tc.Path, got, tc.WantID)
			}
		})
	}
}
