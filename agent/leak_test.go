package agent_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/agent"
	"github.com/restorehub/restorehub-go/internal/rawhttp"
)

// safeBuffer is a buffer the logger may write from several goroutines.
type safeBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServerTextCarriesNoSplitKey has a hostile server echo the key split
// by each control character where net/http quotes it in an error (a
// header line, the status line) or where the client decodes it (a 500's
// JSON message, \u-escaped): the tool's Result text, which quotes the
// client's error text (quotedServer), its error and the audit log must hold
// neither the key, its part after "rh_", nor 12 characters of it.
func TestServerTextCarriesNoSplitKey(t *testing.T) {
	body := testKey[len("rh_"):]
	fragments := []string{testKey, body}
	for i := 0; i+12 <= len(body); i++ {
		fragments = append(fragments, body[i:i+12])
	}
	var ctrls []byte
	for c := byte(0); c < 0x20; c++ {
		ctrls = append(ctrls, c)
	}
	ctrls = append(ctrls, 0x7f)
	for _, c := range ctrls {
		split := testKey[:20] + string([]byte{c}) + testKey[20:]
		escaped, _ := json.Marshal("Internal failure for " + split)
		responses := map[string]string{
			"header line": "HTTP/1.1 200 OK\r\nX-Echo: " + split + "\r\nContent-Length: 2\r\n\r\n{}",
			"status line": "HTTP/1.1 " + split + " OK\r\nContent-Length: 2\r\n\r\n{}",
			"500 message": fmt.Sprintf("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
				len(`{"error":}`)+len(escaped), `{"error":`+string(escaped)+`}`),
		}
		for place, response := range responses {
			t.Run(fmt.Sprintf("%s/%#02x", place, c), func(t *testing.T) {
				addr := rawhttp.Server(t, response)
				client, err := restorehub.New(testKey, restorehub.WithBaseURL("http://"+addr+"/api/v1"),
					restorehub.WithMaxRetries(0), restorehub.WithoutPacing(), restorehub.WithScopes(restorehub.ScopeAccountRead))
				if err != nil {
					t.Fatal(err)
				}
				audit := &safeBuffer{}
				tk, err := agent.New(client, agent.WithAudit(slog.New(slog.NewJSONHandler(audit, nil))))
				if err != nil {
					t.Fatal(err)
				}
				res, err := tk.Call(context.Background(), "account_get", json.RawMessage(`{}`))
				texts := []string{audit.String()}
				if err != nil {
					texts = append(texts, err.Error(), fmt.Sprintf("%+v", err))
				}
				if res != nil {
					texts = append(texts, res.Text, string(res.Data), fmt.Sprintf("%#v", res))
				}
				if res == nil && err == nil {
					t.Fatal("no result and no error")
				}
				if audit.String() == "" {
					t.Fatal("nothing audited: the check would be vacuous")
				}
				for _, text := range texts {
					for _, f := range fragments {
						if strings.Contains(text, f) {
							t.Errorf("%q holds %q", text, f)
						}
					}
				}
			})
		}
	}
}
