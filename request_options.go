package restorehub

import (
	"net/http"
	"time"

	"github.com/restorehub/restorehub-go/resources"
)

// RequestOption changes one call: pass it last to any typed method or to
// Do, as in client.Backups.Get(ctx, id, restorehub.WithResponseInto(&r)).
type RequestOption = resources.RequestOption

// WithResponseInto makes the call fill *r once it ends: the final attempt's
// status, header (with any API key removed) and the rate-limit state that
// this call's response reported, unlike Client.RateLimit, which is whatever
// response arrived last on any goroutine. r is filled whether the call
// succeeded or failed with an API error, and zeroed when no response arrived
// (a transport error, or a call refused before sending).
//
// Given to an iterator such as client.Backups.All, r is refreshed as each
// page arrives, so inside the loop it describes the page the current item
// came from.
func WithResponseInto(r *Response) RequestOption {
	return func(cfg *resources.RequestConfig) {
		if r == nil {
			return
		}
		cfg.OnResponse = append(cfg.OnResponse, func(v any) {
			if got, ok := v.(*Response); ok && got != nil {
				*r = *got
				return
			}
			*r = Response{}
		})
	}
}

// WithCallMaxWait bounds how long this one call may wait for the key's
// budget, an operation's pace or a 429's Retry-After, overriding the
// client's WithMaxWait. A longer wait fails the call with a *RateLimitError
// instead of blocking. 0 keeps the client's setting; a negative d fails the
// call before anything is sent.
func WithCallMaxWait(d time.Duration) RequestOption { return resources.WithCallMaxWait(d) }

// WithHeader adds the header key: value to this call, for a proxy or
// tracing. It cannot replace what the client sets itself: Authorization,
// Proxy-Authorization, Cookie, Host, Content-Length, Content-Type,
// Transfer-Encoding, User-Agent (see WithUserAgent) and Accept are refused,
// as is a value holding an API key; a refused header fails the call before
// anything is sent. Logged headers are redacted as the client's own are.
func WithHeader(key, value string) RequestOption { return resources.WithHeader(key, value) }

// report hands r (nil when no response arrived) to the call's
// WithResponseInto targets.
func report(cfg *resources.RequestConfig, r *Response) {
	for _, f := range cfg.OnResponse {
		f(r)
	}
}

// checkCallHeaders applies WithHeader's rules to every header in h, so that
// an option that fills RequestConfig.Header itself cannot replace the
// client's credentials either.
func checkCallHeaders(h http.Header) error {
	for k, vs := range h {
		for _, v := range vs {
			var probe resources.RequestConfig
			resources.WithHeader(k, v)(&probe)
			if probe.Err != nil {
				return probe.Err
			}
		}
	}
	return nil
}

// addCallHeaders adds a call's WithHeader headers to h. WithHeader has
// already refused the headers that carry credentials, so these never
// replace the key.
func addCallHeaders(h, extra http.Header) {
	for k, vs := range extra {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
}
