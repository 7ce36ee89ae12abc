package restorehub

import (
	"bytes"
	"errors"

	"github.com/restorehub/restorehub-go/resources"
)

// checkCall refuses a typed call of op whose filled, escaped path is not
// exactly a filling of op's path template with values the template's rule
// accepts (resources.PathTemplate.Check). A missing required body is
// refused by Do, for typed and raw requests alike.
func checkCall(op *resources.OperationSpec, path string) error {
	tmpl, err := parsedTemplate(op.Path)
	if err != nil {
		return &InvalidRequestError{Operation: op.ID, Param: "path", Reason: "has a template the SDK cannot read: " + err.Error()}
	}
	err = tmpl.Check(path)
	var refused *resources.PathParamError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &refused):
		return &InvalidRequestError{Operation: op.ID, Param: "path", Reason: err.Error()}
	case refused.Param == "":
		return &InvalidRequestError{Operation: op.ID, Param: "path", Reason: refused.Reason}
	}
	return &InvalidRequestError{Operation: op.ID, Param: "path parameter " + refused.Param, Reason: "is refused: " + refused.Reason}
}

// noBody reports whether an encoded request body carries nothing: it is
// empty, only white space, or JSON null (what a nil pointer, map or slice
// encodes to).
func noBody(body []byte) bool {
	b := bytes.TrimSpace(body)
	return len(b) == 0 || string(b) == "null"
}
