// Package specdiff reads the operations of an OpenAPI document the way the
// generator (internal/gen) reads them: method, path template, scope, tier
// and paging style. restorehub.CompareSpec and cmd/restorehub-drift use it to
// compare a live spec with the operation table compiled into the SDK.
//
// The rules mirror internal/gen/ops.go and plan.go:
//
//   - scope: the first scope of the operation's own security requirements,
//     else x-required-scope, else (when the operation has no security of its
//     own) the first scope of the document's security requirements;
//   - tier: x-scope-tier, else the tier of the document's x-scopes list that
//     names the scope, else "" (the caller may derive it from the scope);
//   - pagination: x-pagination (a style string, or an object with "style"),
//     else, for a GET, a cursor-like query parameter (cursor, after,
//     starting_after, page_token, pageToken) means "cursor" and a page-like
//     one (page, pageNumber, page_number) means "page"; otherwise "none".
//     Unlike the generator, the response schema is not checked.
package specdiff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/restorehub/restorehub-go/resources"
)

// Op is one operation of a spec.
type Op struct {
	// Method is the HTTP method in upper case.
	Method string
	// Path is the path template as the spec writes it.
	Path string
	// OperationID is the spec's operationId, or "".
	OperationID string
	// Scope is the scope the operation needs, or "" when none is given.
	Scope string
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

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// Shape returns path with every template parameter's name removed, so that
// "/backups/{backupId}" and "/backups/{id}" have the same shape "/backups/{}"
// (resources.PathTemplate.Shape, the shape the SDK's fake and generator
// compare). A path that is no template the SDK can parse is its own shape.
func Shape(path string) string {
	tmpl, err := resources.ParsePathTemplate(path)
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
// the $ref pointers resolved plus the hops taken, over the whole document.
// It returns ctx's error when ctx ends first, and ErrBudget when the budget
// runs out.
func ParseContext(ctx context.Context, data []byte, budget int) (*Spec, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var root any
	if err := json.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("specdiff: the spec is not valid JSON: %w", err)
	}
	doc, ok := root.(map[string]any)
	if !ok {
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
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: it has no \"paths\" object", ErrNotOpenAPI)
	}
	r := &reader{root: doc, ctx: ctx, left: budget}
	info, _ := doc["info"].(map[string]any)
	spec := &Spec{Title: str(info, "title"), Version: str(info, "version")}
	tiers := scopeTiers(doc)
	for path, v := range paths {
		item, ok := r.follow(v)
		if r.err != nil {
			return nil, r.err
		}
		if !ok {
			continue
		}
		shared, _ := item["parameters"].([]any)
		for _, m := range httpMethods {
			o, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			op := Op{
				Method:      strings.ToUpper(m),
				Path:        path,
				OperationID: str(o, "operationId"),
				Summary:     strings.TrimSpace(str(o, "summary")),
				Inferred:    o["x-inferred"] == true,
			}
			op.Scope = operationScope(doc, o)
			op.Tier = strings.ToLower(strings.TrimSpace(str(o, "x-scope-tier")))
			if op.Tier == "" && op.Scope != "" {
				op.Tier = tiers[op.Scope]
			}
			op.Pagination = r.pagination(op.Method, o, shared)
			if r.err != nil {
				return nil, r.err
			}
			spec.Ops = append(spec.Ops, op)
		}
	}
	sort.Slice(spec.Ops, func(i, j int) bool {
		a, b := spec.Ops[i], spec.Ops[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return slices.Index(httpMethods, strings.ToLower(a.Method)) < slices.Index(httpMethods, strings.ToLower(b.Method))
	})
	return spec, nil
}

// reader resolves local $refs of one document, within a budget of work
// for the whole document and until its context ends.
type reader struct {
	root  map[string]any
	ctx   context.Context
	left  int   // work left: pointer bytes resolved plus hops
	steps int   // spends so far, to check ctx now and then
	err   error // ErrBudget or ctx's error, once either stopped the reading
}

// spend takes n units of work from the budget; it reports false (and sets
// r.err) once the budget is spent or the context ended.
func (r *reader) spend(n int) bool {
	if r.err != nil {
		return false
	}
	r.left -= n
	if r.left < 0 {
		r.err = ErrBudget
		return false
	}
	if r.steps++; r.steps%256 == 0 {
		if err := r.ctx.Err(); err != nil {
			r.err = err
			return false
		}
	}
	return true
}

// follow returns v as an object, resolving local "$ref"s (at most 32 deep, so
// a cycle cannot loop; and each hop is paid from the document's budget, so
// many references to a long chain cannot add up without end).
func (r *reader) follow(v any) (map[string]any, bool) {
	for range 32 {
		o, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		ref, isRef := o["$ref"].(string)
		if !isRef {
			return o, true
		}
		if !r.spend(1 + len(ref)) {
			return nil, false
		}
		if v, ok = r.pointer(ref); !ok {
			return nil, false
		}
	}
	return nil, false
}

// pointer resolves a "#/a/b" JSON pointer in the document.
func (r *reader) pointer(ref string) (any, bool) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, false
	}
	var cur any = r.root
	for _, tok := range strings.Split(rest, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			if cur, ok = c[tok]; !ok {
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return cur, true
}

// operationScope mirrors internal/gen's operationScope.
func operationScope(doc, o map[string]any) string {
	if sec, ok := o["security"]; ok {
		if s := requirementScope(sec); s != "" {
			return s
		}
	}
	if s := strings.TrimSpace(str(o, "x-required-scope")); s != "" {
		return s
	}
	if _, own := o["security"]; !own {
		return requirementScope(doc["security"])
	}
	return ""
}

// requirementScope returns the first scope of the first security requirement
// that names scopes. Within a requirement, schemes are read in name order.
func requirementScope(sec any) string {
	reqs, _ := sec.([]any)
	for _, rv := range reqs {
		req, _ := rv.(map[string]any)
		names := make([]string, 0, len(req))
		for k := range req {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			list, _ := req[k].([]any)
			for _, s := range list {
				if s, ok := s.(string); ok && strings.TrimSpace(s) != "" {
					return strings.TrimSpace(s)
				}
			}
		}
	}
	return ""
}

// scopeTiers maps each scope of the document's x-scopes lists to its tier.
func scopeTiers(doc map[string]any) map[string]string {
	m := map[string]string{}
	xs, _ := doc["x-scopes"].(map[string]any)
	tiers := make([]string, 0, len(xs))
	for k := range xs {
		tiers = append(tiers, k)
	}
	sort.Strings(tiers)
	for _, tier := range tiers {
		list, ok := xs[tier].([]any)
		if !ok || strings.HasPrefix(tier, "x-") {
			continue
		}
		for _, s := range list {
			if s, ok := s.(string); ok {
				if _, seen := m[s]; !seen {
					m[s] = strings.ToLower(tier)
				}
			}
		}
	}
	return m
}

var (
	cursorParams = []string{"cursor", "after", "starting_after", "page_token", "pageToken"}
	pageParams   = []string{"page", "pageNumber", "page_number"}
)

// pagination mirrors internal/gen's readPagination and, when the spec
// declares no style, the query-parameter half of planPagination.
func (r *reader) pagination(method string, o map[string]any, shared []any) string {
	if v, ok := o["x-pagination"]; ok {
		var style string
		switch t := v.(type) {
		case string:
			style = t
		case map[string]any:
			style = str(t, "style")
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
	own, _ := o["parameters"].([]any)
	var query []string
	for _, pv := range append(slices.Clip(shared), own...) {
		p, ok := r.follow(pv)
		if ok && strings.EqualFold(str(p, "in"), "query") {
			query = append(query, str(p, "name"))
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

// quoteValue is v as JSON, cut to 40 bytes, for an error message.
func quoteValue(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 40 {
		b = append(b[:40:40], "…"...)
	}
	return string(b)
}

func str(o map[string]any, k string) string {
	s, _ := o[k].(string)
	return s
}
