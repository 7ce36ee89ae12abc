package restorehub

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// Option configures a Client. Options are applied in order by New and
// NewFromEnv; an option given a bad value makes New return an error.
type Option func(*config) error

// config is what the options set. It holds no key, so it can be printed.
type config struct {
	baseURL      string
	httpClient   *http.Client
	userAgent    string
	agent        string
	maxRetries   int
	retryMin     time.Duration
	retryMax     time.Duration
	logger       *slog.Logger
	logHeaders   bool
	pacing       bool
	budget       Budget
	maxWait      time.Duration
	scopes       *ScopeSet
	guard        func(context.Context, Operation) error
	requestLimit *rate.Limiter
	observers    []Observer
	// maxResponseBytes bounds a 2xx body once decoded; see WithMaxResponseBytes.
	maxResponseBytes int64
}

func defaultConfig() config {
	return config{
		baseURL:    DefaultBaseURL,
		maxRetries: 2,
		retryMin:   500 * time.Millisecond,
		retryMax:   8 * time.Second,
		pacing:     true,

		maxResponseBytes: DefaultMaxResponseBytes,
	}
}

// WithBaseURL sends requests to base instead of DefaultBaseURL. It must be
// https, except on a loopback host (localhost, 127.0.0.0/8, ::1), where http
// is allowed for tests and local fakes.
func WithBaseURL(base string) Option {
	return func(c *config) error {
		u, err := checkBaseURL(base)
		if err != nil {
			return err
		}
		c.baseURL = u
		return nil
	}
}

// WithHTTPClient sends requests through hc's Transport, and its Timeout and
// Jar. The client wraps the transport (it never changes hc), and reads
// hc.Transport on every request, so httpmock.ActivateNonDefault(hc) works
// before or after New. hc's CheckRedirect still runs, after the client has
// removed the key from any redirect to another host.
//
// Without WithHTTPClient (or with an hc whose Transport is nil), requests go
// through http.DefaultTransport as it is at request time once something
// has replaced it, so httpmock.Activate() intercepts them as it does
// go-github's; while it is still Go's own, a tuned copy of it with 64 idle
// connections per host serves. The client's redirect policy applies either
// way.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return fmt.Errorf("restorehub: WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithUserAgent appends ua to the User-Agent header, after "restorehub-go/Version".
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		c.userAgent = strings.Map(printableASCII, ua)
		return nil
	}
}

// WithAgent labels every request as coming from the AI agent name, in the
// User-Agent header ("agent/name"), so the key's owner can tell an agent's
// calls apart from a script's. Characters other than letters, digits, '.',
// '_' and '-' are replaced with '-'; at most 64 are kept.
func WithAgent(name string) Option {
	return func(c *config) error {
		if name == "" {
			return fmt.Errorf("restorehub: WithAgent: empty agent name")
		}
		name = strings.Map(func(r rune) rune {
			if r < 128 && (isBase62(byte(r)) || r == '.' || r == '_' || r == '-') {
				return r
			}
			return '-'
		}, name)
		c.agent = cutUTF8(name, 64)
		return nil
	}
}

// WithMaxRetries sets how many times a failed request may be retried after
// its first attempt (default 2, so 3 attempts in all, as Restore Hub's docs
// recommend). 0 disables retries.
func WithMaxRetries(n int) Option {
	return func(c *config) error {
		if n < 0 || n > 20 {
			return fmt.Errorf("restorehub: WithMaxRetries: %d is outside 0..20", n)
		}
		c.maxRetries = n
		return nil
	}
}

// WithRetryBackoff sets the capped exponential backoff used between retries
// of 5xx responses and network errors: the first wait is about min, each
// later one doubles, none exceeds max (defaults 500ms and 8s). Waits after a
// 429 follow Retry-After instead.
func WithRetryBackoff(min, max time.Duration) Option {
	return func(c *config) error {
		if min <= 0 || max < min {
			return fmt.Errorf("restorehub: WithRetryBackoff: need 0 < min <= max, got %s and %s", min, max)
		}
		c.retryMin, c.retryMax = min, max
		return nil
	}
}

// WithLogger logs one structured record per attempt (method, path, status,
// attempt, wait, remaining budget) to l. Logging is off by default. Headers
// and bodies are never logged, except headers with WithLogHeaders; the key
// never is.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithLogHeaders adds the request and response headers to each log record,
// with Authorization redacted.
func WithLogHeaders() Option {
	return func(c *config) error {
		c.logHeaders = true
		return nil
	}
}

// WithoutPacing turns the client-side budget off: requests are sent as soon
// as they are made, and only 429 responses slow them down.
func WithoutPacing() Option {
	return func(c *config) error {
		c.pacing = false
		return nil
	}
}

// WithBudget shares b as the key's budget, for example between several
// clients of one key in a process, or across processes with the redisbudget
// module. The default is a NewMemoryBudget per client.
func WithBudget(b Budget) Option {
	return func(c *config) error {
		if b == nil {
			return fmt.Errorf("restorehub: WithBudget: nil Budget")
		}
		c.budget = b
		return nil
	}
}

// WithMaxWait bounds how long one attempt may wait: for the key's budget and
// WithRequestRate together, and for a 429's Retry-After with its jitter (the
// jittered wait is cut to d, never below what the server asked for). A longer
// wait returns a *RateLimitError at once (with Local set when nothing was
// sent), so that an agent can decide what to do instead of blocking. It also
// caps the backoff between retries of 5xx responses. 0, the default, waits as
// long as the context allows.
func WithMaxWait(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("restorehub: WithMaxWait: negative duration %s", d)
		}
		c.maxWait = d
		return nil
	}
}

// WithRequestRate caps the client at perSecond requests per second with the
// given burst, below whatever the key's plan allows: a token bucket from
// golang.org/x/time/rate, applied to every attempt before the key's budget.
// With WithMaxWait, a wait for it longer than the maximum is refused with a
// local *RateLimitError instead of being waited out.
func WithRequestRate(perSecond float64, burst int) Option {
	return func(c *config) error {
		if perSecond <= 0 || burst < 1 {
			return fmt.Errorf("restorehub: WithRequestRate: need a positive rate and burst, got %g and %d", perSecond, burst)
		}
		c.requestLimit = rate.NewLimiter(rate.Limit(perSecond), burst)
		return nil
	}
}

// WithScopes declares the scopes the key holds. A request that needs a scope
// outside them then fails with a *MissingScopeError before anything is sent.
// Unknown scope strings are refused.
func WithScopes(scopes ...Scope) Option {
	return func(c *config) error {
		for _, s := range scopes {
			if !s.Valid() {
				return fmt.Errorf("restorehub: WithScopes: unknown scope %s", truncate(fmt.Sprintf("%q", s), 60))
			}
		}
		set := NewScopeSet(scopes...)
		c.scopes = &set
		return nil
	}
}

// WithDestructiveGuard calls guard before every destructive request, typed or
// raw, as Classify decides it: every operation of the destructive tier
// (restore, pull, delete, payout, apply), every DELETE, and every raw request
// that matches no known operation and is not a GET or HEAD. Operation.Reason
// says which. If guard returns an error, nothing is sent and the request
// fails with a *GuardError wrapping it.
func WithDestructiveGuard(guard func(ctx context.Context, op Operation) error) Option {
	return func(c *config) error {
		c.guard = guard
		return nil
	}
}

// printableASCII is a strings.Map mapping that keeps printable ASCII and
// drops every other character.
func printableASCII(r rune) rune {
	if r < 0x20 || r > 0x7e {
		return -1
	}
	return r
}

// DefaultMaxResponseBytes is how much of a 2xx response body, once decoded
// (after transparent gzip), the client reads unless WithMaxResponseBytes
// says otherwise.
const DefaultMaxResponseBytes = 32 << 20

// WithMaxResponseBytes bounds how much of a successful response body the
// client reads, counted after decoding (a gzip body is counted as it
// inflates). A larger body fails with an error wrapping ErrResponseTooLarge.
// The default is DefaultMaxResponseBytes; n must be positive.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return fmt.Errorf("restorehub: WithMaxResponseBytes: need a positive size, got %d", n)
		}
		c.maxResponseBytes = n
		return nil
	}
}
