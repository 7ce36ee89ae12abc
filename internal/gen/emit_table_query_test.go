package main

import (
	"strings"
	"testing"
)

// TestTableQueryFields: the table tells the fake what a response is: a
// bare-array list (List without Items), a list of an object's items, or a
// scalar (Scalar) it must answer with a zero value of that type.
func TestTableQueryFields(t *testing.T) {
	const spec = `{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{
 "/health":{"get":{"operationId":"health","tags":["root"],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"boolean"}}}}}}},
 "/version":{"get":{"operationId":"version","tags":["root"],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"string"}}}}}}},
 "/count":{"get":{"operationId":"count","tags":["root"],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"integer"}}}}}}},
 "/roles":{"get":{"operationId":"listRoles","tags":["roles"],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"array","items":{"$ref":"#/components/schemas/Role"}}}}}}}},
 "/teams":{"get":{"operationId":"listTeams","tags":["teams"],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"object","properties":{"data":{"type":"array","items":{"$ref":"#/components/schemas/Role"}}}}}}}}}},
 "/config":{"get":{"operationId":"getConfig","tags":["config"],"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Role"}}}}}}}},
 "components":{"schemas":{"Role":{"type":"object","properties":{"id":{"type":"string"}}}}}}`
	d := mustLoad(t, []byte(spec))
	got := map[string]string{}
	for _, p := range buildPlan(d, nil).ops {
		var w writer
		tableQueryFields(&w, p)
		got[p.op.id] = strings.Join(strings.Fields(w.String()), " ")
	}
	for id, want := range map[string]string{
		"root.health":  `Scalar: "boolean",`,
		"root.version": `Scalar: "string",`,
		"root.count":   `Scalar: "integer",`,
		"roles.list":   `List: &ListShape{ }, Model: "Role",`,
		"teams.list":   `List: &ListShape{ Items: "data", }, Model: "Role",`,
		"config.get":   `Model: "Role",`,
	} {
		if got[id] != want {
			t.Errorf("%s: %q, want %q (all: %v)", id, got[id], want, got)
		}
	}
}
