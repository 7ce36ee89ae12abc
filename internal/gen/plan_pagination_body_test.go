package main

import (
	"strings"
	"testing"
)

// TestBodyPagingNote: a list that is not a GET but pages through its JSON
// body (FastAPI's POST …/filter with offset and limit) says so in its doc,
// since it gets no iterator; a body without both an integer position and a
// page size, or a response that is not a list, says nothing.
func TestBodyPagingNote(t *testing.T) {
	const spec = `{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{
 "/flows/filter":{"post":{"operationId":"filterFlows","tags":["flows"],"requestBody":{"content":{"application/json":{"schema":{"type":"object","properties":{"offset":{"type":"integer"},"limit":{"type":"integer"},"name":{"type":"string"}}}}}},"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"array","items":{"$ref":"#/components/schemas/Flow"}}}}}}}},
 "/runs/paginate":{"post":{"operationId":"paginateRuns","tags":["runs"],"requestBody":{"content":{"application/json":{"schema":{"type":"object","properties":{"page":{"type":"integer"},"limit":{"type":"integer"}}}}}},"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"object","properties":{"results":{"type":"array","items":{"$ref":"#/components/schemas/Flow"}}}}}}}}}},
 "/flows":{"post":{"operationId":"createFlow","tags":["flows"],"requestBody":{"content":{"application/json":{"schema":{"type":"object","properties":{"name":{"type":"string"}}}}}},"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Flow"}}}}}}},
 "/flows/count":{"post":{"operationId":"countFlows","tags":["flows"],"requestBody":{"content":{"application/json":{"schema":{"type":"object","properties":{"offset":{"type":"integer"},"limit":{"type":"integer"}}}}}},"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"integer"}}}}}}},
 "/tags/filter":{"post":{"operationId":"filterTags","tags":["tags"],"requestBody":{"content":{"application/json":{"schema":{"type":"object","properties":{"limit":{"type":"integer"}}}}}},"responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"type":"array","items":{"type":"string"}}}}}}}}},
 "components":{"schemas":{"Flow":{"type":"object","properties":{"id":{"type":"string"}}}}}}`
	d := mustLoad(t, []byte(spec))
	notes := map[string]string{}
	for _, p := range buildPlan(d, nil).ops {
		notes[p.op.id] = p.pagNote
	}
	for id, want := range map[string]string{
		"flows.filter":  "its request body takes offset and limit",
		"runs.paginate": "its request body takes page and limit",
		"flows.create":  "",
		"flows.count":   "",
		"tags.filter":   "",
	} {
		got, ok := notes[id]
		if !ok {
			t.Fatalf("no operation %s in %v", id, notes)
		}
		if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("%s: note %q, want one with %q", id, got, want)
		}
	}
}
