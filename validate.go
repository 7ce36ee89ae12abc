package restorehub

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/restorehub/restorehub-go/resources"
)

// checkCall refuses a typed call of op whose filled, escaped path does not
// keep every parameter of op's template in a segment of its own. A missing
// required body is refused by Do, for typed and raw requests alike.
func checkCall(op *resources.OperationSpec, path string) error {
	tsegs := strings.Split(op.Path, "/")
	segs := strings.Split(path, "/")
	if len(segs) != len(tsegs) {
		return &InvalidRequestError{Operation: op.ID, Param: "path", Reason: fmt.Sprintf("does not fit the template %s", op.Path)}
	}
	for i, t := range tsegs {
		name, isParam := strings.CutPrefix(t, "{")
		name, closed := strings.CutSuffix(name, "}")
		if !isParam || !closed {
			if segs[i] != t {
				return &InvalidRequestError{Operation: op.ID, Param: "path", Reason: fmt.Sprintf("does not fit the template %s", op.Path)}
			}
			continue
		}
		if why := badSegment(segs[i]); why != "" {
			return &InvalidRequestError{Operation: op.ID, Param: "path parameter " + name, Reason: "is refused: " + why}
		}
	}
	return nil
}

// noBody reports whether an encoded request body carries nothing: it is
// empty, only white space, or JSON null (what a nil pointer, map or slice
// encodes to).
func noBody(body []byte) bool {
	b := bytes.TrimSpace(body)
	return len(b) == 0 || string(b) == "null"
}
