// Package specdiff reads the operations of an OpenAPI document the way the
// generator (internal/gen) reads them: method, path template, scope, tier
// and paging style. restorehub.CompareSpec and cmd/restorehub-drift use it to
// compare a live spec with the operation table compiled into the SDK.
//
// Documents are read by internal/openapi, the reader the generator uses, so
// an operation's scope here is the generator's by construction:
//
//   - scope: [openapi.Document.Scopes], the least privileged accepted scope;
//   - tier: x-scope-tier, else the tier of the document's x-scopes list that
//     names the scope, else "" (the caller may derive it from the scope);
//   - pagination: x-pagination (a style string, or an object with "style"),
//     else, for a GET, a cursor-like query parameter (cursor, after,
//     starting_after, page_token, pageToken) means "cursor" and a page-like
//     one (page, pageNumber, page_number) means "page"; otherwise "none".
//     Unlike the generator, the response schema is not checked.
package specdiff

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/restorehub/restorehub-go/internal/openapi"
)

// Op is one operation of a spec.
type Op struct {
	// Method is the HTTP method in upper case.
	Method string
	// Path is the path template as the spec writes it.
	Path string
	// OperationID is the spec's operationId, or "".
	OperationID string
	// Scope is the scope the operation requires (the least privileged of
	// Accepted), or "" when none is given.
	Scope string
	// Accepted are the scopes any of which the operation accepts.
	Accepted []string
	// Tier is "read", "write", "destructive", or "" when the spec does not say.
	Tier string
	// Pagination is "none", "cursor" or "page".
	Pagination string
	// Inferred reports the spec's x-inferred.
	Inferred bool
	// Summary is the spec's one-line summary.
	Summary string
}

// Key returns the operation's method and path shape, the identity two
// operations are matched by.
func (o Op) Key() string { return Key(o.Method, o.Path) }

// Spec is what Parse reads from a document.
type Spec struct {
	// Title and Version are the document's info.title and info.version.
	Title, Version string
	// Ops are the operations, sorted by path and method.
	Ops []Op
}

// ErrNotOpenAPI is wrapped by Parse's error when the input is JSON but not an
// OpenAPI document with paths.
var ErrNotOpenAPI = errors.New("specdiff: not an OpenAPI document")

var templateParam = regexp.MustCompile(`\{[^{}/]*\}`)

// Shape returns path with every template parameter's name removed, so that
// "/backups/{backupId}" and "/backups/{id}" have the same shape "/backups/{}".
func Shape(path string) string {
	return templateParam.ReplaceAllString(path, "{}")
}

// Key returns "METHOD shape" for a method and path template.
func Key(method, path string) string {
	return strings.ToUpper(method) + " " + Shape(path)
}

// Parse reads the operations of an OpenAPI 3.x document in JSON.
func Parse(data []byte) (*Spec, error) {
	var probe any
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("specdiff: the spec is not valid JSON: %w", err)
	}
	if _, isObject := probe.(map[string]any); !isObject {
		return nil, fmt.Errorf("%w: the top level is not an object", ErrNotOpenAPI)
	}
	d, err := openapi.Load(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotOpenAPI, err)
	}
	if _, ok := d.Root.Get("paths"); !ok || d.Root.Obj("paths") == nil {
		if d.Root.Has("swagger") {
			return nil, fmt.Errorf("%w: Swagger 2.0 documents are not supported", ErrNotOpenAPI)
		}
		return nil, fmt.Errorf("%w: it has no \"paths\" object", ErrNotOpenAPI)
	}
	info := d.Root.Obj("info")
	spec := &Spec{Title: info.Str("title"), Version: info.Str("version")}
	tiers := d.ListedTiers()
	for _, o := range d.Operations(nil) {
		op := Op{
			Method:      o.Method,
			Path:        o.Path,
			OperationID: o.Object.Str("operationId"),
			Summary:     strings.TrimSpace(o.Object.Str("summary")),
			Inferred:    o.Object.IsTrue("x-inferred"),
		}
		sc := d.Scopes(o.Object)
		op.Scope, op.Accepted = sc.Required, sc.Accepted
		op.Tier = strings.ToLower(strings.TrimSpace(o.Object.Str("x-scope-tier")))
		if op.Tier == "" && op.Scope != "" {
			op.Tier = tiers[op.Scope]
		}
		op.Pagination = pagination(d, op.Method, o.Object, o.Item.Arr("parameters"))
		spec.Ops = append(spec.Ops, op)
	}
	sort.SliceStable(spec.Ops, func(i, j int) bool {
		a, b := spec.Ops[i], spec.Ops[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return slices.Index(openapi.HTTPMethods, strings.ToLower(a.Method)) < slices.Index(openapi.HTTPMethods, strings.ToLower(b.Method))
	})
	return spec, nil
}

var (
	cursorParams = []string{"cursor", "after", "starting_after", "page_token", "pageToken"}
	pageParams   = []string{"page", "pageNumber", "page_number"}
)

// pagination mirrors internal/gen's readPagination and, when the spec
// declares no style, the query-parameter half of planPagination.
func pagination(d *openapi.Document, method string, o *openapi.Object, shared []any) string {
	if v, ok := o.Get("x-pagination"); ok {
		var style string
		switch t := v.(type) {
		case string:
			style = t
		case *openapi.Object:
			style = t.Str("style")
		}
		switch style = strings.ToLower(strings.TrimSpace(style)); style {
		case "none", "cursor", "page":
			return style
		}
		return "none"
	}
	if method != "GET" {
		return "none"
	}
	var query []string
	for _, pv := range append(slices.Clip(shared), o.Arr("parameters")...) {
		p, ok := d.Follow(pv)
		if ok && strings.EqualFold(p.Str("in"), "query") {
			query = append(query, p.Str("name"))
		}
	}
	for _, name := range query {
		if slices.Contains(cursorParams, name) {
			return "cursor"
		}
	}
	for _, name := range query {
		if slices.Contains(pageParams, name) {
			return "page"
		}
	}
	return "none"
}
