package restorehub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// decodedText is every string a JSON document decodes to, joined, so that
// a key spelled with \u escapes is found; raw when it is not JSON.
func decodedText(raw []byte) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			b.WriteString(x + "\n")
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for k, e := range x {
				b.WriteString(k + "\n")
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}

// escapeAll spells every character of s as a JSON \u escape.
func escapeAll(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// TestRedirectPathAndLocationDoNotLeak: a same-host redirect to a path that
// holds the key must not put it in the log, and an error built from a
// Location header must not carry the key, with or without "rh_".
func TestRedirectPathAndLocationDoNotLeak(t *testing.T) {
	tests := []struct {
		name     string
		location string
	}{
		{"redirect to /x/rh_key", "/api/v1/x/" + testKey},
		{"redirect to /x/key without rh_", "/api/v1/x/" + testKey[3:]},
		{"unparsable Location with the key", "%zz" + testKey[3:]},
		{"unparsable Location with rh_key", "%zz" + testKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &syncBuffer{}
			logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/api/v1/account" {
					w.Header().Set("Location", tt.location)
					w.WriteHeader(http.StatusFound)
					return
				}
				writeJSON(w, 404, map[string]string{"error": "Not found"})
			})
			c := newHandlerClient(t, h, WithLogger(logger), WithMaxRetries(0))
			_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
			if err == nil {
				t.Fatal("want an error")
			}
			assertNoKey(t, "error", err.Error())
			assertNoKey(t, "log", logs.String())
			if !strings.Contains(logs.String(), "restorehub request") {
				t.Errorf("nothing was logged: %q", logs.String())
			}
		})
	}
}

// TestEscapedEchoIsRedacted: a key a server echoes with JSON escapes is not
// in the raw bytes but is in what they decode to; every decoded string of
// the error (Message, Details, Issues, Body) must be free of it.
func TestEscapedEchoIsRedacted(t *testing.T) {
	full, bare := escapeAll(testKey), escapeAll(testKey[3:])
	half := testKey[:5] + escapeAll(testKey[5:])
	tests := []struct {
		name   string
		status int
		body   string
	}{
		{"message, every character escaped", 401, `{"error":"Invalid key ` + full + `"}`},
		{"message, key without rh_ escaped", 401, `{"error":"Invalid key ` + bare + `"}`},
		{"message, half escaped", 401, `{"error":"Invalid key ` + half + `"}`},
		{"details, nested", 422, `{"error":"Limit","details":{"echo":["` + bare + `"],"` + full + `":1}}`},
		{"validation issue message", 400, `{"error":"Validation failed","details":[{"code":"custom","path":["` + bare + `"],"message":"` + full + `"}]}`},
		{"missing scope fields", 403, `{"error":"Missing required scope: servers:read","requiredScope":"` + full + `","yourScopes":["` + bare + `"]}`},
		{"429 plan", 429, `{"error":"Rate limit exceeded","plan":"` + full + `","upgradeUrl":"https://x/` + bare + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &statusServer{script: []int{tt.status}, body: tt.body, header: http.Header{"Retry-After": {"0"}}}
			c := newHandlerClient(t, s, WithMaxRetries(0))
			_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want an *APIError", err)
			}
			assertNoKey(t, "Error()", err.Error())
			assertNoKey(t, "Message", apiErr.Message)
			assertNoKey(t, "Details", decodedText(apiErr.Details))
			assertNoKey(t, "Body", decodedText(apiErr.Body))
			assertNoKey(t, "%+v", fmt.Sprintf("%+v", err))
			var ve *ValidationError
			if errors.As(err, &ve) {
				assertNoKey(t, "Issues", fmt.Sprintf("%v", ve.Issues))
			}
			var mse *MissingScopeError
			if errors.As(err, &mse) {
				assertNoKey(t, "scopes", fmt.Sprintf("%v %v", mse.RequiredScope, mse.YourScopes))
			}
			var rle *RateLimitError
			if errors.As(err, &rle) {
				assertNoKey(t, "plan", rle.Plan+rle.UpgradeURL)
			}
		})
	}
}

// TestBodyCutAtCapDropsPartialKey: an error body longer than the 64 KiB cap
// is cut; what the cut leaves of a key at its end is dropped.
func TestBodyCutAtCapDropsPartialKey(t *testing.T) {
	tests := []struct {
		name   string
		prefix string // what precedes the key's body: "rh_" or nothing
		left   int    // characters of the key's body before the cut
	}{
		{"rh_ and 3 characters", "rh_", 3},
		{"rh_ and 5 characters", "rh_", 5},
		{"rh_ and 30 characters", "rh_", 30},
		{"bare, 8 characters", "", 8},
		{"bare, 33 characters", "", 33},
		{"cut inside rh_", "rh_", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			echo := tt.prefix + testKey[3:]
			pad := maxErrorBody - len(`{"error":"`) - len(tt.prefix) - tt.left
			body := `{"error":"` + strings.Repeat(".", pad) + echo + `"}`
			s := &statusServer{script: []int{500}, body: body}
			c := newHandlerClient(t, s, WithMaxRetries(0))
			_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want an *APIError", err)
			}
			if tt.left > 0 && bytes.Contains(apiErr.Body, []byte(testKey[3:3+tt.left])) {
				t.Errorf("Body ends with %d characters of the key: %q", tt.left, apiErr.Body[len(apiErr.Body)-40:])
			}
			if bytes.HasSuffix(apiErr.Body, []byte("rh_")) || bytes.HasSuffix(apiErr.Body, []byte("rh")) {
				t.Errorf("Body ends with a key's prefix: %q", apiErr.Body[len(apiErr.Body)-40:])
			}
			assertNoKey(t, "Error()", err.Error())
			assertNoKey(t, "Message", apiErr.Message)
		})
	}
}

// percentAll spells every byte of s percent-encoded.
func percentAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

// TestPercentEncodedEchoIsRedacted: a key echoed percent-encoded (in a
// Location or another header, or inside an error message) is removed too.
func TestPercentEncodedEchoIsRedacted(t *testing.T) {
	tests := []struct {
		name   string
		header string
		body   string
	}{
		{"header, full key encoded", "/x/" + percentAll(testKey), `{"error":"nope"}`},
		{"header, bare key encoded", "/x/" + percentAll(testKey[3:]), `{"error":"nope"}`},
		{"header, query-encoded", "/x?k=" + strings.ReplaceAll(percentAll(testKey), "%5F", "_"), `{"error":"nope"}`},
		{"message, full key encoded", "", `{"error":"bad key ` + percentAll(testKey) + `"}`},
		{"details, bare key encoded", "", `{"error":"bad","details":{"url":"/x/` + percentAll(testKey[3:]) + `"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.header != "" {
				h.Set("X-Echo-Location", tt.header)
			}
			s := &statusServer{script: []int{404}, header: h, body: tt.body}
			c := newHandlerClient(t, s, WithMaxRetries(0))
			resp, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || resp == nil {
				t.Fatalf("err = %v, want an *APIError and a Response", err)
			}
			for what, text := range map[string]string{
				"Error()": err.Error(), "Message": apiErr.Message, "Details": decodedText(apiErr.Details),
				"Body": decodedText(apiErr.Body), "header": fmt.Sprint(resp.Header),
			} {
				for _, form := range []string{text, mustUnescape(text)} {
					assertNoKey(t, what, form)
				}
			}
		})
	}
}

func mustUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}
