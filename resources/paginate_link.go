package resources

import (
	"iter"
	"net/http"
	"net/url"
	"strings"
)

// ResponseHeaderer is implemented by a Backend's description of a
// response (the value RequestConfig.OnResponse functions receive) that can
// show the response's header; restorehub's *Response does. The iterators
// of a list paged by the RFC 8288 Link header read each page's next link
// through it: with a Backend whose responses do not implement it they see
// no link and stop after the first page.
type ResponseHeaderer interface {
	// ResponseHeader returns the response's header, nil when there is none.
	ResponseHeader() http.Header
}

// maxLinkHeader bounds how many bytes of Link header values linkPages
// reads per page; a longer header is read up to there.
const maxLinkHeader = 64 << 10

// linkPages yields successive pages of a list paged by the Link header
// (RFC 8288), whole. fetch gets the page whose token query parameter is
// token ("" for the first page) with the call's options: opts and one
// that reads the response's header. It returns the page and how many
// items it holds. The next token is the
// value of the query parameter param in the URL of the response's
// rel="next" link: only that value is taken, never the link's scheme,
// host or path, so a server cannot send the next request anywhere but the
// operation's own path. It stops after yielding the first error, after an
// empty page, and when there is no next link, its URL carries no token,
// or the token repeats one it fetched (cursorLoop).
func linkPages[P any](start, param string, opts []RequestOption, fetch func(token string, opts []RequestOption) (P, int, error)) iter.Seq2[P, error] {
	return cursorPages(start, func(token string) (P, int, string, error) {
		var header http.Header
		onPage := func(cfg *RequestConfig) {
			cfg.OnResponse = append(cfg.OnResponse, func(r any) {
				header = nil
				if h, ok := r.(ResponseHeaderer); ok {
					header = h.ResponseHeader()
				}
			})
		}
		page, n, err := fetch(token, append(opts[:len(opts):len(opts)], onPage))
		if err != nil {
			return page, n, "", err
		}
		return page, n, linkToken(header.Values("Link"), param), nil
	})
}

// linkToken returns the value of the query parameter param in the target
// of the first rel="next" link of the Link header values, or "" when
// there is none or its target is not a URL reference.
func linkToken(values []string, param string) string {
	target, ok := nextLink(values)
	if !ok {
		return ""
	}
	u, err := url.Parse(target)
	if err != nil {
		return ""
	}
	return u.Query().Get(param)
}

// nextLink returns the target of the first link whose rel parameter lists
// "next" (in any case) among the Link header values, read as RFC 8288
// link-values: "<target>" then ";"-separated parameters, values plain or
// quoted, links separated by commas. It reads at most maxLinkHeader bytes
// in all and stops at the first thing that is not a link-value, so a
// malformed header yields what came before it, never a guess.
func nextLink(values []string) (string, bool) {
	budget := maxLinkHeader
	for _, v := range values {
		if len(v) > budget {
			v = v[:budget]
		}
		budget -= len(v)
		if target, ok := nextLinkIn(v); ok {
			return target, true
		}
		if budget <= 0 {
			break
		}
	}
	return "", false
}

// nextLinkIn is nextLink for one header value.
func nextLinkIn(s string) (string, bool) {
	r := linkReader{s: s}
	for {
		r.skip(" \t,")
		if r.done() {
			return "", false
		}
		if r.s[r.i] != '<' {
			return "", false
		}
		end := strings.IndexByte(r.s[r.i+1:], '>')
		if end < 0 {
			return "", false
		}
		target := r.s[r.i+1 : r.i+1+end]
		r.i += end + 2
		next, sawRel := false, false
		for {
			r.skip(" \t")
			if r.done() || r.s[r.i] != ';' {
				break
			}
			r.i++
			r.skip(" \t")
			name := r.token()
			r.skip(" \t")
			var value string
			if !r.done() && r.s[r.i] == '=' {
				r.i++
				r.skip(" \t")
				var ok bool
				if value, ok = r.value(); !ok {
					return "", false
				}
			}
			// Only the first rel parameter counts (RFC 8288, section 3).
			if strings.EqualFold(name, "rel") && !sawRel {
				sawRel = true
				for _, rel := range strings.Fields(value) {
					if strings.EqualFold(rel, "next") {
						next = true
					}
				}
			}
		}
		if next {
			return target, true
		}
		r.skip(" \t")
		if !r.done() && r.s[r.i] != ',' {
			return "", false
		}
	}
}

// linkReader walks one Link header value.
type linkReader struct {
	s string
	i int
}

func (r *linkReader) done() bool { return r.i >= len(r.s) }

// skip moves past any of the bytes in set.
func (r *linkReader) skip(set string) {
	for r.i < len(r.s) && strings.IndexByte(set, r.s[r.i]) >= 0 {
		r.i++
	}
}

// token reads a parameter name or plain value: everything up to a
// separator.
func (r *linkReader) token() string {
	from := r.i
	for r.i < len(r.s) && strings.IndexByte(" \t;,=\"", r.s[r.i]) < 0 {
		r.i++
	}
	return r.s[from:r.i]
}

// value reads a parameter value, plain or quoted (with backslash escapes);
// it reports false for a quoted value that never ends.
func (r *linkReader) value() (string, bool) {
	if r.done() || r.s[r.i] != '"' {
		return r.token(), true
	}
	r.i++
	var b strings.Builder
	for r.i < len(r.s) {
		c := r.s[r.i]
		switch {
		case c == '"':
			r.i++
			return b.String(), true
		case c == '\\' && r.i+1 < len(r.s):
			b.WriteByte(r.s[r.i+1])
			r.i += 2
		default:
			b.WriteByte(c)
			r.i++
		}
	}
	return "", false
}
