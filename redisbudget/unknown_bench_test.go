package redisbudget

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/restorehub/restorehub-go"
)

// BenchmarkSharedCall is one call's budget work in Redis (Acquire, Observe,
// Release) from one Budget whose later responses carry no rate headers:
// with a limit known and too large to pace (a million per second; the
// baseline) and with the limit unknown. Both make two Redis calls a call,
// and neither paces; the unknown one skips counting slots. Its
// sub-benchmarks run one after the other in each invocation, so repeated
// invocations (-count) interleave them. Needs REDIS_ADDR.
func BenchmarkSharedCall(b *testing.B) {
	if os.Getenv("REDIS_ADDR") == "" {
		b.Skip("set REDIS_ADDR to a redis-server to run it")
	}
	r := needRedis(b)
	for _, bc := range []struct {
		name  string
		first restorehub.RateLimit
	}{
		{"limit=known", restorehub.RateLimit{Limit: 1_000_000, Remaining: 1_000_000, Window: time.Second}},
		{"limit=unknown", restorehub.RateLimit{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			bud := newBudget(b, r.Client(b), testKey(b), WithKeyPrefix(testPrefix(b)))
			ctx := context.Background()
			bud.Observe(bc.first, time.Now())
			b.ReportAllocs()
			for b.Loop() {
				g, err := bud.Acquire(ctx, time.Second)
				if err != nil {
					b.Fatal(err)
				}
				at := time.Now()
				bud.Observe(restorehub.RateLimit{}, at)
				g.Release(at)
			}
		})
	}
}
