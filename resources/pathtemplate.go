package resources

import (
	"fmt"

	"github.com/restorehub/restorehub-go/internal/pathtemplate"
)

// PathTemplate is a parsed path template such as
// "/servers/{serverId}/backups/{backupId}": the one place where the SDK,
// its fake, its agent toolkit, its drift report and its generator read,
// match and fill path templates, so that all of them pick the same
// operation for a path. Its rules (what a template and a parameter's value
// may be, how a path is matched and filled) are those of
// MatchPathTemplate and of its methods Fill, Check and Match.
//
// The zero PathTemplate is the root "/".
type PathTemplate = pathtemplate.Template

// PathSegment is one segment of a PathTemplate, between slashes.
type PathSegment = pathtemplate.Segment

// PathPiece is a piece of a template: literal text or one parameter.
type PathPiece = pathtemplate.Piece

// PathParamError says why a path parameter's value was refused, or that a
// path does not fit a template (Param is then "").
type PathParamError = pathtemplate.ParamError

// ParsePathTemplate parses a path template such as
// "/backups/{backupId}/restore", or says clearly why it is not one. It
// never panics. A template starts with "/", has no empty segment, query
// or fragment, and its parameters ("{name}", alone in a segment or beside
// literal text) have distinct, non-empty names with literal text between
// any two of them.
func ParsePathTemplate(text string) (PathTemplate, error) {
	t, err := pathtemplate.Parse(text)
	if err != nil {
		return PathTemplate{}, fmt.Errorf("resources: %w", err)
	}
	return t, nil
}

// MatchPathTemplate returns the index of the template of templates that
// wins for path, or -1 when none fits; only the indexes keep reports true
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
func MatchPathTemplate(templates []PathTemplate, path string, keep func(i int) bool) int {
	return pathtemplate.Route(templates, path, keep)
}
