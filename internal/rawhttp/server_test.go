package rawhttp

import (
	"bufio"
	"io"
	"net"
	"testing"
)

// TestServer checks that a request is answered with exactly the raw bytes
// given, even ones that are not HTTP, and that a connection whose request
// cannot be read is closed with nothing written.
func TestServer(t *testing.T) {
	tests := []struct {
		name, request, response, want string
	}{
		{"answers a request", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200 OK\r\nX-Bad\x01: 1\r\n\r\n", "HTTP/1.1 200 OK\r\nX-Bad\x01: 1\r\n\r\n"},
		{"not HTTP", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "garbage\n", "garbage\n"},
		{"unreadable request", "\x00\x01\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", Server(t, tt.response))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tt.request); err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(bufio.NewReader(conn))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
