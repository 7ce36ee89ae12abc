package restorehub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/restorehub/restorehub-go/internal/rawhttp"
)

// splitKey is the test key with c inserted after its at-th byte.
func splitKey(at int, c byte) string { return testKey[:at] + string([]byte{c}) + testKey[at:] }

// hostileResponses are responses that echo key (the key split by a control
// character) where net/http quotes it in an error or keeps it: in a header
// line, the status line, a chunk-size line and a redirect's Location.
func hostileResponses(key string) map[string]string {
	return map[string]string{
		"header line":       "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Echo: " + key + "\r\nContent-Length: 2\r\n\r\n{}",
		"header line start": "HTTP/1.1 200 OK\r\n " + key + "\r\nContent-Length: 2\r\n\r\n{}",
		"header name":       "HTTP/1.1 200 OK\r\nX-" + key + ": 1\r\nContent-Length: 2\r\n\r\n{}",
		"status code":       "HTTP/1.1 " + key + " OK\r\nContent-Length: 2\r\n\r\n{}",
		"status reason":     "HTTP/1.1 200 " + key + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}",
		"status version":    key + " 200 OK\r\nContent-Length: 2\r\n\r\n{}",
		"status line":       key + "\r\nContent-Length: 2\r\n\r\n{}",
		"chunk size line":   "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + key + "\r\n{}\r\n0\r\n\r\n",
		"error chunk size":  "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + key + "\r\n{}\r\n0\r\n\r\n",
		"location":          "HTTP/1.1 302 Found\r\nLocation: /api/v1/account?k=" + key + "\r\nContent-Length: 0\r\n\r\n",
		"location host":     "HTTP/1.1 302 Found\r\nLocation: http://" + key + ".example/\r\nContent-Length: 0\r\n\r\n",
		// Valid: followed until the redirect limit, the URL in the error.
		"location escaped": "HTTP/1.1 302 Found\r\nLocation: /api/v1/account?k=" + url.QueryEscape(key) + "\r\nContent-Length: 0\r\n\r\n",
	}
}

// keyFragments is what no text may hold: the key, its part after "rh_",
// and every 12-character run of that part.
func keyFragments() []string {
	body := testKey[len("rh_"):]
	out := []string{testKey, body}
	for i := 0; i+12 <= len(body); i++ {
		out = append(out, body[i:i+12])
	}
	return out
}

// leakIn returns the first fragment of the key in text, or "".
func leakIn(text string) string {
	for _, f := range keyFragments() {
		if strings.Contains(text, f) {
			return f
		}
	}
	return ""
}

// TestHostileServerQuotesSplitKey has a raw TCP server echo the key split
// by each control character (0x00–0x1f and 0x7f), in the middle of its part
// after "rh_", in each place of a response net/http quotes in an error or
// keeps; net/http then fails with the key's parts around a Go escape
// (`\x01`) or on lines of their own. Neither the error (its text, %v, %+v,
// %#v, and those of every error errors.Unwrap reaches), nor the debug logs
// with headers, nor any observer event may hold the key, its part after
// "rh_" or any 12 characters of it.
func TestHostileServerQuotesSplitKey(t *testing.T) {
	var ctrls []byte
	for c := byte(0); c < 0x20; c++ {
		ctrls = append(ctrls, c)
	}
	ctrls = append(ctrls, 0x7f)
	failed, checked := 0, 0
	for _, c := range ctrls {
		for place, response := range hostileResponses(splitKey(20, c)) {
			t.Run(fmt.Sprintf("%s/%#02x", place, c), func(t *testing.T) {
				addr := rawhttp.Server(t, response)
				logs := &syncBuffer{}
				logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				var (
					mu     sync.Mutex
					events []any
				)
				note := func(e any) {
					mu.Lock()
					defer mu.Unlock()
					events = append(events, e)
				}
				c, err := New(testKey, WithBaseURL("http://"+addr+"/api/v1"), WithLogger(logger), WithLogHeaders(),
					WithMaxRetries(0), WithoutPacing(), WithObserver(Observer{
						OnCallStart: func(ctx context.Context, e CallStart) context.Context { note(e); return ctx },
						OnCallEnd:   func(_ context.Context, e CallEnd) { note(e) },
						OnAttempt:   func(_ context.Context, e Attempt) { note(e) },
						OnRetry:     func(_ context.Context, e RetryDecision) { note(e) },
						OnWait:      func(_ context.Context, e Wait) { note(e) },
					}))
				if err != nil {
					t.Fatal(err)
				}
				var out map[string]any
				resp, err := c.Do(context.Background(), &Request{Method: "GET", Path: "/account"}, &out)
				var texts []leakText
				texts = append(texts, errorTexts("error", err)...)
				// Every error errors.As can reach by type.
				var ue interface{ Unwrap() error }
				if errors.As(err, &ue) {
					texts = append(texts, formatted("errors.As Unwrap()", ue)...)
				}
				texts = append(texts, formatted("response", resp)...)
				if resp != nil {
					texts = append(texts, formatted("response header", resp.Header)...)
				}
				for i, line := range strings.Split(logs.String(), "\n") {
					texts = append(texts, leakText{fmt.Sprintf("log line %d", i+1), line})
				}
				mu.Lock()
				for i, e := range events {
					texts = append(texts, formatted(fmt.Sprintf("event %d %T", i, e), e)...)
				}
				mu.Unlock()
				if len(events) == 0 || logs.String() == "" {
					t.Fatalf("no events (%d) or no logs: the check would be vacuous", len(events))
				}
				for _, tx := range texts {
					checked++
					if f := leakIn(tx.text); f != "" {
						failed++
						t.Errorf("%s holds %q: %.400q", tx.where, f, tx.text)
					}
				}
			})
		}
	}
	t.Logf("checked %d texts, %d leaks", checked, failed)
}
