package restorehub

import (
	"strings"
	"testing"
)

// textBefore is redactor.text as it was before the skeleton rule: the
// pattern and a plain search for the client's keys. It is the baseline of
// BenchmarkRedactorText.
func (r *redactor) textBefore(s string) string {
	s = redact(s)
	for _, body := range r.own() {
		s = strings.ReplaceAll(s, body, redactedBody)
	}
	return s
}

// BenchmarkRedactorText measures text on 1 KB of error-like text without a
// key (the path every error, path and logged header takes), against the
// rule before the skeleton (textBefore). Run with -count to alternate the
// two round by round, and compare the medians as a ratio.
func BenchmarkRedactorText(b *testing.B) {
	r := testRedactor()
	line := `Get "https://api.restorehub.net/api/v1/servers/srv_1/members?page=2": net/http: HTTP/1.x transport connection broken: read tcp 127.0.0.1:50312->127.0.0.1:8080: connection reset by peer; `
	s := strings.Repeat(line, 1024/len(line)+1)[:1024]
	for _, bc := range []struct {
		name string
		text func(string) string
	}{{"before", r.textBefore}, {"after", r.text}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if bc.text(s) != s {
					b.Fatal("text changed a text without a key")
				}
			}
		})
	}
}
