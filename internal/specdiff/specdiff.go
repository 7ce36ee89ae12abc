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
//     Unlike the generator, the response schema is not checked, so a list
//     the generator pages by offset, Link header or item ids without an
//     x-pagination declaring it reads here as "cursor", "page" or "none".
package specdiff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/restorehub/restorehub-go/internal/openapi"
	"github.com/restorehub/restorehub-go/internal/pathtemplate"
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
	// Pagination is "none" or a paging style (resources.Pagination): "cursor", "page", "offset", "link", "after" or "before".
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

// Shape returns path with every template parameter's name removed, so that
// "/backups/{backupId}" and "/backups/{id}" have the same shape "/backups/{}"
// (resources.PathTemplate.Shape, the shape the SDK's fake and generator
// compare). A path that is no template the SDK can parse is its own shape.
func Shape(path string) string {
	tmpl, err := pathtemplate.Parse(path)
	if err != nil {
		return path
	}
	return tmpl.Shape()
}

// Key returns "METHOD shape" for a method and path template.
func Key(method, path string) string {
	return strings.ToUpper(method) + " " + Shape(path)
}

// ErrBudget is returned when resolving a document's $refs takes more work
// than its budget: a looping or deliberately long $ref chain.
var ErrBudget = errors.New("specdiff: the spec's $refs take too much work to resolve (a $ref loop or an endless chain?)")

// Budget is the default work budget for a document of n bytes: about 8
// bytes of $ref pointers resolved per byte of document, plus a floor. A
// document resolves each $ref once or twice, over a hop or two, so a
// real one stays far below it, while a $ref loop or chain (each
// reference followed up to 32 hops) cannot multiply the work further.
func Budget(n int) int { return 8*n + 1<<20 }

// Parse reads the operations of an OpenAPI 3.x document in JSON, within
// Budget(len(data)).
func Parse(data []byte) (*Spec, error) {
	return ParseContext(context.Background(), data, Budget(len(data)))
}

// ParseContext is Parse bounded by ctx and by budget: the total length of
// the $ref pointers resolved plus the hops taken, over the whole document
// (openapi.Document.Bound). It returns ctx's error when ctx ends first, and
// ErrBudget when the budget runs out.
func ParseContext(ctx context.Context, data []byte, budget int) (*Spec, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var probe any
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("specdiff: the spec is not valid JSON: %w", err)
	}
	doc, isObject := probe.(map[string]any)
	if !isObject {
		return nil, fmt.Errorf("%w: the top level is not an object", ErrNotOpenAPI)
	}
	if _, isSwagger := doc["swagger"]; isSwagger {
		return nil, fmt.Errorf("%w: it is a Swagger 2.0 document (\"swagger\": %s); convert it to OpenAPI 3 first", ErrNotOpenAPI, quoteValue(doc["swagger"]))
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.") {
		if _, has := doc["openapi"]; has {
			return nil, fmt.Errorf("%w: \"openapi\" is %s, not a 3.x version", ErrNotOpenAPI, quoteValue(doc["openapi"]))
		}
		if _, hasPaths := doc["paths"]; hasPaths {
			return nil, fmt.Errorf("%w: it has no \"openapi\" version field (such as \"3.1.0\")", ErrNotOpenAPI)
		}
	}
	d, err := openapi.Load(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotOpenAPI, err)
	}
	d.Bound(ctx, budget, ErrBudget)
	if _, ok := d.Root.Get("paths"); !ok || d.Root.Obj("paths") == nil {
		return nil, fmt.Errorf("%w: it has no \"paths\" object", ErrNotOpenAPI)
	}
	info := d.Root.Obj("info")
	spec := &Spec{Title: info.Str("title"), Version: info.Str("version")}
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
		op.Tier = d.DeclaredTier(o.Object, op.Scope)
		op.Pagination = pagination(d, op.Method, o.Object, o.Item.Arr("parameters"))
		if err := d.Err(); err != nil {
			return nil, err
		}
		spec.Ops = append(spec.Ops, op)
	}
	if err := d.Err(); err != nil {
		return nil, err
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

// pagination mirrors internal/gen's readPagination and, when the spec
// declares no style, the query-parameter half of planPagination, on the
// names both take from internal/openapi.
func pagination(d *openapi.Document, method string, o *openapi.Object, shared []any) string {
	if style, _, ok := openapi.DeclaredPagination(o); ok {
		if style = strings.TrimSpace(style); slices.Contains(openapi.PaginationStyles, style) {
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
		if slices.Contains(openapi.CursorParams, name) {
			return "cursor"
		}
	}
	for _, name := range query {
		if slices.Contains(openapi.PageParams, name) {
			return "page"
		}
	}
	return "none"
}

// quoteValue shows a JSON value in an error, at most 40 bytes of it.
func quoteValue(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 40 {
		b = append(b[:40:40], "…"...)
	}
	return string(b)
}
