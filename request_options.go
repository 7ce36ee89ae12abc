package restorehub

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
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
// as is a name or value holding an API key (the client's own in any
// spelling: without "rh_", in another case, percent- or \u-escaped or in
// base64) and a method-override header (X-HTTP-Method-Override,
// X-HTTP-Method, X-Method-Override): the client classifies and guards the
// method it sends, so a header asking the server to run another is refused
// rather than trusted. A refused header fails the call before anything is
// sent, and its error never quotes the name or value. Logged headers are
// redacted as the client's own are. The headers are sent to the API host
// only: a redirect to another host goes without them.
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
// client's credentials either, and refuses a header whose name or value
// holds one of the client's own keys in any spelling (see spellsKey). Its
// errors never quote the header's name or value.
func (c *Client) checkCallHeaders(h http.Header) error {
	for k, vs := range h {
		if c.spellsKey(k) {
			return errors.New("restorehub: WithHeader: a header name holds the client's API key; the client sends the key itself")
		}
		for _, v := range vs {
			if err := checkHeader(k, v); err != nil {
				return err
			}
			if c.spellsKey(v) {
				return fmt.Errorf("restorehub: WithHeader: the value of %s holds the client's API key; the client sends the key itself", http.CanonicalHeaderKey(k))
			}
		}
	}
	return nil
}

// checkHeader is WithHeader's verdict on one header: nil when WithHeader
// would take it, else the error it would fail the call with.
func checkHeader(name, value string) error {
	var probe resources.RequestConfig
	resources.WithHeader(name, value)(&probe)
	return probe.Err
}

// spellsKey reports whether s holds one of the client's keys, with or
// without its "rh_" prefix, in any letter case, percent-encoded, with JSON
// \u escapes, or in base64 (standard or URL alphabet, padded or not, as a
// whole value or as one of its words, such as Basic credentials). A key is
// case-sensitive, but a value that differs from it only in case is refused
// too: nothing legitimate spells it so, and a lenient server might accept it.
func (c *Client) spellsKey(s string) bool {
	own := c.redactor.own()
	if len(own) == 0 {
		return false
	}
	forms := []string{s}
	if u, err := url.QueryUnescape(s); err == nil && u != s {
		forms = append(forms, u)
	}
	if u, err := url.PathUnescape(s); err == nil && u != s {
		forms = append(forms, u)
	}
	if strings.Contains(s, `\`) {
		var u string
		if json.Unmarshal([]byte(`"`+strings.ReplaceAll(s, `"`, `\"`)+`"`), &u) == nil {
			forms = append(forms, u)
		}
	}
	words := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(" \t,;=", r) })
	for _, word := range words {
		for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(word); err == nil {
				forms = append(forms, string(b))
			}
		}
	}
	for _, f := range forms {
		low := strings.ToLower(f)
		for _, body := range own {
			if strings.Contains(low, strings.ToLower(body)) {
				return true
			}
		}
	}
	return false
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
