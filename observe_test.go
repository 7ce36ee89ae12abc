package restorehub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// eventLog is an Observer that writes every event as a line.
type eventLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *eventLog) add(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *eventLog) observer() Observer {
	return Observer{
		OnCallStart: func(ctx context.Context, e CallStart) context.Context {
			l.add("start %s %s scope=%s tier=%s destructive=%t", e.Operation, e.Method, e.Scope, e.Tier, e.Destructive)
			return ctx
		},
		OnCallEnd: func(ctx context.Context, e CallEnd) {
			l.add("end %s status=%d attempts=%d sent=%d id=%s", e.Outcome, e.StatusCode, e.Attempts, e.Sent, e.RequestID)
		},
		OnAttempt: func(ctx context.Context, e Attempt) {
			l.add("attempt %d status=%d retryAfter=%s notSent=%t", e.Number, e.StatusCode, e.RateLimit.RetryAfter, e.NotSent)
		},
		OnRetry: func(ctx context.Context, e RetryDecision) {
			l.add("retry %d %t %s", e.Attempt, e.Retry, e.Reason)
		},
		OnWait: func(ctx context.Context, e Wait) {
			if e.Cause == WaitBudget && !e.Refused {
				return // every attempt takes a slot; its wait is next to nothing here
			}
			l.add("wait %s before=%d refused=%t", e.Cause, e.Attempt, e.Refused)
		},
		OnDecision: func(ctx context.Context, e Decision) {
			l.add("decision %s allowed=%t scope=%s", e.Kind, e.Allowed, e.Scope)
		},
	}
}

func (l *eventLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// TestObserverEvents: the observer is told of each call, in the order things
// happen, for a 429 then a retried 200, a guard refusal, a scope refusal and
// a raw request that matches nothing.
func TestObserverEvents(t *testing.T) {
	refuse := func(context.Context, Operation) error { return errors.New("no") }
	tests := []struct {
		name   string
		script []int
		opts   []Option
		req    *Request
		want   []string
	}{
		{
			name: "429 then 200", script: []int{429, 200},
			req: &Request{Path: "/account"},
			want: []string{
				"start account.get GET scope=account:read tier=read destructive=false",
				"attempt 1 status=429 retryAfter=0s notSent=false",
				"retry 1 true " + string(retryRateLimited),
				"wait retry_after before=2 refused=false",
				"attempt 2 status=200 retryAfter=0s notSent=false",
				"retry 2 false " + string(retryNot),
				"end ok status=200 attempts=2 sent=2 id=req-2",
			},
		},
		{
			name: "guard refusal", script: []int{200}, opts: []Option{WithDestructiveGuard(refuse)},
			req: &Request{Method: "POST", Path: "/backups/b1/restore", Body: map[string]string{"targetServerId": "s"}},
			want: []string{
				"start backups.restore POST scope=backups:restore tier=destructive destructive=true",
				"decision guard allowed=false scope=backups:restore",
				"end refused status=0 attempts=0 sent=0 id=",
			},
		},
		{
			name: "missing scope", script: []int{200}, opts: []Option{WithScopes(ScopeAccountRead)},
			req: &Request{Path: "/servers"},
			want: []string{
				"start servers.list GET scope=servers:read tier=read destructive=false",
				"decision scope allowed=false scope=servers:read",
				"end refused status=0 attempts=0 sent=0 id=",
			},
		},
		{
			name: "allowed scope, 404", script: []int{404}, opts: []Option{WithScopes(ScopeAccountRead)},
			req: &Request{Path: "/account"},
			want: []string{
				"start account.get GET scope=account:read tier=read destructive=false",
				"decision scope allowed=true scope=account:read",
				"attempt 1 status=404 retryAfter=0s notSent=false",
				"retry 1 false " + string(retryNot),
				"end api_error status=404 attempts=1 sent=1 id=req-1",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &statusServer{script: tt.script, header: http.Header{"Retry-After": {"0"}}}
			srv := &idServer{next: s}
			var log eventLog
			c := newTestClient(t, newServer(t, srv), append(tt.opts, WithObserver(log.observer()))...)
			_, _ = c.Do(context.Background(), tt.req, nil)
			if got, want := log.String(), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("events:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// idServer numbers its responses with an X-Request-Id.
type idServer struct {
	mu   sync.Mutex
	n    int
	next http.Handler
}

func (s *idServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.n++
	n := s.n
	s.mu.Unlock()
	w.Header().Set("X-Request-Id", fmt.Sprintf("req-%d", n))
	s.next.ServeHTTP(w, r)
}

// TestObserversCompose: several observers are all told, in order, and
// each OnCallStart's context reaches the later observers and the events.
func TestObserversCompose(t *testing.T) {
	type key struct{}
	var mu sync.Mutex
	var got []string
	note := func(s string) { mu.Lock(); got = append(got, s); mu.Unlock() }
	first := Observer{
		OnCallStart: func(ctx context.Context, e CallStart) context.Context {
			note("first start")
			return context.WithValue(ctx, key{}, "mark")
		},
	}
	second := Observer{
		OnCallStart: func(ctx context.Context, e CallStart) context.Context {
			note(fmt.Sprint("second start sees ", ctx.Value(key{})))
			return nil // nil keeps the context
		},
		OnAttempt: func(ctx context.Context, e Attempt) { note(fmt.Sprint("attempt sees ", ctx.Value(key{}))) },
		OnCallEnd: func(ctx context.Context, e CallEnd) { note(fmt.Sprint("end sees ", ctx.Value(key{}))) },
	}
	c := newTestClient(t, newServer(t, &statusServer{script: []int{200}}), WithObserver(first), WithObserver(second))
	if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
		t.Fatal(err)
	}
	want := "first start|second start sees mark|attempt sees mark|end sees mark"
	if s := strings.Join(got, "|"); s != want {
		t.Errorf("got %s, want %s", s, want)
	}
}

// TestObserverCannotTouchCredentials: InjectHeaders adds a traceparent to
// every attempt but cannot set Authorization, Cookie, Host or a value with
// control characters.
func TestObserverCannotTouchCredentials(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		n := len(seen)
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(429)
			return
		}
		writeJSON(w, 200, map[string]string{"id": "x"})
	}))
	o := Observer{InjectHeaders: func(ctx context.Context, set func(name, value string)) {
		set("Authorization", "Bearer rh_AttackerKey00000000000000")
		set("authorization", "Bearer rh_AttackerKey00000000000000")
		set("Cookie", "a=b")
		set("Proxy-Authorization", "x")
		set("Host", "evil.example")
		set("X-Split", "a\r\nAuthorization: x")
		set("Traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
	}}
	c := newTestClient(t, srv, WithObserver(o))
	if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 {
		t.Fatalf("%d attempts, want 2", len(seen))
	}
	for i, h := range seen {
		if got := h.Get("Authorization"); got != "Bearer "+testKey {
			t.Errorf("attempt %d: Authorization %q, want the client's key", i, got)
		}
		if h.Get("Cookie") != "" || h.Get("Proxy-Authorization") != "" || h.Get("X-Split") != "" {
			t.Errorf("attempt %d: a refused header was set: %v", i, h)
		}
		if h.Get("Traceparent") == "" {
			t.Errorf("attempt %d: no traceparent", i)
		}
	}
}

// TestNoObserverByDefault: without WithLogger or WithObserver the client has
// no observers, so the attempt path's only cost is a nil check.
func TestNoObserverByDefault(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1")
	if c.obs != nil {
		t.Fatal("observers set by default")
	}
	c = newTestClient(t, "http://127.0.0.1:1", WithObserver(Observer{}))
	if c.obs == nil {
		t.Fatal("WithObserver set no observer")
	}
}

// TestObserverBackoffAfterNetworkError: the backoff after a failed dial
// (no response, so go-retryablehttp's Backoff gets none) is reported as a
// retry_backoff wait before the next attempt.
func TestObserverBackoffAfterNetworkError(t *testing.T) {
	var log eventLog
	c := newTestClient(t, "http://127.0.0.1:1", WithMaxRetries(1), WithObserver(log.observer()))
	_, err := c.Do(context.Background(), &Request{Path: "/account"}, nil)
	if err == nil {
		t.Fatal("a closed port answered")
	}
	got := log.String()
	for _, want := range []string{"retry 1 true " + string(retryNeverSent), "wait retry_backoff before=2 refused=false", "end transport_error status=0 attempts=2 sent=2"} {
		if !strings.Contains(got, want) {
			t.Errorf("events lack %q:\n%s", want, got)
		}
	}
}
