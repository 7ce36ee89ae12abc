package agent_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
)

// TestSchemasCompileWithTheMCPSDK adds every tool to an MCP server of the
// official SDK, which refuses an input schema that is not a JSON Schema
// object, and resolves each schema with jsonschema-go.
func TestSchemasCompileWithTheMCPSDK(t *testing.T) {
	tk := newAllToolkit(t)
	srv := mcp.NewServer(&mcp.Implementation{Name: "test", Version: "v0"}, nil)
	for _, tool := range tk.Tools() {
		var s jsonschema.Schema
		if err := json.Unmarshal(tool.InputSchema, &s); err != nil {
			t.Fatalf("%s: schema does not decode: %v", tool.Name, err)
		}
		rs, err := s.Resolve(nil)
		if err != nil {
			t.Fatalf("%s: schema does not resolve: %v", tool.Name, err)
		}
		// jsonschema-go agrees with the toolkit's validator: the sample
		// arguments pass, an unknown argument and a missing one fail.
		good := requiredArgs(t, tool)
		if err := rs.Validate(good); err != nil {
			t.Fatalf("%s: jsonschema-go rejects %v: %v", tool.Name, good, err)
		}
		// The listed schema leaves the object open (Instructions says once
		// that every tool is closed); the toolkit refuses, sending nothing.
		bad := merge(good, map[string]any{"notAnArgument": 1})
		if res, err := tk.Call(context.Background(), tool.Name, mustJSON(bad)); err != nil || !res.IsError || !strings.Contains(res.Text, "not a known argument") {
			t.Fatalf("%s: the toolkit accepts an unknown argument: %+v %v", tool.Name, res, err)
		}
		for _, r := range s.Required {
			m := merge(good, nil)
			delete(m, r)
			if err := rs.Validate(m); err == nil {
				t.Fatalf("%s: jsonschema-go accepts arguments without %s", tool.Name, r)
			}
		}
		srv.AddTool(&mcp.Tool{Name: tool.Name, Description: tool.Description, InputSchema: tool.InputSchema},
			func(context.Context, *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
				return &mcp.CallToolResult{}, nil
			})
	}
}

// newAllToolkit returns a toolkit listing every tool.
func newAllToolkit(t *testing.T) *agent.Toolkit {
	t.Helper()
	c, err := restorehub.New("rh_"+"0123456789abcdefABCDEF0123456789", restorehub.WithBaseURL("http://127.0.0.1:1"))
	if err != nil {
		t.Fatal(err)
	}
	tk := newToolkit(t, c, agent.WithScopes(restorehub.ScopeAll), agent.WithConfirm(func(context.Context, agent.Confirmation) error { return nil }))
	return tk
}
