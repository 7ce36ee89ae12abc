package restorehub

import (
	"context"
	"testing"
)

// BenchmarkMockedGet is a typed GET against an httpmock responder, as a
// user's test writes one, with three kinds of rate headers: sane ones (a
// limit of a million per second, the baseline), none at all, and an absurd
// limit (a billion, with a window). Before the budget knew the unknown
// state, the last two paced at the documented floor, 50 per 10 s (200 ms a
// call once the first 50 were spent); now all three cost the same. Its
// sub-benchmarks run one after the other in each invocation, so repeated
// invocations interleave them (see BENCHMARKS.md).
func BenchmarkMockedGet(b *testing.B) {
	for _, bc := range []struct {
		name    string
		headers map[string]string
	}{
		{"headers=sane", map[string]string{"X-RateLimit-Limit": "1000000", "X-RateLimit-Remaining": "999999", "X-RateLimit-Window": "1s"}},
		{"headers=none", nil},
		{"headers=absurd", map[string]string{"X-RateLimit-Limit": "1000000000", "X-RateLimit-Window": "10s"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := mockClient(b, headerResponder(bc.headers))
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Servers.Get(ctx, "srv_1"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
