// Bulk shows many goroutines sharing one key's rate budget: 50 workers send
// a few hundred requests through one client, and the client paces them to
// the limit the server reports, so that none is answered 429 and the run
// takes about as long as the sliding window allows, no longer.
//
//	go run ./examples/bulk
//	go run ./examples/bulk -n 500 -workers 100 -limit 50 -window 500ms
//
// It prints a progress line while it runs (redrawn in place on a terminal,
// one line a second otherwise), then the requests done, the 429s received,
// the time taken, and the throughput against the allowed rate. It exits
// non-zero if any request failed or any 429 came back.
//
// With RESTOREHUB_API_KEY unset it runs against the SDK's in-process fake,
// whose window is shortened (-limit requests per -window) so that the run
// takes seconds; a real key's plan allows 100 requests per 10s on Premium.
// With RESTOREHUB_API_KEY set it reads the account (GET /account, which
// needs account:read) -n times, at the pace of the key's real plan: -limit
// and -window do not apply, and 300 requests take about 30s.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// fakeKey is the key the in-process fake accepts.
const fakeKey = "rh_BulkExampleFakeKeyForRestoreHubGo01"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bulk:", err)
		stop()
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("bulk", flag.ContinueOnError)
	fs.SetOutput(out)
	n := fs.Int("n", 300, "requests to send")
	workers := fs.Int("workers", 50, "goroutines sharing the client")
	limit := fs.Int("limit", 50, "the fake's rate limit: requests per window, at least 50 (every plan allows 50, and the client assumes so before the first response)")
	window := fs.Duration("window", 200*time.Millisecond, "the fake's sliding window")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *workers < 1 || *limit < 1 || *window <= 0 {
		return errors.New("-n, -workers, -limit and -window must be positive")
	}

	// Count the 429s at the transport, below the SDK's retries: the shared
	// budget should prevent every one.
	var got429s atomic.Int64
	opts := []restorehub.Option{restorehub.WithHTTPClient(&http.Client{Transport: count429s{&got429s, manyConns()}})}

	// One client, so one budget, for every goroutine: of the real API when
	// RESTOREHUB_API_KEY is set, else of restorehubtest's fake with a short
	// window.
	var client *restorehub.Client
	var err error
	if os.Getenv(restorehub.EnvAPIKey) != "" {
		client, err = restorehub.NewFromEnv(opts...)
		fmt.Fprintln(out, "Talking to the Restore Hub API at", client.BaseURL())
	} else {
		fake := restorehubtest.NewServer(
			restorehubtest.WithKey(fakeKey, restorehub.ScopeAccountRead),
			restorehubtest.WithDemoData(),
			restorehubtest.WithRateLimit(*limit, *window),
		)
		defer fake.Close()
		client, err = restorehub.New(fakeKey, append(opts, restorehub.WithBaseURL(fake.URL()))...)
		fmt.Fprintln(out, "Talking to the in-process fake at", fake.URL(), "(set", restorehub.EnvAPIKey, "to use the real API)")
		fmt.Fprintf(out, "The fake allows %d requests per %s per key.\n", *limit, *window)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Sending %d requests from %d goroutines through one client.\n\n", *n, *workers)

	var (
		next, done, failed atomic.Int64
		firstErr           error
		errOnce            sync.Once
		wg                 sync.WaitGroup
	)
	start := time.Now()
	for range *workers {
		wg.Go(func() {
			for next.Add(1) <= int64(*n) {
				if _, err := client.Account.Get(ctx); err != nil {
					failed.Add(1)
					errOnce.Do(func() { firstErr = err })
				}
				done.Add(1)
			}
		})
	}
	stopProgress := progress(out, start, func() string {
		return fmt.Sprintf("%d/%d requests done, %d failed, %d 429s", done.Load(), *n, failed.Load(), got429s.Load())
	})
	wg.Wait()
	elapsed := time.Since(start)
	stopProgress()

	got429 := got429s.Load()
	fmt.Fprintf(out, "done:        %d requests, %d failed\n", done.Load(), failed.Load())
	fmt.Fprintf(out, "429s:        %d (counted at the transport)\n", got429)
	fmt.Fprintf(out, "elapsed:     %s\n", elapsed.Round(time.Millisecond))
	if rl := client.RateLimit(); rl.Known() {
		allowed := float64(rl.Limit) / rl.Window.Seconds()
		got := float64(*n) / elapsed.Seconds()
		fmt.Fprintf(out, "throughput:  %.1f req/s; the key allows %.1f req/s (%d per %s)\n", got, allowed, rl.Limit, rl.Window)
		// A sliding window lets Limit requests go at once, then Limit more
		// each Window: N requests need floor((N-1)/Limit) windows after the first.
		windows := (*n - 1) / rl.Limit
		fastest := time.Duration(windows) * rl.Window
		if windows == 0 {
			fmt.Fprintf(out, "share:       n/a: all %d requests fit in one window\n", *n)
		} else {
			fmt.Fprintf(out, "fastest:     %s (%d at once, then %d more every %s: floor((%d-1)/%d) = %d windows)\n",
				fastest, rl.Limit, rl.Limit, rl.Window, *n, rl.Limit, windows)
			fmt.Fprintf(out, "share:       %.1f%% of the allowed rate (fastest / elapsed)\n", 100*fastest.Seconds()/elapsed.Seconds())
		}
	}

	switch {
	case failed.Load() > 0:
		return fmt.Errorf("%d of %d requests failed; the first: %w", failed.Load(), *n, firstErr)
	case got429 > 0:
		return fmt.Errorf("%d requests were answered 429: the shared budget should have prevented every one", got429)
	}
	return nil
}

// progress prints status() while the run goes on: redrawn in place every
// 100ms on a terminal, on a line of its own every second otherwise. The
// function it returns stops it and waits until it has stopped writing.
func progress(out io.Writer, start time.Time, status func() string) (stop func()) {
	tty := isTerminal(out)
	every := time.Second
	if tty {
		every = 100 * time.Millisecond
	}
	quit, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				if tty {
					fmt.Fprint(out, "\r\033[K") // clear the progress line
				}
				return
			case <-tick.C:
				line := fmt.Sprintf("progress: %s, %s", status(), time.Since(start).Round(100*time.Millisecond))
				if tty {
					fmt.Fprint(out, "\r\033[K"+line)
				} else {
					fmt.Fprintln(out, line)
				}
			}
		}
	}()
	return func() {
		close(quit)
		<-stopped
	}
}

// count429s counts the 429 responses that reach the transport.
type count429s struct {
	n    *atomic.Int64
	next http.RoundTripper
}

func (t count429s) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		t.n.Add(1)
	}
	return resp, err
}

// manyConns is the default transport with enough idle connections for
// many goroutines sharing one host.
func manyConns() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	return t
}

// isTerminal reports whether w is an interactive terminal: an *os.File that
// is a character device other than the null device.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
		return false
	}
	return true
}
