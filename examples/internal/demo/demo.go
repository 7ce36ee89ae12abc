// Package demo connects the examples to Restore Hub: to the real API when
// RESTOREHUB_API_KEY is set, and otherwise to restorehubtest's in-process
// fake, seeded with demo data, so that every example runs on a fresh
// machine with no key and no network.
package demo

import (
	"net/http"
	"os"
	"sync/atomic"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// Key is the API key the fake accepts.
const Key = "rh_DemoKeyForRestoreHubGoExamples0001"

// Config says what an example needs.
type Config struct {
	// Scopes are the scopes Key holds on the fake; none means every scope.
	// Against the real API the key holds whatever it was minted with.
	Scopes []restorehub.Scope
	// Fake adds options to the fake, such as a rate limit.
	Fake []restorehubtest.Option
	// Client adds options to Env.Client.
	Client []restorehub.Option
}

// Env is a client and what it talks to.
type Env struct {
	// Client is the example's client.
	Client *restorehub.Client
	// Fake is the in-process server, or nil against the real API.
	Fake *restorehubtest.Server

	hc   *http.Client
	sent atomic.Int64 // requests that left the process
	r429 atomic.Int64 // 429 responses received
}

// Start returns a client of the real API when RESTOREHUB_API_KEY is set
// (restorehub.NewFromEnv, which also reads RESTOREHUB_BASE_URL), and of a
// new fake with demo data otherwise. Close the Env when done.
func Start(cfg Config) (*Env, error) {
	e := &Env{}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64 // many goroutines share one host
	e.hc = &http.Client{Transport: counting{e, t}}
	if os.Getenv(restorehub.EnvAPIKey) == "" {
		scopes := cfg.Scopes
		if len(scopes) == 0 {
			scopes = []restorehub.Scope{restorehub.ScopeAll}
		}
		opts := append([]restorehubtest.Option{
			restorehubtest.WithKey(Key, scopes...),
			restorehubtest.WithDemoData(),
		}, cfg.Fake...)
		e.Fake = restorehubtest.NewServer(opts...)
	}
	c, err := e.NewClient(cfg.Client...)
	if err != nil {
		e.Close()
		return nil, err
	}
	e.Client = c
	return e, nil
}

// NewClient returns another client for the same API and key, with opts.
func (e *Env) NewClient(opts ...restorehub.Option) (*restorehub.Client, error) {
	opts = append([]restorehub.Option{restorehub.WithHTTPClient(e.hc)}, opts...)
	if e.Fake == nil {
		return restorehub.NewFromEnv(opts...)
	}
	return restorehub.New(Key, append([]restorehub.Option{restorehub.WithBaseURL(e.Fake.URL())}, opts...)...)
}

// Live reports whether the examples talk to the real API.
func (e *Env) Live() bool { return e.Fake == nil }

// String says where requests go.
func (e *Env) String() string {
	if e.Live() {
		return "the Restore Hub API at " + e.Client.BaseURL()
	}
	return "the in-process fake at " + e.Fake.URL() + " (set " + restorehub.EnvAPIKey + " to use the real API)"
}

// Sent returns how many HTTP requests the Env's clients have sent, retries
// included, as counted below the SDK, at the transport.
func (e *Env) Sent() int { return int(e.sent.Load()) }

// RateLimited returns how many 429 responses were received: as the fake
// counted them, or as the transport saw them against the real API.
func (e *Env) RateLimited() int {
	if e.Fake != nil {
		return e.Fake.RateLimited()
	}
	return int(e.r429.Load())
}

// Close stops the fake, if there is one.
func (e *Env) Close() {
	if e.Fake != nil {
		e.Fake.Close()
	}
}

// counting is the transport under every client of an Env.
type counting struct {
	e    *Env
	next http.RoundTripper
}

func (c counting) RoundTrip(req *http.Request) (*http.Response, error) {
	c.e.sent.Add(1)
	resp, err := c.next.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		c.e.r429.Add(1)
	}
	return resp, err
}

// IsTerminal reports whether f (typically os.Stdin or os.Stdout) is an
// interactive terminal: an *os.File that is a character device other than
// the null device. Anything else, a closed descriptor included, is not.
func IsTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok || file == nil {
		return false
	}
	fi, err := file.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
		return false
	}
	return true
}
