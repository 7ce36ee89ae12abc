package restorehub

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func TestLoggingOneRecordPerAttemptWithoutKey(t *testing.T) {
	for _, headers := range []bool{false, true} {
		var buf bytes.Buffer
		logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		s := &statusServer{script: []int{503, 200}, header: http.Header{"X-Ratelimit-Limit": {"100"}, "X-Ratelimit-Remaining": {"97"}, "X-Ratelimit-Window": {"10s"}, "X-Echo": {"Bearer " + testKey}}}
		opts := []Option{WithLogger(logger)}
		if headers {
			opts = append(opts, WithLogHeaders())
		}
		c := newTestClient(t, newServer(t, s), opts...)
		if _, err := c.Do(context.Background(), &Request{Path: "/servers", Query: map[string][]string{"limit": {"5"}}}, nil); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if len(lines) != 2 {
			t.Fatalf("got %d log records, want one per attempt (2):\n%s", len(lines), buf.String())
		}
		for i, line := range lines {
			assertNoKey(t, "log line", line)
			var rec map[string]any
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatal(err)
			}
			for _, f := range []string{"method", "path", "status", "attempt", "wait", "remaining"} {
				if _, ok := rec[f]; !ok {
					t.Errorf("record %d lacks %q: %s", i, f, line)
				}
			}
			if rec["attempt"].(float64) != float64(i+1) {
				t.Errorf("record %d attempt = %v", i, rec["attempt"])
			}
			_, hasHeaders := rec["request_headers"]
			if hasHeaders != headers {
				t.Errorf("headers logged = %t, want %t", hasHeaders, headers)
			}
		}
		if !strings.Contains(lines[0], `"level":"WARN"`) || !strings.Contains(lines[1], `"level":"DEBUG"`) {
			t.Errorf("levels: 503 should warn, 200 should be debug:\n%s", buf.String())
		}
	}
}

func TestNoLoggingByDefault(t *testing.T) {
	c := newTestClient(t, newServer(t, &statusServer{script: []int{200}}))
	if c.cfg.logger != nil {
		t.Fatal("a logger is set by default")
	}
}
