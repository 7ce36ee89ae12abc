package restorehub

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
)

// raceSlowdown scales a wall-time bound under the race detector.
const raceSlowdown = 10

// mockClient returns a client whose own *http.Client is mocked by httpmock
// with responder, as users' tests do.
func mockClient(t testing.TB, responder httpmock.Responder, opts ...Option) *Client {
	t.Helper()
	hc := &http.Client{}
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(responder)
	hc.Transport = mt
	return newTestClient(t, DefaultBaseURL, append([]Option{WithHTTPClient(hc), WithMaxRetries(0)}, opts...)...)
}

// headerResponder answers 200 {"id":"srv_1"} with the given headers.
func headerResponder(h map[string]string) httpmock.Responder {
	return func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(200, `{"id":"srv_1"}`)
		resp.Header.Set("Content-Type", "application/json")
		for k, v := range h {
			resp.Header.Set(k, v)
		}
		return resp, nil
	}
}

// TestUnknownBudgetCostsNoWallTime is the proof in real time: a
// user's httpmock responder without rate headers, or with an absurd limit,
// does not pace 1,000 sequential calls at the documented floor (50 per
// 10 s, which would take 200 s): they finish in well under a second. A
// sane header set is the baseline. It also checks the state each ends in.
func TestUnknownBudgetCostsNoWallTime(t *testing.T) {
	tests := []struct {
		name      string
		headers   map[string]string
		wantState BudgetState
		wantLimit int
	}{
		{"no rate headers", nil, BudgetUnknown, 0},
		{"absurd limit, no window", map[string]string{"X-RateLimit-Limit": "1000000000"}, BudgetUnknown, 0},
		{"absurd limit with a window is clamped", map[string]string{"X-RateLimit-Limit": "1000000000", "X-RateLimit-Window": "10s"}, BudgetKnown, maxHeaderLimit},
		{"unreadable headers", map[string]string{"X-RateLimit-Limit": "lots", "X-RateLimit-Window": "forever"}, BudgetUnknown, 0},
		{"sane headers", map[string]string{"X-RateLimit-Limit": "1000000", "X-RateLimit-Remaining": "999999", "X-RateLimit-Window": "1s"}, BudgetKnown, 1_000_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mockClient(t, headerResponder(tt.headers))
			if s := c.BudgetState(); s != BudgetFloor {
				t.Fatalf("before any response BudgetState = %v, want floor", s)
			}
			start := time.Now()
			for i := range 1000 {
				if _, err := c.Servers.Get(context.Background(), "srv_1"); err != nil {
					t.Fatalf("call %d: %v", i+1, err)
				}
			}
			// Paced at the floor they would take 190s. Under the race
			// detector on a loaded 2-core machine a call costs about 1ms.
			bound := time.Second
			if raceEnabled {
				bound *= raceSlowdown
			}
			if el := time.Since(start); el > bound {
				t.Errorf("1,000 calls took %s, want under %s", el, bound)
			} else {
				t.Logf("1,000 calls took %s", el)
			}
			if s := c.BudgetState(); s != tt.wantState {
				t.Errorf("BudgetState = %v, want %v", s, tt.wantState)
			}
			if l := c.RateLimit().Limit; l != tt.wantLimit {
				t.Errorf("RateLimit().Limit = %d, want %d", l, tt.wantLimit)
			}
		})
	}
}

// TestUnknownBudgetWarnsOnce: many goroutines meeting a header-less server
// at once log exactly one Warn that the client paces on 429s only.
func TestUnknownBudgetWarnsOnce(t *testing.T) {
	var buf syncBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	c := mockClient(t, headerResponder(nil), WithLogger(logger))
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for range 20 {
				if _, err := c.Servers.Get(context.Background(), "srv_1"); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := strings.Count(buf.String(), "paces on 429s"); n != 1 {
		t.Errorf("%d Warn records about the unknown budget, want 1:\n%s", n, buf.String())
	}
	if !strings.Contains(buf.String(), "level=WARN") {
		t.Errorf("the record is not at Warn: %s", buf.String())
	}
}

// TestBudgetStates walks the budget through its states in fake time, with
// hostile and odd servers: each row answers the requests in turn (the last
// answer repeats) and checks when the requests reached the server.
func TestBudgetStates(t *testing.T) {
	type answer struct {
		status  int
		headers map[string]string
	}
	sane := func(limit, remaining int) map[string]string {
		return map[string]string{"X-RateLimit-Limit": strconv.Itoa(limit), "X-RateLimit-Remaining": strconv.Itoa(remaining), "X-RateLimit-Window": "10s"}
	}
	tests := []struct {
		name      string
		answers   []answer
		calls     int
		workers   int
		wantState BudgetState
		// wantSpan is the fake time from the first call to the last
		// request's arrival at the server.
		wantSpan time.Duration
	}{
		{
			name:    "header-less: 200 calls from 100 goroutines at once",
			answers: []answer{{200, nil}},
			calls:   200, workers: 100,
			wantState: BudgetUnknown, wantSpan: 0,
		},
		{
			name:    "headers once, then none: the learned limit keeps pacing",
			answers: []answer{{200, sane(5, 4)}, {200, nil}},
			calls:   11, workers: 1,
			wantState: BudgetKnown, wantSpan: 20 * time.Second,
		},
		{
			name:    "a 429 without any header holds the next for the default 10s",
			answers: []answer{{200, nil}, {429, nil}, {200, nil}},
			calls:   3, workers: 1,
			wantState: BudgetUnknown, wantSpan: 10 * time.Second,
		},
		{
			name:    "a 429 with Retry-After 2 holds the next for 2s",
			answers: []answer{{200, nil}, {429, map[string]string{"Retry-After": "2"}}, {200, nil}},
			calls:   3, workers: 1,
			wantState: BudgetUnknown, wantSpan: 2 * time.Second,
		},
		{
			name:    "a header-less 5xx teaches nothing: the floor holds",
			answers: []answer{{503, nil}},
			calls:   51, workers: 1,
			wantState: BudgetFloor, wantSpan: 10 * time.Second,
		},
		{
			name:    "a header-less 401 teaches nothing: the floor holds",
			answers: []answer{{401, nil}},
			calls:   51, workers: 1,
			wantState: BudgetFloor, wantSpan: 10 * time.Second,
		},
		{
			name:    "unknown, then a limit: paced from then on",
			answers: []answer{{200, nil}, {200, nil}, {200, sane(2, 1)}},
			calls:   5, workers: 1,
			wantState: BudgetKnown, wantSpan: 10 * time.Second,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var n atomic.Int64
				var mu sync.Mutex
				var last time.Time
				h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					i := int(n.Add(1)) - 1
					a := tt.answers[min(i, len(tt.answers)-1)]
					mu.Lock()
					last = time.Now()
					mu.Unlock()
					for k, v := range a.headers {
						w.Header().Set(k, v)
					}
					writeJSON(w, a.status, map[string]string{"id": "x"})
				})
				c := newHandlerClient(t, h, WithMaxRetries(0))
				start := time.Now()
				jobs := make(chan struct{}, tt.calls)
				for range tt.calls {
					jobs <- struct{}{}
				}
				close(jobs)
				var wg sync.WaitGroup
				for range tt.workers {
					wg.Go(func() {
						for range jobs {
							_, _ = c.Do(context.Background(), &Request{Path: "/account"}, nil)
						}
					})
				}
				wg.Wait()
				if got := int(n.Load()); got != tt.calls {
					t.Errorf("server saw %d requests, want %d", got, tt.calls)
				}
				if span := last.Sub(start); span != tt.wantSpan {
					t.Errorf("last request arrived %s after the first call, want %s", span, tt.wantSpan)
				}
				if s := c.BudgetState(); s != tt.wantState {
					t.Errorf("BudgetState = %v, want %v", s, tt.wantState)
				}
			})
		})
	}
}

// TestBudgetStateOff: a client without pacing says so.
func TestBudgetStateOff(t *testing.T) {
	c := mockClient(t, headerResponder(nil), WithoutPacing())
	if s := c.BudgetState(); s != BudgetOff {
		t.Errorf("BudgetState = %v, want off", s)
	}
}

// recordingBudget is a Budget that grants at once and records what it is
// taught, as a shared budget such as redisbudget sees it.
type recordingBudget struct {
	mu   sync.Mutex
	seen []RateLimit
}

func (b *recordingBudget) Acquire(context.Context, time.Duration) (Grant, error) { return Grant{}, nil }

func (b *recordingBudget) Observe(rl RateLimit, _ time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seen = append(b.seen, rl)
}

// TestCustomBudgetIsToldTheLimitIsUnknown: a Budget of its own is observed
// with an unknown RateLimit (not Known, no RetryAfter) for a header-less
// 200, never for a header-less 503; Client.BudgetState then reports what
// the responses showed.
func TestCustomBudgetIsToldTheLimitIsUnknown(t *testing.T) {
	status := 503
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, `{"id":"srv_1"}`)
		resp.Request = r
		return resp, nil
	})}
	b := &recordingBudget{}
	c := newTestClient(t, DefaultBaseURL, WithHTTPClient(hc), WithBudget(b), WithMaxRetries(0))
	_, _ = c.Do(context.Background(), &Request{Path: "/account"}, nil)
	if len(b.seen) != 0 || c.BudgetState() != BudgetFloor {
		t.Fatalf("after a header-less 503: observed %v, state %v; want nothing, floor", b.seen, c.BudgetState())
	}
	status = 200
	if _, err := c.Do(context.Background(), &Request{Path: "/account"}, nil); err != nil {
		t.Fatal(err)
	}
	if len(b.seen) != 1 || b.seen[0].Known() || b.seen[0].RetryAfter != 0 {
		t.Fatalf("after a header-less 200: observed %v, want one unknown RateLimit", b.seen)
	}
	if s := c.BudgetState(); s != BudgetUnknown {
		t.Errorf("BudgetState = %v, want unknown", s)
	}
}

// TestMemoryBudgetUnknownState drives MemoryBudget through its exported
// API: an unknown limit counts no slots (a thousand slots held at once, none
// waits), a 429's Retry-After still blocks, a learned limit paces again and
// stays learned when later responses say nothing.
func TestMemoryBudgetUnknownState(t *testing.T) {
	clock := time.Unix(1000, 0)
	b := NewMemoryBudget()
	b.now = func() time.Time { return clock }
	ctx := context.Background()
	if s := b.BudgetState(); s != BudgetFloor {
		t.Fatalf("new budget: %v, want floor", s)
	}
	b.Observe(RateLimit{RetryAfter: time.Second}, clock)
	if s := b.BudgetState(); s != BudgetFloor {
		t.Fatalf("a 429's wait alone: %v, want floor", s)
	}
	clock = clock.Add(time.Second)
	b.Observe(RateLimit{}, clock)
	if s := b.BudgetState(); s != BudgetUnknown {
		t.Fatalf("after a header-less response: %v, want unknown", s)
	}
	var held []Grant
	for i := range 1000 {
		g, err := b.Acquire(ctx, time.Nanosecond)
		if err != nil {
			t.Fatalf("slot %d of an unknown budget refused: %v", i+1, err)
		}
		held = append(held, g)
	}
	for _, g := range held {
		g.Release(clock)
	}
	if l, w, free := b.State(); l != 0 || w != 0 || free != 0 {
		t.Errorf("State of an unknown budget = %d %s %d, want zeros", l, w, free)
	}
	b.Observe(RateLimit{RetryAfter: 2 * time.Second}, clock)
	var rle *RateLimitError
	if _, err := b.Acquire(ctx, time.Second); !errors.As(err, &rle) || rle.RetryAfter != 2*time.Second {
		t.Fatalf("unknown budget after a 429 with Retry-After 2s: %v, want a 2s RateLimitError", err)
	}
	clock = clock.Add(2 * time.Second)
	b.Observe(RateLimit{Limit: 1, Remaining: 1, Window: 10 * time.Second}, clock)
	b.Observe(RateLimit{}, clock) // headers omitted again: the limit stays
	if s := b.BudgetState(); s != BudgetKnown {
		t.Fatalf("after a limit, then nothing: %v, want known", s)
	}
	g, err := b.Acquire(ctx, time.Nanosecond)
	if err != nil {
		t.Fatal(err)
	}
	g.Release(clock)
	if _, err := b.Acquire(ctx, time.Second); !errors.As(err, &rle) {
		t.Errorf("a known limit of 1 per 10s let a second request through: %v", err)
	}
}
