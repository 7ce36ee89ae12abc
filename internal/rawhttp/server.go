// Package rawhttp serves tests a server that net/http did not write: one
// that answers with bytes the test chooses, free to break HTTP, so that the
// client and the agent can be tried against responses no well-behaved
// server sends. It is for tests only.
package rawhttp

import (
	"bufio"
	"net"
	"net/http"
	"sync"
	"testing"
)

// Server starts a TCP listener on 127.0.0.1 that reads the first request
// on each connection, writes response to it as raw bytes and closes it (a
// connection whose request cannot be read is closed unanswered). It returns
// the listener's address (host:port). The test's cleanup closes the
// listener and waits for every connection it accepted to be done.
func Server(tb testing.TB, response string) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				br := bufio.NewReader(conn)
				if _, err := http.ReadRequest(br); err != nil {
					return
				}
				_, _ = conn.Write([]byte(response))
			}()
		}
	}()
	tb.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	return ln.Addr().String()
}
