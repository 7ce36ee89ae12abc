package agent_test

import (
	"bytes"
	"encoding/json"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
)

// TestDeferLoading: with DeferLoading, the tool search tool comes first and
// is never deferred, the core tools are loaded, every other tool is
// deferred, and the same tools render the same bytes; without it nothing
// is deferred and no search tool is added.
func TestDeferLoading(t *testing.T) {
	_, c := fake(t, nil)
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(approve))
	core := []string{"account_get", "backups_list", "not_a_tool"}
	raw := agent.AnthropicTools(tk.Tools(), agent.DeferLoading(core...))
	if again := agent.AnthropicTools(tk.Tools(), agent.DeferLoading(core...)); !bytes.Equal(raw, again) {
		t.Fatal("the same tools rendered different bytes")
	}
	var got []map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(tk.Tools())+1 || got[0]["name"] != agent.AnthropicToolSearch || got[0]["type"] != "tool_search_tool_bm25_20251119" || got[0]["defer_loading"] != nil {
		t.Fatalf("first entry %v of %d", got[0], len(got))
	}
	loaded := 0
	var upfront bytes.Buffer
	for i, g := range got[1:] {
		name := g["name"].(string)
		if name != tk.Tools()[i].Name {
			t.Fatalf("order changed at %d: %s", i, name)
		}
		deferred := g["defer_loading"] == true
		if want := name != "account_get" && name != "backups_list"; deferred != want {
			t.Errorf("%s: deferred %v, want %v", name, deferred, want)
		}
		if !deferred {
			loaded++
			b, _ := json.Marshal(g)
			upfront.Write(b)
		}
	}
	if loaded != 2 {
		t.Fatalf("%d tools loaded up front, want 2", loaded)
	}
	t.Logf("deferred: %d of %d tools; the loaded ones are %d bytes; everything rendered is %d bytes", len(got)-1-loaded, len(got)-1, upfront.Len(), len(raw))
	if bytes.Contains(agent.AnthropicTools(tk.Tools()), []byte("defer_loading")) || bytes.Contains(agent.AnthropicTools(tk.Tools()), []byte(agent.AnthropicToolSearch)) {
		t.Fatal("deferred without DeferLoading")
	}
}
