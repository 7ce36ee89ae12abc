package main

import "github.com/restorehub/restorehub-go/internal/openapi"

// object is a JSON object that remembers the order of its keys, read by the
// shared OpenAPI reader.
type object = openapi.Object
