package restorehubtest_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// TestEveryGeneratedOperation sends every operation of the generated table
// once with a wildcard key and unknown IDs: each must be routed to itself
// and answer with success or, for an unknown ID, the documented 404
// envelope, never 405 or 5xx.
func TestEveryGeneratedOperation(t *testing.T) {
	srv := restorehubtest.NewServer(restorehubtest.WithKey(allKey, "*"), restorehubtest.WithRateLimit(1_000_000, 1))
	defer srv.Close()
	param := regexp.MustCompile(`\{[^}]+\}`)
	for _, op := range resources.Operations() {
		t.Run(op.ID, func(t *testing.T) {
			path := param.ReplaceAllString(op.Path, "unknown-id")
			var body any
			if op.Method != http.MethodGet && op.Method != http.MethodDelete {
				body = map[string]any{}
			}
			srv.Reset()
			r := send(t, srv, op.Method, path, allKey, body)
			switch r.status {
			case http.StatusOK, http.StatusCreated, http.StatusNoContent:
			case http.StatusNotFound:
				if d, ok := r.json(t)["details"].(map[string]any); !ok || d["resource"] == nil {
					t.Fatalf("404 that is not an unknown entity: %s", r.body)
				}
			default:
				t.Fatalf("%s %s: %d %s", op.Method, path, r.status, r.body)
			}
			if got := srv.Requests()[0].OperationID; got != op.ID {
				t.Fatalf("routed to %q", got)
			}
		})
	}
}
