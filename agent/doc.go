// Package agent hands a Restore Hub client to an AI agent as a list of tools.
//
// A Toolkit lists exactly the operations the key's scopes allow, validates
// every call's arguments against the tool's JSON Schema before anything is
// sent, turns every failure into a Result the model can act on, and never
// runs a destructive operation (a destructive-tier scope or any DELETE, the
// client's own rule from restorehub.ClassifyOperation) without a human's
// confirmation bound to the exact arguments of that one call.
//
// The tools are generated from the same OpenAPI document as the typed
// services (tools_gen.go); OpenAITools and AnthropicTools render them in the
// shapes those APIs accept, and package mcpserver serves them over MCP.
// WithDiscovery lists three tools (search, describe, call) instead of one
// per operation, for APIs too large to list; Toolkit.Instructions says once
// what every tool shares.
package agent
