package restorehub

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestSuccessBodyEchoRedacted: a 2xx body that echoes the client's own key,
// in any spelling the redactor knows, is decoded without it, for a typed
// target and a raw one alike, while another key (one the call created) is
// left for its caller.
func TestSuccessBodyEchoRedacted(t *testing.T) {
	body := strings.TrimPrefix(testKey, "rh_")
	const minted = "rh_mintedByThisCall0123456789abcdef"
	spellings := map[string]string{
		"raw":             testKey,
		"bare":            body,
		"json escaped":    escapeAll(testKey),
		"half escaped":    body[:5] + escapeAll(body[5:]),
		"percent":         percentAll(testKey),
		"percent bare":    url.PathEscape(body[:3]) + percentAll(body[3:]),
		"in a key of obj": body,
	}
	for name, spelled := range spellings {
		t.Run(name, func(t *testing.T) {
			payload := fmt.Sprintf(`{"echo":"%s","new":"%s","n":12345678901234567890}`, spelled, minted)
			if name == "in a key of obj" {
				payload = fmt.Sprintf(`{"%s":1,"new":"%s"}`, spelled, minted)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, payload)
			}))
			defer srv.Close()
			c, err := New(testKey, WithBaseURL(srv.URL), WithMaxRetries(0), WithoutPacing())
			if err != nil {
				t.Fatal(err)
			}
			var raw json.RawMessage
			if _, err := c.Do(context.Background(), &Request{Path: "/account"}, &raw); err != nil {
				t.Fatal(err)
			}
			var typed map[string]any
			if _, err := c.Do(context.Background(), &Request{Path: "/account"}, &typed); err != nil {
				t.Fatal(err)
			}
			again, _ := json.Marshal(typed)
			for _, got := range []string{string(raw), string(again)} {
				var decoded map[string]any
				if err := json.Unmarshal([]byte(got), &decoded); err != nil {
					t.Fatalf("%s: %v", got, err)
				}
				flat := fmt.Sprint(decoded)
				if unesc, _ := url.PathUnescape(flat); strings.Contains(flat, body) || strings.Contains(unesc, body) {
					t.Fatalf("the client's key reached the caller: %s", got)
				}
				if decoded["new"] != minted {
					t.Fatalf("another key was removed: %s", got)
				}
			}
		})
	}
}

// FuzzSuccessBody: whatever a server sends in a 2xx body, what the client
// decodes from it holds none of the client's key (raw, bare, or behind
// JSON or percent escapes), and valid JSON stays valid JSON.
func FuzzSuccessBody(f *testing.F) {
	body := strings.TrimPrefix(testKey, "rh_")
	for _, s := range []string{`{"a":"` + testKey + `"}`, `{"a":"` + escapeAll(body) + `"}`, `["` + percentAll(body) + `"]`,
		`{"` + body[:4] + `\u00` + fmt.Sprintf("%x", body[4]) + body[5:] + `":1}`, `"%41"`, `{}`, ``, `[1,2`} {
		f.Add([]byte(s))
	}
	r := &redactor{}
	r.addKey(testKey)
	f.Fuzz(func(t *testing.T, raw []byte) {
		out := r.success(raw)
		var v any
		if json.Valid(raw) {
			if err := json.Unmarshal(out, &v); err != nil {
				t.Fatalf("valid JSON %q became invalid %q", raw, out)
			}
			flat := fmt.Sprint(v)
			if unesc, err := url.PathUnescape(flat); strings.Contains(flat, body) || (err == nil && strings.Contains(unesc, body)) {
				t.Fatalf("key left in %q -> %q", raw, out)
			}
		}
		if strings.Contains(string(out), body) {
			t.Fatalf("key left in %q -> %q", raw, out)
		}
	})
}
