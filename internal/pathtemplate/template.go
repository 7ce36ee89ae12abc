package pathtemplate

import (
	"fmt"
	"net/url"
	"strings"
)

// Template is a parsed path template such as
// "/servers/{serverId}/backups/{backupId}": the one place where the SDK,
// its fake, its agent toolkit, its drift report and its generator read,
// match and fill path templates, so that all of them pick the same
// operation for a path.
//
// What a template may be (Parse):
//   - it starts with "/"; "/" alone is the root;
//   - one trailing slash is kept: Fill and Shape keep it, and a path
//     ending in a slash prefers it when "/servers/" and "/servers" both
//     fit (Route);
//   - no empty segment ("//"), no "?" or "#";
//   - a parameter "{name}" may stand anywhere in a segment, alone
//     ("/servers/{serverId}") or with literal text around it
//     ("/files/{fileId}.json", "/v1/{name}:cancel", as real OpenAPI
//     documents write), several per path and several per segment when
//     literal text separates them ("/{owner}.{repo}");
//   - a name is not empty, holds no "{", "}" or "/", and is not repeated;
//   - two parameters with nothing between them ("{a}{b}") are refused,
//     since no path could say where one ends.
//
// What a value may be (Fill, Check and the match rule): every parameter's
// value, escaped, is not empty, not "." or "..", and does not decode (up to
// three times, as proxies decode again) to one of those or to something
// with a slash or backslash beside an empty, "." or ".." part, such as
// "..%2Fapi-keys". A slash inside a value is escaped and sent ("a/b" is
// sent as "a%2Fb"). Any of the refused values would send the request to
// another path (DELETE /api-keys/, POST /backups/../restore).
//
// The zero Template is the root "/".
type Template struct {
	text          string
	segments      []Segment
	trailingSlash bool
}

// Segment is one segment of a Template, between slashes.
type Segment struct {
	pieces []Piece
}

// Piece is a piece of a template: literal text or one parameter.
type Piece struct {
	// Literal is the piece's text as the template writes it (escaped);
	// "" for a parameter.
	Literal string
	// Param is the parameter's name; "" for literal text.
	Param string
}

// Parse parses a path template such as
// "/backups/{backupId}/restore", or says clearly why it is not one. It
// never panics.
func Parse(text string) (Template, error) {
	bad := func(format string, a ...any) (Template, error) {
		return Template{}, fmt.Errorf("path template %q: %s", truncate(text, 200), fmt.Sprintf(format, a...))
	}
	if !strings.HasPrefix(text, "/") {
		return bad("does not start with /")
	}
	if strings.ContainsAny(text, "?#") {
		return bad("holds a query or fragment")
	}
	t := Template{text: text}
	rest := text[1:]
	if rest == "" {
		return t, nil
	}
	rest, t.trailingSlash = strings.CutSuffix(rest, "/")
	seen := map[string]bool{}
	for i, seg := range strings.Split(rest, "/") {
		if seg == "" {
			return bad("segment %d is empty", i+1)
		}
		var ps Segment
		for seg != "" {
			open := strings.IndexByte(seg, '{')
			if closing := strings.IndexByte(seg, '}'); closing >= 0 && (open < 0 || closing < open) {
				return bad("has a } without a {")
			}
			if open < 0 {
				ps.pieces = append(ps.pieces, Piece{Literal: seg})
				break
			}
			if open > 0 {
				ps.pieces = append(ps.pieces, Piece{Literal: seg[:open]})
			}
			seg = seg[open+1:]
			closing := strings.IndexAny(seg, "{}")
			if closing < 0 || seg[closing] != '}' {
				return bad("has a { without a }")
			}
			name := seg[:closing]
			switch {
			case name == "":
				return bad("has a parameter without a name")
			case seen[name]:
				return bad("names the parameter %q twice", truncate(name, 60))
			case len(ps.pieces) > 0 && ps.pieces[len(ps.pieces)-1].Param != "":
				return bad("has two parameters with nothing between them, so no path can say where one ends")
			}
			seen[name] = true
			ps.pieces = append(ps.pieces, Piece{Param: name})
			seg = seg[closing+1:]
		}
		t.segments = append(t.segments, ps)
	}
	return t, nil
}

// String returns the template as it was parsed.
func (t Template) String() string {
	if t.text == "" {
		return "/"
	}
	return t.text
}

// Segments returns the template's segments in order; none for the root.
func (t Template) Segments() []Segment {
	return append([]Segment(nil), t.segments...)
}

// TrailingSlash reports whether the template ends in a slash, as
// "/servers/" does.
func (t Template) TrailingSlash() bool { return t.trailingSlash }

// Params returns the names of the template's parameters in order.
func (t Template) Params() []string {
	var names []string
	for _, s := range t.segments {
		for _, p := range s.pieces {
			if p.Param != "" {
				names = append(names, p.Param)
			}
		}
	}
	return names
}

// Pieces returns the template cut into literal text (slashes included) and
// parameters, in order: "/backups/{backupId}/restore" is "/backups/",
// backupId, "/restore". Joined, with each parameter's value in its place,
// they are the filled path; the generator builds its methods' paths from
// them.
func (t Template) Pieces() []Piece {
	var out []Piece
	lit := func(s string) {
		if n := len(out); n > 0 && out[n-1].Param == "" {
			out[n-1].Literal += s
			return
		}
		out = append(out, Piece{Literal: s})
	}
	for _, s := range t.segments {
		lit("/")
		for _, p := range s.pieces {
			if p.Param != "" {
				out = append(out, p)
			} else {
				lit(p.Literal)
			}
		}
	}
	if t.trailingSlash || len(t.segments) == 0 {
		lit("/")
	}
	return out
}

// Shape returns the template with every parameter's name removed, so that
// "/backups/{backupId}" and "/backups/{id}" have the same shape
// "/backups/{}". Two specs describe the same path when the shapes agree.
// A trailing slash is kept: "/servers/" and "/servers" differ.
func (t Template) Shape() string {
	shape := t.ShapePrefix(len(t.segments))
	if t.trailingSlash && shape != "/" {
		shape += "/"
	}
	return shape
}

// ShapePrefix returns the shape of the template's first n segments (all
// of them when n is out of range), without a trailing slash, "/" for
// none: the shape of the collection "/servers/{}/backups" of the item
// template "/servers/{serverId}/backups/{backupId}/" is ShapePrefix(3).
func (t Template) ShapePrefix(n int) string {
	if n < 0 || n > len(t.segments) {
		n = len(t.segments)
	}
	if n == 0 {
		return "/"
	}
	var b strings.Builder
	for _, s := range t.segments[:n] {
		b.WriteByte('/')
		s.writeShape(&b)
	}
	return b.String()
}

// HasParam reports whether the segment holds a parameter, alone or beside
// literal text.
func (s Segment) HasParam() bool {
	for _, p := range s.pieces {
		if p.Param != "" {
			return true
		}
	}
	return false
}

// Pieces returns the segment's literal text and parameters in order.
func (s Segment) Pieces() []Piece { return append([]Piece(nil), s.pieces...) }

// Literal returns the segment's text and true when it has no parameter.
func (s Segment) Literal() (string, bool) {
	if len(s.pieces) == 1 && s.pieces[0].Param == "" {
		return s.pieces[0].Literal, true
	}
	return "", false
}

// Param returns the parameter's name when the segment is exactly one
// parameter, as in "/servers/{serverId}"; "" otherwise.
func (s Segment) Param() string {
	if len(s.pieces) == 1 {
		return s.pieces[0].Param
	}
	return ""
}

// writeShape writes the segment with its parameters as "{}".
func (s Segment) writeShape(b *strings.Builder) {
	for _, p := range s.pieces {
		if p.Param != "" {
			b.WriteString("{}")
		} else {
			b.WriteString(p.Literal)
		}
	}
}

// rank is how specific the segment is, for the precedence rule: a
// literal segment (2) beats one of literal text and parameters (1), which
// beats a lone parameter (0); between two of the same rank, more literal
// text wins.
func (s Segment) rank() (kind, literalBytes int) {
	for _, p := range s.pieces {
		literalBytes += len(p.Literal)
	}
	switch {
	case len(s.pieces) == 1 && s.pieces[0].Param == "":
		return 2, literalBytes
	case literalBytes > 0:
		return 1, literalBytes
	}
	return 0, 0
}

// ParamError says why a path parameter's value was refused, or that a
// path does not fit a template (Param is then "").
type ParamError struct {
	// Param is the parameter's name; "" when the path as a whole does not
	// fit the template.
	Param string
	// Reason says what is wrong, such as `it is "..", which would change
	// the path`.
	Reason string
}

// Error names the parameter and what is wrong with it.
func (e *ParamError) Error() string {
	if e.Param == "" {
		return "path " + e.Reason
	}
	return "path parameter " + e.Param + " is refused: " + e.Reason
}

// Fill returns the path with every parameter replaced by its value from
// values, escaped with url.PathEscape, exactly as the generated methods
// build the paths they send. A missing value, or one the template's rule
// refuses (see Template), is a *ParamError and no path. So is a
// value that runs into the literal text beside it inside its segment
// ("{name}.{ext}" with name "a.b"), so that the path would be read back
// with other values.
func (t Template) Fill(values map[string]string) (string, error) {
	var b strings.Builder
	for _, s := range t.segments {
		b.WriteByte('/')
		for _, p := range s.pieces {
			if p.Param == "" {
				b.WriteString(p.Literal)
				continue
			}
			v, ok := values[p.Param]
			if !ok {
				return "", &ParamError{Param: p.Param, Reason: "it has no value"}
			}
			escaped := url.PathEscape(v)
			if why := pathValueProblem(escaped); why != "" {
				return "", &ParamError{Param: p.Param, Reason: why}
			}
			b.WriteString(escaped)
		}
	}
	if t.trailingSlash || len(t.segments) == 0 {
		b.WriteByte('/')
	}
	path := b.String()
	// Where a segment holds literal text beside a parameter, a value can
	// hold that text too; the path must read back as it was filled.
	readBack, _ := t.Match(path)
	for _, name := range t.Params() {
		if want := url.PathEscape(values[name]); readBack[name] != want {
			return "", &ParamError{Param: name, Reason: fmt.Sprintf("the path %s would be read back with %s = %q: the value runs into the literal text beside it in %s",
				truncate(path, 80), name, truncate(readBack[name], 40), t)}
		}
	}
	return path, nil
}

// Check reports whether path, escaped, is exactly a filling of t, as a
// generated method builds it: the same literal text and slashes (a
// trailing slash too), and every parameter's value one the template's
// rule accepts. It returns nil or a *ParamError naming the parameter
// or, with Param "", saying the path does not fit.
func (t Template) Check(path string) error {
	notFit := &ParamError{Reason: "does not fit the template " + t.String()}
	rest, ok := strings.CutPrefix(path, "/")
	if !ok {
		return notFit
	}
	if t.trailingSlash {
		if rest, ok = strings.CutSuffix(rest, "/"); !ok {
			return notFit
		}
	}
	if len(t.segments) == 0 {
		if rest != "" {
			return notFit
		}
		return nil
	}
	for i, s := range t.segments {
		seg, more, found := strings.Cut(rest, "/")
		if found != (i < len(t.segments)-1) {
			return notFit
		}
		rest = more
		if param, why, ok := s.match(seg); !ok {
			if param == "" {
				return notFit
			}
			return &ParamError{Param: param, Reason: why}
		}
	}
	return nil
}

// Match reports whether path fits t by the rule every router of the SDK
// uses (see Route for which template wins when several fit),
// and returns each parameter's value, still escaped, by name. path is
// escaped, below the base URL; a query or fragment left in it is ignored,
// and so are extra leading and trailing slashes ("/servers/" fits
// "/servers"). Every value must be one the template's rule accepts.
func (t Template) Match(path string) (map[string]string, bool) {
	if !t.Matches(path) {
		return nil, false
	}
	values := make(map[string]string)
	rest := routedPath(path)
	for _, s := range t.segments {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		s.values(seg, values)
	}
	return values, true
}

// Matches is Match without the values. It allocates nothing for a plain
// path.
func (t Template) Matches(path string) bool {
	rest := routedPath(path)
	if segmentCount(rest) != len(t.segments) {
		return false
	}
	for _, s := range t.segments {
		var seg string
		seg, rest, _ = strings.Cut(rest, "/")
		if _, _, ok := s.match(seg); !ok {
			return false
		}
	}
	return true
}

// SegmentCount is the number of segments Matches compares for path: a
// template matches path only if it has exactly this many segments. Routers
// use it to look at only the templates that can match.
func SegmentCount(path string) int { return segmentCount(routedPath(path)) }

// segmentCount is the number of segments of a routedPath.
func segmentCount(rest string) int {
	if rest == "" {
		return 0
	}
	return strings.Count(rest, "/") + 1
}

// Len is the number of the template's segments (SegmentCount of the paths
// it can match).
func (t Template) Len() int { return len(t.segments) }

// routedPath is path as the routers compare it: cut at a "?" or "#", so a
// query smuggled into it does not hide the operation it names, and
// without leading or trailing slashes.
func routedPath(path string) string {
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	return strings.Trim(path, "/")
}

// Route returns the index of the template of templates that wins for
// path, or -1 when none fits; only the indexes keep reports true
// for are considered (nil keeps every one). It is the one precedence rule
// of the SDK, used by the client's classifier, its fake and every test
// that routes:
//
//  1. Only templates that Match path take part.
//  2. Segment by segment from the left, the first segment where two
//     templates differ decides: a literal segment beats one of literal
//     text and parameters, which beats a lone parameter; between two of
//     literal text and parameters, the one with more literal text wins.
//     So "/servers/search" beats "/servers/{serverId}", and
//     "/a/{x}/b/{y}" beats "/a/{x}/{z}/c" for "/a/1/b/c".
//  3. Then the template whose trailing slash agrees with path's.
//  4. Then the earlier in templates.
//
// The result never depends on anything but the templates, their order
// and path.
func Route(templates []Template, path string, keep func(i int) bool) int {
	best := -1
	for i := range templates {
		if keep != nil && !keep(i) {
			continue
		}
		if !templates[i].Matches(path) {
			continue
		}
		if best < 0 || templates[i].outranks(&templates[best], path) {
			best = i
		}
	}
	return best
}

// outranks reports whether t beats u for path, both of which fit it, by
// rules 2 and 3 of Route.
func (t *Template) outranks(u *Template, path string) bool {
	for i := range min(len(t.segments), len(u.segments)) {
		tk, tl := t.segments[i].rank()
		uk, ul := u.segments[i].rank()
		if tk != uk {
			return tk > uk
		}
		if tl != ul {
			return tl > ul
		}
	}
	if t.trailingSlash != u.trailingSlash {
		if i := strings.IndexAny(path, "?#"); i >= 0 {
			path = path[:i]
		}
		slash := len(path) > 1 && strings.HasSuffix(path, "/")
		return t.trailingSlash == slash
	}
	return false
}

// match reports whether the escaped segment seg fits s. When it does not
// because of a parameter's value, it names the parameter and says why.
func (s Segment) match(seg string) (param, why string, ok bool) {
	if lit, isLit := s.Literal(); isLit {
		return "", "", seg == lit
	}
	rest := seg
	for i, p := range s.pieces {
		if p.Param == "" {
			var cut bool
			if rest, cut = strings.CutPrefix(rest, p.Literal); !cut {
				return "", "", false
			}
			continue
		}
		value := rest
		switch {
		case i == len(s.pieces)-1:
			rest = ""
		case i == len(s.pieces)-2:
			// The last literal text ends the segment.
			next := s.pieces[i+1].Literal
			if !strings.HasSuffix(rest, next) || len(rest) < len(next) {
				return "", "", false
			}
			value = rest[:len(rest)-len(next)]
			rest = next
		default:
			// The parameter ends at the first following literal text.
			j := strings.Index(rest, s.pieces[i+1].Literal)
			if j < 0 {
				return "", "", false
			}
			value, rest = rest[:j], rest[j:]
		}
		if why := pathValueProblem(value); why != "" {
			return p.Param, why, false
		}
	}
	return "", "", rest == ""
}

// values adds the parameters' values in seg, which fits s, to out.
func (s Segment) values(seg string, out map[string]string) {
	rest := seg
	for i, p := range s.pieces {
		if p.Param == "" {
			rest = rest[len(p.Literal):]
			continue
		}
		switch {
		case i == len(s.pieces)-1:
			out[p.Param], rest = rest, ""
		case i == len(s.pieces)-2:
			next := s.pieces[i+1].Literal
			out[p.Param], rest = rest[:len(rest)-len(next)], next
		default:
			j := strings.Index(rest, s.pieces[i+1].Literal)
			out[p.Param], rest = rest[:j], rest[j:]
		}
	}
}

// pathValueProblem says why an escaped path parameter value cannot be
// sent, or returns "": it is empty, "." or "..", or, decoded, is one of
// those or holds a slash or backslash beside an empty, "." or ".." part
// (such as "..%2Fapi-keys"), which a server that decodes the path before
// routing would follow. It decodes up to three times, since a proxy may
// decode once more than the server.
func pathValueProblem(value string) string {
	if value != "" && value != "." && value != ".." && !strings.ContainsAny(value, "%/\\") {
		return "" // the common case, without allocating
	}
	dec := value
	for range 4 {
		parts := strings.FieldsFunc(dec, func(r rune) bool { return r == '/' || r == '\\' })
		if len(parts) == 0 || len(strings.Join(parts, "/")) != len(dec) {
			// Empty, or an empty part: nothing, a leading, trailing or
			// doubled slash.
			if dec == "" {
				return "it is empty"
			}
			return fmt.Sprintf("it decodes to %q, with an empty part between slashes", truncate(dec, 40))
		}
		for _, p := range parts {
			if p == "." || p == ".." {
				if p == dec && dec == value {
					return fmt.Sprintf("it is %q, which would change the path", dec)
				}
				return fmt.Sprintf("it decodes to %q, which would change the path", truncate(dec, 40))
			}
		}
		next, err := url.PathUnescape(dec)
		if err != nil || next == dec {
			return ""
		}
		dec = next
	}
	return ""
}

// truncate shortens s to n bytes for an error message.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
