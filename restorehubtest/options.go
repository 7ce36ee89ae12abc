package restorehubtest

import (
	"strings"
	"time"

	restorehub "github.com/restorehub/restorehub-go"
	"github.com/restorehub/restorehub-go/resources"
)

// Option configures a Server made by NewServer.
type Option func(*config)

// config is what the options set; NewServer reads it once.
type config struct {
	ops      []resources.OperationSpec
	opsSet   bool
	keys     []keySpec
	plan     string
	keyPlans map[string]string
	limitSet bool
	limit    int
	window   time.Duration
	noLimit  bool
	now      func() time.Time
	latency  time.Duration
	pageSize int
	demo     bool
}

// keySpec is one WithKey call.
type keySpec struct {
	key    string
	scopes []restorehub.Scope
}

// WithOperations makes the server serve ops instead of
// resources.Operations(). Tests use it to stay independent of the generated
// table. Besides each operation's method and path, the fake reads its
// Pagination, List (paging names and filters), Model (where Seed keeps a
// type, and where jobs are read) and Pace; see the package documentation.
// The slice is copied.
func WithOperations(ops []resources.OperationSpec) Option {
	return func(c *config) {
		c.ops = append([]resources.OperationSpec(nil), ops...)
		c.opsSet = true
	}
}

// WithKey registers an API key holding scopes; restorehub.ScopeAll ("*")
// grants every scope. Registering the same key again replaces its scopes.
// A key's plan is the server's plan (WithPlan) unless WithKeyPlan names one.
func WithKey(key string, scopes ...restorehub.Scope) Option {
	return func(c *config) {
		c.keys = append(c.keys, keySpec{key: key, scopes: append([]restorehub.Scope(nil), scopes...)})
	}
}

// WithPlan sets the plan of every key that has no plan of its own: "FREE",
// "PREMIUM" (the default), "BUSINESS" or "ENTERPRISE"; other names are kept
// as given, upper-cased. Keys on the FREE plan get 403 with an upgradeUrl on
// every non-GET request. Unless WithRateLimit is given, the plan also sets
// the key's documented limit: 50 requests per 10s on FREE, 100 on PREMIUM
// and 200 on BUSINESS and ENTERPRISE.
func WithPlan(plan string) Option {
	return func(c *config) { c.plan = normalizePlan(plan) }
}

// WithKeyPlan sets the plan of one key, as WithPlan does for all keys,
// whether the key is registered by WithKey or later by Server.AddKey.
func WithKeyPlan(key, plan string) Option {
	return func(c *config) {
		if c.keyPlans == nil {
			c.keyPlans = make(map[string]string)
		}
		c.keyPlans[key] = normalizePlan(plan)
	}
}

// WithRateLimit sets the sliding-window limit of every key: a request is
// accepted when fewer than limit accepted requests of the same key arrived
// in the window before it (rejected requests do not count). Without it each
// key gets its plan's documented limit per 10s. NewServer panics if limit
// or window is not positive.
func WithRateLimit(limit int, window time.Duration) Option {
	return func(c *config) {
		c.limitSet = true
		c.limit = limit
		c.window = window
	}
}

// WithoutRateLimit switches the per-key rate limit off: the server then
// accepts every request and sends no X-RateLimit-* headers, like a mock
// that knows nothing of rate limits, so a restorehub.Client meeting it
// paces on 429s only (restorehub.BudgetUnknown). Operation budgets, such
// as the member-pull budget, still apply. It overrides WithRateLimit.
func WithoutRateLimit() Option {
	return func(c *config) { c.noLimit = true }
}

// WithClock makes the server read the time from now instead of time.Now,
// for rate-limit windows, Reset and Retry-After values, timestamps and
// recorded request times. now must be safe for concurrent use;
// ManualClock.Now is one such function. Injected latency still sleeps on
// the time package's clock (a testing/synctest bubble's fake one there).
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// WithLatency delays every response by d, in real time; see
// Server.SetLatency.
func WithLatency(d time.Duration) Option {
	return func(c *config) { c.latency = d }
}

// WithPageSize sets the page size lists use when the request names no
// limit (default 20). It is capped at MaxPageSize.
func WithPageSize(n int) Option {
	return func(c *config) { c.pageSize = n }
}

// WithDemoData seeds three plausible servers, a backup of each and a few
// members of the first into the collections the operation table has for
// them (/servers; /backups or /servers/{serverId}/backups; /members), so
// that examples have something to list.
func WithDemoData() Option {
	return func(c *config) { c.demo = true }
}

// normalizePlan upper-cases a plan name and trims it.
func normalizePlan(plan string) string {
	return strings.ToUpper(strings.TrimSpace(plan))
}
