package mcpserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
	"github.com/restorehub/restorehub-go/agent/mcpserver"
)

// TestToolsListIsCacheable: the tool list is sorted by name and the same
// bytes on every listing and from every server over the same toolkit
// options, so a prompt cache holds; on the current protocol it carries a
// private TTL hint.
func TestToolsListIsCacheable(t *testing.T) {
	scopes := []restorehub.Scope{restorehub.ScopeAll}
	var first []byte
	for i := range 2 {
		_, _, srv := setup(t, scopes, scopes, agent.WithConfirm(alwaysApprove))
		cs := connect(t, srv, nil, "")
		for range 2 {
			res, err := cs.ListTools(context.Background(), nil)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, tool := range res.Tools {
				names = append(names, tool.Name)
			}
			if !slices.IsSorted(names) {
				t.Fatalf("tools not sorted: %v", names)
			}
			raw, _ := json.Marshal(res.Tools)
			if first == nil {
				first = raw
			} else if !bytes.Equal(raw, first) {
				t.Fatalf("server %d listed different bytes", i)
			}
			if res.TTLMs != int(mcpserver.ToolsListTTL.Milliseconds()) || res.CacheScope != "private" {
				t.Fatalf("cache hint ttlMs=%d scope=%q", res.TTLMs, res.CacheScope)
			}
		}
	}
	if strings.Count(string(first), `"name":`) < 80 {
		t.Fatalf("listed too few tools: %.200s", first)
	}
}
