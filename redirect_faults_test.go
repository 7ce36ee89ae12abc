package restorehub

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// The fault matrix's rows for redirects: a request answered with a redirect
// was received, so a POST is never sent twice whatever befalls the
// follow-up, and no redirect carries a write off the API host or resends a
// body to another destructive path. Kept apart from faultCases so that the
// two lists merge without conflict; the columns and the runner are the same.

// refusedAddr is a loopback address that refuses connections.
var refusedAddr = sync.OnceValue(func() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
})

func redirectFaultCases() []faultCase {
	offHost := func(status int) faultCase {
		return faultCase{
			name:     fmt.Sprintf("redirect %d to another host", status),
			redirect: true,
			serve: func(_ int, w http.ResponseWriter, r *http.Request, _ string) {
				http.Redirect(w, r, r.Header.Get("X-Test-Other")+"/elsewhere", status)
			},
			want: func(k callKind) cellWant {
				if k == callGET {
					return cellWant{sent: 1, other: 1, err: wantNoError}
				}
				// Go would turn the POST into a GET and return the other
				// host's answer as the POST's result.
				return cellWant{sent: 1, err: wantCrossHostRedirect}
			},
		}
	}
	return []faultCase{
		{
			name: "303 on the API host, follow-up 429 (Retry-After: 0)",
			serve: func(_ int, w http.ResponseWriter, r *http.Request, echo string) {
				if strings.HasSuffix(r.URL.Path, "/landing") {
					reply429(w, "0", "", echo)
					return
				}
				http.Redirect(w, r, "/api/v1/landing", http.StatusSeeOther)
			},
			want: func(k callKind) cellWant {
				if k == callGET {
					// A GET may be resent: 3 attempts of 2 requests.
					return cellWant{sent: 6, err: wantRateLimitError}
				}
				// The POST was received (it was answered): sent once.
				return cellWant{sent: 2, err: wantRateLimitError}
			},
		},
		{
			name: "303 on the API host, follow-up 503",
			serve: func(_ int, w http.ResponseWriter, r *http.Request, echo string) {
				if strings.HasSuffix(r.URL.Path, "/landing") {
					replyError(w, 503, "Service unavailable", echo)
					return
				}
				http.Redirect(w, r, "/api/v1/landing", http.StatusSeeOther)
			},
			want: func(k callKind) cellWant {
				if k == callGET {
					return cellWant{sent: 6, err: wantAPIError(503, ErrServer, "Service unavailable")}
				}
				return cellWant{sent: 2, err: wantAPIError(503, ErrServer, "Service unavailable")}
			},
		},
		offHost(http.StatusMovedPermanently),
		offHost(http.StatusFound),
		offHost(http.StatusSeeOther),
		{
			name: "redirect 303 to a host that refuses connections",
			serve: func(_ int, w http.ResponseWriter, r *http.Request, _ string) {
				http.Redirect(w, r, "http://"+refusedAddr()+"/elsewhere", http.StatusSeeOther)
			},
			want: func(k callKind) cellWant {
				if k == callGET {
					return cellWant{sent: 3, err: wantDialError}
				}
				return cellWant{sent: 1, err: wantCrossHostRedirect}
			},
		},
		{
			name: "307 on the API host to another restore",
			serve: func(_ int, w http.ResponseWriter, r *http.Request, echo string) {
				if strings.HasSuffix(r.URL.Path, "/backups/bk_9/restore") {
					replyOK(w, echo)
					return
				}
				http.Redirect(w, r, "/api/v1/backups/bk_9/restore", http.StatusTemporaryRedirect)
			},
			want: func(k callKind) cellWant {
				if k == callGET {
					return cellWant{sent: 2, err: wantNoError} // a GET there changes nothing
				}
				return cellWant{sent: 1, err: wantRedirectChangesOperation}
			},
		},
	}
}

var wantRedirectChangesOperation = errCheck{"Is ErrRedirectChangesOperation", func(err error) bool { return errors.Is(err, ErrRedirectChangesOperation) }}

// TestFaultMatrixRedirects runs the redirect rows of the fault matrix.
func TestFaultMatrixRedirects(t *testing.T) {
	cases := redirectFaultCases()
	results := runMatrix(t, matrixEnv{}, cases)
	checkMatrix(t, "redirect rows of the fault matrix (sent = requests the API host saw, follow-ups included)", cases, results, func(fc faultCase, k callKind, r cellResult, w cellWant) {
		if r.sent != w.sent {
			t.Errorf("%s / %s: the API host saw %d requests, want %d (err %v)", fc.name, k, r.sent, w.sent, r.err)
		}
		checkOtherHostAndErr(t, fc, k, r, w)
	})
}
