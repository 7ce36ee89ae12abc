package redisbudget

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Real Redis topologies on loopback for the failover proofs: a Sentinel
// set-up (one primary, one replica, three sentinels) and a Cluster (three
// masters, three replicas), from Debian's redis-server and redis-sentinel.
// Every process is started with a parent-death signal and killed when the
// test ends, also when it fails or the test binary is killed.

// node is one redis-server or redis-sentinel process.
type node struct {
	name string
	port int
	args []string
	proc
}

func (n *node) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(n.port)) }

func (n *node) start(t testing.TB) {
	t.Helper()
	cmd := exec.Command(n.args[0], n.args[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", n.name, err)
	}
	n.started(cmd)
}

// needBinary skips the test, or fails it under CI, without the binary.
func needBinary(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (CI must install Debian's redis-server and redis-sentinel): %v", name, err)
		}
		t.Skipf("%s is not installed: %v", name, err)
	}
}

// freePorts returns n distinct free loopback ports; a Cluster node also
// listens on its port + 10000, so those are checked too.
func freePorts(t testing.TB, n int, bus bool) []int {
	t.Helper()
	var ports []int
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for len(ports) < n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, l)
		p := l.Addr().(*net.TCPAddr).Port
		if bus {
			if p+10000 > 65535 {
				continue
			}
			lb, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p+10000)))
			if err != nil {
				continue
			}
			held = append(held, lb)
		}
		ports = append(ports, p)
	}
	return ports
}

// serverArgs runs redis-server in dir: a replica's full sync writes an RDB
// file there, whatever --save says.
func serverArgs(port int, dir string, extra ...string) []string {
	return append([]string{"redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "", "--dir", dir}, extra...)
}

// waitUntil polls cond (a real server's state: no event to wait on) every
// 50ms until it holds or d passes.
func waitUntil(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func ping(addr string) bool {
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	return rdb.Ping(ctx).Err() == nil
}

// sentinelSet is one primary, one replica and three sentinels.
type sentinelSet struct {
	master    string
	primary   *node
	replica   *node
	sentinels []*node
}

const sentinelMaster = "restorehub"

func startSentinel(t testing.TB) *sentinelSet {
	t.Helper()
	needBinary(t, "redis-server")
	needBinary(t, "redis-sentinel")
	ports := freePorts(t, 5, false)
	dir := t.TempDir()
	s := &sentinelSet{master: sentinelMaster}
	s.primary = &node{name: "primary", port: ports[0], args: serverArgs(ports[0], dir)}
	s.replica = &node{name: "replica", port: ports[1], args: serverArgs(ports[1], dir, "--replicaof", "127.0.0.1", strconv.Itoa(ports[0]))}
	all := []*node{s.primary, s.replica}
	for i, p := range ports[2:] {
		conf := filepath.Join(dir, fmt.Sprintf("sentinel-%d.conf", i))
		text := fmt.Sprintf("port %d\nbind 127.0.0.1\ndaemonize no\nlogfile \"\"\n"+
			"sentinel monitor %s 127.0.0.1 %d 2\n"+
			"sentinel down-after-milliseconds %s 1000\n"+
			"sentinel failover-timeout %s 5000\n"+
			"sentinel parallel-syncs %s 1\n", p, sentinelMaster, ports[0], sentinelMaster, sentinelMaster, sentinelMaster)
		if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		n := &node{name: fmt.Sprintf("sentinel %d", i), port: p, args: []string{"redis-sentinel", conf}}
		s.sentinels = append(s.sentinels, n)
		all = append(all, n)
	}
	t.Cleanup(func() {
		for _, n := range all {
			n.kill()
		}
	})
	for _, n := range all {
		n.start(t)
	}
	for _, n := range all {
		waitUntil(t, 10*time.Second, n.name+" to answer", func() bool { return ping(n.addr()) })
	}
	waitUntil(t, 15*time.Second, "the replica to sync", func() bool {
		rdb := redis.NewClient(&redis.Options{Addr: s.replica.addr()})
		defer rdb.Close()
		info, err := rdb.Info(context.Background(), "replication").Result()
		return err == nil && strings.Contains(info, "master_link_status:up")
	})
	waitUntil(t, 15*time.Second, "the sentinels to know each other and the replica", func() bool {
		for _, n := range s.sentinels {
			sc := redis.NewSentinelClient(&redis.Options{Addr: n.addr()})
			m, err := sc.Master(context.Background(), sentinelMaster).Result()
			sc.Close()
			if err != nil || m["num-other-sentinels"] != "2" || m["num-slaves"] != "1" {
				return false
			}
		}
		return true
	})
	return s
}

func (s *sentinelSet) addrs() []string {
	var a []string
	for _, n := range s.sentinels {
		a = append(a, n.addr())
	}
	return a
}

// primaryAddr is the primary's address according to the first sentinel that answers.
func (s *sentinelSet) primaryAddr() string {
	for _, n := range s.sentinels {
		sc := redis.NewSentinelClient(&redis.Options{Addr: n.addr(), MaxRetries: -1})
		a, err := sc.GetMasterAddrByName(context.Background(), sentinelMaster).Result()
		sc.Close()
		if err == nil && len(a) == 2 {
			return net.JoinHostPort(a[0], a[1])
		}
	}
	return ""
}

// cluster is three masters with a replica each.
type cluster struct {
	nodes []*node
}

func startCluster(t testing.TB) *cluster {
	t.Helper()
	needBinary(t, "redis-server")
	needBinary(t, "redis-cli")
	ports := freePorts(t, 6, true)
	dir := t.TempDir()
	c := &cluster{}
	for i, p := range ports {
		c.nodes = append(c.nodes, &node{name: fmt.Sprintf("node %d", i), port: p, args: serverArgs(p, dir,
			"--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(dir, fmt.Sprintf("nodes-%d.conf", p)),
			"--cluster-node-timeout", "2000")})
	}
	t.Cleanup(func() {
		for _, n := range c.nodes {
			n.kill()
		}
	})
	for _, n := range c.nodes {
		n.start(t)
	}
	for _, n := range c.nodes {
		waitUntil(t, 10*time.Second, n.name+" to answer", func() bool { return ping(n.addr()) })
	}
	args := []string{"--cluster", "create"}
	for _, n := range c.nodes {
		args = append(args, n.addr())
	}
	args = append(args, "--cluster-replicas", "1", "--cluster-yes")
	out, err := exec.Command("redis-cli", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	waitUntil(t, 30*time.Second, "the cluster to be ok on every node", func() bool {
		for _, n := range c.nodes {
			rdb := redis.NewClient(&redis.Options{Addr: n.addr()})
			info, err := rdb.ClusterInfo(context.Background()).Result()
			rdb.Close()
			if err != nil || !strings.Contains(info, "cluster_state:ok") {
				return false
			}
		}
		return true
	})
	// A replica that never synced with its master cannot be promoted.
	waitUntil(t, 30*time.Second, "three replicas in sync", func() bool {
		synced := 0
		for _, n := range c.nodes {
			rdb := redis.NewClient(&redis.Options{Addr: n.addr()})
			info, err := rdb.Info(context.Background(), "replication").Result()
			rdb.Close()
			if err == nil && strings.Contains(info, "role:slave") && strings.Contains(info, "master_link_status:up") {
				synced++
			}
		}
		return synced == 3
	})
	return c
}

// describe returns CLUSTER NODES as the live nodes see it, for a failure message.
func (c *cluster) describe(skip *node) string {
	var b strings.Builder
	for _, n := range c.nodes {
		if n == skip {
			continue
		}
		rdb := redis.NewClient(&redis.Options{Addr: n.addr(), MaxRetries: -1})
		s, err := rdb.ClusterNodes(context.Background()).Result()
		rdb.Close()
		fmt.Fprintf(&b, "%s (%s):\n%s%v\n", n.name, n.addr(), s, err)
	}
	return b.String()
}

func (c *cluster) addrs() []string {
	var a []string
	for _, n := range c.nodes {
		a = append(a, n.addr())
	}
	return a
}

// masterOf returns the node that a live node (not skip) says is the
// master of slot.
func (c *cluster) masterOf(slot int, skip *node) *node {
	for _, n := range c.nodes {
		if n == skip {
			continue
		}
		rdb := redis.NewClient(&redis.Options{Addr: n.addr(), MaxRetries: -1})
		shards, err := rdb.ClusterShards(context.Background()).Result()
		rdb.Close()
		if err != nil {
			continue
		}
		for _, sh := range shards {
			owns := false
			for _, r := range sh.Slots {
				owns = owns || (int64(slot) >= r.Start && int64(slot) <= r.End)
			}
			if !owns {
				continue
			}
			for _, nd := range sh.Nodes {
				if nd.Role != "master" || nd.Health != "online" {
					continue
				}
				for _, m := range c.nodes {
					if int64(m.port) == nd.Port {
						return m
					}
				}
			}
		}
	}
	return nil
}
