// Package restorehub is a typed client for the Restore Hub API: Discord
// server backups and restores, member verification and member pulls.
//
// A Client authenticates every request with a scoped rh_ API key, paces its
// requests to the key's rate budget so that many goroutines never trip a 429,
// retries only what is safe to retry, and turns every error response into a
// typed error. The typed services (client.Servers, client.Backups, …) are
// generated from an OpenAPI document; most of their paths are inferred from
// Restore Hub's scope names rather than documented, and each method says so.
package restorehub

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/restorehub/restorehub-go/resources"
)

// DefaultBaseURL is Restore Hub's documented REST base URL.
const DefaultBaseURL = "https://api.restorehub.net/api/v1"

// Environment variables read by NewFromEnv.
const (
	// EnvAPIKey names the variable holding the key; the docs use the same name for MCP.
	EnvAPIKey = "RESTOREHUB_API_KEY"
	// EnvBaseURL names the variable that may override DefaultBaseURL.
	EnvBaseURL = "RESTOREHUB_BASE_URL"
)

// Client talks to Restore Hub. It is safe for concurrent use, and all its
// goroutines share one rate budget; create one per API key and reuse it.
//
// The embedded resources.Services give one field per resource:
// client.Servers, client.Backups, client.Members, ….
type Client struct {
	resources.Services

	cfg       config
	base      *url.URL
	basePath  string
	userAgent string
	auth      atomic.Pointer[string] // the Authorization header value, "Bearer " and the key
	redactor  redactor               // removes every key this client has sent from what it returns and logs
	budget    Budget
	paces     *opPacer
	retry     *retryablehttp.Client
	obs       *observers // nil when nothing observes the calls
	lastMu    sync.Mutex
	last      RateLimit // reported by the last response that carried a budget
	// seen is the BudgetState the client's own responses show, for a
	// Budget that does not report its own; warnedUnknown is set once the
	// Warn that the budget is unknown was logged.
	seen          atomic.Int32
	warnedUnknown atomic.Bool
}

// New returns a Client that authenticates with apiKey. The key must look like
// a Restore Hub key ("rh_" and base62); the error says what is wrong with it
// without repeating it.
func New(apiKey string, opts ...Option) (*Client, error) {
	if err := checkKey(apiKey); err != nil {
		return nil, err
	}
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	base, err := url.Parse(cfg.baseURL)
	if err != nil {
		return nil, fmt.Errorf("restorehub: base URL: %w", err)
	}
	c := &Client{
		cfg:       cfg,
		base:      base,
		basePath:  strings.TrimSuffix(base.Path, "/"),
		userAgent: buildUserAgent(cfg),
		paces:     newOpPacer(),
	}
	c.setKey(apiKey)
	if cfg.pacing {
		c.budget = cfg.budget
		if c.budget == nil {
			c.budget = NewMemoryBudget()
		}
	}
	c.obs = newObservers(c)
	c.retry = c.newRetryClient()
	c.Services = resources.NewServices(backend{c})
	return c, nil
}

// NewFromEnv is New with the key from RESTOREHUB_API_KEY and, when set, the
// base URL from RESTOREHUB_BASE_URL. Options given here override both.
func NewFromEnv(opts ...Option) (*Client, error) {
	key, ok := os.LookupEnv(EnvAPIKey)
	if !ok || key == "" {
		return nil, fmt.Errorf("%w: %s is not set", ErrInvalidKey, EnvAPIKey)
	}
	if base := os.Getenv(EnvBaseURL); base != "" {
		opts = append([]Option{WithBaseURL(base)}, opts...)
	}
	return New(key, opts...)
}

// RotateKey makes every later request, from every goroutine, use newKey,
// including retries of requests already under way. Rotate as the docs advise:
// mint the new key, call RotateKey, confirm traffic works, then revoke the old
// key. The client keeps its rate budget, since a new key of the same account
// shares the account's limit.
func (c *Client) RotateKey(newKey string) error {
	if err := checkKey(newKey); err != nil {
		return err
	}
	c.setKey(newKey)
	return nil
}

// RateLimit returns the budget reported by the last response that carried
// believable X-RateLimit-* headers, or the zero RateLimit before any did.
// BudgetState says how the client paces meanwhile: at the floor, to this
// limit, or on 429s only.
func (c *Client) RateLimit() RateLimit {
	c.lastMu.Lock()
	defer c.lastMu.Unlock()
	return c.last
}

// setLast records what a response reported, without allocating per response.
func (c *Client) setLast(rl RateLimit) {
	c.lastMu.Lock()
	c.last = rl
	c.lastMu.Unlock()
}

// BaseURL returns the base URL requests are sent to.
func (c *Client) BaseURL() string { return c.base.String() }

// String describes the client without its key.
func (c *Client) String() string {
	return fmt.Sprintf("restorehub.Client{BaseURL: %q, Key: %q, UserAgent: %q, Pacing: %t, MaxRetries: %d}",
		c.base.String(), redactedKey, c.userAgent, c.budget != nil, c.cfg.maxRetries)
}

// GoString is String, so that %#v cannot print the key either.
func (c *Client) GoString() string { return c.String() }

// Format prints the client as String does for every verb, so that no
// formatting of a Client (%v, %+v, %#v, %s) reveals the key.
func (c *Client) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

func buildUserAgent(cfg config) string {
	ua := "restorehub-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	if cfg.agent != "" {
		ua += " agent/" + cfg.agent
	}
	if cfg.userAgent != "" {
		ua += " " + cfg.userAgent
	}
	return ua
}

// checkBaseURL accepts https URLs, and http on loopback hosts only.
func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("restorehub: base URL %q: %w", truncate(redact(raw), 80), err)
	}
	if u.Host == "" {
		return "", fmt.Errorf("restorehub: base URL %q has no host", truncate(redact(raw), 80))
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", errors.New("restorehub: base URL must not carry user info, a query or a fragment")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("restorehub: base URL must use https (plain http is allowed only on loopback hosts, and %q is not one)", u.Hostname())
		}
	default:
		return "", fmt.Errorf("restorehub: base URL scheme %q is not https", truncate(u.Scheme, 20))
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u.String(), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// sameHost reports whether u is on the configured API host, the only one
// that may see the key.
func (c *Client) sameHost(u *url.URL) bool {
	return u.Scheme == c.base.Scheme && u.Host == c.base.Host
}

// setKey makes key the one every later request sends. The header value is
// built once here rather than on every request. The redactor learns the key
// before it can be sent.
func (c *Client) setKey(key string) {
	c.redactor.addKey(key)
	auth := "Bearer " + key
	c.auth.Store(&auth)
}

// authorization returns the current Authorization header value.
func (c *Client) authorization() string { return *c.auth.Load() }

// defaultHTTPClient keeps enough idle connections for many goroutines to
// share one host without reconnecting for every request. Its transport is a
// clone of the http.DefaultTransport the program started with.
var defaultHTTPClient = func() *http.Client {
	var t *http.Transport
	if pristineDefaultTransport != nil {
		t = pristineDefaultTransport.Clone()
	} else {
		// Replaced before this package loaded: Go's defaults, rebuilt.
		t = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          100,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		}
	}
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Transport: t}
}()

// pristineDefaultTransport is http.DefaultTransport as the program started
// with it; nil if something had replaced it before this package loaded.
var pristineDefaultTransport, _ = http.DefaultTransport.(*http.Transport)

// defaultTransport is the transport of a client without WithHTTPClient (or
// with one whose Transport is nil), chosen per request as go-github's
// default client does: whatever http.DefaultTransport is at request time
// once something has replaced it (httpmock.Activate swaps it for its mock,
// and httpmock.DeactivateAndReset puts it back), and the tuned pool of 64
// idle connections per host while it is still Go's own. The comparison is
// by pointer, so a replacement of any type (even an uncomparable one) is
// recognised without a panic.
func defaultTransport() http.RoundTripper {
	dt := http.DefaultTransport
	if t, ok := dt.(*http.Transport); ok && t == pristineDefaultTransport {
		return defaultHTTPClient.Transport
	}
	if dt == nil {
		return defaultHTTPClient.Transport
	}
	return dt
}
