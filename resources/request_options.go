package resources

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// RequestOption changes one call, as the trailing options of every service
// method, such as client.Backups.Get(ctx, id, restorehub.WithResponseInto(&r)).
// restorehub.RequestOption is the same type; the restorehub package provides
// the options (WithResponseInto, WithCallMaxWait, WithHeader).
type RequestOption func(*RequestConfig)

// RequestConfig is what a call's options set. A Backend builds it with
// NewRequestConfig and honours what it understands.
type RequestConfig struct {
	// Header holds extra request headers, sent after the Backend's own
	// (a Backend never lets them replace its authentication).
	Header http.Header
	// MaxWait bounds how long this call may wait for the key's budget or a
	// 429's Retry-After; 0 keeps the Backend's default.
	MaxWait time.Duration
	// OnResponse is called once the call ends with the Backend's own
	// description of the response (a *restorehub.Response for a
	// restorehub.Client), or nil when no response arrived.
	OnResponse []func(response any)
	// Err is the first error an option reported; a Backend returns it
	// without sending anything.
	Err error
}

// NewRequestConfig applies opts in order; nil options are skipped.
func NewRequestConfig(opts ...RequestOption) RequestConfig {
	var cfg RequestConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	return cfg
}

// Fail records err as the config's error unless one is already recorded.
func (cfg *RequestConfig) Fail(err error) {
	if cfg.Err == nil {
		cfg.Err = err
	}
}

// reservedHeaders are the headers WithHeader may not set: they carry the
// key or describe the request the Backend builds.
var reservedHeaders = map[string]bool{
	"Authorization":       true,
	"Proxy-Authorization": true,
	"Cookie":              true,
	"Host":                true,
	"Content-Length":      true,
	"Content-Type":        true,
	"Transfer-Encoding":   true,
	"User-Agent":          true,
	"Accept":              true,
}

// WithHeader adds the header key: value to the call, for a proxy or tracing.
// It refuses, by failing the call before anything is sent, a header that
// carries credentials or that the client sets itself (Authorization,
// Proxy-Authorization, Cookie, Host, Content-Length, Content-Type,
// Transfer-Encoding, User-Agent, Accept), a method-override header
// (X-HTTP-Method-Override, X-HTTP-Method, X-Method-Override, in any case),
// an invalid name or value, and a name or value that holds a Restore Hub
// API key. An error never quotes the name or value it refuses.
// restorehub.WithHeader is the same function.
func WithHeader(key, value string) RequestOption {
	return func(cfg *RequestConfig) {
		name := http.CanonicalHeaderKey(strings.TrimSpace(key))
		switch {
		case !validHeaderName(name):
			// The name is not quoted: a caller who passed a key or a
			// value in its place must not find it in an error or a log.
			cfg.Fail(fmt.Errorf("restorehub: WithHeader: invalid header name (%d bytes): a name is a non-empty token of letters, digits and !#$%%&'*+-.^_`|~", len(key)))
		case strings.Contains(strings.ToLower(name), "rh_"):
			cfg.Fail(errors.New("restorehub: WithHeader: a header name looks like an API key; the client sends the key itself"))
		case methodOverrideHeaders[http.CanonicalHeaderKey(strings.ReplaceAll(name, "_", "-"))]:
			// A server or proxy that honours one would run another method
			// than the one the client classified and guarded.
			cfg.Fail(fmt.Errorf("restorehub: WithHeader: %s would make the server run another method than the one the client checked; call the operation you mean instead", name))
		case reservedHeaders[name]:
			cfg.Fail(fmt.Errorf("restorehub: WithHeader: %s is set by the client and cannot be overridden per call", name))
		case strings.ContainsAny(value, "\r\n\x00"):
			cfg.Fail(fmt.Errorf("restorehub: WithHeader: the value of %s holds a line break or NUL", name))
		case strings.Contains(strings.ToLower(value), "rh_"):
			cfg.Fail(fmt.Errorf("restorehub: WithHeader: the value of %s looks like an API key; the client sends the key itself", name))
		default:
			if cfg.Header == nil {
				cfg.Header = http.Header{}
			}
			cfg.Header.Add(name, value)
		}
	}
}

// WithCallMaxWait bounds how long this one call may wait for the key's
// budget or for a 429's Retry-After, overriding the client's WithMaxWait; a
// longer wait fails the call with a *restorehub.RateLimitError instead of
// blocking. A negative d fails the call before anything is sent; 0 keeps the
// client's setting. restorehub.WithCallMaxWait is the same function.
func WithCallMaxWait(d time.Duration) RequestOption {
	return func(cfg *RequestConfig) {
		if d < 0 {
			cfg.Fail(fmt.Errorf("restorehub: WithCallMaxWait: negative duration %s", d))
			return
		}
		cfg.MaxWait = d
	}
}

// methodOverrideHeaders name the headers with which servers and proxies
// let a request run as another method; WithHeader refuses them.
var methodOverrideHeaders = map[string]bool{
	"X-Http-Method-Override": true,
	"X-Http-Method":          true,
	"X-Method-Override":      true,
}

// validHeaderName reports whether name is a non-empty HTTP token.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
