package restorehubtest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/restorehub/restorehub-go/resources"
)

// BasePath is the path below which the fake serves the API, as Restore Hub
// does.
const BasePath = "/api/v1"

// maxBody caps how much of a request body the fake reads.
const maxBody = 1 << 20

// Server is a fake Restore Hub API on a loopback address. It is safe for
// concurrent use. Close it when done.
type Server struct {
	ts       *httptest.Server
	router   *router
	now      func() time.Time
	plan     string
	limit    int
	window   time.Duration
	noLimit  bool
	pageSize int
	keyPlans map[string]string // from WithKeyPlan
	done     chan struct{}
	closing  sync.Once

	mu          sync.Mutex
	keys        map[string]*keyState
	windows     map[string]*window // per key
	paces       map[string]*window // per operation budget key
	store       *store
	faults      []fault
	latency     time.Duration
	records     []RecordedRequest
	rateLimited int
}

// connState counts the requests of one client connection.
type connState struct{ requests atomic.Int64 }

// connKey is the context key of a *connState.
type connKey struct{}

// NewServer starts a fake Restore Hub API serving the operations of the
// table (resources.Operations() unless WithOperations is given) under
// BasePath on a loopback address. It panics, as httptest.NewServer does,
// when it cannot listen, and when the options or the table are invalid (an
// empty key, a non-positive rate limit, a malformed path template, or two
// operations with the same method and path).
func NewServer(opts ...Option) *Server {
	s := newServer(opts...)
	s.ts = httptest.NewUnstartedServer(s)
	s.ts.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, connKey{}, &connState{})
	}
	s.ts.Start()
	return s
}

// newServer builds a server without starting a listener.
func newServer(opts ...Option) *Server {
	var c config
	for _, o := range opts {
		o(&c)
	}
	ops := c.ops
	if !c.opsSet {
		ops = resources.Operations()
	}
	rt, err := newRouter(ops)
	if err != nil {
		panic("restorehubtest: invalid operation table: " + err.Error())
	}
	if c.limitSet && !c.noLimit && (c.limit <= 0 || c.window <= 0) {
		panic(fmt.Sprintf("restorehubtest: WithRateLimit(%d, %s): both must be positive", c.limit, c.window))
	}
	s := &Server{
		router:   rt,
		now:      c.now,
		plan:     c.plan,
		limit:    c.limit,
		noLimit:  c.noLimit,
		window:   c.window,
		pageSize: c.pageSize,
		done:     make(chan struct{}),
		keys:     make(map[string]*keyState),
		windows:  make(map[string]*window),
		paces:    make(map[string]*window),
		store:    newStore(),
		latency:  c.latency,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.plan == "" {
		s.plan = DefaultPlan
	}
	if s.pageSize <= 0 {
		s.pageSize = DefaultPageSize
	}
	s.pageSize = min(s.pageSize, MaxPageSize)
	for _, k := range c.keys {
		if k.key == "" {
			panic("restorehubtest: WithKey with an empty key")
		}
		s.keys[k.key] = newKeyState(k.scopes)
	}
	s.keyPlans = c.keyPlans
	for key, plan := range c.keyPlans {
		if ks, ok := s.keys[key]; ok {
			ks.plan = plan
		}
	}
	s.seedDefaults(c.demo)
	return s
}

// URL returns the API base URL, such as "http://127.0.0.1:41234/api/v1",
// to give a client as its base URL; for a NewMemoryServer,
// "https://restorehub.invalid/api/v1", which only its Client reaches.
func (s *Server) URL() string {
	if s.ts == nil {
		return "https://" + MemoryHost + BasePath
	}
	return s.ts.URL + BasePath
}

// BaseURL returns the same as URL.
func (s *Server) BaseURL() string { return s.URL() }

// Client returns an *http.Client set up for the server (it has no API key
// of its own): for a NewMemoryServer one that serves in memory (see
// Transport), for NewServer one that connects to its loopback address.
func (s *Server) Client() *http.Client {
	if s.ts == nil {
		return &http.Client{Transport: s.Transport()}
	}
	return s.ts.Client()
}

// Close ends requests waiting in injected latency, shuts the server down
// and waits for outstanding requests. It may be called more than once.
func (s *Server) Close() {
	s.closing.Do(func() {
		close(s.done)
		if s.ts != nil {
			s.ts.Close()
		}
	})
}

// ServeHTTP serves one request, so a Server can also be mounted in another
// http.Server or called with an httptest.ResponseRecorder. Resets need a
// connection that can be hijacked; without one the handler aborts with
// http.ErrAbortHandler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reused := false
	if cs, ok := r.Context().Value(connKey{}).(*connState); ok {
		reused = cs.requests.Add(1) > 1
	}
	rep := s.handle(r, reused)
	writeReply(w, rep)
}

// replayable reports whether Go's Transport would silently re-send r after
// a reused connection closed before any response byte.
func replayable(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return r.Header.Get("Idempotency-Key") != "" || r.Header.Get("X-Idempotency-Key") != ""
}

// handle decides the reply to r and records the request. reused reports
// that r came on a connection that already carried a request.
func (s *Server) handle(r *http.Request, reused bool) *reply {
	received := s.now()
	body, tooLarge := readBody(r)
	escaped := r.URL.EscapedPath()
	below, inBase := strings.CutPrefix(escaped, BasePath)
	inBase = inBase && (below == "" || strings.HasPrefix(below, "/"))
	if !inBase {
		below = escaped
	} else if below == "" {
		below = "/"
	}
	token := bearerToken(r.Header)
	header := r.Header.Clone()
	if header.Get("Authorization") != "" {
		header.Set("Authorization", "[redacted]")
	}
	rec := RecordedRequest{
		Method:   r.Method,
		Path:     below,
		Query:    r.URL.Query(),
		Header:   header,
		Body:     body,
		KeyID:    KeyID(token),
		Received: received,
	}
	var (
		rt         *route
		parts      []string
		params     map[string]string
		routeState int
		allow      []string
	)
	if inBase {
		var ok bool
		if parts, ok = splitPath(below); ok {
			rt, params, routeState, allow = s.router.match(r.Method, below)
		} else {
			routeState = http.StatusNotFound
		}
		if rt != nil {
			rec.OperationID = rt.op.ID
		}
	}

	s.mu.Lock()
	kind, status, silent := s.takeFaultLocked(reused && replayable(r))
	latency := s.latency
	s.mu.Unlock()
	if silent {
		return &reply{fault: FaultReset}
	}
	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			s.record(rec)
			return &reply{fault: FaultReset}
		case <-s.done:
			t.Stop()
			s.record(rec)
			return &reply{fault: FaultReset}
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var rep *reply
	if kind != "" {
		rep = s.faultReply(kind, status)
		rec.Fault = kind
	} else {
		rep = s.serveLocked(r, token, inBase, rt, parts, params, routeState, allow, body, tooLarge)
	}
	if rep.fault != FaultReset {
		rec.Status = rep.status
	}
	s.recordLocked(rec)
	return rep
}

// record stores r, taking the lock.
func (s *Server) record(r RecordedRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recordLocked(r)
}

// readBody reads at most maxBody bytes of r's body, reporting whether
// there was more.
func readBody(r *http.Request) ([]byte, bool) {
	if r.Body == nil {
		return nil, false
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if len(b) > maxBody {
		return b[:maxBody], true
	}
	return b, false
}

// serveLocked authenticates, rate-limits and authorises a request, then
// executes it.
func (s *Server) serveLocked(r *http.Request, token string, inBase bool, rt *route, parts []string, params map[string]string,
	routeState int, allow []string, body []byte, tooLarge bool) *reply {
	if !inBase {
		return errorReply(http.StatusNotFound, nil, "Not found: the API is served under "+BasePath+".",
			map[string]any{"path": r.URL.EscapedPath()})
	}
	ks := s.keys[token]
	if token == "" || ks == nil {
		return errorReply(http.StatusUnauthorized, nil, unauthorizedMessage, nil)
	}
	now := s.now()
	plan := s.planOf(ks)
	h := make(http.Header)
	if rep := s.admitLocked(token, plan, now, h); rep != nil {
		return rep
	}
	switch routeState {
	case http.StatusNotFound:
		return errorReply(http.StatusNotFound, h, "Not found.", map[string]any{"path": "/" + strings.Join(parts, "/")})
	case http.StatusMethodNotAllowed:
		h.Set("Allow", strings.Join(allow, ", "))
		return errorReply(http.StatusMethodNotAllowed, h, "Method "+r.Method+" is not allowed here.",
			map[string]any{"allow": allow})
	}
	if !ks.scopes.Allows(scopeOf(&rt.op)) {
		return forbiddenScope(h, rt.op.Scope, ks)
	}
	if plan == "FREE" && r.Method != http.MethodGet {
		return forbiddenPlan(h, plan)
	}
	if tooLarge {
		return errorReply(http.StatusRequestEntityTooLarge, h, "Request body too large.",
			map[string]any{"maxBytes": maxBody})
	}
	return s.executeLocked(&call{
		rt:     rt,
		parts:  parts,
		params: params,
		query:  r.URL.Query(),
		body:   body,
		now:    now,
		h:      h,
	})
}

// writeReply writes rep to w.
func writeReply(w http.ResponseWriter, rep *reply) {
	if rep.fault == FaultReset {
		resetConn(w)
		return
	}
	h := w.Header()
	for k, v := range rep.header {
		h[k] = v
	}
	if rep.fault == FaultTruncate {
		h.Set("Content-Length", strconv.Itoa(rep.declared))
	}
	w.WriteHeader(rep.status)
	if len(rep.body) > 0 {
		_, _ = w.Write(rep.body)
	}
	if rep.fault == FaultTruncate {
		// Returning with fewer bytes written than declared makes net/http
		// close the connection, so the client's read ends early.
		_ = http.NewResponseController(w).Flush()
	}
}

// resetConn closes the request's connection without a response, with a TCP
// reset where possible.
func resetConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
