package restorehub

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/restorehub/restorehub-go/resources"
)

// ErrInvalidRequest matches the *InvalidRequestError returned when a typed
// call or a Client.Do request is refused before anything is sent because it
// cannot mean what its caller meant: an empty, "." or ".." path parameter of
// a typed call, or a missing required body.
var ErrInvalidRequest = errors.New("restorehub: invalid request")

// InvalidRequestError is returned when a call is refused locally, with
// nothing sent: a path parameter is empty, ".", "..", one of those escaped,
// or holds a slash or backslash (any of which would send the request to
// another path, such as DELETE /api-keys/ or POST /backups/../restore), or
// the operation's required body is nil; or a Client.Do request matches an
// operation whose body is required and carries none. It matches
// ErrInvalidRequest.
type InvalidRequestError struct {
	// Operation is the operation's ID, such as "backups.restore".
	Operation string
	// Param names what is wrong: a path parameter such as "backupId", or
	// "body" for a missing required body.
	Param string
	// Reason says what is wrong with it.
	Reason string
}

// Error names the operation, the parameter and what is wrong.
func (e *InvalidRequestError) Error() string {
	return fmt.Sprintf("restorehub: %s: %s %s; nothing was sent", e.Operation, e.Param, e.Reason)
}

// Is matches ErrInvalidRequest.
func (e *InvalidRequestError) Is(target error) bool { return target == ErrInvalidRequest }

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
