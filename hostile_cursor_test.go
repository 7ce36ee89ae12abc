package restorehub

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestHostileNextTokenNeverCarriesKey: a server that hands back the
// client's own key as the next page's token, in the body's nextCursor or
// in a Link header, never gets the key sent back in a request's query (where
// proxies and access logs would keep it): the success body and the header
// reach the iterator redacted, and the iterator ends rather than loop.
func TestHostileNextTokenNeverCarriesKey(t *testing.T) {
	for _, spelled := range []string{testKey, strings.TrimPrefix(testKey, "rh_"), percentAll(testKey)} {
		t.Run(spelled[:6], func(t *testing.T) {
			var (
				mu      sync.Mutex
				queries []string
			)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				queries = append(queries, r.URL.RawQuery)
				n := len(queries)
				mu.Unlock()
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Link", fmt.Sprintf(`<https://evil.example/servers?cursor=%s>; rel="next"`, spelled))
				if n > 20 {
					fmt.Fprint(w, `{"data":[],"nextCursor":null}`)
					return
				}
				fmt.Fprintf(w, `{"data":[{"id":"s%d"}],"nextCursor":"%s"}`, n, spelled)
			}))
			defer srv.Close()
			c, err := New(testKey, WithBaseURL(srv.URL), WithMaxRetries(0), WithoutPacing())
			if err != nil {
				t.Fatal(err)
			}
			var (
				hdr  []string
				resp Response
			)
			n := 0
			for _, err := range c.Services.Servers.All(context.Background(), nil, WithResponseInto(&resp)) {
				if err != nil {
					t.Fatal(err)
				}
				hdr = append(hdr, resp.ResponseHeader().Get("Link"))
				n++
			}
			mu.Lock()
			defer mu.Unlock()
			if len(queries) > 3 {
				t.Errorf("%d requests: the iterator did not stop at a repeated token", len(queries))
			}
			for _, q := range append(queries, hdr...) {
				if strings.Contains(q, "0123456789abcdefghij") || strings.Contains(q, "%30%31%32") {
					t.Errorf("the key went back to the server or reached the caller: %q", q)
				}
			}
			if n == 0 {
				t.Error("no item yielded")
			}
		})
	}
}
