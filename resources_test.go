package restorehub_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"testing"

	"github.com/jarcoal/httpmock"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/resources/resourcestest"
)

// TestEveryOperationThroughTheClient sends every generated operation through
// a real Client over httpmock, and checks the method, path, query, body and
// headers on the wire, the decoded result, and the scope (through the local
// preflight and, for destructive operations, the guard).
func TestEveryOperationThroughTheClient(t *testing.T) {
	const base = "https://api.restorehub.net/api/v1"
	cases := resourcestest.Cases()
	if len(cases) != len(resources.Operations()) {
		t.Fatalf("%d cases for %d operations", len(cases), len(resources.Operations()))
	}
	for _, tc := range cases {
		t.Run(tc.ID, func(t *testing.T) {
			hc := &http.Client{}
			httpmock.ActivateNonDefault(hc)
			defer httpmock.DeactivateAndReset()
			var got *http.Request
			var gotBody []byte
			httpmock.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				got = r
				if r.Body != nil {
					gotBody, _ = io.ReadAll(r.Body)
				}
				if tc.Response == "" {
					return httpmock.NewBytesResponse(tc.Status, nil), nil
				}
				resp := httpmock.NewStringResponse(tc.Status, tc.Response)
				resp.Header.Set("Content-Type", "application/json")
				return resp, nil
			})
			var guarded []restorehub.Operation
			c, err := restorehub.New(fakeKey, restorehub.WithBaseURL(base), restorehub.WithHTTPClient(hc),
				restorehub.WithDestructiveGuard(func(_ context.Context, op restorehub.Operation) error {
					guarded = append(guarded, op)
					return nil
				}))
			if err != nil {
				t.Fatal(err)
			}
			out, err := tc.Call(context.Background(), c.Services)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if got == nil {
				t.Fatal("nothing was sent")
			}
			if got.Method != tc.Method || got.URL.EscapedPath() != "/api/v1"+tc.Path {
				t.Errorf("sent %s %s, want %s /api/v1%s", got.Method, got.URL.EscapedPath(), tc.Method, tc.Path)
			}
			if !resourcestest.QueryEqual(got.URL.Query(), tc.Query) {
				t.Errorf("query %v, want %v", got.URL.Query(), tc.Query)
			}
			if tc.Body == "" && len(gotBody) != 0 {
				t.Errorf("sent body %s, want none", gotBody)
			}
			if tc.Body != "" {
				if !resourcestest.JSONEqual(gotBody, []byte(tc.Body)) {
					t.Errorf("body %s, want %s", gotBody, tc.Body)
				}
				if ct := got.Header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q", ct)
				}
			}
			if a := got.Header.Get("Authorization"); a != "Bearer "+fakeKey {
				t.Errorf("Authorization %q", a)
			}
			if tc.Want != nil && !reflect.DeepEqual(out, tc.Want) {
				t.Errorf("decoded %#v, want %#v", out, tc.Want)
			}
			// Every destructive-tier operation and every DELETE asks the guard.
			wantGuard := 0
			if tc.Tier == restorehub.TierDestructive || tc.Method == http.MethodDelete {
				wantGuard = 1
			}
			if len(guarded) != wantGuard || (wantGuard == 1 && (guarded[0].ID != tc.ID || guarded[0].Scope != tc.Scope)) {
				t.Errorf("guard saw %+v, want %d call(s) for %s", guarded, wantGuard, tc.ID)
			}

			// The operation's scope, seen through the preflight: a key with
			// every other scope is refused locally, and nothing is sent.
			if tc.Scope == "" {
				return
			}
			var others []restorehub.Scope
			for _, s := range restorehub.AllScopes() {
				if s != tc.Scope {
					others = append(others, s)
				}
			}
			narrow, _ := restorehub.New(fakeKey, restorehub.WithBaseURL(base), restorehub.WithHTTPClient(hc), restorehub.WithScopes(others...))
			before := httpmock.GetTotalCallCount()
			_, err = tc.Call(context.Background(), narrow.Services)
			var missing *restorehub.MissingScopeError
			if !errors.As(err, &missing) || missing.RequiredScope != tc.Scope || !missing.Local {
				t.Errorf("preflight: %v, want a local MissingScopeError for %s", err, tc.Scope)
			}
			if httpmock.GetTotalCallCount() != before {
				t.Error("the preflight sent a request")
			}
		})
	}
}
