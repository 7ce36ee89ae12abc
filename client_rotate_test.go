package restorehub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

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
				if got := c.redactor.text("x" + rotationKey(i)[3:] + "x"); strings.Contains(got, rotationKey(i)[3:]) {
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
