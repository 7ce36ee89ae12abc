package restorehub

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// checkRedirect decides whether a redirect is followed. The request the
// caller made (via[0]) was received, whatever happens next, so the call's
// record notes it for the retry policy. It refuses, in order:
//   - a redirect from https to plain http (ErrInsecureRedirect);
//   - one to another host, unless the caller's request was a GET or HEAD
//     (ErrCrossHostRedirect): Go turns a POST into a GET on 301, 302 and
//     303, and that GET's answer would come back as the POST's result;
//   - a 307 or 308 that would resend a body to another path where it is
//     destructive (ErrRedirectChangesOperation, see checkReroute).
//
// Before the caller's redirect policy (or Go's default limit of 10) is
// applied, authorize removes the key from a redirect off the API host, and
// the call's WithHeader headers are removed from it too.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	rec := recordOf(req.Context())
	if rec != nil {
		rec.redirected = true
	}
	if req.URL.Scheme != "https" {
		for _, prev := range via {
			if prev.URL.Scheme == "https" {
				return fmt.Errorf("%w (to %s)", ErrInsecureRedirect, c.redactor.text(req.URL.Host))
			}
		}
	}
	original := req.Method
	if len(via) > 0 {
		original = via[0].Method
	}
	// The caller's redirect policy below must not see a key bound for
	// another host either: Go keeps Authorization on a redirect to the same
	// host name on another port.
	c.authorize(req, true)
	if !c.sameHost(req.URL) {
		// Go forwards every header but credentials it knows of to another
		// host; a call's own headers (WithHeader) are for the API only.
		if rec != nil {
			for k := range rec.callHeaders {
				req.Header.Del(k)
			}
		}
		if original != http.MethodGet && original != http.MethodHead {
			return fmt.Errorf("%w (%s) for a %s", ErrCrossHostRedirect, c.redactor.text(req.URL.Host), original)
		}
	} else if req.Method != http.MethodGet && req.Method != http.MethodHead {
		if err := c.checkReroute(req, rec); err != nil {
			return err
		}
	}
	if user := c.cfg.httpClient; user != nil && user.CheckRedirect != nil {
		return user.CheckRedirect(req, via)
	}
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	return nil
}

// checkReroute refuses a same-host redirect that resends a request with its
// method and body (307, 308) to another path, when the request there would
// be destructive: the guard approved one path, not wherever the server
// points next. rec is the call's record (recordOf), nil for none.
func (c *Client) checkReroute(req *http.Request, rec *callRecord) error {
	if rec == nil {
		return nil
	}
	full := req.URL.EscapedPath()
	path, inside := strings.CutPrefix(full, c.basePath)
	var next Class
	if inside && strings.HasPrefix(path, "/") {
		next = classify(req.Method, path, "")
	} else {
		// Outside the API's base path: it is no operation of the table.
		next = classifyMatched(normalizeMethod(req.Method), nil, "")
	}
	orig, _, _ := strings.Cut(rec.path, "?")
	if next.Destructive && (!inside || strings.TrimSuffix(path, "/") != strings.TrimSuffix(orig, "/")) {
		return fmt.Errorf("%w (%s %s: %s)", ErrRedirectChangesOperation, req.Method, truncate(c.redactor.errText(full), 80), next.Reason)
	}
	return nil
}
