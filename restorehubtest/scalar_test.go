package restorehubtest_test

import (
	"net/http"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// TestScalarResponses: an operation whose table says its response is a
// scalar (a health check, a version string, a count) is answered with a
// zero value of that type, which the typed call can decode, not with the
// store's object.
func TestScalarResponses(t *testing.T) {
	get := func(id, path, scalar string) resources.OperationSpec {
		return resources.OperationSpec{ID: id, Method: "GET", Path: path, Tier: resources.TierRead, Idempotent: true, Scalar: scalar}
	}
	srv := restorehubtest.NewServer(restorehubtest.WithKey(allKey, "*"), restorehubtest.WithoutRateLimit(),
		restorehubtest.WithOperations([]resources.OperationSpec{
			get("health.get", "/health", "boolean"),
			get("version.get", "/version", "string"),
			get("things.count", "/things/count", "integer"),
			get("load.get", "/load", "number"),
			get("config.get", "/config", ""),
		}))
	t.Cleanup(srv.Close)
	for path, want := range map[string]string{"/health": "false", "/version": `""`, "/things/count": "0", "/load": "0", "/config": "{}"} {
		r := send(t, srv, "GET", path, allKey, nil)
		wantStatus(t, r, http.StatusOK)
		if string(r.body) != want {
			t.Errorf("GET %s: %s, want %s", path, r.body, want)
		}
	}
}
