package agent

import (
	"bytes"
	"encoding/json"
	"slices"
)

// OpenAITools renders tools in the shape of the OpenAI Chat Completions
// "tools" parameter: [{"type":"function","function":{"name","description","parameters"}}].
func OpenAITools(tools []Tool) json.RawMessage {
	type function struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		Parameters  json.RawMessage `json:"parameters"`
	}
	type tool struct {
		Type     string   `json:"type"`
		Function function `json:"function"`
	}
	out := make([]tool, 0, len(tools))
	for _, t := range tools {
		out = append(out, tool{Type: "function", Function: function{Name: t.Name, Description: t.Description, Parameters: schemaOrEmpty(t.InputSchema)}})
	}
	return mustMarshal(out)
}

// RenderOption configures how AnthropicTools renders tools.
type RenderOption func(*renderConfig)

type renderConfig struct {
	deferred bool
	core     []string
}

// AnthropicToolSearch is the name of the Anthropic tool search tool
// (BM25) AnthropicTools adds when it defers tools.
const AnthropicToolSearch = "tool_search_tool_bm25"

// anthropicToolSearchType is the versioned type of AnthropicToolSearch.
const anthropicToolSearchType = "tool_search_tool_bm25_20251119"

// DeferLoading marks every tool except the named core ones
// "defer_loading": true, for hosts that search tools (Anthropic's tool
// search): the model sees the core tools and finds the others when it needs
// them, so their definitions stay out of the context until then. The tool
// search tool (AnthropicToolSearch) is added first, never deferred. Names
// not in the list are ignored. The order stays that of the tools given
// (Toolkit.Tools sorts by name), so the same toolkit renders the same bytes
// and a cached prompt prefix holds.
func DeferLoading(core ...string) RenderOption {
	return func(c *renderConfig) {
		c.deferred = true
		c.core = append(c.core, core...)
	}
}

// AnthropicTools renders tools in the shape of the Anthropic Messages
// "tools" parameter: [{"name","description","input_schema"}], deferring
// them with DeferLoading.
func AnthropicTools(tools []Tool, opts ...RenderOption) json.RawMessage {
	var cfg renderConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	type tool struct {
		Type         string          `json:"type,omitempty"`
		Name         string          `json:"name"`
		Description  string          `json:"description,omitempty"`
		InputSchema  json.RawMessage `json:"input_schema,omitempty"`
		DeferLoading bool            `json:"defer_loading,omitempty"`
	}
	out := make([]tool, 0, len(tools)+1)
	if cfg.deferred {
		out = append(out, tool{Type: anthropicToolSearchType, Name: AnthropicToolSearch})
	}
	for _, t := range tools {
		out = append(out, tool{Name: t.Name, Description: t.Description, InputSchema: schemaOrEmpty(t.InputSchema),
			DeferLoading: cfg.deferred && !slices.Contains(cfg.core, t.Name)})
	}
	return mustMarshal(out)
}

// schemaOrEmpty returns s, or the empty object schema when s is not JSON.
func schemaOrEmpty(s json.RawMessage) json.RawMessage {
	if !json.Valid(s) {
		return json.RawMessage(`{"type":"object","properties":{}}`)
	}
	return s
}

func mustMarshal(v any) json.RawMessage {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return json.RawMessage("[]") // unreachable: only strings and valid JSON
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}
