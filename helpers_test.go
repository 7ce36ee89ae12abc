package restorehub

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// testKey has the shape of the docs' example: rh_ and 34 base62 characters.
const testKey = "rh_0123456789abcdefghijABCDEFGHIJklmn"

// otherKey is a second valid key, for rotation.
const otherKey = "rh_ZYXWVUTSRQponmlkjihg9876543210zyxw"

// windowServer enforces Restore Hub's documented sliding window: a request is
// accepted when fewer than limit accepted requests arrived in the last
// window. It reports the X-RateLimit-* headers and 429s as documented.
type windowServer struct {
	limit  int
	window time.Duration

	mu       sync.Mutex
	hits     []time.Time
	total    int
	rejected int
	firstOK  time.Time
	keys     map[string]int
}

func newWindowServer(t testing.TB, limit int, window time.Duration) (*windowServer, *httptest.Server) {
	ws := &windowServer{limit: limit, window: window, keys: map[string]int{}}
	srv := httptest.NewServer(ws)
	t.Cleanup(srv.Close)
	return ws, srv
}

// spend counts n requests made by someone else with the same key.
func (ws *windowServer) spend(n int) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	now := time.Now()
	for range n {
		ws.hits = append(ws.hits, now)
	}
}

func (ws *windowServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ws.mu.Lock()
	now := time.Now()
	ws.total++
	ws.keys[r.Header.Get("Authorization")]++
	kept := ws.hits[:0]
	for _, h := range ws.hits {
		if now.Sub(h) < ws.window {
			kept = append(kept, h)
		}
	}
	ws.hits = kept
	hdr := w.Header()
	hdr.Set("X-RateLimit-Limit", fmt.Sprint(ws.limit))
	hdr.Set("X-RateLimit-Window", ws.window.String())
	if len(ws.hits) >= ws.limit {
		ws.rejected++
		free := ws.hits[0].Add(ws.window)
		ws.mu.Unlock()
		secs := int(math.Ceil(free.Sub(now).Seconds()))
		hdr.Set("X-RateLimit-Remaining", "0")
		hdr.Set("X-RateLimit-Reset", fmt.Sprint(free.Unix()+1))
		hdr.Set("Retry-After", fmt.Sprint(secs))
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"error": "Rate limit exceeded", "limit": ws.limit, "window": ws.window.String(), "retryAfter": secs, "plan": "PREMIUM"})
		return
	}
	ws.hits = append(ws.hits, now)
	if ws.firstOK.IsZero() {
		ws.firstOK = now
	}
	hdr.Set("X-RateLimit-Remaining", fmt.Sprint(ws.limit-len(ws.hits)))
	hdr.Set("X-RateLimit-Reset", fmt.Sprint(ws.hits[0].Add(ws.window).Unix()+1))
	ws.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"id": "acc_1", "name": "Test account"})
}

func (ws *windowServer) counts() (total, rejected int) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.total, ws.rejected
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// newTestClient returns a client for srv with fast retries.
func newTestClient(t testing.TB, base string, opts ...Option) *Client {
	t.Helper()
	opts = append([]Option{WithBaseURL(base), WithRetryBackoff(time.Millisecond, 5*time.Millisecond)}, opts...)
	c, err := New(testKey, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// assertNoKey fails when text contains any of the test keys or their bodies.
func assertNoKey(t testing.TB, what, text string) {
	t.Helper()
	for _, k := range []string{testKey, otherKey} {
		if strings.Contains(text, k) || strings.Contains(text, k[3:]) {
			t.Errorf("%s contains the API key: %q", what, text)
		}
	}
}

type account struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func newServer(t testing.TB, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// fakeAPI is the root tests' one fake Restore Hub server. It records every
// request it receives (when, method, path below /api/v1, Authorization)
// and answers with respond, called with the request's index (0 for the
// first); a nil respond answers 200 with a small JSON object. Tests that
// script their answers (statusServer, the fault matrix's recording
// servers, newPathServer) are built on it.
type fakeAPI struct {
	respond func(i int, w http.ResponseWriter, r *http.Request, path string)

	mu   sync.Mutex
	reqs []seenRequest
}

// seenRequest is one request a fakeAPI received.
type seenRequest struct {
	at           time.Time
	method, path string // path below /api/v1, escaped
	auth         string // the Authorization header
}

// ServeHTTP records r and answers it with respond.
func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i, path := f.record(r)
	if f.respond == nil {
		replyOK(w, "")
		return
	}
	f.respond(i, w, r, path)
}

// record notes r and returns its index and its path below /api/v1.
func (f *fakeAPI) record(r *http.Request) (int, string) {
	path := strings.TrimPrefix(r.URL.EscapedPath(), "/api/v1")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, seenRequest{at: time.Now(), method: r.Method, path: path, auth: r.Header.Get("Authorization")})
	return len(f.reqs) - 1, path
}

// count returns how many requests matched "METHOD path"; "" counts all.
func (f *fakeAPI) count(what string) int {
	n := 0
	for _, line := range f.lines() {
		if what == "" || line == what {
			n++
		}
	}
	return n
}

// lines returns "METHOD path" of every request, in order.
func (f *fakeAPI) lines() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, len(f.reqs))
	for i, r := range f.reqs {
		out[i] = r.method + " " + r.path
	}
	return out
}

// times returns when each request arrived, in order.
func (f *fakeAPI) times() []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]time.Time, len(f.reqs))
	for i, r := range f.reqs {
		out[i] = r.at
	}
	return out
}

// auths returns the Authorization header of each request, in order.
func (f *fakeAPI) auths() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, len(f.reqs))
	for i, r := range f.reqs {
		out[i] = r.auth
	}
	return out
}

// newPathServer starts a fakeAPI whose answers come from handle (nil: 200).
func newPathServer(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, path string)) (*fakeAPI, *httptest.Server) {
	t.Helper()
	f := &fakeAPI{}
	if handle != nil {
		f.respond = func(_ int, w http.ResponseWriter, r *http.Request, path string) { handle(w, r, path) }
	}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}
