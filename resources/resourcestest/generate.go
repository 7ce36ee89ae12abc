package resourcestest

// Regenerate Cases (cases_gen.go) from the project's spec with
// `go generate ./...` at the module root. This directive also removes the
// generated files of the resources package that the spec no longer
// produces: go generate reaches it after it has read that package, which
// the resources directive cannot wait for.
//go:generate go run ../../internal/gen -spec ../../internal/gen/openapi.json -out .. -package resources -cases cases_gen.go
