package restorehubtest

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// FaultKind names an injected fault in a RecordedRequest.
type FaultKind string

// The faults a Server can inject.
const (
	// FaultStatus is a response with an error status and the JSON error
	// envelope (FailNext).
	FaultStatus FaultKind = "status"
	// FaultReset is a connection closed without any response (ResetNext).
	FaultReset FaultKind = "reset"
	// FaultHTML is a 502 Bad Gateway with an HTML page instead of JSON,
	// as a proxy in front of the API sends it (HTMLNext).
	FaultHTML FaultKind = "html"
	// FaultTruncate is a 200 whose body stops short of its declared
	// Content-Length before the connection closes (TruncateNext).
	FaultTruncate FaultKind = "truncate"
)

// fault is a queued fault and how many more requests it applies to.
type fault struct {
	kind   FaultKind
	status int
	left   int
}

// queueFault appends a fault for the next n requests.
func (s *Server) queueFault(f fault) {
	if f.left <= 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, f)
}

// FailNext makes the next n requests fail with status (400 to 599) and the
// JSON error envelope, before authentication, rate limiting or the store
// see them. A 429 carries the documented 429 body and "Retry-After: 1".
// Faults queue up in the order they were asked for: FailNext(2, 503)
// followed by ResetNext(1) fails two requests and then resets one.
// Faulted requests are recorded. FailNext panics on a status outside
// 400 to 599.
func (s *Server) FailNext(n, status int) {
	if status < 400 || status > 599 {
		panic(fmt.Sprintf("restorehubtest: FailNext status %d is not an error status (400 to 599)", status))
	}
	s.queueFault(fault{kind: FaultStatus, status: status, left: n})
}

// ResetNext makes the next n requests end with the connection closed (with
// a TCP reset where possible) and no response at all; through Responder
// the request fails with an error that matches syscall.ECONNRESET.
//
// Go's http.Transport silently re-sends a GET (or another replayable
// request) when a connection it had already used closes before any
// response byte, so a reset on such a connection would never reach the
// caller. The fake therefore closes such a connection without counting or
// recording the request and leaves the fault queued: the Transport's
// replay, on a fresh connection, is the request that gets the reset.
func (s *Server) ResetNext(n int) { s.queueFault(fault{kind: FaultReset, left: n}) }

// HTMLNext makes the next n requests get a 502 Bad Gateway with an HTML
// page, as a proxy in front of the API would send it.
func (s *Server) HTMLNext(n int) {
	s.queueFault(fault{kind: FaultHTML, status: http.StatusBadGateway, left: n})
}

// TruncateNext makes the next n requests get a 200 whose JSON body is cut
// short of its declared Content-Length before the connection closes, so
// reading it fails with io.ErrUnexpectedEOF.
func (s *Server) TruncateNext(n int) {
	s.queueFault(fault{kind: FaultTruncate, status: http.StatusOK, left: n})
}

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// PendingFaults returns how many requests the queued faults still apply to.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.faults {
		n += f.left
	}
	return n
}

// SetLatency delays every later response by d (0 for none), in real time
// even when WithClock is set. The delay ends early, with no response, when
// the request's context ends or the server closes.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// takeFaultLocked returns the fault the next request gets, if any. When
// that fault is a reset and the request would be silently replayed by Go's
// Transport (replayable), it returns a silent reset and keeps the fault.
func (s *Server) takeFaultLocked(replayable bool) (kind FaultKind, status int, silent bool) {
	if len(s.faults) == 0 {
		return "", 0, false
	}
	f := &s.faults[0]
	if f.kind == FaultReset && replayable {
		return FaultReset, 0, true
	}
	f.left--
	kind, status = f.kind, f.status
	if f.left <= 0 {
		s.faults = s.faults[1:]
	}
	return kind, status, false
}

// faultReply builds the reply of an injected fault.
func (s *Server) faultReply(kind FaultKind, status int) *reply {
	switch kind {
	case FaultReset:
		return &reply{fault: FaultReset}
	case FaultHTML:
		body := []byte("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n" +
			"<body><h1>502 Bad Gateway</h1><p>The upstream server sent no valid response. (restorehubtest)</p></body></html>\n")
		h := http.Header{}
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		return &reply{status: http.StatusBadGateway, header: h, body: body}
	case FaultTruncate:
		body := []byte(`{"data":[{"id":"server_0001","name":"Pixel Lou`)
		h := http.Header{}
		h.Set("Content-Type", "application/json; charset=utf-8")
		return &reply{status: http.StatusOK, header: h, body: body, fault: FaultTruncate, declared: len(body) + 96}
	}
	if status == http.StatusTooManyRequests {
		limit, length := s.limitOf(s.plan)
		h := http.Header{}
		h.Set("Retry-After", "1")
		return jsonReply(status, h, rateLimitBody{
			Error:      "Rate limit exceeded",
			Limit:      limit,
			Window:     length.String(),
			RetryAfter: 1,
			Plan:       s.plan,
			UpgradeURL: UpgradeURL,
		})
	}
	return errorReply(status, nil, fmt.Sprintf("Injected failure: %d %s", status, http.StatusText(status)), nil)
}
