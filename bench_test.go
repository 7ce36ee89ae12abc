package restorehub

import (
	"context"
	"encoding/json"
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
