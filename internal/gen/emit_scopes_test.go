package main

import (
	"fmt"
	"testing"
)

// TestScopeTierIsTheHighestOfItsOperations: without x-scopes or a Scope
// enum, a scope's tier is that of the most dangerous operation accepting
// it, whichever the spec lists first; an alternative scope counts too.
func TestScopeTierIsTheHighestOfItsOperations(t *testing.T) {
	const spec = `{"openapi":"3.1.0","info":{"title":"t","version":"1"},
"components":{"securitySchemes":{"o":{"type":"oauth2","flows":{"clientCredentials":{"tokenUrl":"https://x/t","scopes":{"things:admin":"","things:read":"","notes:manage":""}}}}}},
"paths":{
 "/things":{"get":{"operationId":"listThings","security":[{"o":["things:read"]},{"o":["things:admin"]}],"responses":{"200":{"description":"ok"}}}},
 "/things/{id}":{"parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],
  "get":{"operationId":"getThing","security":[{"o":["things:admin"]}],"responses":{"200":{"description":"ok"}}},
  "delete":{"operationId":"deleteThing","x-scope-tier":"destructive","security":[{"o":["things:admin"]}],"responses":{"204":{"description":"gone"}}}},
 "/notes":{"get":{"operationId":"listNotes","security":[{"o":["notes:manage"]}],"responses":{"200":{"description":"ok"}}},
  "post":{"operationId":"createNote","security":[{"o":["notes:manage"]}],"responses":{"201":{"description":"made"}}}}}}`
	d := mustLoad(t, []byte(spec))
	consts, _, _ := d.scopeConsts()
	got := map[string]string{}
	for _, c := range consts {
		got[c.scope] = c.tier
	}
	for scope, want := range map[string]string{
		"things:read":  "read",        // only a GET accepts it
		"things:admin": "destructive", // a GET first, then a destructive DELETE
		"notes:manage": "write",       // a GET first, then a POST
	} {
		if got[scope] != want {
			t.Errorf("%s: tier %q, want %q (all: %s)", scope, got[scope], want, fmt.Sprint(got))
		}
	}
}
