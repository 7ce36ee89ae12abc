package restorehub

import (
	"context"
	"net/http"
	"testing"

	"github.com/restorehub/restorehub-go/resources"
)

// TestResponseShowsItsHeader checks what the resources package's
// Link-paged iterators rely on: the value a call's OnResponse hooks
// receive from the client is a resources.ResponseHeaderer whose header has
// the response's Link header, and the key a server echoes is not in it.
func TestResponseShowsItsHeader(t *testing.T) {
	const link = `</api/v1/items?page_token=t2>; rel="next"`
	base := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", link)
		w.Header().Set("X-Echo", r.Header.Get("Authorization"))
		writeJSON(w, http.StatusOK, []map[string]string{{"id": "1"}})
	}))
	c := newTestClient(t, base)
	var got http.Header
	seen := false
	read := func(cfg *resources.RequestConfig) {
		cfg.OnResponse = append(cfg.OnResponse, func(v any) {
			h, ok := v.(resources.ResponseHeaderer)
			seen = ok
			if ok {
				got = h.ResponseHeader()
			}
		})
	}
	if _, err := c.Do(context.Background(), &Request{Path: "/items", Scope: ScopeAll}, nil, read); err != nil {
		t.Fatal(err)
	}
	if !seen {
		t.Fatal("OnResponse did not receive a resources.ResponseHeaderer")
	}
	if got.Get("Link") != link {
		t.Errorf("Link = %q, want %q", got.Get("Link"), link)
	}
	assertNoKey(t, "the header an iterator reads", got.Get("X-Echo"))
	if (*Response)(nil).ResponseHeader() != nil {
		t.Error("a nil *Response shows a header")
	}
}
