package restorehubtest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/restorehub/restorehub-go/resources"
)

// kind is how the fake treats an operation, derived from its method and path.
type kind int

const (
	kindList         kind = iota + 1 // GET on a collection
	kindCreate                       // POST on a collection
	kindGet                          // GET on an item
	kindUpdate                       // PATCH or PUT on an item
	kindDelete                       // DELETE on an item
	kindObjectGet                    // GET on a single object such as /account
	kindObjectUpdate                 // PATCH or PUT on a single object
	kindObjectDelete                 // DELETE on a single object
	kindAction                       // any other request, such as POST /backups/{backupId}/restore
)

// route is one operation of the table, ready to match requests.
type route struct {
	op   resources.OperationSpec
	tmpl resources.PathTemplate
	segs []resources.PathSegment
	kind kind
	// checks are the indexes of the parameter segments that name an entity
	// of a known collection, which must exist.
	checks []int
}

// router matches requests to the operation table.
type router struct {
	routes []*route
	// templates are the routes' templates (the same index), for
	// resources.MatchPathTemplate, the client's own precedence rule.
	templates []resources.PathTemplate
	// collections holds the normalized templates ("/servers/{}/backups") of
	// the collections the table implies.
	collections map[string]bool
	// models maps a resources type name to where the operations that
	// return it keep it (from the table's Model).
	models map[string]home
	// jobs is the normalized template of the collection where an item GET
	// reads the jobs that actions return, or "" when the table has none.
	jobs string
}

// normalize renders the first n segments of r's template with every
// parameter as "{}", without a trailing slash: "/servers/{}/backups".
func (r *route) normalize(n int) string { return r.tmpl.ShapePrefix(n) }

// action returns the lower-cased action of an operation ID: "list" for
// "servers.list", "listevents" for "audit.listEvents".
func action(id string) string {
	return strings.ToLower(id[strings.LastIndex(id, ".")+1:])
}

// looksLikeList reports whether an operation ID's action names a list or
// a search.
func looksLikeList(id string) bool {
	a := action(id)
	return strings.Contains(a, "list") || strings.Contains(a, "search")
}

// paginated reports whether op pages its results.
func paginated(op *resources.OperationSpec) bool {
	switch op.Pagination {
	case resources.PaginationCursor, resources.PaginationPage, resources.PaginationOffset,
		resources.PaginationLink, resources.PaginationAfter, resources.PaginationBefore:
		return true
	}
	return false
}

// newRouter classifies every operation of ops.
func newRouter(ops []resources.OperationSpec) (*router, error) {
	rt := &router{collections: make(map[string]bool), models: make(map[string]home)}
	seen := make(map[string]string)
	for _, op := range ops {
		op.Method = strings.ToUpper(op.Method)
		tmpl, err := resources.ParsePathTemplate(op.Path)
		if err != nil {
			return nil, fmt.Errorf("operation %q: %w", op.ID, err)
		}
		sig := op.Method + " " + tmpl.Shape()
		if other, dup := seen[sig]; dup {
			return nil, fmt.Errorf("operations %q and %q both serve %s", other, op.ID, sig)
		}
		seen[sig] = op.ID
		rt.routes = append(rt.routes, &route{op: op, tmpl: tmpl, segs: tmpl.Segments()})
		rt.templates = append(rt.templates, tmpl)
	}
	for _, r := range rt.routes {
		n := len(r.segs)
		switch {
		case n > 0 && r.segs[n-1].HasParam():
			rt.collections[r.normalize(n-1)] = true
		case r.op.Method == http.MethodGet && (paginated(&r.op) || r.op.List != nil || looksLikeList(r.op.ID)),
			r.op.Method == http.MethodPost && action(r.op.ID) == "create":
			rt.collections[r.normalize(n)] = true
		}
	}
	for _, r := range rt.routes {
		n := len(r.segs)
		item := n > 0 && r.segs[n-1].HasParam()
		collection := rt.collections[r.normalize(n)]
		switch m := r.op.Method; {
		case item && m == http.MethodGet:
			r.kind = kindGet
		case item && (m == http.MethodPatch || m == http.MethodPut):
			r.kind = kindUpdate
		case item && m == http.MethodDelete:
			r.kind = kindDelete
		case item:
			r.kind = kindAction
		case collection && m == http.MethodGet:
			r.kind = kindList
		case collection && m == http.MethodPost:
			r.kind = kindCreate
		case collection:
			r.kind = kindAction
		case m == http.MethodGet:
			r.kind = kindObjectGet
		case m == http.MethodPatch || m == http.MethodPut:
			r.kind = kindObjectUpdate
		case m == http.MethodDelete:
			r.kind = kindObjectDelete
		default:
			r.kind = kindAction
		}
		for i, s := range r.segs {
			if s.Param() != "" && rt.collections[r.normalize(i)] {
				r.checks = append(r.checks, i)
			}
		}
	}
	rt.findModels()
	return rt, nil
}

// findModels fills rt.models and rt.jobs from the operations' Model: a
// type lives in the collection of its item GET, else of its create, else
// of its list, else at the object path its object GET reads. Jobs live in
// the collection where an item GET returns the Model that actions return,
// or else in a collection whose path ends in "jobs" and has an item GET.
func (rt *router) findModels() {
	for _, pass := range []kind{kindGet, kindCreate, kindList, kindObjectGet} {
		for _, r := range rt.routes {
			if r.kind != pass || r.op.Model == "" {
				continue
			}
			if _, done := rt.models[r.op.Model]; done {
				continue
			}
			n := len(r.segs)
			switch pass {
			case kindGet:
				rt.models[r.op.Model] = home{path: r.normalize(n - 1), segs: r.segs[:n-1]}
			case kindCreate, kindList:
				rt.models[r.op.Model] = home{path: r.normalize(n), segs: r.segs}
			case kindObjectGet:
				if len(r.tmpl.Params()) == 0 {
					rt.models[r.op.Model] = home{path: r.normalize(n), object: true}
				}
			}
		}
	}
	var jobModels []string
	for _, r := range rt.routes {
		if r.kind == kindAction && r.op.Model != "" {
			jobModels = append(jobModels, r.op.Model)
		}
	}
	for _, r := range rt.routes {
		if r.kind == kindGet && r.op.Model != "" && slices.Contains(jobModels, r.op.Model) {
			rt.jobs = r.normalize(len(r.segs) - 1)
			return
		}
	}
	for _, r := range rt.routes {
		n := len(r.segs)
		if r.kind != kindGet || n < 2 {
			continue // "/" has no segments at all
		}
		if lit, ok := r.segs[n-2].Literal(); ok && strings.EqualFold(lit, "jobs") {
			rt.jobs = r.normalize(n - 1)
			return
		}
	}
}

// splitPath splits an escaped path below the base into unescaped
// segments, as resources.PathTemplate matches it: without leading or
// trailing slashes.
func splitPath(escaped string) ([]string, bool) {
	rest := strings.Trim(escaped, "/")
	if rest == "" {
		return nil, true
	}
	parts := strings.Split(rest, "/")
	for i, p := range parts {
		u, err := url.PathUnescape(p)
		if err != nil {
			return nil, false
		}
		parts[i] = u
	}
	return parts, true
}

// match finds the operation for method and the escaped path below the
// base, by the client's own rule (resources.MatchPathTemplate), with the
// route's parameters unescaped. When none fits it returns the status to
// answer: 404 when no template fits the path, 405 when templates fit but
// not with this method (allow lists their methods).
func (rt *router) match(method, escaped string) (r *route, params map[string]string, status int, allow []string) {
	i := resources.MatchPathTemplate(rt.templates, escaped, func(i int) bool { return rt.routes[i].op.Method == method })
	if i >= 0 {
		r = rt.routes[i]
		values, _ := r.tmpl.Match(escaped)
		params = make(map[string]string, len(values))
		for name, v := range values {
			if u, err := url.PathUnescape(v); err == nil {
				params[name] = u
			} else {
				params[name] = v
			}
		}
		return r, params, 0, nil
	}
	for _, c := range rt.routes {
		if c.tmpl.Matches(escaped) && !slices.Contains(allow, c.op.Method) {
			allow = append(allow, c.op.Method)
		}
	}
	if len(allow) > 0 {
		slices.Sort(allow)
		return nil, nil, http.StatusMethodNotAllowed, allow
	}
	return nil, nil, http.StatusNotFound, nil
}

// hasCollection reports whether the table implies a collection whose
// normalized template is tmpl, such as "/servers" or "/servers/{}/backups".
func (rt *router) hasCollection(tmpl string) bool { return rt.collections[tmpl] }

// hasObject reports whether the table reads a single object at path, such
// as "/account".
func (rt *router) hasObject(path string) bool {
	for _, r := range rt.routes {
		if r.kind == kindObjectGet && r.normalize(len(r.segs)) == path {
			return true
		}
	}
	return false
}
