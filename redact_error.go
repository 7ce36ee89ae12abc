package restorehub

import (
	"fmt"
	"net"
	"net/textproto"
	"net/url"
)

// This file keeps keys out of the errors the client returns that it did not
// write: what net/http, a caller's transport or a redirect policy returned.
// Such an error may quote what a hostile server sent (net/http quotes a
// malformed header, status line or Location), so wrapping it under a
// redacted text is not enough: errors.Unwrap and errors.As would still reach
// the original. The redactor gives back the chain with every error that
// carries a key replaced by a copy without it.

// maxErrorDepth bounds how deep an error chain is followed; anything deeper
// is replaced by its redacted text.
const maxErrorDepth = 16

// error returns err when no error in its chain carries a key in its text or
// in its Go-syntax form (%#v); otherwise a copy of the chain in which every
// error that does is replaced: a *url.Error, *net.OpError or
// textproto.ProtocolError by one of its own type with keys removed, any
// other error by one with its text redacted that unwraps to the redacted
// copies of what it wrapped, and still matches, with errors.Is, what its
// own Is method matched. Errors without a key are kept as they are, so
// errors.Is and errors.As reach context.Canceled, a *net.DNSError or a
// sentinel as before.
func (r *redactor) error(err error) error {
	return r.scrubError(err, 0)
}

// errorLeaks reports whether err, or an error it wraps, carries a key.
func (r *redactor) errorLeaks(err error, depth int) bool {
	if err == nil {
		return false
	}
	if depth > maxErrorDepth {
		return true
	}
	if msg := err.Error(); r.errText(msg) != msg {
		return true
	}
	if g := fmt.Sprintf("%#v", err); r.text(g) != g {
		return true
	}
	for _, e := range unwrapAll(err) {
		if r.errorLeaks(e, depth+1) {
			return true
		}
	}
	return false
}

// unwrapAll returns the errors err wraps.
func unwrapAll(err error) []error {
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if e := u.Unwrap(); e != nil {
			return []error{e}
		}
	case interface{ Unwrap() []error }:
		return u.Unwrap()
	}
	return nil
}

// scrubError is error for an error depth levels down a chain.
func (r *redactor) scrubError(err error, depth int) error {
	if !r.errorLeaks(err, depth) {
		return err
	}
	if depth >= maxErrorDepth {
		return &scrubbedError{msg: r.errText(err.Error())}
	}
	var typed error
	switch x := err.(type) {
	case *url.Error:
		typed = &url.Error{Op: x.Op, URL: r.errText(x.URL), Err: r.scrubError(x.Err, depth+1)}
	case *net.OpError:
		cp := *x
		cp.Err = r.scrubError(x.Err, depth+1)
		typed = &cp
	case textproto.ProtocolError:
		typed = textproto.ProtocolError(r.errText(string(x)))
	case *textproto.Error:
		typed = &textproto.Error{Code: x.Code, Msg: r.errText(x.Msg)}
	}
	if typed != nil && !r.errorLeaks(typed, depth) {
		return typed
	}
	se := scrubbedError{msg: r.errText(err.Error())}
	for _, e := range unwrapAll(err) {
		se.errs = append(se.errs, r.scrubError(e, depth+1))
	}
	if m, ok := err.(interface{ Is(error) bool }); ok {
		se.is = m.Is
	}
	if ne, ok := err.(net.Error); ok {
		return &scrubbedNetError{scrubbedError: se, timeout: ne.Timeout()}
	}
	return &se
}

// scrubbedError stands for an error whose text carried a key: its text
// redacted, the errors it wrapped (redacted in turn), and its Is method.
type scrubbedError struct {
	msg  string
	errs []error
	is   func(error) bool
}

func (e *scrubbedError) Error() string   { return e.msg }
func (e *scrubbedError) Unwrap() []error { return e.errs }

// Is matches what the replaced error's own Is method matched.
func (e *scrubbedError) Is(target error) bool { return e.is != nil && e.is(target) }

// scrubbedNetError is a scrubbedError for a net.Error, which still says
// whether it was a timeout.
type scrubbedNetError struct {
	scrubbedError
	timeout bool
}

func (e *scrubbedNetError) Timeout() bool { return e.timeout }

// Temporary reports false: the net.Error method is deprecated.
func (e *scrubbedNetError) Temporary() bool { return false }
