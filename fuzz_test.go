package restorehub

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// FuzzBuildError feeds arbitrary bodies and headers to the error decoder: it
// must always return an *APIError for the status, never panic, and never let
// a key through.
func FuzzBuildError(f *testing.F) {
	seeds := []struct {
		status int
		ctype  string
		body   string
	}{
		{401, "application/json", `{"error":"Missing or invalid API key."}`},
		{403, "application/json", `{"error":"Missing required scope: backups:restore","requiredScope":"backups:restore","yourScopes":["servers:read","backups:read"]}`},
		{403, "application/json", `{"error":"x","details":{"requiredScope":"members:pull","yourScopes":"members:read, servers:read"}}`},
		{403, "application/json", `{"error":"Free plan","upgradeUrl":"https://restorehub.net/pricing"}`},
		{429, "application/json", `{"error":"Rate limit exceeded","limit":100,"window":"10s","retryAfter":10,"plan":"PREMIUM","upgradeUrl":"https://restorehub.net/pricing"}`},
		{400, "application/json", `{"error":"Invalid","details":[{"code":"invalid_type","path":["a",0],"message":"Required"}]}`},
		{502, "text/html", `<html><title>502 Bad Gateway</title></html>`},
		{500, "application/json", `{"error":"trunc`},
		{503, "", ``},
		{401, "application/json", `{"error":"bad key ` + testKey + `"}`},
	}
	for _, s := range seeds {
		f.Add(s.status, s.ctype, []byte(s.body), "")
	}
	f.Add(429, "application/json", []byte(`{"error":1,"retryAfter":"1e309","limit":-1,"window":[]}`), "99999999999999999999")
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte, retryAfter string) {
		if status < 100 || status > 999 {
			status = 400 + (status%200+200)%200
		}
		h := http.Header{}
		h.Set("Content-Type", ctype)
		h.Set("Retry-After", retryAfter)
		err := buildError(status, h, body, nil, "GET", "/x")
		var ae *APIError
		if !errors.As(err, &ae) || ae.StatusCode != status {
			t.Fatalf("status %d: %v is not an *APIError for it", status, err)
		}
		// buildError does not know the client's key, so it can only catch
		// keys by their rh_ form; the bare form is FuzzDecodeError's job,
		// through a client that knows its key.
		msg := err.Error()
		if strings.Contains(msg, testKey) {
			t.Fatalf("key in error: %s", msg)
		}
		var rle *RateLimitError
		if errors.As(err, &rle) && (rle.RetryAfter < 0 || rle.RetryAfter > maxRetryAfter) {
			t.Fatalf("RetryAfter %s out of range", rle.RetryAfter)
		}
	})
}

// FuzzParseRateLimit: any header values give a RateLimit within the bounds.
func FuzzParseRateLimit(f *testing.F) {
	f.Add("100", "42", "1800000007", "10s", "10")
	f.Add("-1", "abc", "99999999999999999999", "876000h", "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add("1e3", "", "", "250ms", "NaN")
	f.Fuzz(func(t *testing.T, limit, remaining, reset, window, retryAfter string) {
		h := http.Header{}
		h.Set("X-RateLimit-Limit", limit)
		h.Set("X-RateLimit-Remaining", remaining)
		h.Set("X-RateLimit-Reset", reset)
		h.Set("X-RateLimit-Window", window)
		h.Set("Retry-After", retryAfter)
		now := time.Unix(1_800_000_000, 0)
		rl := ParseRateLimit(h, now)
		if rl.Limit < 0 || rl.Limit > maxHeaderLimit || rl.Remaining < 0 || rl.Window < 0 || rl.Window >= maxHeaderWindow || rl.RetryAfter < 0 || rl.RetryAfter > maxRetryAfter {
			t.Fatalf("out of bounds: %+v", rl)
		}
		if !rl.Reset.IsZero() && (rl.Reset.Sub(now) > maxResetAhead || now.Sub(rl.Reset) > maxResetAhead) {
			t.Fatalf("reset out of bounds: %v", rl.Reset)
		}
	})
}

// FuzzParseScope: only documented scopes parse, and errors stay short.
func FuzzParseScope(f *testing.F) {
	for _, s := range AllScopes() {
		f.Add(string(s))
	}
	f.Add("*")
	f.Add("servers:destroy")
	f.Add(" members:pull\n")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := ParseScope(in)
		if err == nil && !s.Valid() {
			t.Fatalf("ParseScope(%q) = %q, which is not valid", in, s)
		}
		if err != nil && len(err.Error()) > 200 {
			t.Fatalf("error of %d bytes", len(err.Error()))
		}
	})
}

// FuzzCheckKey: key validation never panics and never echoes the key.
func FuzzCheckKey(f *testing.F) {
	f.Add(testKey)
	f.Add("Bearer " + testKey)
	f.Add("rh_short")
	f.Fuzz(func(t *testing.T, key string) {
		err := checkKey(key)
		if err != nil && len(key) >= 12 && strings.Contains(err.Error(), key) {
			t.Fatalf("error echoes the key: %v", err)
		}
	})
}
