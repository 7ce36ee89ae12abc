package resources

// Regenerate the agent toolkit's tool table (agent/tools_gen.go) from the
// same spec, naming types as this package does, with `go generate ./...` at
// the module root.
//go:generate go run ../internal/gen -spec ../internal/gen/openapi.json -out . -package resources -tools ../agent/tools_gen.go -tools-only
