package restorehub_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// These tests run the client against the in-process fake, which enforces
// the documented keys, scopes and sliding window.

const (
	fakeKey    = "rh_FakeTestKey000000000000000000000000"
	rotatedKey = "rh_FakeTestKeyRotated0000000000000000"
)

func newFake(t *testing.T, opts ...restorehubtest.Option) (*restorehubtest.Server, *restorehub.Client) {
	t.Helper()
	opts = append([]restorehubtest.Option{restorehubtest.WithKey(fakeKey, restorehub.ScopeAll), restorehubtest.WithDemoData()}, opts...)
	srv := restorehubtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := restorehub.New(fakeKey, restorehub.WithBaseURL(srv.BaseURL()), restorehub.WithRetryBackoff(time.Millisecond, 5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// TestFakePacingManyGoroutines runs typed calls from many goroutines
// against the fake's sliding window, in fake time (testing/synctest), so the
// total is exactly the fastest the window allows.
func TestFakePacingManyGoroutines(t *testing.T) {
	tests := []struct {
		limit, n, workers int
		window            time.Duration
	}{
		{50, 151, 60, time.Second},
		{100, 301, 120, 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d per %s", tt.limit, tt.window), func(t *testing.T) {
			srv := restorehubtest.NewServer(restorehubtest.WithKey(fakeKey, restorehub.ScopeAll), restorehubtest.WithDemoData(),
				restorehubtest.WithRateLimit(tt.limit, tt.window))
			t.Cleanup(srv.Close)
			synctest.Test(t, func(t *testing.T) {
				c, err := restorehub.New(fakeKey, restorehub.WithBaseURL(srv.BaseURL()),
					restorehub.WithHTTPClient(&http.Client{Transport: responderTransport(srv.Responder())}))
				if err != nil {
					t.Fatal(err)
				}
				ctx := context.Background()
				var wg sync.WaitGroup
				jobs := make(chan struct{}, tt.n)
				for range tt.n {
					jobs <- struct{}{}
				}
				close(jobs)
				start := time.Now()
				for range tt.workers {
					wg.Go(func() {
						for range jobs {
							if _, err := c.Servers.List(ctx, nil); err != nil {
								t.Error(err)
								return
							}
						}
					})
				}
				wg.Wait()
				elapsed := time.Since(start)
				if got := srv.RateLimited(); got != 0 {
					t.Errorf("the fake sent %d 429s, want 0", got)
				}
				if ideal := tt.window * time.Duration((tt.n-1)/tt.limit); elapsed != ideal {
					t.Errorf("%d requests took %s, want exactly %s (the fastest the window allows)", tt.n, elapsed, ideal)
				}
				if rl := c.RateLimit(); rl.Limit != tt.limit || rl.Window != tt.window {
					t.Errorf("RateLimit() = %+v", rl)
				}
			})
		})
	}
}

func TestFakeRetriesAndDestructiveCalls(t *testing.T) {
	tests := []struct {
		name     string
		fault    func(*restorehubtest.Server)
		call     func(context.Context, *restorehub.Client) error
		opID     string
		wantSeen int
		wantErr  error // nil: success, errAny: any error
	}{
		{"GET retried after 503", func(s *restorehubtest.Server) { s.FailNext(1, 503) },
			func(ctx context.Context, c *restorehub.Client) error { _, err := c.Servers.List(ctx, nil); return err }, "servers.list", 2, nil},
		{"GET retried after HTML 502", func(s *restorehubtest.Server) { s.HTMLNext(1) },
			func(ctx context.Context, c *restorehub.Client) error { _, err := c.Account.Get(ctx); return err }, "account.get", 2, nil},
		{"restore not repeated after 503", func(s *restorehubtest.Server) { s.FailNext(1, 503) },
			func(ctx context.Context, c *restorehub.Client) error {
				_, err := c.Backups.Restore(ctx, "backup_0002", &resources.BackupRestore{TargetServerID: "server_0001"})
				return err
			}, "backups.restore", 1, restorehub.ErrServer},
		{"restore not repeated after a reset", func(s *restorehubtest.Server) { s.ResetNext(1) },
			func(ctx context.Context, c *restorehub.Client) error {
				_, err := c.Backups.Restore(ctx, "backup_0002", &resources.BackupRestore{TargetServerID: "server_0001"})
				return err
			}, "backups.restore", 1, errAny},
		{"restore repeated after a 429", func(s *restorehubtest.Server) { s.FailNext(1, 429) },
			func(ctx context.Context, c *restorehub.Client) error {
				_, err := c.Backups.Restore(ctx, "backup_0002", &resources.BackupRestore{TargetServerID: "server_0001"})
				return err
			}, "backups.restore", 2, nil},
		{"server delete not repeated after 500", func(s *restorehubtest.Server) { s.FailNext(1, 500) },
			func(ctx context.Context, c *restorehub.Client) error { return c.Servers.Delete(ctx, "server_0003") }, "servers.delete", 1, restorehub.ErrServer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// In process and in fake time: the 429's Retry-After of a
			// second passes at once, and a reset is the Responder's
			// ECONNRESET, as a real connection's would be.
			srv := restorehubtest.NewServer(restorehubtest.WithKey(fakeKey, restorehub.ScopeAll), restorehubtest.WithDemoData())
			t.Cleanup(srv.Close)
			synctest.Test(t, func(t *testing.T) {
				c, err := restorehub.New(fakeKey, restorehub.WithBaseURL(srv.BaseURL()),
					restorehub.WithRetryBackoff(time.Millisecond, 5*time.Millisecond),
					restorehub.WithHTTPClient(&http.Client{Transport: responderTransport(srv.Responder())}))
				if err != nil {
					t.Fatal(err)
				}
				tt.fault(srv)
				err = tt.call(context.Background(), c)
				if got := len(srv.Requests()); got != tt.wantSeen {
					t.Errorf("the fake saw %d requests, want %d", got, tt.wantSeen)
				}
				switch {
				case tt.wantErr == errAny:
					if err == nil {
						t.Error("want an error")
					}
				case tt.wantErr == nil && err != nil:
					t.Errorf("err = %v", err)
				case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
					t.Errorf("err = %v, want %v", err, tt.wantErr)
				}
			})
		})
	}
}

// errAny stands for "any error" in a table.
var errAny = errors.New("any error")

func TestFakeRotationAndRevocation(t *testing.T) {
	srv, c := newFake(t, restorehubtest.WithKey(rotatedKey, restorehub.ScopeAccountRead))
	ctx := context.Background()
	if _, err := c.Account.Get(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.RotateKey(rotatedKey); err != nil {
		t.Fatal(err)
	}
	srv.RevokeKey(fakeKey)
	if _, err := c.Account.Get(ctx); err != nil {
		t.Fatalf("after rotation: %v", err)
	}
	srv.RevokeKey(rotatedKey)
	_, err := c.Account.Get(ctx)
	if !errors.Is(err, restorehub.ErrUnauthorized) {
		t.Fatalf("after revocation: %v, want ErrUnauthorized", err)
	}
	reqs := srv.Requests()
	if reqs[1].KeyID != restorehubtest.KeyID(rotatedKey) {
		t.Errorf("second request used %s, want the rotated key", reqs[1].KeyID)
	}
}

func TestFakeFreePlanAndScopes(t *testing.T) {
	srv := restorehubtest.NewServer(
		restorehubtest.WithKey(fakeKey, restorehub.ScopeServersRead, restorehub.ScopeServersWrite),
		restorehubtest.WithPlan("FREE"), restorehubtest.WithDemoData())
	defer srv.Close()
	c, _ := restorehub.New(fakeKey, restorehub.WithBaseURL(srv.BaseURL()))
	ctx := context.Background()
	_, err := c.Servers.Create(ctx, &resources.ServerCreate{GuildID: "1"})
	var up *restorehub.UpgradeRequiredError
	if !errors.As(err, &up) || up.UpgradeURL == "" {
		t.Errorf("Free-plan write: %v, want UpgradeRequiredError", err)
	}
	_, err = c.Members.List(ctx, nil)
	var ms *restorehub.MissingScopeError
	if !errors.As(err, &ms) || ms.RequiredScope != restorehub.ScopeMembersRead || len(ms.YourScopes) != 2 {
		t.Errorf("members without scope: %v", err)
	}
}
