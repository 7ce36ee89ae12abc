package restorehub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go/resources"
)

// metaServer answers every request with status and a rate-limit header
// whose Remaining counts down from 100, so each response is recognisable.
func metaServer(t *testing.T, status int, body string) (*httptest.Server, *atomic.Int32, *atomic.Value) {
	t.Helper()
	var n atomic.Int32
	var lastHeader atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		lastHeader.Store(r.Header.Clone())
		h := w.Header()
		h.Set("X-RateLimit-Limit", "100")
		h.Set("X-RateLimit-Window", "10s")
		h.Set("X-RateLimit-Remaining", fmt.Sprint(100-i))
		h.Set("X-Request-Id", fmt.Sprintf("req-%d", i))
		h.Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &n, &lastHeader
}

// TestWithResponseInto checks that a typed call and Do fill the caller's
// Response with this call's status, header and rate limit, on success and
// on an API error, and zero it when no response arrived.
func TestWithResponseInto(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		status    int
		body      string
		call      func(c *Client, r *Response) error
		wantErr   bool
		wantState int
	}{
		{
			name: "typed success", status: 200,
			body: `{"id":"b1","serverId":"s1","status":"completed","createdAt":"2026-01-02T03:04:05Z"}`,
			call: func(c *Client, r *Response) error {
				_, err := c.Backups.Get(ctx, "b1", WithResponseInto(r))
				return err
			},
			wantState: 200,
		},
		{
			name: "typed API error", status: 404, body: `{"error":"Backup not found"}`,
			call: func(c *Client, r *Response) error {
				_, err := c.Backups.Get(ctx, "b1", WithResponseInto(r))
				return err
			},
			wantErr: true, wantState: 404,
		},
		{
			name: "typed method without a result", status: 204,
			call:      func(c *Client, r *Response) error { return c.Backups.Delete(ctx, "b1", WithResponseInto(r)) },
			wantState: 204,
		},
		{
			name: "Do", status: 200, body: `{}`,
			call: func(c *Client, r *Response) error {
				_, err := c.Do(ctx, &Request{Path: "/account"}, nil, WithResponseInto(r))
				return err
			},
			wantState: 200,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _, _ := metaServer(t, tt.status, tt.body)
			c := newTestClient(t, srv.URL)
			// Another call first, so that Client.RateLimit would differ.
			if _, err := c.Do(ctx, &Request{Path: "/warmup"}, nil); err != nil && tt.status < 300 {
				t.Fatal(err)
			}
			var r Response
			err := tt.call(c, &r)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tt.wantErr)
			}
			if r.StatusCode != tt.wantState {
				t.Errorf("StatusCode = %d, want %d", r.StatusCode, tt.wantState)
			}
			if got := r.Header.Get("X-Request-Id"); got != "req-2" {
				t.Errorf("X-Request-Id = %q, want req-2 (this call's response)", got)
			}
			if r.RateLimit.Remaining != 98 || r.RateLimit.Limit != 100 || r.RateLimit.Window != 10*time.Second {
				t.Errorf("RateLimit = %+v, want this call's Remaining 98 of 100 per 10s", r.RateLimit)
			}
		})
	}

	t.Run("no response zeroes it", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		url := srv.URL
		srv.Close()
		c := newTestClient(t, url, WithMaxRetries(0))
		r := Response{StatusCode: 599}
		if _, err := c.Backups.Get(ctx, "b1", WithResponseInto(&r)); err == nil {
			t.Fatal("want a transport error")
		}
		if r.StatusCode != 0 || r.Header != nil {
			t.Errorf("Response = %+v, want zero", r)
		}
	})
}

// TestWithResponseIntoPerPage checks that an iterator's options reach every
// page, so that inside the loop the Response describes the current page.
func TestWithResponseIntoPerPage(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := n.Add(1)
		w.Header().Set("X-RateLimit-Limit", "100")
		w.Header().Set("X-RateLimit-Window", "10s")
		w.Header().Set("X-RateLimit-Remaining", fmt.Sprint(100-i))
		w.Header().Set("X-Page", fmt.Sprint(i))
		switch r.URL.Query().Get("cursor") {
		case "":
			writeJSON(w, 200, map[string]any{"data": []map[string]any{{"id": "p1a"}, {"id": "p1b"}}, "nextCursor": "c2"})
		case "c2":
			writeJSON(w, 200, map[string]any{"data": []map[string]any{{"id": "p2a"}}, "nextCursor": nil})
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := newTestClient(t, srv.URL)
	var r Response
	got := map[string]string{}
	for b, err := range c.Backups.All(context.Background(), nil, WithResponseInto(&r)) {
		if err != nil {
			t.Fatal(err)
		}
		got[b.ID] = fmt.Sprintf("page %s remaining %d", r.Header.Get("X-Page"), r.RateLimit.Remaining)
	}
	want := map[string]string{"p1a": "page 1 remaining 99", "p1b": "page 1 remaining 99", "p2a": "page 2 remaining 98"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("per-item page metadata = %v, want %v", got, want)
	}

	// Pages yields each whole page, with the same per-page Response.
	var pages []string
	for page, err := range c.Backups.Pages(context.Background(), nil, WithResponseInto(&r)) {
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, fmt.Sprintf("%d items, next %v, page %s", len(page.Data), page.NextCursor != nil, r.Header.Get("X-Page")))
	}
	if want := "[2 items, next true, page 3 1 items, next false, page 4]"; fmt.Sprint(pages) != want {
		t.Errorf("Pages = %v, want %s", pages, want)
	}
}

// TestWithCallMaxWait checks that one call can refuse to wait for budget
// while the client itself would wait, and that a bad bound sends nothing.
func TestWithCallMaxWait(t *testing.T) {
	ctx := context.Background()
	ws, srv := newWindowServer(t, 2, 5*time.Second)
	c := newTestClient(t, srv.URL) // no client-wide WithMaxWait: it would wait
	for range 2 {
		if _, err := c.Do(ctx, &Request{Path: "/account"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now()
	_, err := c.Account.Get(ctx, WithCallMaxWait(50*time.Millisecond))
	var rle *RateLimitError
	if !errors.As(err, &rle) || !rle.Local {
		t.Fatalf("err = %v, want a local *RateLimitError", err)
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("refusal took %s, want immediate", el)
	}
	if _, err := c.Account.Get(ctx, WithCallMaxWait(-time.Second)); err == nil || !strings.Contains(err.Error(), "negative") {
		t.Errorf("negative wait: err = %v", err)
	}
	if total, _ := ws.counts(); total != 2 {
		t.Errorf("server saw %d requests, want 2", total)
	}
}

// TestWithHeader checks that a per-call header is sent, that the
// credentials cannot be replaced, and that logs stay free of the key.
func TestWithHeader(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, key, value string
		wantErr          string // "" when the call must be sent
	}{
		{name: "tracing header", key: "traceparent", value: "00-abc-def-01"},
		{name: "authorization", key: "authorization", value: "Bearer rh_attacker000000000000000000", wantErr: "Authorization"},
		{name: "host", key: "Host", value: "evil.example", wantErr: "Host"},
		{name: "proxy auth", key: "Proxy-Authorization", value: "Basic x", wantErr: "Proxy-Authorization"},
		{name: "user agent", key: "user-agent", value: "other/1.0", wantErr: "User-Agent"},
		{name: "key in value", key: "X-Debug", value: testKey, wantErr: "looks like an API key"},
		{name: "bad name", key: "X Bad", value: "v", wantErr: "invalid header name"},
		{name: "header injection", key: "X-A", value: "a\r\nAuthorization: x", wantErr: "line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n, last := metaServer(t, 200, `{}`)
			var logs bytes.Buffer
			c := newTestClient(t, srv.URL, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))), WithLogHeaders())
			_, err := c.Servers.Get(ctx, "s1", WithHeader(tt.key, tt.value))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %q", err, tt.wantErr)
				}
				assertNoKey(t, "error", err.Error())
				if n.Load() != 0 {
					t.Errorf("%d requests sent, want none", n.Load())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			h := last.Load().(http.Header)
			if got := h.Get(tt.key); got != tt.value {
				t.Errorf("%s = %q, want %q", tt.key, got, tt.value)
			}
			if got := h.Get("Authorization"); got != "Bearer "+testKey {
				t.Errorf("Authorization = %q, want the client's key", got)
			}
			assertNoKey(t, "log", logs.String())
			if !strings.Contains(logs.String(), tt.value) {
				t.Errorf("log lacks the extra header: %s", logs.String())
			}
		})
	}
}

// TestHandMadeOptionCannotReplaceKey checks that an option filling
// RequestConfig.Header directly meets the same rules as WithHeader.
func TestHandMadeOptionCannotReplaceKey(t *testing.T) {
	srv, n, _ := metaServer(t, 200, `{}`)
	c := newTestClient(t, srv.URL)
	sneaky := func(cfg *resources.RequestConfig) {
		cfg.Header = http.Header{"Authorization": {"Bearer rh_other000000000000000000000000"}}
	}
	_, err := c.Account.Get(context.Background(), sneaky)
	if err == nil || !strings.Contains(err.Error(), "Authorization") {
		t.Fatalf("err = %v, want a refusal naming Authorization", err)
	}
	assertNoKey(t, "error", err.Error())
	if n.Load() != 0 {
		t.Errorf("%d requests sent, want none", n.Load())
	}
}

// TestRequestConfig checks the resources-level option plumbing that a
// custom Backend relies on.
func TestRequestConfig(t *testing.T) {
	cfg := resources.NewRequestConfig(nil, WithHeader("X-A", "1"), WithHeader("x-a", "2"), WithCallMaxWait(time.Second), WithCallMaxWait(-1), WithHeader("Host", "h"))
	if got := cfg.Header.Values("X-A"); len(got) != 2 {
		t.Errorf("X-A = %v, want both values", got)
	}
	if cfg.MaxWait != time.Second {
		t.Errorf("MaxWait = %s", cfg.MaxWait)
	}
	if cfg.Err == nil || !strings.Contains(cfg.Err.Error(), "negative") {
		t.Errorf("Err = %v, want the first error (negative)", cfg.Err)
	}
}
