package agent

import (
	"context"
	"encoding/json"
	"fmt"

	restorehub "github.com/restorehub/restorehub-go"
)

// toolDef is one generated tool (tools_gen.go).
type toolDef struct {
	name, operation, title, toolset string
	// description says what the tool does; the toolkit adds the scope,
	// tier, confirmation and inferred marks (listedDescription).
	description string
	// pacing says how the calls are paced, when the spec says.
	pacing string
	// inferred marks an operation the spec marks x-inferred;
	// partlyInferred one of those whose existence is documented.
	inferred, partlyInferred bool
	// schema is the tool's input JSON Schema.
	schema string
	// call decodes the validated arguments and calls the typed service
	// method, returning its result (nil for none).
	call func(ctx context.Context, s *restorehub.Client, p args) (any, error)
}

// args are a call's validated arguments, by name.
type args map[string]json.RawMessage

// argError is an argument that passed the schema but cannot be decoded into
// the typed method's parameter.
type argError struct {
	name string
	err  error
}

func (e *argError) Error() string {
	return fmt.Sprintf("argument %q: %v", e.name, e.err)
}

// decode decodes argument name into dst; an absent argument leaves dst alone.
func (p args) decode(name string, dst any) error {
	raw, ok := p[name]
	if !ok {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return &argError{name, err}
	}
	return nil
}

// has reports whether any of the named arguments is present. Generated code
// uses it for optional request bodies.
//
//lint:ignore U1000 the generator emits calls to it for optional bodies; the current spec has none.
func (p args) has(names ...string) bool {
	for _, n := range names {
		if _, ok := p[n]; ok {
			return true
		}
	}
	return false
}

// object builds a JSON object of the present arguments, given as pairs of
// argument name and field name, and decodes it into dst.
func (p args) object(dst any, pairs ...string) error {
	obj := make(map[string]json.RawMessage, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		if raw, ok := p[pairs[i]]; ok {
			obj[pairs[i+1]] = raw
		}
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return &argError{"body", err}
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return &argError{"body", err}
	}
	return nil
}
