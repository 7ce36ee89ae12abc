package agent_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
)

// TestConfirmedPathIsSentPath calls every destructive tool with path
// parameters, with IDs that need escaping, and checks that the path its
// confirmer was shown is the path the fake received, byte for byte.
func TestConfirmedPathIsSentPath(t *testing.T) {
	srv, c := fake(t, []restorehub.Scope{restorehub.ScopeAll})
	var (
		mu    sync.Mutex
		shown string
	)
	confirm := func(_ context.Context, cf agent.Confirmation) error {
		mu.Lock()
		defer mu.Unlock()
		shown = cf.Path
		return nil
	}
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(confirm))
	compared := 0
	for _, tool := range tk.Tools() {
		if !tool.Destructive {
			continue
		}
		var schema struct {
			Properties map[string]struct {
				Type string `json:"type"`
			} `json:"properties"`
			Required []string `json:"required"`
		}
		if err := json.Unmarshal(tool.InputSchema, &schema); err != nil {
			t.Fatal(err)
		}
		class, ok := restorehub.ClassifyOperation(tool.Operation)
		if !ok || class.Spec == nil {
			t.Fatalf("%s: operation %q is not in the table", tool.Name, tool.Operation)
		}
		args := map[string]any{}
		pathArgs := 0
		for _, name := range schema.Required {
			switch schema.Properties[name].Type {
			case "string":
				args[name] = "id 1/x:" + name
				if strings.Contains(class.Spec.Path, "{"+name+"}") {
					pathArgs++
				}
			case "integer", "number":
				args[name] = 12345678
			case "boolean":
				args[name] = true
			case "array":
				args[name] = []any{}
			case "object":
				args[name] = map[string]any{}
			}
		}
		if pathArgs == 0 {
			continue
		}
		raw, _ := json.Marshal(args)
		srv.Reset()
		mu.Lock()
		shown = ""
		mu.Unlock()
		if _, err := tk.Call(context.Background(), tool.Name, raw); err != nil {
			t.Fatal(err)
		}
		reqs := srv.Requests()
		if len(reqs) != 1 {
			continue // refused before sending (its body's schema): nothing to compare
		}
		mu.Lock()
		got := shown
		mu.Unlock()
		if got == "" || got != reqs[0].Path {
			t.Errorf("%s: confirmed path %q, sent path %q", tool.Name, got, reqs[0].Path)
		}
		compared++
	}
	t.Logf("%d destructive tools compared", compared)
	if compared < 5 {
		t.Fatalf("only %d destructive tools with path parameters were sent", compared)
	}
}
