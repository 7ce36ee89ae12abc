package main

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

var versionSegment = regexp.MustCompile(`^[vV][0-9]+([.][0-9]+)*$`)

// assignIDs gives every operation a stable, unique "resource.action" ID.
// The resource is the operation's first tag, or else the first path segment
// that is neither a parameter nor "api" nor a version such as "v1". The
// action is the operationId without the words that name the resource
// (listServers → list, getApiKey → get, massVerifyMembers → massVerify), or,
// when there is no operationId, a verb from the method and path (GET
// /servers → list, POST /backups/{id}/restore → restore). A clash gets a
// number, in document order.
func (d *document) assignIDs(ops []*operation) {
	seen := map[string]bool{}
	for _, op := range ops {
		op.resource = resourceKey(op)
		action := ""
		if opID := strings.TrimSpace(op.obj.Str("operationId")); opID != "" {
			action = actionFromOperationID(opID, op.resource)
		}
		if action == "" {
			action = actionFromPath(op)
		}
		id := op.resource + "." + action
		for i := 2; seen[id]; i++ {
			id = op.resource + "." + action + strconv.Itoa(i)
		}
		seen[id] = true
		op.action = strings.TrimPrefix(id, op.resource+".")
		op.id = id
	}
}

// resourceKey returns the kebab-case resource an operation belongs to.
func resourceKey(op *operation) string {
	for _, t := range stringsOf(mustGet(op.obj, "tags")) {
		if k := kebab(t); k != "" {
			return k
		}
	}
	if seg := resourceSegment(op.path); seg >= 0 {
		if k := kebab(pathSegments(op.path)[seg]); k != "" {
			return k
		}
	}
	return "default"
}

func pathSegments(path string) []string {
	var out []string
	for _, s := range strings.Split(path, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func isParamSegment(s string) bool { return strings.Contains(s, "{") }

// resourceSegment returns the index of the path segment naming the
// resource, or -1.
func resourceSegment(path string) int {
	for i, s := range pathSegments(path) {
		if isParamSegment(s) || strings.EqualFold(s, "api") || versionSegment.MatchString(s) || kebab(s) == "" {
			continue
		}
		return i
	}
	return -1
}

// resourceWords returns the lower-case words of a resource key with their
// naive singulars ("entries" → "entry", "keys" → "key").
func resourceWords(resource string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Split(resource, "-") {
		if w == "" {
			continue
		}
		m[w] = true
		if s, ok := strings.CutSuffix(w, "ies"); ok && s != "" {
			m[s+"y"] = true
		}
		if s, ok := strings.CutSuffix(w, "es"); ok && s != "" {
			m[s] = true
		}
		if s, ok := strings.CutSuffix(w, "s"); ok && s != "" {
			m[s] = true
		}
	}
	return m
}

// actionFromOperationID drops the resource's words from an operationId.
func actionFromOperationID(opID, resource string) string {
	words := splitWords(opID)
	rw := resourceWords(resource)
	var kept []string
	for _, w := range words {
		if !rw[strings.ToLower(w)] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		kept = words
	}
	return camelJoin(kept)
}

// camelJoin joins words in lower camel case, keeping initialisms and the
// case the spec gave inside a word ("get", "Open", "API", "Spec" →
// "getOpenAPISpec").
func camelJoin(words []string) string {
	var b strings.Builder
	for i, w := range words {
		if i == 0 {
			b.WriteString(strings.ToLower(w))
			continue
		}
		up := strings.ToUpper(w)
		switch {
		case initialisms[up]:
			b.WriteString(up)
		case up == w && len(w) > 1:
			b.WriteString(capWord(w))
		default:
			r, n := utf8.DecodeRuneInString(w)
			b.WriteRune(unicode.ToUpper(r))
			b.WriteString(w[n:])
		}
	}
	return b.String()
}

// actionFromPath names an operation that has no operationId.
func actionFromPath(op *operation) string {
	segs := pathSegments(op.path)
	after := segs
	if i := resourceSegment(op.path); i >= 0 {
		after = segs[i+1:]
	}
	var statics []string
	for _, s := range after {
		if !isParamSegment(s) {
			statics = append(statics, splitWords(s)...)
		}
	}
	endsWithParam := len(segs) > 0 && isParamSegment(segs[len(segs)-1])
	var verb string
	switch op.method {
	case "GET":
		verb = "get"
		if !endsWithParam && looksLikeList(op) {
			verb = "list"
		}
	case "POST":
		if len(statics) > 0 && !endsWithParam {
			return camelJoin(statics)
		}
		verb = "create"
	case "PUT":
		verb = "update"
		if slices.Contains(op.siblings, "PATCH") {
			verb = "replace"
		}
	case "PATCH":
		verb = "update"
	default:
		verb = strings.ToLower(op.method)
	}
	return camelJoin(append([]string{verb}, statics...))
}

// looksLikeList reports whether a GET returns a collection: it is declared
// paginated, takes a cursor or page parameter, or returns an array.
func looksLikeList(op *operation) bool {
	if op.pagination == "cursor" || op.pagination == "page" {
		return true
	}
	for _, p := range op.queryParams {
		switch strings.ToLower(p.name) {
		case "cursor", "page", "after", "starting_after", "page_token", "pagetoken":
			return true
		}
	}
	return op.resp != nil && op.resp.schema != nil && len(op.resp.schema.types) == 1 && op.resp.schema.types[0] == "array"
}
