package restorehub

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// TestCleanRequestID: a server's request ID keeps only printable ASCII, at
// most maxRequestID bytes, and never a key, even one split by control
// characters or cut at the bound.
func TestCleanRequestID(t *testing.T) {
	r := &redactor{}
	r.addKey(testKey)
	body := testKey[3:]
	tests := []struct{ name, in, want string }{
		{"plain", "abc-123", "abc-123"},
		{"control characters", "ab\x00c\r\nd\x7f", "abcd"},
		{"non-ASCII", "réq", "rq"},
		{"long", strings.Repeat("x", 1000), strings.Repeat("x", maxRequestID)},
		{"a key", "id " + testKey, "id " + redactedKey},
		{"the key's body", "id " + body, "id " + redactedBody},
		{"a key split by control characters", body[:8] + "\x01\x02" + body[8:], redactedBody},
		{"the key after many control characters", strings.Repeat("\x01", 4*maxRequestID) + body, redactedBody},
		{"the key across the bound", strings.Repeat("y", maxRequestID-10) + body, strings.Repeat("y", maxRequestID-10) + redactedBody[:10]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cleanRequestID(tt.in, r.text)
			if got != tt.want {
				t.Errorf("cleanRequestID(%q) = %q, want %q", tt.in, got, tt.want)
			}
			assertNoKey(t, "request id", got)
		})
	}
}

// FuzzRequestID: whatever a server sends, the request ID is printable
// ASCII, bounded, and holds no key.
func FuzzRequestID(f *testing.F) {
	f.Add("abc")
	f.Add(testKey)
	f.Add(testKey[3:10] + "\x00" + testKey[10:])
	r := &redactor{}
	r.addKey(testKey)
	f.Fuzz(func(t *testing.T, in string) {
		got := cleanRequestID(in, r.text)
		if len(got) > maxRequestID {
			t.Fatalf("%d bytes", len(got))
		}
		for i := 0; i < len(got); i++ {
			if got[i] < 0x20 || got[i] > 0x7e {
				t.Fatalf("byte %#x kept", got[i])
			}
		}
		if strings.Contains(got, testKey[3:]) || keyPattern.MatchString(strings.ReplaceAll(got, redactedKey, "")) {
			t.Fatalf("a key kept: %q", got)
		}
	})
}

// TestRequestIDInResponseAndErrors: Response.RequestID and every API error
// carry the server's X-Request-Id, and the error's text shows it.
func TestRequestIDInResponseAndErrors(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   any
	}{
		{404, `{"error":"nope"}`, new(*APIError)},
		{403, `{"error":"Missing required scope","requiredScope":"servers:read"}`, new(*MissingScopeError)},
		{403, `{"error":"Free","upgradeUrl":"https://restorehub.net/pricing"}`, new(*UpgradeRequiredError)},
		{429, `{"error":"slow down"}`, new(*RateLimitError)},
		{400, `{"error":"bad"}`, new(*ValidationError)},
	}
	for _, tt := range tests {
		srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Request-Id", "abc-"+http.StatusText(tt.status)[:3])
			w.Header().Set("Retry-After", "0")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(tt.status)
			_, _ = w.Write([]byte(tt.body))
		}))
		c := newTestClient(t, srv, WithMaxRetries(0))
		resp, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
		id := "abc-" + http.StatusText(tt.status)[:3]
		if resp == nil || resp.RequestID != id {
			t.Errorf("%d: Response %+v, want RequestID %q", tt.status, resp, id)
		}
		if !errors.As(err, tt.want) {
			t.Errorf("%d: %T, want %T", tt.status, err, tt.want)
		}
		var api *APIError
		if !errors.As(err, &api) || api.RequestID != id {
			t.Errorf("%d: APIError %+v, want RequestID %q", tt.status, api, id)
		}
		if !strings.Contains(err.Error(), "(request id "+id+")") {
			t.Errorf("%d: error text %q does not show the request id", tt.status, err)
		}
	}
	// No header, no mention.
	c := newTestClient(t, newServer(t, &statusServer{script: []int{404}}))
	_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
	if err == nil || strings.Contains(err.Error(), "request id") {
		t.Errorf("error %v mentions a request id the server did not send", err)
	}
}
