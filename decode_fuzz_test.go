package restorehub

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// FuzzDecodeError is FuzzBuildError through the client, which knows its key:
// whatever the body and headers of an error response, neither the key nor
// its part after "rh_" may appear in the error (its text, its formatting, the
// Body, Details and Message it carries) or in the Response's header.
// FuzzBuildError calls buildError alone, which cannot recognise a key echoed
// without its "rh_" prefix; this target covers that case.
func FuzzDecodeError(f *testing.F) {
	c, err := New(testKey, WithBaseURL("http://127.0.0.1:1"))
	if err != nil {
		f.Fatal(err)
	}
	// What FuzzBuildError found: the key's part after rh_, alone.
	f.Add(355, "0", []byte(testKey[3:]), testKey[3:])
	f.Add(401, "application/json", []byte(`{"error":"Key `+testKey[3:]+` was revoked","details":{"keyId":"`+testKey[3:]+`"}}`), "")
	f.Add(403, "application/json", []byte(`{"error":"Missing required scope","requiredScope":"`+testKey+`","yourScopes":["`+testKey[3:]+`"]}`), "Bearer "+testKey)
	f.Add(429, "application/json", []byte(`{"error":"Rate limit exceeded for `+testKey+`","retryAfter":1,"plan":"`+testKey[3:]+`"}`), "1")
	f.Add(400, "application/json", []byte(`{"error":"Invalid","details":[{"code":"x","path":["`+testKey[3:]+`"],"message":"`+testKey+`"}]}`), "")
	f.Add(502, "text/html", []byte(`<html><title>`+testKey[3:]+`</title></html>`), "")
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte, echo string) {
		if status < 100 || status > 999 {
			status = 400 + (status%200+200)%200
		}
		h := http.Header{}
		h.Set("Content-Type", ctype)
		h.Set("X-Echo", echo)
		resp := &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body))}
		err := c.decodeError(resp, &callRecord{method: "GET", path: "/x"}, c.requestID(h))
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != status {
			t.Fatalf("status %d: %v is not an *APIError for it", status, err)
		}
		texts := []string{string(ae.Body), string(ae.Details), ae.Message}
		for _, tx := range errorTexts("decoded", err) {
			texts = append(texts, tx.text)
		}
		c.redactor.header(h)
		texts = append(texts, fmt.Sprintf("%#v", h))
		for _, tx := range texts {
			if strings.Contains(tx, testKey[3:]) {
				t.Fatalf("key in %q", tx)
			}
		}
	})
}
