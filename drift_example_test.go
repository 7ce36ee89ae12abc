package restorehub_test

import (
	"fmt"

	"github.com/restorehub/restorehub-go"
)

// CompareSpec compares a document you already have, offline. Here the
// document has GET /account as the SDK does, with another scope, and an
// operation the SDK lacks; every other operation of the SDK is missing.
func ExampleCompareSpec() {
	spec := []byte(`{
	  "openapi": "3.1.0",
	  "info": {"title": "Restore Hub", "version": "2"},
	  "paths": {
	    "/account": {"get": {"security": [{"oauth2": ["account:admin"]}]}},
	    "/webhooks/{id}": {"get": {"operationId": "getWebhook", "x-required-scope": "webhooks:read"}}
	  }
	}`)
	r, err := restorehub.CompareSpec(spec)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("drift:", r.HasDrift())
	for _, c := range r.Changed {
		for _, f := range c.Fields {
			fmt.Printf("changed %s %s: %q -> %q\n", c.ID, f.Name, f.SDK, f.Live)
		}
	}
	for _, e := range r.Extra {
		fmt.Println("extra", e.Method, e.Path, e.Scope)
	}
	fmt.Println("missing:", len(r.Missing) == r.SDKOperations-1)
	// Output:
	// drift: true
	// changed account.get scope: "account:read" -> "account:admin"
	// extra GET /webhooks/{id} webhooks:read
	// missing: true
}
