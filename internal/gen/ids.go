package main

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/restorehub/restorehub-go/internal/openapi"
)

var versionSegment = regexp.MustCompile(`^[vV][0-9]+([.][0-9]+)*$`)

// assignIDs gives every operation a stable, unique "resource.action" ID.
// The resource is the operation's first tag, or else the first path segment
// that is neither a parameter nor "api" nor a version such as "v1" (for an
// RPC-style segment such as "keys.createKey", the part before the dot); a
// leading version word ("v2 models" → "models") is dropped when no other
// resource has that name. The action is the operationId without the words
// that name the resource (listServers → list, getApiKey → get,
// massVerifyMembers → massVerify), a leading version (v1GetConfig →
// getConfig) or a NestJS controller prefix (CatsController_findAll →
// findAll), or, when there is no operationId, a verb from the method and
// path (GET /servers → list, POST /backups/{id}/restore → restore). Words
// are dropped only where that leaves the action unique within its resource;
// otherwise the operations that clash keep them. A clash that remains gets
// a number, in document order.
func (d *document) assignIDs(ops []*operation) {
	keys := make([]string, len(ops))
	for i, op := range ops {
		keys[i] = resourceKey(op)
	}
	short := dropResourceVersions(keys)
	for i, k := range short {
		if k != keys[i] {
			if d.renamedResources == nil {
				d.renamedResources = map[string]string{}
			}
			d.renamedResources[k] = keys[i]
		}
	}
	keys = short
	cands := make([][]string, len(ops))
	for i, op := range ops {
		op.resource = keys[i]
		if opID := strings.TrimSpace(op.obj.Str("operationId")); opID != "" {
			cands[i] = actionCandidates(opID, op.resource)
		}
		if len(cands[i]) == 0 {
			if _, method, ok := rpcPath(op.path); ok {
				cands[i] = actionCandidates(method, op.resource)
			}
		}
		if len(cands[i]) == 0 {
			cands[i] = []string{actionFromPath(op)}
		}
	}
	actions := pickActions(keys, cands)
	seen := map[string]bool{}
	for i, op := range ops {
		id := op.resource + "." + actions[i]
		for n := 2; seen[id]; n++ {
			id = op.resource + "." + actions[i] + strconv.Itoa(n)
		}
		seen[id] = true
		op.action = strings.TrimPrefix(id, op.resource+".")
		op.id = id
	}
}

// pickActions chooses one of each operation's candidate actions, best
// first: where operations of one resource would share a method name, each
// of them that has a longer candidate (and whose candidates differ from the
// others') takes it, until no clash is left or none can give way.
func pickActions(resources []string, cands [][]string) []string {
	at := make([]int, len(cands))
	for {
		groups := map[string][]int{}
		for i, c := range cands {
			k := resources[i] + "." + exportedName(c[at[i]])
			groups[k] = append(groups[k], i)
		}
		moved := false
		for _, g := range groups {
			if len(g) < 2 {
				continue
			}
			// Operations with the same candidates (the same
			// operationId) cannot be told apart by words: they keep
			// the best and get numbers.
			same := map[string]int{}
			for _, i := range g {
				same[strings.Join(cands[i], "\x00")]++
			}
			for _, i := range g {
				if same[strings.Join(cands[i], "\x00")] == 1 && at[i] < len(cands[i])-1 {
					at[i]++
					moved = true
				}
			}
		}
		if !moved {
			break
		}
	}
	out := make([]string, len(cands))
	for i, c := range cands {
		out[i] = c[at[i]]
	}
	return out
}

// actionCandidates returns the actions an operationId can give, best
// first: without its NestJS controller prefix, the resource's words (and a
// preposition they leave dangling at the end) and a leading version; then
// keeping the resource's words; then every word.
// It returns nil when the operationId has no words but a version.
func actionCandidates(opID, resource string) []string {
	all := splitWords(opID)
	if len(all) == 0 {
		return nil
	}
	words := all
	if ctrl, rest, ok := strings.Cut(opID, "_"); ok && strings.HasSuffix(ctrl, "Controller") {
		if w := splitWords(rest); len(w) > 0 {
			words = w
		}
	}
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
	// A preposition the resource's words leave dangling at the end goes
	// with them: banUserFromGuild under guilds is banUser, not banUserFrom.
	if n := len(kept); n > 1 && n < len(words) && rw[strings.ToLower(words[len(words)-1])] && danglingWords[strings.ToLower(kept[n-1])] {
		kept = kept[:n-1]
	}
	if versionPrefix(kept) == len(kept) {
		// An operationId that is only a version ("v2") names no
		// action: the path does.
		return nil
	}
	var out []string
	for _, c := range [][]string{dropLeadingVersion(kept), dropLeadingVersion(words), all} {
		if a := camelJoin(c); a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// danglingWords are the prepositions an operationId puts before the
// resource it names last ("…FromGuild", "…ForIdentity").
var danglingWords = map[string]bool{
	"from": true, "for": true, "in": true, "of": true, "to": true, "by": true, "with": true,
	"on": true, "at": true, "into": true, "within": true,
}

var (
	versionWord = regexp.MustCompile(`^[vV][0-9]+([a-zA-Z]+[0-9]*)?$`)
	preRelease  = regexp.MustCompile(`^(?i:alpha|beta|rc|preview)[0-9]*$`)
	yearWord    = regexp.MustCompile(`^(19|20)[0-9][0-9]$`)
	dayWord     = regexp.MustCompile(`^[0-9]{1,2}$`)
)

// versionPrefix returns how many of words, from the first, spell a version:
// "v1", "V2", "v1beta1", "v1" "Beta1", or a date such as "2023" "10" "01".
func versionPrefix(words []string) int {
	if len(words) == 0 {
		return 0
	}
	switch {
	case versionWord.MatchString(words[0]):
		if len(words) > 1 && preRelease.MatchString(words[1]) {
			return 2
		}
		return 1
	case yearWord.MatchString(words[0]):
		n := 1
		for n < len(words) && n < 3 && dayWord.MatchString(words[n]) {
			n++
		}
		if n > 1 {
			return n
		}
	}
	return 0
}

// dropLeadingVersion drops the version words words start with, unless they
// are all there is.
func dropLeadingVersion(words []string) []string {
	if n := versionPrefix(words); n > 0 && n < len(words) {
		return words[n:]
	}
	return words
}

// dropResourceVersions drops a leading version word from resource keys
// ("v2-models" → "models") where the rest names no other resource, by
// itself or in the singular ("v2-providers" stays beside "provider").
func dropResourceVersions(keys []string) []string {
	taken := map[string]string{} // singular form → key
	for _, k := range keys {
		taken[singularKey(k)] = k
	}
	out := slices.Clone(keys)
	renamed := map[string]string{}
	for i, k := range keys {
		if r, ok := renamed[k]; ok {
			out[i] = r
			continue
		}
		words := strings.Split(k, "-")
		n := versionPrefix(words)
		if n == 0 || n == len(words) {
			renamed[k] = k
			continue
		}
		short := strings.Join(words[n:], "-")
		if other, ok := taken[singularKey(short)]; ok && other != k {
			renamed[k] = k
			continue
		}
		taken[singularKey(short)] = k
		renamed[k], out[i] = short, short
	}
	return out
}

// singularKey spells a resource key with each word in a naive singular, to
// compare keys that differ only in number.
func singularKey(k string) string {
	words := strings.Split(k, "-")
	for i, w := range words {
		switch {
		case strings.HasSuffix(w, "ies") && len(w) > 3:
			words[i] = w[:len(w)-3] + "y"
		case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 1:
			words[i] = w[:len(w)-1]
		}
	}
	return strings.Join(words, "-")
}

// resourceKey returns the kebab-case resource an operation belongs to.
func resourceKey(op *operation) string {
	for _, t := range openapi.Strings(mustGet(op.obj, "tags")) {
		if k := kebab(t); k != "" {
			return k
		}
	}
	if res, _, ok := rpcPath(op.path); ok {
		if k := kebab(res); k != "" {
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

// rpcSegment matches an RPC-style path segment, "resource.method", such as
// "keys.createKey" or "chat.postMessage".
var rpcSegment = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_-]*)\.([A-Za-z][A-Za-z0-9_]*)$`)

// fileExtensions are what follows the dot of a segment that names a file
// ("openapi.json", "widget.png"), not a method.
var fileExtensions = map[string]bool{
	"json": true, "yaml": true, "yml": true, "xml": true, "txt": true, "html": true, "htm": true,
	"js": true, "css": true, "png": true, "jpg": true, "jpeg": true, "gif": true, "svg": true,
	"webp": true, "ico": true, "pdf": true, "csv": true, "zip": true, "gz": true, "md": true,
	"php": true, "asp": true, "aspx": true, "wasm": true, "map": true,
}

// rpcPath reports whether path names an RPC-style method in its resource
// segment, as Unkey's "/v2/keys.createKey" or Slack's
// "/api/chat.postMessage" do, and returns the resource and the method.
func rpcPath(path string) (resource, method string, ok bool) {
	i := resourceSegment(path)
	if i < 0 {
		return "", "", false
	}
	m := rpcSegment.FindStringSubmatch(pathSegments(path)[i])
	if m == nil || fileExtensions[strings.ToLower(m[2])] {
		return "", "", false
	}
	return m[1], m[2], true
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
		// The plural of a singular resource ("identity" → "identities",
		// "pet" → "pets"), so that listIdentities under "identity" is list.
		switch {
		case strings.HasSuffix(w, "y") && len(w) > 1 && !strings.ContainsRune("aeiou", rune(w[len(w)-2])):
			m[w[:len(w)-1]+"ies"] = true
		case strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x") || strings.HasSuffix(w, "ch") || strings.HasSuffix(w, "sh"):
			m[w+"es"] = true
		default:
			m[w+"s"] = true
		}
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
