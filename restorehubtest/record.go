package restorehubtest

import (
	"bytes"
	"net/http"
	"net/url"
	"time"
)

// RecordedRequest is one request the server received.
type RecordedRequest struct {
	// Method is the HTTP method.
	Method string
	// Path is the escaped path below the base URL, such as
	// "/servers/server_0001"; a request outside the base keeps its full path.
	Path string
	// Query is the parsed query string.
	Query url.Values
	// Header is the request's header with Authorization replaced by
	// "[redacted]".
	Header http.Header
	// Body is the request body as received (at most 1 MiB of it).
	Body []byte
	// KeyID identifies the bearer token the request sent (see KeyID), known
	// or not; "" when the Authorization header was missing or malformed.
	KeyID string
	// OperationID is the ID of the operation the request matched, such as
	// "servers.list", or "" when it matched none.
	OperationID string
	// Status is the status the server answered with; 0 when it sent no
	// response (a reset, or a request abandoned during injected latency).
	Status int
	// Fault is the injected fault the request got, or "".
	Fault FaultKind
	// Received is when the request arrived, by the server's clock, before
	// any injected latency.
	Received time.Time
}

// clone returns a copy of r that shares nothing with it.
func (r RecordedRequest) clone() RecordedRequest {
	r.Query = cloneValues(r.Query)
	r.Header = r.Header.Clone()
	r.Body = bytes.Clone(r.Body)
	return r
}

// cloneValues copies a url.Values.
func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	return url.Values(http.Header(v).Clone())
}

// recordLocked stores r.
func (s *Server) recordLocked(r RecordedRequest) {
	s.records = append(s.records, r)
	if r.Status == http.StatusTooManyRequests {
		s.rateLimited++
	}
}

// Requests returns a copy of every request recorded since the server
// started or Reset was last called, in the order their responses were
// decided. A request is recorded before its response is written, so it is
// there as soon as the client has the response.
func (s *Server) Requests() []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RecordedRequest, len(s.records))
	for i, r := range s.records {
		out[i] = r.clone()
	}
	return out
}

// Count returns how many recorded requests matched the operation opID,
// such as "servers.list", whatever their outcome (faults and rejections
// included).
func (s *Server) Count(opID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.records {
		if r.OperationID == opID {
			n++
		}
	}
	return n
}

// RateLimited returns how many 429 responses the server has sent since it
// started or Reset was last called: rate-limit and member-pull rejections,
// and injected 429s.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rateLimited
}

// Reset forgets the recorded requests and the 429 count. It keeps the
// store, the keys, the rate-limit windows (see ResetLimits) and the queued
// faults (see ClearFaults).
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records = nil
	s.rateLimited = 0
}
