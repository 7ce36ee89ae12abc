package restorehub

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"text/tabwriter"
	"time"
)

// The fault matrix: every fault Restore Hub, a proxy in front of it or the
// network can produce, crossed with a GET, a POST and a destructive POST.
// Each cell asserts how many requests the server saw, the error returned,
// and that a destructive call is never sent twice except after a 429.

// callKind is a column of the matrix.
type callKind int

const (
	callGET callKind = iota
	callPOST
	callDestructive
	numCallKinds
)

func (k callKind) String() string {
	return [...]string{"GET (servers:read)", "POST (servers:write)", "POST (backups:restore)"}[k]
}

// request returns the request of a column.
func (k callKind) request() *Request {
	switch k {
	case callPOST:
		return &Request{Method: http.MethodPost, Path: "/servers", Scope: ScopeServersWrite, Body: map[string]string{"guildId": "123456789012345678"}}
	case callDestructive:
		return &Request{Method: http.MethodPost, Path: "/backups/bk_1/restore", Scope: ScopeBackupsRestore, Body: map[string]string{"targetGuildId": "123456789012345678"}}
	}
	return &Request{Method: http.MethodGet, Path: "/servers/srv_1", Scope: ScopeServersRead}
}

// errCheck names and checks the error a cell must return.
type errCheck struct {
	name string
	ok   func(err error) bool
}

var (
	wantNoError = errCheck{"nil", func(err error) bool { return err == nil }}

	wantRateLimitError = errCheck{"*RateLimitError, Is ErrRateLimited", func(err error) bool {
		var rle *RateLimitError
		return errors.As(err, &rle) && !rle.Local && rle.StatusCode == 429 && errors.Is(err, ErrRateLimited)
	}}

	wantDialError = errCheck{"*net.OpError (dial), no *APIError", func(err error) bool {
		var op *net.OpError
		var ae *APIError
		return errors.As(err, &op) && op.Op == "dial" && !errors.As(err, &ae) && errors.Is(err, syscall.ECONNREFUSED)
	}}

	wantResetError = errCheck{"conn reset/EOF, no *APIError", func(err error) bool {
		var ae *APIError
		return err != nil && !errors.As(err, &ae) &&
			(errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF))
	}}

	wantCrossHostRedirect = errCheck{"Is ErrCrossHostRedirect", func(err error) bool { return errors.Is(err, ErrCrossHostRedirect) }}
	wantTimeout           = errCheck{"Is context.DeadlineExceeded", func(err error) bool {
		var ae *APIError
		return errors.Is(err, context.DeadlineExceeded) && !errors.As(err, &ae)
	}}

	wantMalformed = errCheck{"Is ErrMalformedResponse", func(err error) bool {
		var ae *APIError
		return errors.Is(err, ErrMalformedResponse) && !errors.As(err, &ae)
	}}
)

// wantAPIError wants an *APIError of status that matches sentinel and whose
// Message contains msg.
func wantAPIError(status int, sentinel error, msg string) errCheck {
	name := fmt.Sprintf("*APIError %d, Is %s", status, strings.TrimPrefix(sentinel.Error(), "restorehub: "))
	return errCheck{name, func(err error) bool {
		var ae *APIError
		var rle *RateLimitError
		return errors.As(err, &ae) && ae.StatusCode == status && errors.Is(err, sentinel) &&
			!errors.As(err, &rle) && strings.Contains(ae.Message, msg)
	}}
}

// cellWant is what one cell of the matrix must show.
type cellWant struct {
	sent     int // requests the API host saw
	attempts int // attempts the client made (0: not checked); more than sent when a dial failed
	other    int // requests the other host saw (redirects)
	err      errCheck
}

// faultCase is a row of the matrix.
type faultCase struct {
	name string
	// serve answers the i-th request (from 0) the API host saw. echo is the
	// request's Authorization header when the server echoes it, else "".
	serve func(i int, w http.ResponseWriter, r *http.Request, echo string)
	// refused makes the API address refuse connections.
	refused bool
	// redirect gives serve the other host's URL in the request's
	// "X-Test-Other" header.
	redirect bool
	// timeout is the caller's http.Client Timeout; ctxTimeout the call's deadline.
	timeout, ctxTimeout time.Duration
	opts                []Option
	// maxElapsed bounds how long each call may take (0: unchecked).
	maxElapsed time.Duration
	// followUp sends a second, plain GET after the call, which must not wait
	// for the budget: the fault must not leave the budget stuck.
	followUp bool
	// fakeTime runs the cell in a testing/synctest bubble, its server
	// reached in memory (handlerTransport): for cells that test the
	// client's logic (a Retry-After, a timeout), not the network, so that
	// their waits cost no wall time.
	fakeTime bool
	want     func(k callKind) cellWant
}

// same wants w for every column.
func same(w cellWant) func(callKind) cellWant { return func(callKind) cellWant { return w } }

// onlyGETRetried wants n attempts for the GET and one for the others.
func onlyGETRetried(n int, err errCheck) func(callKind) cellWant {
	return func(k callKind) cellWant {
		if k == callGET {
			return cellWant{sent: n, err: err}
		}
		return cellWant{sent: 1, err: err}
	}
}

// Response helpers for the fault handlers.

func replyOK(w http.ResponseWriter, echo string) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"id":"srv_1","name":"Test server","guildId":"123456789012345678","note":%q}`, echo)
}

func replyError(w http.ResponseWriter, status int, msg, echo string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":%q,"details":{"sent":%q}}`, msg+echo, echo)
}

func reply429(w http.ResponseWriter, retryAfterHeader, bodyRetryAfter, echo string) {
	if retryAfterHeader != "" {
		w.Header().Set("Retry-After", retryAfterHeader)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusTooManyRequests)
	ra := ""
	if bodyRetryAfter != "" {
		ra = `,"retryAfter":` + bodyRetryAfter
	}
	fmt.Fprintf(w, `{"error":%q,"limit":100,"window":"10s","plan":"PREMIUM"%s}`, "Rate limit exceeded"+echo, ra)
}

// firstThenOK answers the first request with first and the rest with 200.
func firstThenOK(first func(w http.ResponseWriter, echo string)) func(int, http.ResponseWriter, *http.Request, string) {
	return func(i int, w http.ResponseWriter, _ *http.Request, echo string) {
		if i == 0 {
			first(w, echo)
			return
		}
		replyOK(w, echo)
	}
}

// always answers every request with f.
func always(f func(w http.ResponseWriter, echo string)) func(int, http.ResponseWriter, *http.Request, string) {
	return func(_ int, w http.ResponseWriter, _ *http.Request, echo string) { f(w, echo) }
}

// slow answers after d, or not at all when the client gives up first. It
// simulates latency; nothing synchronises on it.
func slow(d time.Duration) func(int, http.ResponseWriter, *http.Request, string) {
	return func(_ int, w http.ResponseWriter, r *http.Request, echo string) {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			replyOK(w, echo)
		case <-r.Context().Done():
		}
	}
}

// hijackClose reads the whole request and closes the connection without a
// response: the server may have acted, the client cannot know.
func hijackClose(_ int, w http.ResponseWriter, _ *http.Request, _ string) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// absurdHeaders answers 200 with the given rate headers.
func absurdHeaders(limit, remaining, reset, window, retryAfter string) func(int, http.ResponseWriter, *http.Request, string) {
	return func(_ int, w http.ResponseWriter, _ *http.Request, echo string) {
		h := w.Header()
		h.Set("X-RateLimit-Limit", limit)
		h.Set("X-RateLimit-Remaining", remaining)
		h.Set("X-RateLimit-Reset", reset)
		h.Set("X-RateLimit-Window", window)
		h.Set("Retry-After", retryAfter)
		replyOK(w, echo)
	}
}

const htmlPage = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>%s</body></html>\n"

func faultCases() []faultCase {
	all429 := func(n int) func(callKind) cellWant { return same(cellWant{sent: n, err: wantRateLimitError}) }
	return []faultCase{
		{
			name:       "429 Retry-After: 0, then 200",
			serve:      firstThenOK(func(w http.ResponseWriter, echo string) { reply429(w, "0", "", echo) }),
			maxElapsed: 3 * time.Second, // the header says now, not the 10s default
			followUp:   true,
			want:       same(cellWant{sent: 2, err: wantNoError}),
		},
		{
			name:     "429 Retry-After: 1, then 200",
			serve:    firstThenOK(func(w http.ResponseWriter, echo string) { reply429(w, "1", "", echo) }),
			followUp: true,
			fakeTime: true,
			want:     same(cellWant{sent: 2, err: wantNoError}),
		},
		{
			name:     "429 no header, body retryAfter 0.05, then 200",
			serve:    firstThenOK(func(w http.ResponseWriter, echo string) { reply429(w, "", "0.05", echo) }),
			followUp: true,
			fakeTime: true,
			want:     same(cellWant{sent: 2, err: wantNoError}),
		},
		{
			name:  "429 no Retry-After at all, WithMaxWait(1s)",
			serve: always(func(w http.ResponseWriter, echo string) { reply429(w, "", "", echo) }),
			opts:  []Option{WithMaxWait(time.Second)},
			// The 10s default exceeds the maximum wait: not retried.
			maxElapsed: 3 * time.Second,
			want:       all429(1),
		},
		{
			name:       "429 always, Retry-After: 0",
			serve:      always(func(w http.ResponseWriter, echo string) { reply429(w, "0", "", echo) }),
			maxElapsed: 3 * time.Second,
			want:       all429(3),
		},
		{
			name:     "500",
			serve:    always(func(w http.ResponseWriter, echo string) { replyError(w, 500, "Internal error", echo) }),
			followUp: true,
			want:     onlyGETRetried(3, wantAPIError(500, ErrServer, "Internal error")),
		},
		{
			name: "502 HTML page",
			serve: always(func(w http.ResponseWriter, echo string) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusBadGateway)
				fmt.Fprintf(w, htmlPage, echo)
			}),
			want: onlyGETRetried(3, wantAPIError(502, ErrServer, "HTML page")),
		},
		{
			name:  "503",
			serve: always(func(w http.ResponseWriter, echo string) { replyError(w, 503, "Service unavailable", echo) }),
			want:  onlyGETRetried(3, wantAPIError(503, ErrServer, "Service unavailable")),
		},
		{
			name: "500 empty body",
			serve: always(func(w http.ResponseWriter, _ string) {
				w.WriteHeader(500)
			}),
			want: onlyGETRetried(3, wantAPIError(500, ErrServer, "empty response body")),
		},
		{
			// Provably never sent, so retried whatever the method.
			name:    "reset before sending (dial refused)",
			refused: true,
			want:    same(cellWant{sent: 0, attempts: 3, err: wantDialError}),
		},
		{
			name:     "reset after the request was read",
			serve:    hijackClose,
			followUp: true,
			want:     onlyGETRetried(3, wantResetError),
		},
		{
			name:     "timeout: http.Client.Timeout 500ms, server 3s",
			serve:    slow(3 * time.Second),
			timeout:  500 * time.Millisecond,
			fakeTime: true,
			want:     onlyGETRetried(3, wantTimeout),
		},
		{
			name:       "timeout: ctx deadline 600ms, server 3s",
			serve:      slow(3 * time.Second),
			ctxTimeout: 600 * time.Millisecond,
			fakeTime:   true,
			want:       same(cellWant{sent: 1, err: wantTimeout}),
		},
		{
			name: "200 truncated JSON (connection cut)",
			serve: always(func(w http.ResponseWriter, echo string) {
				body := fmt.Sprintf(`{"id":"srv_1","name":"Pixel %s Lou`, echo)
				w.Header().Set("Content-Type", "application/json")
				w.Header().Set("Content-Length", fmt.Sprint(len(body)+64))
				_, _ = io.WriteString(w, body)
			}),
			want: same(cellWant{sent: 1, err: wantMalformed}),
		},
		{
			name: "200 truncated JSON (complete body)",
			serve: always(func(w http.ResponseWriter, echo string) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"id":"srv_1","name":"%s`, echo)
			}),
			want: same(cellWant{sent: 1, err: wantMalformed}),
		},
		{
			// A 2xx without a body decodes nothing; Do documents nil for it.
			name: "200 empty body",
			serve: always(func(w http.ResponseWriter, _ string) {
				w.Header().Set("Content-Type", "application/json")
			}),
			want: same(cellWant{sent: 1, err: wantNoError}),
		},
		{
			name: "200 wrong content-type (text/html page)",
			serve: always(func(w http.ResponseWriter, echo string) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprintf(w, htmlPage, echo)
			}),
			want: same(cellWant{sent: 1, err: wantMalformed}),
		},
		{
			name:     "absurd rate headers: negative",
			serve:    absurdHeaders("-100", "-5", "-1", "-10s", "-3"),
			followUp: true,
			want:     same(cellWant{sent: 1, err: wantNoError}),
		},
		{
			name:     "absurd rate headers: huge",
			serve:    absurdHeaders("99999999999999999999", "99999999999999999999", "99999999999", "9999999h", "99999999"),
			followUp: true,
			want:     same(cellWant{sent: 1, err: wantNoError}),
		},
		{
			name:     "absurd rate headers: non-numeric",
			serve:    absurdHeaders("lots", "NaN", "soon", "forever", "later"),
			followUp: true,
			want:     same(cellWant{sent: 1, err: wantNoError}),
		},
		{
			// A sane limit with a Remaining that cannot be read must not be
			// taken as "none remaining" (which would hold the key for a window).
			name:     "absurd rate headers: sane limit, garbage remaining",
			serve:    absurdHeaders("100", "lots", "", "10s", ""),
			followUp: true,
			want:     same(cellWant{sent: 1, err: wantNoError}),
		},
		{
			name:     "redirect 307 to another host",
			redirect: true,
			serve: func(_ int, w http.ResponseWriter, r *http.Request, _ string) {
				w.Header().Set("Location", r.Header.Get("X-Test-Other")+"/elsewhere")
				w.WriteHeader(http.StatusTemporaryRedirect)
			},
			want: func(k callKind) cellWant {
				if k == callGET {
					return cellWant{sent: 1, other: 1, err: wantNoError}
				}
				// A POST's body never follows a redirect off the API host.
				return cellWant{sent: 1, other: 0, err: wantCrossHostRedirect}
			},
		},
	}
}

// countingTransport counts the attempts sent to one host.
type countingTransport struct {
	base http.RoundTripper
	host string
	mu   sync.Mutex
	n    int
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == t.host {
		t.mu.Lock()
		t.n++
		t.mu.Unlock()
	}
	return t.base.RoundTrip(req)
}

func (t *countingTransport) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

// newRecordingAPI is a fakeAPI for the fault matrix: it reads each body,
// echoes the Authorization it saw in headers when echo is set (as a hostile
// server would), and answers with serve.
func newRecordingAPI(echo bool, serve func(i int, w http.ResponseWriter, r *http.Request, echo string)) *fakeAPI {
	return &fakeAPI{respond: func(i int, w http.ResponseWriter, r *http.Request, _ string) {
		_, _ = io.Copy(io.Discard, r.Body)
		said := ""
		if echo {
			said = r.Header.Get("Authorization")
			h := w.Header()
			h.Set("X-Echo-Authorization", said)
			h.Set("WWW-Authenticate", `Bearer realm="restorehub", error="invalid_token", token="`+strings.TrimPrefix(said, "Bearer ")+`"`)
			h.Add("Set-Cookie", "session="+strings.TrimPrefix(said, "Bearer "))
			// Some servers name a key by its part after "rh_".
			h.Set("X-Key-Id", strings.TrimPrefix(said, "Bearer rh_"))
		}
		serve(i, w, r, said)
	}}
}

// cellResult is what one call of the matrix produced.
// cell is r as a cell of a matrix table: what the hosts saw and whether the
// error was the one w wants.
func (r cellResult) cell(w cellWant) string {
	cell := fmt.Sprintf("sent %d", r.sent)
	if r.attempts != r.sent {
		cell += fmt.Sprintf(" (%d attempts)", r.attempts)
	}
	if r.other > 0 {
		cell += fmt.Sprintf(" +%d other host (no key)", r.other)
	}
	if w.err.ok(r.err) {
		return cell + ", " + w.err.name
	}
	return cell + fmt.Sprintf(", UNEXPECTED %T", r.err)
}

type cellResult struct {
	fault    string
	kind     callKind
	sent     int
	attempts int
	other    int
	otherKey bool // the other host saw an Authorization header
	resp     *Response
	err      error
	followUp error
	elapsed  time.Duration
	client   *Client
}

// matrixEnv tunes a run of the matrix: the leak test echoes the key and logs.
type matrixEnv struct {
	echo   bool
	logger *slog.Logger
	opts   []Option
}

// cellTB is the part of testing.TB a cell uses; cellT and *testing.T have it.
type cellTB interface {
	Helper()
	Fatal(args ...any)
	Cleanup(func())
}

// cellT runs one cell on a goroutine of runMatrix: Fatal reports on the
// test and ends the goroutine, and the cleanups run when the cell ends, so
// that its servers close while the other cells still run.
type cellT struct {
	t        *testing.T
	mu       sync.Mutex
	cleanups []func()
}

func (c *cellT) Helper() {}

func (c *cellT) Fatal(args ...any) {
	c.t.Error(args...)
	runtime.Goexit()
}

func (c *cellT) Cleanup(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cleanups = append(c.cleanups, f)
}

// done runs the cleanups, last registered first.
func (c *cellT) done() {
	c.mu.Lock()
	fs := c.cleanups
	c.cleanups = nil
	c.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}

// runCell sends one call of kind k against a fresh server showing fault fc.
func runCell(t cellTB, fc faultCase, k callKind, env matrixEnv) cellResult {
	t.Helper()
	api := newRecordingAPI(env.echo, fc.serve)
	other := newRecordingAPI(env.echo, always(replyOK))
	var apiURL, otherURL string
	if fc.fakeTime {
		// In a bubble: the server is reached in memory.
		apiURL = strings.TrimSuffix(bubbleBase, "/api/v1")
	} else if fc.refused {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		apiURL = "http://" + ln.Addr().String()
		_ = ln.Close()
	} else {
		srv := httptest.NewServer(api)
		t.Cleanup(srv.Close)
		apiURL = srv.URL
	}
	if fc.redirect {
		osrv := httptest.NewServer(other)
		t.Cleanup(osrv.Close)
		otherURL = osrv.URL
	}
	base := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(base.CloseIdleConnections)
	ct := &countingTransport{base: base, host: strings.TrimPrefix(apiURL, "http://")}
	if fc.fakeTime {
		ct.base = handlerTransport{http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body == nil {
				r.Body = http.NoBody // as a server's request always has one
			}
			api.ServeHTTP(w, r)
		})}
	}
	if fc.redirect {
		// The test tells the API host where to redirect to.
		ct.base = roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.URL.Host == ct.host {
				r = r.Clone(r.Context())
				r.Header.Set("X-Test-Other", otherURL)
			}
			return base.RoundTrip(r)
		})
	}
	opts := []Option{
		WithBaseURL(apiURL + "/api/v1"),
		WithRetryBackoff(time.Millisecond, 5*time.Millisecond),
		WithHTTPClient(&http.Client{Transport: ct, Timeout: fc.timeout}),
	}
	if env.logger != nil {
		opts = append(opts, WithLogger(env.logger), WithLogHeaders())
	}
	opts = append(opts, env.opts...)
	opts = append(opts, fc.opts...)
	c, err := New(testKey, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if fc.ctxTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, fc.ctxTimeout)
		defer cancel()
	}
	start := time.Now()
	var out map[string]any
	resp, err := c.Do(ctx, k.request(), &out)
	res := cellResult{fault: fc.name, kind: k, resp: resp, err: err, elapsed: time.Since(start), client: c}
	res.sent = len(api.auths())
	res.attempts = ct.count()
	for _, a := range other.auths() {
		res.other++
		res.otherKey = res.otherKey || a != ""
	}
	if fc.followUp {
		// The fault handler may keep failing, so the follow-up may get an
		// API error; what it must not get is a wait on the budget.
		fctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, ferr := c.Do(fctx, &Request{Path: "/account", Scope: ScopeAccountRead}, nil)
		var rle *RateLimitError
		if errors.As(ferr, &rle) && rle.Local || errors.Is(ferr, context.DeadlineExceeded) {
			res.followUp = ferr
		}
	}
	return res
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// matrixConcurrency is how many cells of one matrix run at once. Most cells
// wait (on a Retry-After, a timeout or a hung server) rather than compute,
// so they run on goroutines rather than as parallel subtests, which
// -test.parallel (GOMAXPROCS, 2 here) would queue two at a time; the bound
// keeps the timeout cells' deadlines (500ms and 600ms, long enough that a
// loaded CI machine still delivers every attempt before its deadline) clear
// of a burst of CPU.
const matrixConcurrency = 12

// runMatrix runs every cell of cases concurrently and returns the results in
// order. The fakeTime cells run after the others, one by one, each in its
// own testing/synctest bubble.
func runMatrix(t *testing.T, env matrixEnv, cases []faultCase) [][numCallKinds]cellResult {
	results := make([][numCallKinds]cellResult, len(cases))
	sem := make(chan struct{}, matrixConcurrency)
	var wg sync.WaitGroup
	for i, fc := range cases {
		if fc.fakeTime {
			continue
		}
		for k := range numCallKinds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				ct := &cellT{t: t}
				defer ct.done()
				results[i][k] = runCell(ct, fc, k, env)
			}()
		}
	}
	wg.Wait()
	for i, fc := range cases {
		if !fc.fakeTime {
			continue
		}
		for k := range numCallKinds {
			synctest.Test(t, func(t *testing.T) { results[i][k] = runCell(t, fc, k, env) })
		}
	}
	return results
}

func TestFaultMatrix(t *testing.T) {
	t.Parallel() // its cells wait in real time; overlap them with the leak test's
	cases := faultCases()
	results := runMatrix(t, matrixEnv{}, cases)
	checkMatrix(t, "fault matrix (sent = requests the API host saw)", cases, results, func(fc faultCase, k callKind, r cellResult, w cellWant) {
		if r.sent != w.sent {
			t.Errorf("%s / %s: server saw %d requests, want %d (err %v)", fc.name, k, r.sent, w.sent, r.err)
		}
		if w.attempts > 0 && r.attempts != w.attempts {
			t.Errorf("%s / %s: client made %d attempts, want %d", fc.name, k, r.attempts, w.attempts)
		}
		checkOtherHostAndErr(t, fc, k, r, w)
		if k == callDestructive && r.sent > 1 && !strings.HasPrefix(fc.name, "429") {
			t.Errorf("%s: the destructive call was sent %d times", fc.name, r.sent)
		}
		if fc.maxElapsed > 0 && r.elapsed > fc.maxElapsed {
			t.Errorf("%s / %s: took %s, want at most %s", fc.name, k, r.elapsed, fc.maxElapsed)
		}
		if r.followUp != nil {
			t.Errorf("%s / %s: the next request was held back by the budget: %v", fc.name, k, r.followUp)
		}
		if r.err != nil && r.resp == nil && errors.As(r.err, new(*APIError)) {
			t.Errorf("%s / %s: an API error without a Response", fc.name, k)
		}
	})
}

// checkOtherHostAndErr checks what every matrix checks of a cell besides
// the requests the API host saw: the other host saw what it should, never
// the key, and the error is the one wanted.
func checkOtherHostAndErr(t *testing.T, fc faultCase, k callKind, r cellResult, w cellWant) {
	t.Helper()
	if r.other != w.other {
		t.Errorf("%s / %s: the other host saw %d requests, want %d", fc.name, k, r.other, w.other)
	}
	if r.otherKey {
		t.Errorf("%s / %s: the other host received the Authorization header", fc.name, k)
	}
	if !w.err.ok(r.err) {
		t.Errorf("%s / %s: err = %v (%T), want %s", fc.name, k, r.err, r.err, w.err.name)
	}
}

// checkMatrix calls check on every cell of results (one row per case of
// cases) with what the case wants of it, and logs the matrix under title.
func checkMatrix(t *testing.T, title string, cases []faultCase, results [][numCallKinds]cellResult, check func(fc faultCase, k callKind, r cellResult, w cellWant)) {
	t.Helper()
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "fault\t%s\t%s\t%s\n", callGET, callPOST, callDestructive)
	for i, fc := range cases {
		fmt.Fprintf(tw, "%s", fc.name)
		for k := range numCallKinds {
			r, w := results[i][k], fc.want(k)
			check(fc, k, r, w)
			fmt.Fprintf(tw, "\t%s", r.cell(w))
		}
		fmt.Fprintln(tw)
	}
	_ = tw.Flush()
	t.Logf("%s:\n%s", title, table.String())
}
