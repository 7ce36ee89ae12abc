package restorehub

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

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
