package restorehub

import (
	"net/http"
	"strings"
)

// RequestIDHeader is the response header the client reads a request ID
// from. Restore Hub's docs name none: X-Request-Id, the common convention,
// is an assumption.
const RequestIDHeader = "X-Request-Id"

// maxRequestID bounds a request ID a server sends.
const maxRequestID = 128

// requestID reads h's request ID as something safe to show in an error,
// a log or a span: printable ASCII only (a hostile server's control
// characters and escapes are dropped), API keys removed (after the drop, so
// that a key split by control characters is still found), at most
// maxRequestID bytes.
func (c *Client) requestID(h http.Header) string {
	v := h.Get(RequestIDHeader)
	if v == "" {
		return ""
	}
	return cleanRequestID(v, c.redactor.text)
}

// cleanRequestID is requestID without the header; scrub removes keys.
func cleanRequestID(v string, scrub func(string) string) string {
	// No cut before the key is removed: a cut could leave part of a key
	// no rule recognises. The header's size is bounded by the transport
	// (net/http reads at most 1 MB of response header).
	v = scrub(strings.Map(printableASCII, v)) // v itself when it is all printable ASCII
	if len(v) > maxRequestID {
		// A cut of text that holds no key holds none either.
		v = v[:maxRequestID]
	}
	return v
}
