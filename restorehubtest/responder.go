package restorehubtest

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"syscall"

	"github.com/jarcoal/httpmock"
)

// Responder returns an httpmock.Responder that answers exactly as the
// server does, for clients whose transport httpmock replaces:
//
//	httpmock.ActivateNonDefault(client)
//	httpmock.RegisterNoResponder(srv.Responder())
//
// The request's scheme and host are ignored, so the client can keep its
// default base URL; the path must still start with BasePath. Requests are
// recorded and rate-limited with the server's own state. A reset becomes
// an error matching syscall.ECONNRESET, a truncated body one whose reads
// end with io.ErrUnexpectedEOF, and injected latency that the request's
// context cuts short becomes the context's error.
func (s *Server) Responder() httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		rep := s.handle(req, false)
		if err := req.Context().Err(); err != nil {
			return nil, err
		}
		if rep.fault == FaultReset {
			return nil, &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
		}
		resp := &http.Response{
			Status:        strconv.Itoa(rep.status) + " " + http.StatusText(rep.status),
			StatusCode:    rep.status,
			Proto:         "HTTP/1.1",
			ProtoMajor:    1,
			ProtoMinor:    1,
			Header:        rep.header.Clone(),
			ContentLength: int64(len(rep.body)),
			Body:          io.NopCloser(bytes.NewReader(rep.body)),
			Request:       req,
		}
		if rep.fault == FaultTruncate {
			resp.ContentLength = int64(rep.declared)
			resp.Header.Set("Content-Length", strconv.Itoa(rep.declared))
			resp.Body = &truncatedBody{r: bytes.NewReader(rep.body)}
		}
		return resp, nil
	}
}

// truncatedBody reads its bytes and then fails with io.ErrUnexpectedEOF.
type truncatedBody struct{ r *bytes.Reader }

// Read reads the body's bytes, then returns io.ErrUnexpectedEOF.
func (b *truncatedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// Close does nothing.
func (b *truncatedBody) Close() error { return nil }
