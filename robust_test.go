package restorehub

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// Tests of issue 9's "the key never leaks", "nothing hangs, nothing panics"
// and of issue 10's error texts.

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

// rotationKey is the i-th of many valid, distinct keys.
func rotationKey(i int) string { return fmt.Sprintf("rh_Rotation%026dKey", i) }

// TestRotateKeyConcurrently: many goroutines rotate the key while others
// send requests whose errors echo the key sent, without its "rh_" prefix.
// No rotation may be lost, so no echo may carry a key.
func TestRotateKeyConcurrently(t *testing.T) {
	tests := []struct {
		name      string
		rotations int
	}{
		{"8 rotations", 8},
		{"200 rotations", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer rh_")
				writeJSON(w, 400, map[string]any{"error": "bad key " + body, "details": map[string]string{"key": body}})
			})
			c := newHandlerClient(t, echo, WithoutPacing())
			var wg sync.WaitGroup
			errs := make(chan error, tt.rotations)
			for i := range tt.rotations {
				wg.Go(func() {
					if err := c.RotateKey(rotationKey(i)); err != nil {
						t.Error(err)
					}
					_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
					errs <- err
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				var apiErr *APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("err = %v, want an *APIError", err)
				}
				for i := range tt.rotations {
					body := rotationKey(i)[3:]
					for what, text := range map[string]string{"error": err.Error(), "Message": apiErr.Message, "Details": string(apiErr.Details), "Body": string(apiErr.Body)} {
						if strings.Contains(text, body) {
							t.Fatalf("%s carries rotated key %d: %q", what, i, text)
						}
					}
				}
			}
			for i := range tt.rotations {
				if got := c.scrub("x" + rotationKey(i)[3:] + "x"); strings.Contains(got, rotationKey(i)[3:]) {
					t.Errorf("rotation %d was lost from the client's own keys", i)
				}
			}
		})
	}
}

// TestRotatedKeyAppliesAfterBudgetWait: a request that waits for budget
// while the key rotates is sent with the new key.
func TestRotatedKeyAppliesAfterBudgetWait(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
	}{
		{"waiting for the key's budget", nil},
		{"waiting for the request rate", []Option{WithoutPacing(), WithRequestRate(0.1, 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ws := &windowServer{limit: 1, window: 10 * time.Second, keys: map[string]int{}}
				c := newHandlerClient(t, ws, tt.opts...)
				if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
					t.Fatal(err)
				}
				done := make(chan error)
				go func() {
					_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
					done <- err
				}()
				synctest.Wait() // the second request is waiting
				if err := c.RotateKey(otherKey); err != nil {
					t.Fatal(err)
				}
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				ws.mu.Lock()
				defer ws.mu.Unlock()
				if ws.keys["Bearer "+otherKey] != 1 || ws.keys["Bearer "+testKey] != 1 {
					t.Errorf("keys seen = %v, want the old key once and the rotated key once", ws.keys)
				}
			})
		})
	}
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

// TestResponseBodyCap: a 2xx body larger than the cap, once decoded, fails
// with ErrResponseTooLarge, gzip included; a body at the cap is read.
func TestResponseBodyCap(t *testing.T) {
	gzipBomb := func(n int) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write([]byte(`{"id":"`))
		chunk := bytes.Repeat([]byte("a"), 1<<16)
		for n > 0 {
			k := min(n, len(chunk))
			_, _ = zw.Write(chunk[:k])
			n -= k
		}
		_, _ = zw.Write([]byte(`"}`))
		_ = zw.Close()
		return b.Bytes()
	}
	tests := []struct {
		name    string
		gzip    bool
		size    int // of the id's value
		opts    []Option
		wantErr bool
	}{
		{"under the option's cap", false, 900, []Option{WithMaxResponseBytes(1024)}, false},
		{"over the option's cap", false, 2000, []Option{WithMaxResponseBytes(1024)}, true},
		{"exactly the cap", false, 1024 - len(`{"id":""}`), []Option{WithMaxResponseBytes(1024)}, false},
		// 2 MiB once inflated, some 2 KiB on the wire: 1000 times the wire size.
		{"gzip: small on the wire, over the cap", true, 2 << 20, []Option{WithMaxResponseBytes(256 << 10)}, true},
		{"gzip: the cap raised", true, 300 << 10, []Option{WithMaxResponseBytes(400 << 10)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var payload []byte
			if tt.gzip {
				payload = gzipBomb(tt.size)
			} else {
				payload = []byte(`{"id":"` + strings.Repeat("a", tt.size) + `"}`)
			}
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if tt.gzip {
					w.Header().Set("Content-Encoding", "gzip")
				}
				_, _ = w.Write(payload)
			}))
			c := newTestClient(t, srv, tt.opts...)
			var out struct{ ID string }
			_, err := c.Do(context.Background(), &Request{Path: "/account"}, &out)
			if tt.wantErr {
				if !errors.Is(err, ErrResponseTooLarge) || errors.Is(err, ErrMalformedResponse) {
					t.Fatalf("err = %v, want ErrResponseTooLarge", err)
				}
				if n := strings.Count(err.Error(), "restorehub:"); n != 1 {
					t.Errorf("error has %d \"restorehub:\" prefixes: %v", n, err)
				}
				return
			}
			if err != nil || len(out.ID) != tt.size {
				t.Fatalf("err = %v, id of %d bytes; want nil and %d", err, len(out.ID), tt.size)
			}
		})
	}
	if _, err := New(testKey, WithMaxResponseBytes(0)); err == nil {
		t.Error("WithMaxResponseBytes(0) was accepted")
	}
	if c := newTestClient(t, "https://api.restorehub.net/api/v1"); c.cfg.maxResponseBytes != DefaultMaxResponseBytes {
		t.Errorf("default cap = %d, want DefaultMaxResponseBytes", c.cfg.maxResponseBytes)
	}
}

// TestRetryAfterZeroIsNow: "Retry-After: 0" is reported as 0, not as the
// 10s default for a 429 that names no wait.
func TestRetryAfterZeroIsNow(t *testing.T) {
	tests := []struct {
		name   string
		header string
		body   string
		want   time.Duration
	}{
		{"header 0", "0", `{"error":"Rate limit exceeded"}`, 0},
		{"body 0", "", `{"error":"Rate limit exceeded","retryAfter":0}`, 0},
		{"details 0", "", `{"error":"Rate limit exceeded","details":{"retryAfter":0}}`, 0},
		{"header 0 beats body 5", "0", `{"error":"Rate limit exceeded","retryAfter":5}`, 0},
		{"nothing named: 10s", "", `{"error":"Rate limit exceeded"}`, defaultRetryAfter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				h := http.Header{}
				if tt.header != "" {
					h.Set("Retry-After", tt.header)
				}
				s := &statusServer{script: []int{429}, header: h, body: tt.body}
				c := newHandlerClient(t, s, WithMaxRetries(0))
				_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
				var rle *RateLimitError
				if !errors.As(err, &rle) || rle.RetryAfter != tt.want {
					t.Errorf("err = %v, want a RateLimitError with RetryAfter %s", err, tt.want)
				}
			})
		})
	}
}

// TestFloorBeforeFirstResponse: before any response has arrived, one hung
// request must not hold back the others: the documented floor (50 per 10s)
// may be sent at once, and no more until the first response (each takes a
// second here) arrives.
func TestFloorBeforeFirstResponse(t *testing.T) {
	tests := []struct {
		name     string
		others   int
		wantHeld int // of the others, sent only after the first response
	}{
		{"10 behind a hung request", 10, 0},
		{"49 behind a hung request", 49, 0},
		{"60 behind a hung request", 60, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				var mu sync.Mutex
				held := 0
				h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.URL.Query().Get("hang") != "" {
						time.Sleep(time.Hour)
					} else if time.Since(start) > 0 {
						mu.Lock()
						held++
						mu.Unlock()
					}
					time.Sleep(time.Second)
					writeJSON(w, 200, map[string]string{"id": "x"})
				})
				c := newHandlerClient(t, h)
				hung := make(chan struct{})
				go func() {
					defer close(hung)
					_, _ = c.Do(context.Background(), &Request{Path: "/account", Query: map[string][]string{"hang": {"1"}}}, nil)
				}()
				synctest.Wait()
				var wg sync.WaitGroup
				for range tt.others {
					wg.Go(func() {
						if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
							t.Error(err)
						}
					})
				}
				wg.Wait()
				<-hung
				if held != tt.wantHeld {
					t.Errorf("%d requests were sent only after the first response, want %d", held, tt.wantHeld)
				}
			})
		})
	}
}

// TestOddTransports: a caller's RoundTripper that breaks its contract gives
// a clear error or a usable response, never a panic.
func TestOddTransports(t *testing.T) {
	tests := []struct {
		name    string
		rt      roundTripFunc
		wantErr error // nil: want success
	}{
		{"(nil, nil)", func(*http.Request) (*http.Response, error) { return nil, nil }, ErrBadTransport},
		{"429 without Request, nil Body", func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"0"}}}, nil
		}, ErrRateLimited},
		{"429 without Request or Retry-After", func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 429, Body: io.NopCloser(strings.NewReader(`{"error":"slow down","retryAfter":0}`))}, nil
		}, ErrRateLimited},
		{"200 with nil Body and nil Header", func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200}, nil
		}, nil},
		{"503 with nil Body", func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 503}, nil
		}, ErrServer},
		{"response and error both", func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200}, errors.New("boom")
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, "https://api.restorehub.net/api/v1", WithHTTPClient(&http.Client{Transport: tt.rt}))
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("panic: %v", p)
					}
				}()
				var out map[string]any
				_, err = c.Do(context.Background(), &Request{Path: "/account"}, &out)
			}()
			switch {
			case tt.name == "response and error both":
				if err == nil {
					t.Error("want the transport's error")
				}
			case tt.wantErr == nil && err != nil:
				t.Errorf("err = %v, want nil", err)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// TestNilContext: every entry point that takes a context refuses a nil one
// with ErrNilContext, without sending anything or panicking.
func TestNilContext(t *testing.T) {
	var nilCtx context.Context
	var sent int
	var mu sync.Mutex
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sent++
		mu.Unlock()
		writeJSON(w, 200, map[string]string{"id": "x"})
	})
	c := newHandlerClient(t, h)
	cp := newHandlerClient(t, h, WithoutPacing(), WithRequestRate(100, 1))
	tests := []struct {
		name string
		call func() error
	}{
		{"Do", func() error { _, err := c.Do(nilCtx, &Request{Path: "/account"}, nil); return err }},
		{"Do without pacing, with a request rate", func() error { _, err := cp.Do(nilCtx, &Request{Path: "/account"}, nil); return err }},
		{"typed call", func() error { _, err := c.Account.Get(nilCtx); return err }},
		{"typed list", func() error { _, err := c.Servers.List(nilCtx, nil); return err }},
		{"paced operation", func() error {
			_, err := c.Members.Pull(nilCtx, nil)
			return err
		}},
		{"MemoryBudget.Acquire", func() error { _, err := NewMemoryBudget().Acquire(nilCtx, 0); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("panic: %v", p)
					}
				}()
				err = tt.call()
			}()
			if !errors.Is(err, ErrNilContext) {
				t.Errorf("err = %v, want ErrNilContext", err)
			}
		})
	}
	if sent != 0 {
		t.Errorf("%d requests were sent with a nil context", sent)
	}
}

// slowBody yields its first part, then blocks until ctx ends and fails with
// ctx's error, as a real connection does when a deadline cuts a body.
type slowBody struct {
	ctx  context.Context
	part *strings.Reader
}

func (b *slowBody) Read(p []byte) (int, error) {
	if b.part.Len() > 0 {
		return b.part.Read(p)
	}
	<-b.ctx.Done()
	return 0, b.ctx.Err()
}

func (b *slowBody) Close() error { return nil }

// TestDeadlineCuttingBody: a deadline that cuts a 2xx body is reported as
// the deadline (errors.Is context.DeadlineExceeded), not as a malformed body.
func TestDeadlineCuttingBody(t *testing.T) {
	tests := []struct {
		name       string
		ctxTimeout time.Duration
		hcTimeout  time.Duration
	}{
		{"ctx deadline", 100 * time.Millisecond, 0},
		{"http.Client Timeout", 0, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
					return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Request: r,
						Body: &slowBody{ctx: r.Context(), part: strings.NewReader(`{"id":"srv_1","name":"Pix`)}}, nil
				})
				c := newTestClient(t, bubbleBase, WithHTTPClient(&http.Client{Transport: rt, Timeout: tt.hcTimeout}))
				ctx := context.Background()
				if tt.ctxTimeout > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.ctxTimeout)
					defer cancel()
				}
				var out map[string]any
				_, err := c.Do(ctx, &Request{Path: "/account"}, &out)
				if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrMalformedResponse) {
					t.Errorf("err = %v, want context.DeadlineExceeded and not ErrMalformedResponse", err)
				}
			})
		})
	}
}

// TestLocalErrorsAreSafe: every error the client makes without a response
// has a non-nil *APIError with Local set, readable field by field and found
// by errors.As; and no error type's zero value panics when printed.
func TestLocalErrorsAreSafe(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Limit", "1")
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Window", "10s")
		writeJSON(w, 200, map[string]string{"id": "x"})
	})
	tests := []struct {
		name  string
		setup func(t *testing.T) error
	}{
		{"budget wait beyond WithMaxWait", func(t *testing.T) error {
			c := newHandlerClient(t, h, WithMaxWait(time.Second))
			_, _ = c.Do(context.Background(), &Request{Path: "/account"}, nil)
			_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
			return err
		}},
		{"custom Budget's bare RateLimitError", func(t *testing.T) error {
			c := newHandlerClient(t, h, WithBudget(refusingBudget{}))
			_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
			return err
		}},
		{"request rate beyond WithMaxWait", func(t *testing.T) error {
			c := newHandlerClient(t, h, WithoutPacing(), WithRequestRate(0.01, 1), WithMaxWait(time.Second))
			_, _ = c.Do(context.Background(), &Request{Path: "/account"}, nil)
			_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
			return err
		}},
		{"WithScopes refusal", func(t *testing.T) error {
			c := newHandlerClient(t, h, WithScopes(ScopeAccountRead))
			_, err := c.Do(context.Background(), &Request{Path: "/servers", Scope: ScopeServersRead}, nil)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.setup(t)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v (%T): errors.As finds no *APIError", err, err)
			}
			if !apiErr.Local || apiErr.StatusCode != 0 || apiErr.Method == "" || apiErr.Path == "" {
				t.Errorf("APIError = %+v, want Local, StatusCode 0, the method and path", apiErr)
			}
			var rle *RateLimitError
			if errors.As(err, &rle) && (rle.APIError == nil || !rle.Local || rle.StatusCode != 0) {
				t.Errorf("RateLimitError = %+v", rle)
			}
			if !strings.Contains(err.Error(), apiErr.Path) {
				t.Errorf("error %q does not name the request", err)
			}
		})
	}
	for _, e := range []error{&APIError{}, &MissingScopeError{}, &UpgradeRequiredError{}, &RateLimitError{}, &ValidationError{}, &GuardError{},
		(*APIError)(nil), (*MissingScopeError)(nil), (*RateLimitError)(nil)} {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%T: panic: %v", e, p)
				}
			}()
			_ = e.Error()
			_ = errors.Is(e, ErrRateLimited)
			_ = errors.As(e, new(*APIError))
		}()
	}
}

// refusingBudget is a custom Budget that refuses every wait with a bare
// *RateLimitError, as a third-party Budget might.
type refusingBudget struct{}

func (refusingBudget) Acquire(context.Context, time.Duration) (Grant, error) {
	return Grant{}, &RateLimitError{RetryAfter: time.Minute, Local: true}
}
func (refusingBudget) Observe(RateLimit, time.Time) {}

// TestErrorTextsHaveOnePrefix: no error the client returns says
// "restorehub:" twice.
func TestErrorTextsHaveOnePrefix(t *testing.T) {
	reply := func(status int, body string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		})
	}
	do := func(h http.Handler, req *Request, opts ...Option) func(t *testing.T) error {
		return func(t *testing.T) error {
			c := newHandlerClient(t, h, append([]Option{WithMaxRetries(0)}, opts...)...)
			var out struct{ ID int }
			_, err := c.Do(context.Background(), req, &out)
			return err
		}
	}
	get := &Request{Path: "/account"}
	tests := []struct {
		name string
		err  func(t *testing.T) error
	}{
		{"401", do(reply(401, `{"error":"Invalid API key"}`), get)},
		{"403 missing scope", do(reply(403, `{"error":"Missing required scope: servers:read","requiredScope":"servers:read","yourScopes":["account:read"]}`), get)},
		{"403 upgrade", do(reply(403, `{"error":"Free plan","upgradeUrl":"https://restorehub.net/pricing"}`), get)},
		{"400 validation", do(reply(400, `{"error":"Validation failed","details":[{"code":"x","path":["a"],"message":"bad"}]}`), get)},
		{"429", do(reply(429, `{"error":"Rate limit exceeded"}`), get)},
		{"500 HTML", do(reply(500, `<html><title>oops</title></html>`), get)},
		{"200 malformed", do(reply(200, `{"id":"not a number"}`), get)},
		{"200 too large", do(reply(200, `{"id":"`+strings.Repeat("1", 100)+`"}`), get, WithMaxResponseBytes(10))},
		{"local missing scope", do(reply(200, `{}`), &Request{Path: "/servers", Scope: ScopeServersRead}, WithScopes(ScopeAccountRead))},
		{"guard refusal with a restorehub error", do(reply(200, `{}`), &Request{Method: "POST", Path: "/backups/b/restore", Scope: ScopeBackupsRestore, Body: restoreBody},
			WithDestructiveGuard(func(context.Context, Operation) error { return ErrGuardRefused }))},
		{"transport contract broken", func(t *testing.T) error {
			c := newTestClient(t, bubbleBase, WithHTTPClient(&http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, nil })}), WithMaxRetries(0))
			_, err := c.Do(context.Background(), get, nil)
			return err
		}},
		{"cross-host redirect of a POST", do(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://elsewhere.example/x", http.StatusTemporaryRedirect)
		}), &Request{Method: "POST", Path: "/servers", Scope: ScopeServersWrite})},
		{"nil context", func(t *testing.T) error {
			var nilCtx context.Context
			_, err := newHandlerClient(t, reply(200, `{}`)).Do(nilCtx, get, nil)
			return err
		}},
		{"invalid key", func(*testing.T) error { _, err := New("nope"); return err }},
		{"base URL", func(*testing.T) error { _, err := New(testKey, WithBaseURL("http://example.com")); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err(t)
			if err == nil {
				t.Fatal("want an error")
			}
			if n := strings.Count(err.Error(), "restorehub:"); n != 1 {
				t.Errorf("%q says \"restorehub:\" %d times", err, n)
			}
		})
	}
}

// TestMissingScopeMessage: the message names the missing scope and how many
// scopes the key has (not all of them), and the remedy gives the dashboard's
// full address.
func TestMissingScopeMessage(t *testing.T) {
	all := AllScopes()
	tests := []struct {
		name      string
		have      []Scope
		wantCount string
	}{
		{"none", nil, "it has no scopes"},
		{"one", []Scope{ScopeAccountRead}, "it has 1 scope: account:read"},
		{"many", all[:len(all)-1], fmt.Sprintf("it has %d scopes", len(all)-1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			missing := all[len(all)-1]
			e := &MissingScopeError{APIError: &APIError{StatusCode: 403, Method: "GET", Path: "/x"}, RequiredScope: missing, YourScopes: tt.have}
			msg := e.Error()
			if !strings.Contains(msg, string(missing)) || !strings.Contains(msg, tt.wantCount) {
				t.Errorf("%q: want the missing scope %s and %q", msg, missing, tt.wantCount)
			}
			if len(tt.have) > 1 && strings.Contains(msg, string(tt.have[1])) {
				t.Errorf("%q lists the key's scopes", msg)
			}
			if !strings.Contains(e.Remedy(), "https://restorehub.net/dashboard/api-keys") {
				t.Errorf("Remedy() = %q, want the dashboard's full URL", e.Remedy())
			}
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
