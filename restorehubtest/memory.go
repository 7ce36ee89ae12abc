package restorehubtest

import (
	"fmt"
	"net/http"
)

// MemoryHost is the host of a server made by NewMemoryServer. It is in the
// reserved .invalid domain, so a client that was not given the server's
// Client (and so would use the network) fails to resolve it instead of
// reaching anything.
const MemoryHost = "restorehub.invalid"

// NewMemoryServer returns a fake that listens on no address: requests reach
// it only through its Client (or Transport), which serves each one in the
// calling goroutine, in memory. It takes the same options and behaves as
// NewServer's fake, except that a reset becomes an error matching
// syscall.ECONNRESET and a truncated body one whose reads end with
// io.ErrUnexpectedEOF, as with Responder.
//
// Without a listener or a network connection, it works inside a
// testing/synctest bubble: made there, its rate window, Retry-After values
// and injected latency run on the bubble's fake clock, so a test that keeps
// the documented limit (100 per 10 s) makes 1,000 calls in about no wall
// time while the client still paces to the window:
//
//	synctest.Test(t, func(t *testing.T) {
//		srv := restorehubtest.NewMemoryServer(restorehubtest.WithKey(key, restorehub.ScopeAll))
//		defer srv.Close()
//		client, _ := restorehub.New(key,
//			restorehub.WithBaseURL(srv.URL()), restorehub.WithHTTPClient(srv.Client()))
//		…
//	})
//
// Make the server and the client inside the bubble: one made outside reads
// the real clock's channels and timers.
func NewMemoryServer(opts ...Option) *Server {
	return newServer(opts...)
}

// memoryTransport serves requests addressed to the server (MemoryHost, or
// a listening server's loopback address) with its handler, in the caller's
// goroutine.
type memoryTransport struct{ s *Server }

// host is the only host the transport answers.
func (t memoryTransport) host() string {
	if t.s.ts == nil {
		return MemoryHost
	}
	return t.s.ts.Listener.Addr().String()
}

// RoundTrip answers req as the server would, and refuses any other host:
// nothing sent through it reaches the network.
func (t memoryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		defer req.Body.Close()
	}
	if req.URL == nil || req.URL.Host != t.host() {
		host := ""
		if req.URL != nil {
			host = req.URL.Host
		}
		return nil, fmt.Errorf("restorehubtest: the in-memory transport answers only %s, not %q", t.host(), host)
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	return t.s.Responder()(req)
}

// Transport returns a RoundTripper that serves requests in memory, in the
// calling goroutine: for a server made by NewMemoryServer, requests to
// MemoryHost; for one made by NewServer, requests to its loopback address,
// without a connection. Requests to any other host fail.
func (s *Server) Transport() http.RoundTripper { return memoryTransport{s} }
