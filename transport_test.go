package restorehub

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

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
