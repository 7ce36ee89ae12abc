package restorehub

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/restorehub/restorehub-go/internal/specdiff"
	"github.com/restorehub/restorehub-go/resources"
)

// MaxSpecSize is the largest OpenAPI document, in bytes, that Drift and
// CompareSpec accept.
const MaxSpecSize = 16 << 20

// DriftReport is the difference between the operation table compiled into
// this SDK and an OpenAPI document, such as the live one Client.Drift fetches.
// Operations are matched by method and path shape: "/backups/{backupId}" and
// "/backups/{id}" are the same path.
type DriftReport struct {
	// SpecTitle and SpecVersion are the document's info.title and info.version.
	SpecTitle   string `json:"specTitle,omitempty"`
	SpecVersion string `json:"specVersion,omitempty"`
	// SDKOperations is how many operations the SDK's table holds.
	SDKOperations int `json:"sdkOperations"`
	// LiveOperations is how many operations the document holds.
	LiveOperations int `json:"liveOperations"`
	// Missing are the SDK's operations whose method and path the document lacks.
	Missing []DriftOperation `json:"missing"`
	// Changed are the operations both have whose scope, tier or pagination differ.
	Changed []DriftChange `json:"changed"`
	// Extra are the document's operations the SDK lacks.
	Extra []DriftOperation `json:"extra"`
	// NoScopes reports that no operation of the document names a scope, so
	// scopes were not compared (rather than reporting every operation's
	// scope as changed).
	NoScopes bool `json:"noScopes,omitempty"`
}

// HasDrift reports whether the report found any difference.
func (r *DriftReport) HasDrift() bool {
	return r != nil && len(r.Missing)+len(r.Changed)+len(r.Extra) > 0
}

// DriftOperation is one operation that only one side has.
type DriftOperation struct {
	// ID is the SDK's operation ID ("backups.restore") for a missing
	// operation, and the document's operationId, if any, for an extra one.
	ID string `json:"id,omitempty"`
	// Method is the HTTP method.
	Method string `json:"method"`
	// Path is the path template.
	Path string `json:"path"`
	// Scope is the scope the operation needs, or "" when none is given.
	Scope string `json:"scope,omitempty"`
	// Tier is the scope's tier, or "" when unknown.
	Tier string `json:"tier,omitempty"`
	// Pagination is "none" or a paging style (resources.Pagination): "cursor", "page", "offset", "link", "after" or "before".
	Pagination string `json:"pagination,omitempty"`
	// Inferred reports that the SDK guessed the operation from a scope name
	// (or that the document marks it x-inferred).
	Inferred bool `json:"inferred,omitempty"`
	// Summary is the one-line summary.
	Summary string `json:"summary,omitempty"`
}

// DriftChange is an operation both sides have whose scope, tier or
// pagination differ.
type DriftChange struct {
	// ID is the SDK's operation ID.
	ID string `json:"id"`
	// Method is the HTTP method.
	Method string `json:"method"`
	// Path is the SDK's path template.
	Path string `json:"path"`
	// LivePath is the document's path template (the same shape as Path).
	LivePath string `json:"livePath"`
	// Inferred reports that the SDK guessed the operation from a scope name.
	Inferred bool `json:"inferred,omitempty"`
	// Fields are the differences, in the order scope, tier, pagination.
	Fields []DriftField `json:"fields"`
}

// DriftField is one field that differs.
type DriftField struct {
	// Name is "scope", "tier" or "pagination".
	Name string `json:"name"`
	// SDK is the SDK's value ("" when it has none).
	SDK string `json:"sdk"`
	// Live is the document's value ("" when it has none).
	Live string `json:"live"`
}

// CompareSpec compares an OpenAPI 3.x document (JSON) with the operation
// table compiled into this SDK, without any network access. A scope's tier
// comes from the document (x-scope-tier, x-scopes) or, when it says none,
// from Scope.Tier; a tier the document leaves unknown is not compared.
// When no operation of the document names a scope, scopes are not compared
// at all and the report says so once (NoScopes).
//
// It refuses what is not an OpenAPI 3 document (a Swagger 2.0 file, one
// without an "openapi": "3.x" field) and bounds its work by the document's
// size: a document whose $refs loop or chain beyond that is refused rather
// than resolved for minutes. CompareSpecContext also stops when a context
// ends.
func CompareSpec(specJSON []byte) (*DriftReport, error) {
	return CompareSpecContext(context.Background(), specJSON)
}

// CompareSpecContext is CompareSpec, stopping with ctx's error when ctx
// ends first.
func CompareSpecContext(ctx context.Context, specJSON []byte) (*DriftReport, error) {
	if len(specJSON) > MaxSpecSize {
		return nil, fmt.Errorf("restorehub: CompareSpec: the spec is %d bytes, more than MaxSpecSize (%d)", len(specJSON), MaxSpecSize)
	}
	spec, err := specdiff.ParseContext(ctx, specJSON, specdiff.Budget(len(specJSON)))
	if err != nil {
		return nil, fmt.Errorf("restorehub: CompareSpec: %w", err)
	}
	return compareOps(resources.Operations(), spec), nil
}

// compareOps compares the SDK's table with a parsed document.
func compareOps(table []resources.OperationSpec, spec *specdiff.Spec) *DriftReport {
	r := &DriftReport{
		SpecTitle: spec.Title, SpecVersion: spec.Version,
		SDKOperations: len(table), LiveOperations: len(spec.Ops),
		Missing: []DriftOperation{}, Changed: []DriftChange{}, Extra: []DriftOperation{},
	}
	r.NoScopes = len(spec.Ops) > 0
	for _, op := range spec.Ops {
		if op.Scope != "" {
			r.NoScopes = false
		}
	}
	live := make(map[string]specdiff.Op, len(spec.Ops))
	for _, op := range spec.Ops {
		if _, dup := live[op.Key()]; !dup {
			live[op.Key()] = op
		}
	}
	known := make(map[string]bool, len(table))
	for _, sdk := range table {
		key := specdiff.Key(sdk.Method, sdk.Path)
		known[key] = true
		lop, ok := live[key]
		if !ok {
			r.Missing = append(r.Missing, DriftOperation{
				ID: sdk.ID, Method: sdk.Method, Path: sdk.Path, Scope: sdk.Scope.String(), Tier: tierText(sdk.Tier),
				Pagination: paginationOf(sdk), Inferred: sdk.Inferred, Summary: sdk.Summary,
			})
			continue
		}
		var fields []DriftField
		if !r.NoScopes && sdk.Scope.String() != lop.Scope {
			fields = append(fields, DriftField{Name: "scope", SDK: sdk.Scope.String(), Live: lop.Scope})
		}
		if t := liveTier(lop); t != "" && t != tierText(sdk.Tier) {
			fields = append(fields, DriftField{Name: "tier", SDK: tierText(sdk.Tier), Live: t})
		}
		if p := paginationOf(sdk); p != lop.Pagination {
			fields = append(fields, DriftField{Name: "pagination", SDK: p, Live: lop.Pagination})
		}
		if len(fields) > 0 {
			r.Changed = append(r.Changed, DriftChange{
				ID: sdk.ID, Method: sdk.Method, Path: sdk.Path, LivePath: lop.Path,
				Inferred: sdk.Inferred, Fields: fields,
			})
		}
	}
	for _, op := range spec.Ops {
		if known[op.Key()] {
			continue
		}
		known[op.Key()] = true // a duplicate shape is reported once
		r.Extra = append(r.Extra, DriftOperation{
			ID: op.OperationID, Method: op.Method, Path: op.Path, Scope: op.Scope, Tier: liveTier(op),
			Pagination: op.Pagination, Inferred: op.Inferred, Summary: op.Summary,
		})
	}
	sort.SliceStable(r.Missing, func(i, j int) bool { return r.Missing[i].Path < r.Missing[j].Path })
	sort.SliceStable(r.Changed, func(i, j int) bool { return r.Changed[i].Path < r.Changed[j].Path })
	return r
}

// tierText spells t as the drift report does: its name, or "" when unknown.
func tierText(t Tier) string {
	if t == TierUnknown {
		return ""
	}
	return t.String()
}

// liveTier is the document's tier for op, else the SDK's tier of its scope.
func liveTier(op specdiff.Op) string {
	if op.Tier != "" {
		return op.Tier
	}
	if t := Scope(op.Scope).Tier(); t != TierUnknown {
		return t.String()
	}
	return ""
}

func paginationOf(op resources.OperationSpec) string {
	if op.Pagination == "" {
		return string(resources.PaginationNone)
	}
	return string(op.Pagination)
}

// Drift fetches the live OpenAPI document (GET /openapi.json, the
// meta.getOpenAPISpec operation) and compares it with the operation table
// compiled into this SDK, as CompareSpec does. A document larger than
// MaxSpecSize is refused.
func (c *Client) Drift(ctx context.Context) (*DriftReport, error) {
	var raw cappedJSON
	if _, err := c.Do(ctx, &Request{Method: "GET", Path: "/openapi.json"}, &raw); err != nil {
		return nil, fmt.Errorf("restorehub: Drift: fetching the live spec: %w", err)
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("restorehub: Drift: the live spec is empty")
	}
	return CompareSpecContext(ctx, raw)
}

// cappedJSON keeps a JSON value of at most MaxSpecSize bytes.
type cappedJSON []byte

// UnmarshalJSON implements json.Unmarshaler.
func (c *cappedJSON) UnmarshalJSON(b []byte) error {
	if len(b) > MaxSpecSize {
		return fmt.Errorf("the spec is %d bytes, more than MaxSpecSize (%d)", len(b), MaxSpecSize)
	}
	*c = append((*c)[:0], b...)
	return nil
}

var _ json.Unmarshaler = (*cappedJSON)(nil)
