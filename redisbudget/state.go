package redisbudget

import (
	"time"

	"github.com/restorehub/restorehub-go"
)

// scriptState is the shared budget's state as the scripts report it.
type scriptState int32

// The states the scripts report (see state_of in scripts.go).
const (
	stateFloor   scriptState = 0 // no response has reported anything: the documented floor
	stateKnown   scriptState = 1 // a response reported the limit and window
	stateUnknown scriptState = 2 // responses showed that the server sends no believable limit
)

// public is s as a restorehub.BudgetState.
func (s scriptState) public() restorehub.BudgetState {
	switch s {
	case stateKnown:
		return restorehub.BudgetKnown
	case stateUnknown:
		return restorehub.BudgetUnknown
	}
	return restorehub.BudgetFloor
}

// stater is a Budget that reports its own state, as
// restorehub.MemoryBudget does.
type stater interface {
	BudgetState() restorehub.BudgetState
}

// BudgetState reports how the budget paces now, for
// restorehub.Client.BudgetState: at the floor before any response reported
// anything, to a known limit, or on Retry-After only (the responses showed
// that the server sends no believable limit). It is the shared budget's
// state at this process's last Redis call (every Acquire and Observe makes
// one), so another process's finding shows at this one's next call. While
// Redis is unavailable it is the fallback's state, when the fallback
// reports one.
func (b *Budget) BudgetState() restorehub.BudgetState {
	if b.UsingFallback() {
		if s, ok := b.cfg.fallback.(stater); ok {
			return s.BudgetState()
		}
	}
	return scriptState(b.state.Load()).public()
}

// setState keeps the state a script replied, when it is one.
func (b *Budget) setState(s scriptState) {
	if s == stateFloor || s == stateKnown || s == stateUnknown {
		b.state.Store(int32(s))
	}
}

// teachFallback tells the fallback what the shared budget knows and this
// process's own responses may not have shown it, so that it paces as the
// shared budget does should Redis go away: a limit another process learned
// (its share of it), or that the limit is unknown (not a small one). A
// fallback that knows a limit keeps it, and one that does not report its
// state is left alone.
func (b *Budget) teachFallback(res acquireResult) {
	if b.fbKnown.Load() || res.state == stateFloor {
		return
	}
	s, ok := b.cfg.fallback.(stater)
	if !ok {
		return
	}
	switch have := s.BudgetState(); {
	case have == restorehub.BudgetKnown:
		b.fbKnown.Store(true)
	case res.state == stateKnown && res.limit > 0 && res.window > 0:
		// Remaining as the whole share: a fallback that knew no limit
		// counted no one else's slots, so there is nothing to give back.
		b.cfg.fallback.Observe(b.shareOf(restorehub.RateLimit{Limit: res.limit, Remaining: res.limit, Window: res.window}), time.Now())
	case res.state == stateUnknown && have == restorehub.BudgetFloor:
		b.cfg.fallback.Observe(restorehub.RateLimit{}, time.Now())
	}
}
