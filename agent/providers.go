package agent

import (
	"bytes"
	"encoding/json"
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

// AnthropicTools renders tools in the shape of the Anthropic Messages
// "tools" parameter: [{"name","description","input_schema"}].
func AnthropicTools(tools []Tool) json.RawMessage {
	type tool struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		InputSchema json.RawMessage `json:"input_schema"`
	}
	out := make([]tool, 0, len(tools))
	for _, t := range tools {
		out = append(out, tool{Name: t.Name, Description: t.Description, InputSchema: schemaOrEmpty(t.InputSchema)})
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
