package redisbudget

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// The tests run against a real redis-server, never a mock:
//   - REDIS_ADDR, when set, names one to use (CI starts one on loopback);
//   - otherwise each test that needs one starts `redis-server` on a free
//     loopback port as a subprocess, when the binary is on PATH;
//   - otherwise the test is skipped, or fails when CI is set.
// Tests that stop Redis mid-run always start their own subprocess.

// redisServer is a Redis the tests talk to.
type redisServer struct {
	Addr string
	proc
}

// proc is a server subprocess a test started and may kill.
type proc struct {
	mu  sync.Mutex
	cmd *exec.Cmd
}

// started records cmd as the running process.
func (p *proc) started(cmd *exec.Cmd) {
	p.mu.Lock()
	p.cmd = cmd
	p.mu.Unlock()
}

// kill sends SIGKILL, as a crash would, and waits for the process.
func (p *proc) kill() {
	p.mu.Lock()
	cmd := p.cmd
	p.cmd = nil
	p.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

// needRedis returns a Redis to test with.
func needRedis(t testing.TB) *redisServer {
	t.Helper()
	if addr := os.Getenv("REDIS_ADDR"); addr != "" {
		return &redisServer{Addr: addr}
	}
	return ownRedis(t)
}

// ownRedis starts a redis-server subprocess that the test may stop.
func ownRedis(t testing.TB) *redisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("redis-server is not installed (CI must install Debian's redis-server): %v", err)
		}
		t.Skipf("redis-server is not installed and REDIS_ADDR is not set: %v", err)
	}
	s := &redisServer{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(t)))}
	s.start(t)
	t.Cleanup(s.Stop)
	return s
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// start runs redis-server on s.Addr and waits until it answers.
func (s *redisServer) start(t testing.TB) {
	t.Helper()
	_, port, _ := net.SplitHostPort(s.Addr)
	cmd := exec.Command("redis-server", "--port", port, "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "")
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	s.started(cmd)
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1})
	defer rdb.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := rdb.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.Stop()
			t.Fatalf("redis-server on %s did not answer: %v\n%s", s.Addr, err, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop kills the subprocess, as a crash would, and waits for it to exit.
func (s *redisServer) Stop() { s.kill() }

// Restart starts the subprocess again on the same port, empty.
func (s *redisServer) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	s.start(t)
}

// Client returns a client of s that is closed when the test ends.
func (s *redisServer) Client(t testing.TB) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: s.Addr})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

// testKey returns a fresh API key shaped like Restore Hub's, so that tests
// sharing one Redis never share a budget.
func testKey(t testing.TB) string {
	t.Helper()
	const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 40)
	if _, err := crand.Read(b); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = base62[int(b[i])%len(base62)]
	}
	return "rh_" + string(b)
}

// testPrefix returns a key prefix unique to the test.
func testPrefix(t testing.TB) string {
	t.Helper()
	var b [6]byte
	_, _ = crand.Read(b[:])
	return fmt.Sprintf("rbtest:%x:", b)
}

// quiet drops go-redis's own log lines ("failed to dial"), which the tests
// about an unreachable Redis provoke by design.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

func TestMain(m *testing.M) {
	redis.SetLogger(quiet{})
	os.Exit(m.Run())
}
