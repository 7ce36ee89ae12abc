package redisbudget

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// The multi-process proof: the fake Restore Hub runs in this test process on
// loopback with a small window; the test binary is started again as several
// worker processes, each with many goroutines sending GET /account with one
// API key through the real client. It runs for tens of seconds, so it is
// opt-in:
//
//	REDISBUDGET_PROOF=1 go test -run 'TestProof' -v .
//
// Without -race: the proof measures pacing in real time, and the race
// detector's slowdown would be counted against the budget.

const (
	proofLimit      = 20
	proofWindow     = 2 * time.Second
	proofWorkers    = 3
	proofGoroutines = 20
	proofPerWorker  = 60
)

// Environment of a worker process.
const (
	envWorker     = "REDISBUDGET_PROOF_WORKER"
	envURL        = "REDISBUDGET_PROOF_URL"
	envKey        = "REDISBUDGET_PROOF_KEY"
	envRedis      = "REDISBUDGET_PROOF_REDIS" // empty: each worker keeps its own memory budget
	envRequests   = "REDISBUDGET_PROOF_REQUESTS"
	envGoroutines = "REDISBUDGET_PROOF_GOROUTINES"
)

// workerResult is what a worker process reports.
type workerResult struct {
	Done       int     // requests that got a 2xx answer
	Errors     int     // requests that failed (after the client's retries)
	Limited    int     // of those, failed with a 429
	Fallback   bool    // the Redis budget was pacing with its fallback at the end
	Seconds    float64 // wall time of the worker's requests
	FirstError string  // the first failure, if any
}

func proofEnabled(t *testing.T) {
	t.Helper()
	if os.Getenv("REDISBUDGET_PROOF") == "" {
		t.Skip("the multi-process proof runs for tens of seconds; set REDISBUDGET_PROOF=1 to run it")
	}
	if testing.Short() {
		t.Skip("skipped in -short mode")
	}
}

// TestProofWorker is a worker of the proof; it runs only inside a worker
// process the proof started.
func TestProofWorker(t *testing.T) {
	if os.Getenv(envWorker) != "1" {
		t.Skip("runs only as a worker process of the proof")
	}
	n, _ := strconv.Atoi(os.Getenv(envRequests))
	g, _ := strconv.Atoi(os.Getenv(envGoroutines))
	key := os.Getenv(envKey)
	opts := []restorehub.Option{restorehub.WithBaseURL(os.Getenv(envURL))}
	var budget *Budget
	if addr := os.Getenv(envRedis); addr != "" {
		rdb := redis.NewClient(&redis.Options{Addr: addr})
		defer rdb.Close()
		var err error
		// The proof is about sharing the budget, not about Redis latency:
		// on a loaded machine, with the race detector, the first calls of
		// 20 goroutines (dialling, loading the scripts) can take longer than
		// DefaultTimeout, and every process would pace alone on its fallback
		// for a retry interval, overrunning the key together.
		budget, err = New(rdb, key, WithRetryInterval(time.Second), WithTimeout(time.Second),
			WithLogger(slog.New(slog.NewTextHandler(os.Stderr, nil))))
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, restorehub.WithBudget(budget))
	}
	client, err := restorehub.New(key, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	var res workerResult
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range g {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				var out map[string]any
				_, err := client.Do(ctx, &restorehub.Request{Method: http.MethodGet, Path: "/account"}, &out)
				mu.Lock()
				if err == nil {
					res.Done++
				} else {
					res.Errors++
					if errors.Is(err, restorehub.ErrRateLimited) {
						res.Limited++
					}
					if res.FirstError == "" {
						res.FirstError = err.Error()
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res.Seconds = time.Since(start).Seconds()
	if budget != nil {
		res.Fallback = budget.UsingFallback()
	}
	writeWorkerResult(t, res)
}

// proofRun is one run of the proof: the fake and the workers.
type proofRun struct {
	name      string
	redisAddr string                       // "" runs the workers without Redis
	during    func(*restorehubtest.Server) // called while the workers run, if not nil
}

// proofReport is what a run measured, from the fake's record of requests.
type proofReport struct {
	wall          time.Duration
	accepted      int
	limited       int     // 429s in all
	limitedLate   int     // 429s after the warm-up (the first window)
	overall       float64 // accepted per second, first to last request
	share         float64
	shareWindows  int
	workers       []workerResult
	workerFailure error
}

func (r proofReport) String() string {
	s := fmt.Sprintf("wall %s, %d accepted (%.2f/s; allowed %.2f/s), 429s: %d (%d after warm-up), %.1f%% of the allowed rate over %d whole windows after warm-up",
		r.wall.Round(10*time.Millisecond), r.accepted, r.overall, float64(proofLimit)/proofWindow.Seconds(),
		r.limited, r.limitedLate, 100*r.share, r.shareWindows)
	for i, w := range r.workers {
		s += fmt.Sprintf("\n  worker %d: %d ok, %d failed (%d with 429), %.1fs, on fallback at end: %t",
			i, w.Done, w.Errors, w.Limited, w.Seconds, w.Fallback)
		if w.FirstError != "" {
			s += "; first error: " + w.FirstError
		}
	}
	return s
}

func (p proofRun) run(t *testing.T) proofReport {
	t.Helper()
	key := testKey(t)
	fake := restorehubtest.NewServer(
		restorehubtest.WithKey(key, restorehub.ScopeAll),
		restorehubtest.WithRateLimit(proofLimit, proofWindow),
	)
	defer fake.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	start := time.Now()
	procs := startWorkers(ctx, t, proofWorkers, "TestProofWorker", "5m",
		envWorker+"=1",
		envURL+"="+fake.URL(),
		envKey+"="+key,
		envRedis+"="+p.redisAddr,
		envRequests+"="+strconv.Itoa(proofPerWorker),
		envGoroutines+"="+strconv.Itoa(proofGoroutines),
	)
	if p.during != nil {
		p.during(fake)
	}
	var rep proofReport
	for i, pr := range procs {
		var wr workerResult
		if err := pr.result(t, &wr); err != nil {
			rep.workerFailure = errors.Join(rep.workerFailure, fmt.Errorf("worker %d: %w", i, err))
			continue
		}
		rep.workers = append(rep.workers, wr)
		if testing.Verbose() && pr.out.Len() > 0 {
			t.Logf("worker %d output:\n%s", i, pr.out.String())
		}
	}
	rep.wall = time.Since(start)

	reqs := fake.Requests()
	var first, last time.Time
	var acceptedAt []time.Time
	for _, r := range reqs {
		if first.IsZero() || r.Received.Before(first) {
			first = r.Received
		}
	}
	for _, r := range reqs {
		switch {
		case r.Status == http.StatusTooManyRequests:
			rep.limited++
			if r.Received.After(first.Add(proofWindow)) {
				rep.limitedLate++
			}
		case r.Status >= 200 && r.Status < 300:
			rep.accepted++
			acceptedAt = append(acceptedAt, r.Received)
			if r.Received.After(last) {
				last = r.Received
			}
		}
	}
	if span := last.Sub(first).Seconds(); span > 0 {
		rep.overall = float64(rep.accepted) / span
	}
	// Throughput after the warm-up: the accepted requests in (a, a+k·W], the
	// longest whole number of windows after the first one that ends by the
	// last accepted request. A sliding window admits at most k·limit there,
	// so this share cannot exceed 100%.
	a := first.Add(proofWindow)
	k := int(last.Sub(a) / proofWindow)
	if k > 0 {
		end := a.Add(time.Duration(k) * proofWindow)
		n := 0
		for _, at := range acceptedAt {
			if at.After(a) && !at.After(end) {
				n++
			}
		}
		rep.share = float64(n) / float64(k*proofLimit)
		rep.shareWindows = k
	}
	t.Logf("%s: %s", p.name, rep)
	return rep
}

// TestProofSharedBudget: workers sharing the Redis budget get no 429 after
// warm-up and use at least 90% of the allowed rate (in a build without
// -race); the same workers each on its own memory budget get 429s.
func TestProofSharedBudget(t *testing.T) {
	proofEnabled(t)
	r := needRedis(t)

	shared := proofRun{name: "with Redis", redisAddr: r.Addr}.run(t)
	if shared.workerFailure != nil {
		t.Fatal(shared.workerFailure)
	}
	if shared.limitedLate != 0 {
		t.Errorf("with Redis: %d 429s after warm-up, want 0", shared.limitedLate)
	}
	switch {
	case raceEnabled:
		// A slot counts from its response (the server may have counted the
		// request as late as that), so every trip round the window loses a
		// response time; under the race detector, with 60 goroutines in
		// three processes on a small machine, that is 0.2-0.3 s of every 2 s
		// window (measured 85.6-90.0%, against 98.1-98.8% without -race).
		t.Logf("with Redis: the share floor of 90%% is checked without -race (.ci/run does)")
	case shared.share < 0.90:
		t.Errorf("with Redis: %.1f%% of the allowed rate, want at least 90%%", 100*shared.share)
	}
	for i, w := range shared.workers {
		if w.Errors != 0 || w.Done != proofPerWorker {
			t.Errorf("with Redis: worker %d: %d ok, %d failed", i, w.Done, w.Errors)
		}
	}

	alone := proofRun{name: "without Redis"}.run(t)
	if alone.workerFailure != nil {
		t.Fatal(alone.workerFailure)
	}
	if alone.limited == 0 {
		t.Error("without Redis: no 429; the proof shows nothing")
	}
}

// TestProofRedisKilled: Redis dies in the middle of a run; the workers go
// on with their in-process budgets and all finish within a bound.
func TestProofRedisKilled(t *testing.T) {
	proofEnabled(t)
	r := ownRedis(t)
	const bound = 90 * time.Second
	killAfter := proofWorkers * proofPerWorker * 2 / 5
	rep := proofRun{name: "Redis killed mid-run", redisAddr: r.Addr, during: func(fake *restorehubtest.Server) {
		deadline := time.Now().Add(bound)
		for len(fake.Requests()) < killAfter && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		r.Stop()
		t.Logf("Redis killed after %d requests", len(fake.Requests()))
	}}.run(t)
	if rep.workerFailure != nil {
		t.Fatal(rep.workerFailure)
	}
	if rep.wall > bound {
		t.Errorf("the workers took %s, more than %s", rep.wall, bound)
	}
	for i, w := range rep.workers {
		if w.Done+w.Errors != proofPerWorker {
			t.Errorf("worker %d finished %d of %d requests", i, w.Done+w.Errors, proofPerWorker)
		}
		if !w.Fallback {
			t.Errorf("worker %d was not on its fallback budget after Redis died", i)
		}
	}
}
