package redisbudget

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/restorehubtest"
)

// The failover proofs: three worker processes of ten goroutines share one
// key through the budget, on real Redis topologies, against a loopback API
// that enforces an exact sliding window of 40 requests per 2 s; mid-run a
// Redis dies. Each scenario asserts no failed call, the 429s per phase (none
// while healthy, at most one window's worth during the outage, none after
// every process is back on the shared budget), and that they come back. They
// run for about a minute in all, so they are opt-in (CI runs them):
//
//	REDISBUDGET_TOPOLOGY=1 go test -run 'TestFailover' -v .
const (
	foLimit      = 40
	foWindow     = 2 * time.Second
	foWorkers    = 3
	foGoroutines = 10
)

// Environment of a failover worker process.
const (
	envFoWorker   = "REDISBUDGET_FO_WORKER"
	envFoRedis    = "REDISBUDGET_FO_REDIS" // kind:addresses, see recommendedClient
	envFoDuration = "REDISBUDGET_FO_DURATION"
)

// recommendedClient builds the Redis client the README recommends for each
// topology, from "single:addr", "sentinel:master:addr,addr,..." or
// "cluster:addr,addr,...". Keep it and the README's "Many workers, one key"
// section the same.
func recommendedClient(spec string) (redis.UniversalClient, error) {
	kind, rest, _ := strings.Cut(spec, ":")
	switch kind {
	case "single":
		return redis.NewClient(&redis.Options{Addr: rest, DialTimeout: 200 * time.Millisecond, MaxRetries: -1}), nil
	case "sentinel":
		master, addrs, _ := strings.Cut(rest, ":")
		return redis.NewFailoverClient(&redis.FailoverOptions{
			MasterName:    master,
			SentinelAddrs: strings.Split(addrs, ","),
			DialTimeout:   200 * time.Millisecond,
			MaxRetries:    -1,
		}), nil
	case "cluster":
		return redis.NewClusterClient(&redis.ClusterOptions{
			Addrs:       strings.Split(rest, ","),
			DialTimeout: 200 * time.Millisecond,
			MaxRetries:  -1,
		}), nil
	}
	return nil, fmt.Errorf("unknown topology %q", spec)
}

// foResult is what a failover worker reports.
type foResult struct {
	Done       int
	Errors     int
	FirstError string
	Longest    time.Duration
	// Fallback lists the spans (Unix ns) during which the budget paced with
	// its fallback; an open span ends at 0.
	Fallback [][2]int64
}

// TestFailoverWorker is a worker of the failover proofs; it runs only
// inside a worker process a proof started.
func TestFailoverWorker(t *testing.T) {
	if os.Getenv(envFoWorker) != "1" {
		t.Skip("runs only as a worker process of the failover proofs")
	}
	d, err := time.ParseDuration(os.Getenv(envFoDuration))
	if err != nil {
		t.Fatal(err)
	}
	rdb, err := recommendedClient(os.Getenv(envFoRedis))
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	key := os.Getenv(envKey)
	budget, err := New(rdb, key, WithLogger(slog.New(slog.NewTextHandler(os.Stderr, nil))))
	if err != nil {
		t.Fatal(err)
	}
	defer budget.Close()
	client, err := restorehub.New(key, restorehub.WithBaseURL(os.Getenv(envURL)), restorehub.WithBudget(budget))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), d+time.Minute)
	defer cancel()

	var res foResult
	var mu sync.Mutex
	stop := time.Now().Add(d)
	watchDone := make(chan struct{})
	go func() { // the fallback spans, as seen from outside
		defer close(watchDone)
		for time.Now().Before(stop) {
			on := budget.UsingFallback()
			mu.Lock()
			n := len(res.Fallback)
			switch {
			case on && (n == 0 || res.Fallback[n-1][1] != 0):
				res.Fallback = append(res.Fallback, [2]int64{time.Now().UnixNano(), 0})
			case !on && n > 0 && res.Fallback[n-1][1] == 0:
				res.Fallback[n-1][1] = time.Now().UnixNano()
			}
			mu.Unlock()
			time.Sleep(10 * time.Millisecond)
		}
	}()
	var wg sync.WaitGroup
	for range foGoroutines {
		wg.Go(func() {
			for time.Now().Before(stop) {
				start := time.Now()
				var out map[string]any
				_, err := client.Do(ctx, &restorehub.Request{Method: http.MethodGet, Path: "/account"}, &out)
				took := time.Since(start)
				mu.Lock()
				res.Longest = max(res.Longest, took)
				if err == nil {
					res.Done++
				} else {
					res.Errors++
					if res.FirstError == "" {
						res.FirstError = err.Error()
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	<-watchDone
	writeWorkerResult(t, res)
}

// foScenario is one failover proof.
type foScenario struct {
	name     string
	key      string        // the API key; a fresh one when empty
	redis    string        // the workers' topology spec
	duration time.Duration // of the workers' run
	// fault runs while the workers run; it breaks Redis and returns when
	// Redis is usable again (a replica promoted, a server restarted) and
	// the moment the fault began.
	fault func(t *testing.T) (began, recovered time.Time)
}

// foReport is what a scenario measured.
type foReport struct {
	healthy, outage, after int // 429s: before the fault (after the first window), during it, after every worker was back
	warmup                 int // 429s in the first window
	accepted               int
	failed                 int
	longest                time.Duration
	back                   time.Duration // from the recovery to the last worker back on the shared budget
	firstError             string
}

func (r foReport) String() string {
	return fmt.Sprintf("429s: %d warm-up, %d healthy, %d outage, %d after the return; %d accepted, %d failed calls, longest call %s, back on the shared budget %s after the recovery",
		r.warmup, r.healthy, r.outage, r.after, r.accepted, r.failed, r.longest.Round(10*time.Millisecond), r.back.Round(10*time.Millisecond))
}

func (s foScenario) run(t *testing.T) foReport {
	t.Helper()
	key := s.key
	if key == "" {
		key = testKey(t)
	}
	fake := restorehubtest.NewServer(
		restorehubtest.WithKey(key, restorehub.ScopeAll),
		restorehubtest.WithRateLimit(foLimit, foWindow),
	)
	defer fake.Close()
	ctx, cancel := context.WithTimeout(context.Background(), s.duration+2*time.Minute)
	defer cancel()
	procs := startWorkers(ctx, t, foWorkers, "TestFailoverWorker", "5m",
		envFoWorker+"=1",
		envURL+"="+fake.URL(),
		envKey+"="+key,
		envFoRedis+"="+s.redis,
		envFoDuration+"="+s.duration.String(),
	)
	defer func() {
		for _, p := range procs {
			if p.cmd.ProcessState == nil {
				_ = p.cmd.Process.Kill()
				_ = p.cmd.Wait()
			}
		}
	}()
	began, recovered := s.fault(t)
	var rep foReport
	var results []foResult
	for i, p := range procs {
		var r foResult
		if err := p.result(t, &r); err != nil {
			t.Fatalf("worker %d: %v", i, err)
		}
		results = append(results, r)
		if testing.Verbose() {
			t.Logf("worker %d: %d ok, %d failed, longest %s, fallback spans %d; log:\n%s", i, r.Done, r.Errors, r.Longest, len(r.Fallback), p.out.String())
		}
	}
	// Every worker's return to the shared budget: the end of its last
	// fallback span that began after the fault.
	var backAt time.Time
	for i, r := range results {
		rep.failed += r.Errors
		rep.longest = max(rep.longest, r.Longest)
		if rep.firstError == "" {
			rep.firstError = r.FirstError
		}
		var end time.Time
		for _, sp := range r.Fallback {
			if sp[1] == 0 {
				t.Errorf("worker %d was still on its fallback at the end", i)
				end = time.Now()
				continue
			}
			if e := time.Unix(0, sp[1]); e.After(began) && e.After(end) {
				end = e
			}
		}
		if end.After(backAt) {
			backAt = end
		}
	}
	if backAt.IsZero() {
		backAt = recovered
	}
	if recovered.Before(time.Now()) {
		rep.back = backAt.Sub(recovered)
	}
	var first time.Time
	reqs := fake.Requests()
	for _, r := range reqs {
		if first.IsZero() || r.Received.Before(first) {
			first = r.Received
		}
	}
	for _, r := range reqs {
		if r.Status >= 200 && r.Status < 300 {
			rep.accepted++
		}
		if r.Status != http.StatusTooManyRequests {
			continue
		}
		switch at := r.Received; {
		case at.Before(first.Add(foWindow)):
			rep.warmup++
		case at.Before(began):
			rep.healthy++
		case at.Before(backAt):
			rep.outage++
		default:
			rep.after++
		}
	}
	t.Logf("%s: %s", s.name, rep)
	return rep
}

// check asserts the scenario's promises.
func (r foReport) check(t *testing.T, faulty bool) {
	t.Helper()
	if r.failed != 0 {
		t.Errorf("%d calls failed; first: %s", r.failed, r.firstError)
	}
	if r.healthy != 0 || r.warmup != 0 {
		t.Errorf("%d 429s in the first window and %d after it while Redis was healthy, want 0", r.warmup, r.healthy)
	}
	if r.outage > foLimit {
		t.Errorf("%d 429s during the outage, want at most one window's worth (%d)", r.outage, foLimit)
	}
	if r.after != 0 {
		t.Errorf("%d 429s after every worker was back on the shared budget, want 0", r.after)
	}
	if faulty && r.back > 10*time.Second {
		t.Errorf("the workers were back on the shared budget %s after the recovery, want within 10s", r.back)
	}
	if r.accepted == 0 {
		t.Error("no request was accepted")
	}
}

func topologyEnabled(t *testing.T) {
	t.Helper()
	if os.Getenv("REDISBUDGET_TOPOLOGY") == "" {
		t.Skip("the failover proofs run for about a minute; set REDISBUDGET_TOPOLOGY=1 to run them")
	}
	if testing.Short() {
		t.Skip("skipped in -short mode")
	}
}

// TestFailoverHealthy: no fault, a single Redis.
func TestFailoverHealthy(t *testing.T) {
	topologyEnabled(t)
	r := ownRedis(t)
	rep := foScenario{name: "healthy", redis: "single:" + r.Addr, duration: 10 * time.Second,
		fault: func(*testing.T) (time.Time, time.Time) { now := time.Now().Add(time.Hour); return now, now }}.run(t)
	rep.check(t, false)
}

// TestFailoverRestartEmpty: the one Redis is killed for 10 s and started
// again empty.
func TestFailoverRestartEmpty(t *testing.T) {
	topologyEnabled(t)
	r := ownRedis(t)
	rep := foScenario{name: "Redis stopped 10s, restarted empty", redis: "single:" + r.Addr, duration: 25 * time.Second,
		fault: func(t *testing.T) (time.Time, time.Time) {
			time.Sleep(5 * time.Second)
			began := time.Now()
			r.Stop()
			time.Sleep(10 * time.Second)
			r.start(t)
			return began, time.Now()
		}}.run(t)
	rep.check(t, true)
}

// TestFailoverSentinel: the Sentinel primary is SIGKILLed; the sentinels
// promote the replica and the workers follow.
func TestFailoverSentinel(t *testing.T) {
	topologyEnabled(t)
	s := startSentinel(t)
	rep := foScenario{name: "Sentinel primary killed", redis: "sentinel:" + s.master + ":" + strings.Join(s.addrs(), ","), duration: 25 * time.Second,
		fault: func(t *testing.T) (time.Time, time.Time) {
			time.Sleep(5 * time.Second)
			old := s.primary.addr()
			began := time.Now()
			s.primary.kill()
			waitUntil(t, 45*time.Second, "the sentinels to promote the replica", func() bool {
				a := s.primaryAddr()
				return a != "" && a != old
			})
			recovered := time.Now()
			t.Logf("replica promoted %s after the kill", recovered.Sub(began).Round(10*time.Millisecond))
			return began, recovered
		}}.run(t)
	rep.check(t, true)
}

// TestFailoverCluster: the Cluster master that owns the budget's slot is
// SIGKILLed; its replica takes over and the workers follow.
func TestFailoverCluster(t *testing.T) {
	topologyEnabled(t)
	c := startCluster(t)
	key := testKey(t)
	probe, err := New(redis.NewClient(&redis.Options{}), key)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: c.nodes[0].addr()})
	slot, err := rdb.ClusterKeySlot(context.Background(), probe.RedisKeys()[3]).Result()
	rdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	victim := c.masterOf(int(slot), nil)
	if victim == nil {
		t.Fatalf("no master owns slot %d", slot)
	}
	rep := foScenario{name: "Cluster slot master killed", key: key, redis: "cluster:" + strings.Join(c.addrs(), ","), duration: 25 * time.Second,
		fault: func(t *testing.T) (time.Time, time.Time) {
			time.Sleep(5 * time.Second)
			began := time.Now()
			victim.kill()
			for deadline := time.Now().Add(45 * time.Second); ; time.Sleep(50 * time.Millisecond) {
				if m := c.masterOf(int(slot), victim); m != nil && m != victim {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("no replica took slot %d over in 45s; the cluster:\n%s", slot, c.describe(victim))
				}
			}
			recovered := time.Now()
			t.Logf("%s (slot %d) killed; replica promoted %s later", victim.name, slot, recovered.Sub(began).Round(10*time.Millisecond))
			return began, recovered
		}}.run(t)
	rep.check(t, true)
}
