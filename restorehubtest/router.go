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

// segment is one segment of a path template: a literal or a parameter.
type segment struct {
	lit   string
	param string // the parameter's name; "" for a literal
}

// route is one operation of the table, ready to match requests.
type route struct {
	op   resources.OperationSpec
	segs []segment
	kind kind
	// checks are the indexes of the parameter segments that name an entity
	// of a known collection, which must exist.
	checks []int
}

// router matches requests to the operation table.
type router struct {
	routes []*route
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

// parseTemplate splits a path template such as "/servers/{serverId}".
func parseTemplate(path string) ([]segment, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("path %q does not start with /", path)
	}
	rest := strings.TrimPrefix(path, "/")
	if rest == "" {
		return nil, nil
	}
	var segs []segment
	for _, s := range strings.Split(rest, "/") {
		switch {
		case s == "":
			return nil, fmt.Errorf("path %q has an empty segment", path)
		case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") && len(s) > 2:
			segs = append(segs, segment{param: s[1 : len(s)-1]})
		case strings.ContainsAny(s, "{}"):
			return nil, fmt.Errorf("path %q has a partial parameter segment %q", path, s)
		default:
			segs = append(segs, segment{lit: s})
		}
	}
	return segs, nil
}

// normalize renders the first n segments with every parameter as "{}".
func normalize(segs []segment, n int) string {
	var b strings.Builder
	for _, s := range segs[:n] {
		b.WriteByte('/')
		if s.param != "" {
			b.WriteString("{}")
		} else {
			b.WriteString(s.lit)
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

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
	return op.Pagination == resources.PaginationCursor || op.Pagination == resources.PaginationPage
}

// newRouter classifies every operation of ops.
func newRouter(ops []resources.OperationSpec) (*router, error) {
	rt := &router{collections: make(map[string]bool), models: make(map[string]home)}
	seen := make(map[string]string)
	for _, op := range ops {
		op.Method = strings.ToUpper(op.Method)
		segs, err := parseTemplate(op.Path)
		if err != nil {
			return nil, fmt.Errorf("operation %q: %w", op.ID, err)
		}
		sig := op.Method + " " + normalize(segs, len(segs))
		if other, dup := seen[sig]; dup {
			return nil, fmt.Errorf("operations %q and %q both serve %s", other, op.ID, sig)
		}
		seen[sig] = op.ID
		rt.routes = append(rt.routes, &route{op: op, segs: segs})
	}
	for _, r := range rt.routes {
		n := len(r.segs)
		switch {
		case n > 0 && r.segs[n-1].param != "":
			rt.collections[normalize(r.segs, n-1)] = true
		case r.op.Method == http.MethodGet && (paginated(&r.op) || r.op.List != nil || looksLikeList(r.op.ID)),
			r.op.Method == http.MethodPost && action(r.op.ID) == "create":
			rt.collections[normalize(r.segs, n)] = true
		}
	}
	for _, r := range rt.routes {
		n := len(r.segs)
		item := n > 0 && r.segs[n-1].param != ""
		collection := rt.collections[normalize(r.segs, n)]
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
			if s.param != "" && rt.collections[normalize(r.segs, i)] {
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
				rt.models[r.op.Model] = home{path: normalize(r.segs, n-1), segs: r.segs[:n-1]}
			case kindCreate, kindList:
				rt.models[r.op.Model] = home{path: normalize(r.segs, n), segs: r.segs}
			case kindObjectGet:
				if !strings.Contains(normalize(r.segs, n), "{}") {
					rt.models[r.op.Model] = home{path: normalize(r.segs, n), object: true}
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
			rt.jobs = normalize(r.segs, len(r.segs)-1)
			return
		}
	}
	for _, r := range rt.routes {
		n := len(r.segs)
		if r.kind == kindGet && n >= 2 && strings.EqualFold(r.segs[n-2].lit, "jobs") {
			rt.jobs = normalize(r.segs, n-1)
			return
		}
	}
}

// splitPath splits an escaped path below the base into unescaped segments.
func splitPath(escaped string) ([]string, bool) {
	rest := strings.TrimPrefix(escaped, "/")
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

// matches reports whether the request segments fit r's template.
func (r *route) matches(parts []string) bool {
	if len(parts) != len(r.segs) {
		return false
	}
	for i, s := range r.segs {
		if s.param != "" {
			if parts[i] == "" {
				return false
			}
		} else if s.lit != parts[i] {
			return false
		}
	}
	return true
}

// moreSpecific reports whether a's template beats b's: at the first
// position where one has a literal and the other a parameter, the literal
// wins, so "/servers/search" beats "/servers/{serverId}".
func moreSpecific(a, b *route) bool {
	for i := range a.segs {
		al, bl := a.segs[i].param == "", b.segs[i].param == ""
		if al != bl {
			return al
		}
	}
	return false
}

// match finds the operation for method and parts. When none fits it
// returns the status to answer: 404 when no template fits the path, 405
// when templates fit but not with this method (allow lists their methods).
func (rt *router) match(method string, parts []string) (r *route, status int, allow []string) {
	for _, c := range rt.routes {
		if !c.matches(parts) {
			continue
		}
		if c.op.Method != method {
			if !slices.Contains(allow, c.op.Method) {
				allow = append(allow, c.op.Method)
			}
			continue
		}
		if r == nil || moreSpecific(c, r) {
			r = c
		}
	}
	if r != nil {
		return r, 0, nil
	}
	if len(allow) > 0 {
		slices.Sort(allow)
		return nil, http.StatusMethodNotAllowed, allow
	}
	return nil, http.StatusNotFound, nil
}

// params maps r's parameter names to the request's values.
func (r *route) params(parts []string) map[string]string {
	out := make(map[string]string)
	for i, s := range r.segs {
		if s.param != "" {
			out[s.param] = parts[i]
		}
	}
	return out
}

// hasCollection reports whether the table implies a collection whose
// normalized template is tmpl, such as "/servers" or "/servers/{}/backups".
func (rt *router) hasCollection(tmpl string) bool { return rt.collections[tmpl] }

// hasObject reports whether the table reads a single object at path, such
// as "/account".
func (rt *router) hasObject(path string) bool {
	for _, r := range rt.routes {
		if r.kind == kindObjectGet && normalize(r.segs, len(r.segs)) == path {
			return true
		}
	}
	return false
}
