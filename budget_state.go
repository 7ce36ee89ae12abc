package restorehub

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
)

// BudgetState says what a client's pacing knows about the key's rate
// budget, and so how it paces. Client.BudgetState reports it.
type BudgetState int

const (
	// BudgetFloor: no response has arrived yet. Requests are paced at the
	// documented floor of every plan, 50 per 10 s, so that a burst at
	// start-up cannot overrun the smallest plan.
	BudgetFloor BudgetState = iota
	// BudgetKnown: a response reported a believable limit and window
	// (X-RateLimit-Limit and X-RateLimit-Window), and requests are paced to
	// them. A limit above a million is clamped to a million. Once known, the
	// budget stays known: a later response without the headers does not
	// undo it (the last limit reported keeps pacing).
	BudgetKnown
	// BudgetUnknown: responses arrived but none carried a believable limit
	// (no headers, or headers the client cannot use). An unknown budget is
	// not taken for a small one: requests are not paced locally, and only a
	// 429 holds them back, for its Retry-After (or the body's retryAfter, or
	// 10 s). A response that later reports a limit makes it BudgetKnown.
	BudgetUnknown
	// BudgetOff: the client was built WithoutPacing and keeps no budget;
	// a 429 delays only the retry of its own request.
	BudgetOff
)

// String names the state.
func (s BudgetState) String() string {
	switch s {
	case BudgetFloor:
		return "floor"
	case BudgetKnown:
		return "known"
	case BudgetUnknown:
		return "unknown, paced on 429s only"
	case BudgetOff:
		return "off"
	}
	return "BudgetState(" + strconv.Itoa(int(s)) + ")"
}

// budgetStater is implemented by a Budget that tracks its own state, as
// MemoryBudget does; Client.BudgetState asks it rather than guessing.
type budgetStater interface {
	BudgetState() BudgetState
}

// BudgetState reports how the client paces now: at the floor before the
// first response, to the known limit, on 429s only when the server's limit
// is unknown, or not at all (WithoutPacing). With a Budget that does not
// report its own state (it has no BudgetState method), it is what the
// responses this client received showed about the server's limit; how such
// a budget paces meanwhile is its own affair.
func (c *Client) BudgetState() BudgetState {
	if c.budget == nil {
		return BudgetOff
	}
	if s, ok := c.budget.(budgetStater); ok {
		return s.BudgetState()
	}
	return BudgetState(c.seen.Load())
}

// teachesBudget reports whether a response of this status, carrying no
// believable limit, shows that the server sends none. A 429 says the budget
// is spent, not that it is unknown; a 5xx may come from a proxy in front of
// the API and a 401 from a check before the rate limiter, so neither
// proves anything about the API's headers.
func teachesBudget(status int) bool {
	return status < 500 && status != http.StatusTooManyRequests && status != http.StatusUnauthorized
}

// warnUnknownBudget logs once per client, at Warn, that the budget has
// become unknown and how the client paces from now on.
func (c *Client) warnUnknownBudget(ctx context.Context, status int) {
	if c.BudgetState() != BudgetUnknown || !c.warnedUnknown.CompareAndSwap(false, true) {
		return
	}
	l := c.cfg.logger
	if l == nil {
		return
	}
	msg := "restorehub: the server sent no believable X-RateLimit-Limit and X-RateLimit-Window; " +
		"the client paces on 429s and Retry-After only"
	if _, ok := c.budget.(budgetStater); !ok {
		msg = "restorehub: the server sent no believable X-RateLimit-Limit and X-RateLimit-Window; " +
			"how it paces now is up to the shared Budget"
	}
	l.LogAttrs(ctx, slog.LevelWarn, msg, slog.Int("status", status))
}
