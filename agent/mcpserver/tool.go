package mcpserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/restorehub/restorehub-go/agent"
)

// mcpTool is the MCP definition of t, with every annotation set
// explicitly. It fails, rather than letting mcp.Server.AddTool panic, when
// the input schema is not a JSON object of type "object".
func mcpTool(t agent.Tool) (*mcp.Tool, error) {
	if t.Name == "" {
		return nil, errors.New("tool without a name")
	}
	var schema map[string]any
	if err := json.Unmarshal(t.InputSchema, &schema); err != nil {
		return nil, fmt.Errorf("input schema is not a JSON object: %w", err)
	}
	if schema == nil || schema["type"] != "object" {
		return nil, errors.New(`input schema must have type "object"`)
	}
	title := t.Title
	if title == "" {
		title = t.Name
	}
	return &mcp.Tool{
		Name:        t.Name,
		Title:       title,
		Description: t.Description,
		InputSchema: json.RawMessage(t.InputSchema),
		Annotations: &mcp.ToolAnnotations{
			Title:           title,
			ReadOnlyHint:    t.ReadOnly,
			DestructiveHint: ptr(t.Destructive),
			IdempotentHint:  t.Idempotent,
			OpenWorldHint:   ptr(t.OpenWorld),
		},
	}, nil
}

func ptr[T any](v T) *T { return &v }

// toCallToolResult maps a toolkit result to MCP: IsError, the text, and,
// when Data is valid JSON, the data as a second text block (for clients
// that show only text) and, when it is a JSON object, as structured
// content too (older protocol versions allow only objects there).
func toCallToolResult(r *agent.Result) *mcp.CallToolResult {
	if r == nil {
		return errorResult("The tool returned nothing; nothing more is known. Do not retry blindly; tell the user.")
	}
	text := r.Text
	if text == "" {
		if r.IsError {
			text = "The call failed."
		} else {
			text = "Done."
		}
	}
	out := &mcp.CallToolResult{IsError: r.IsError, Content: []mcp.Content{&mcp.TextContent{Text: text}}}
	data := bytes.TrimSpace(r.Data)
	if len(data) == 0 || !json.Valid(data) {
		return out
	}
	out.Content = append(out.Content, &mcp.TextContent{Text: string(data)})
	if data[0] == '{' {
		out.StructuredContent = json.RawMessage(data)
	}
	return out
}

// errorResult is a tool error carrying text for the model.
func errorResult(text string) *mcp.CallToolResult {
	return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: text}}}
}
