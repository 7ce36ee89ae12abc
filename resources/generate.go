package resources

// Regenerate the services, models, operation table and the root package's
// scope constants from the project's spec with `go generate ./...` at the
// module root.
//go:generate go run ../internal/gen -spec ../internal/gen/openapi.json -out . -package resources -scopes ../scopes.go
