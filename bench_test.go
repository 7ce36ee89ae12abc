package restorehub

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// benchServer answers every GET with a small account and budget headers
// that never run out, so both benchmarks measure the same round trip.
func benchServer(b *testing.B) *httptest.Server {
	body := []byte(`{"id":"acct_1","name":"Bench account","username":"bench","email":"bench@example.com","plan":"PREMIUM"}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("X-RateLimit-Limit", "1000000")
		h.Set("X-RateLimit-Remaining", "999999")
		h.Set("X-RateLimit-Window", "10s")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkGetRawNetHTTP is the baseline: net/http and encoding/json by hand.
func BenchmarkGetRawNetHTTP(b *testing.B) {
	srv := benchServer(b)
	hc := &http.Client{Transport: defaultHTTPClient.Transport}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v1/account", nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+testKey)
		req.Header.Set("Accept", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var out account
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || out.ID == "" {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetClientDo is the same GET through Client.Do, with pacing,
// retries and error decoding in place.
func BenchmarkGetClientDo(b *testing.B) {
	srv := benchServer(b)
	c, err := New(testKey, WithBaseURL(srv.URL+"/api/v1"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	req := &Request{Path: "/account", Scope: ScopeAccountRead}
	b.ReportAllocs()
	for b.Loop() {
		var out account
		if _, err := c.Do(ctx, req, &out); err != nil || out.ID == "" {
			b.Fatal(err)
		}
	}
}

// benchPage is a list page of n items whose texts hold JSON escapes and
// percent escapes that cannot spell a key's character (\n, \", %20, %2F),
// and, with worst, one that can (%41), which makes the success-body
// redaction decode and encode the JSON again.
func benchPage(n int, worst bool) []byte {
	var b bytes.Buffer
	b.WriteString(`{"data":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"backup_%06d","name":"Nightly \"full\" backup\nof server %d","url":"https://cdn.example.com/a%%20b%%2Fc/%d","size":%d,"createdAt":"2026-01-02T15:04:05Z"}`, i, i, i, i*1024)
	}
	if worst {
		b.WriteString(`,{"id":"x%41"}`)
	}
	b.WriteString(`],"nextCursor":null}`)
	return b.Bytes()
}

// benchDecode decodes body into a fresh value b.N times with decode.
func benchDecode(b *testing.B, body []byte, decode func(r io.Reader, out any) error) {
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var out struct {
			Data []map[string]any `json:"data"`
		}
		if err := decode(bytes.NewReader(body), &out); err != nil || len(out.Data) == 0 {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeSuccess compares decoding a 2xx list page as the client
// did before success-body redaction (a streaming json.Decoder: the
// baseline) with decodeBody, which reads the body whole and removes the
// client's own keys first; "worst" holds an escape that forces the JSON to
// be decoded and encoded again. Run the sub-benchmarks alternately to
// compare them.
func BenchmarkDecodeSuccess(b *testing.B) {
	c, err := New(testKey)
	if err != nil {
		b.Fatal(err)
	}
	typical, worst := benchPage(200, false), benchPage(200, true)
	stream := func(r io.Reader, out any) error { return json.NewDecoder(r).Decode(out) }
	client := func(r io.Reader, out any) error {
		rec := &callRecord{method: http.MethodGet, path: "/backups"}
		return c.decodeBody(context.Background(), rec, &http.Response{StatusCode: 200, Body: io.NopCloser(r), ContentLength: int64(r.(*bytes.Reader).Len())}, out)
	}
	b.Run("baseline", func(b *testing.B) { benchDecode(b, typical, stream) })
	b.Run("redacted", func(b *testing.B) { benchDecode(b, typical, client) })
	b.Run("baseline-worst", func(b *testing.B) { benchDecode(b, worst, stream) })
	b.Run("redacted-worst", func(b *testing.B) { benchDecode(b, worst, client) })
}
