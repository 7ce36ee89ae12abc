package restorehub

import (
	"context"
	"testing"
	"time"
)

// TestBudgetReconcileIgnoresStaleRemaining replays, step by step, the
// interleavings in which a response's Remaining is older than the budget's
// own count: another process holds 47 of 50 slots, two of the client's
// requests go out together, and the server counts A (Remaining 1) before B
// (Remaining 0). A's answer must not give back one of the other process's
// slots, whether B is still in flight or already answered: the server counts
// all 50, and a third request would get a 429. A Remaining that no
// concurrent request explains still gives slots back.
func TestBudgetReconcileIgnoresStaleRemaining(t *testing.T) {
	const limit = 50
	window := 10 * time.Second
	rl := func(remaining int) RateLimit {
		return RateLimit{Limit: limit, Remaining: remaining, Window: window}
	}
	tests := []struct {
		name string
		// run sends the client's requests after the first has learned that
		// 2 remain, as the transport does (acquire, observe, release);
		// wantFree is checked after it.
		run      func(t *testing.T, b *MemoryBudget, clock time.Time)
		wantFree int
	}{
		{"stale answer while the other is in flight", func(t *testing.T, b *MemoryBudget, clock time.Time) {
			markA := take(t, b)
			markB := take(t, b)
			b.observe(rl(1), clock, markA, true)
			b.release(clock)
			// B is still out: a third request sent now would be the 51st.
			if _, _, free := b.State(); free != 0 {
				t.Errorf("after A's answer %d slots are free, want 0", free)
			}
			b.observe(rl(0), clock, markB, true)
			b.release(clock)
		}, 0},
		{"stale answer after the other was answered", func(t *testing.T, b *MemoryBudget, clock time.Time) {
			markA := take(t, b)
			markB := take(t, b)
			b.observe(rl(0), clock, markB, true)
			b.release(clock)
			b.observe(rl(1), clock, markA, true)
			b.release(clock)
		}, 0},
		{"stale answer, sending time unknown", func(t *testing.T, b *MemoryBudget, clock time.Time) {
			take(t, b)
			take(t, b)
			b.Observe(rl(0), clock)
			b.release(clock)
			b.Observe(rl(1), clock)
			b.release(clock)
		}, 0},
		// Nothing else was out: the other process's slots really freed.
		{"lone answer gives slots back", func(t *testing.T, b *MemoryBudget, clock time.Time) {
			mark := take(t, b)
			b.observe(rl(10), clock, mark, true)
			b.release(clock)
		}, 10},
		// The first request's slot was released before this one was sent,
		// so the server had counted it; without the mark it might not have.
		{"lone answer, sending time unknown", func(t *testing.T, b *MemoryBudget, clock time.Time) {
			take(t, b)
			b.Observe(rl(10), clock)
			b.release(clock)
		}, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := time.Unix(1000, 0)
			b := NewMemoryBudget()
			b.now = func() time.Time { return clock }
			// Another process spent 47: the first answer says 2 remain.
			mark := take(t, b)
			b.observe(rl(2), clock, mark, true)
			b.release(clock)
			if _, _, free := b.State(); free != 2 {
				t.Fatalf("after the first answer %d slots are free, want 2", free)
			}
			tt.run(t, b, clock)
			if _, _, free := b.State(); free != tt.wantFree {
				t.Errorf("%d slots are free, want %d", free, tt.wantFree)
			}
		})
	}
}

// take acquires a slot that must be free at once and returns its mark.
func take(t *testing.T, b *MemoryBudget) uint64 {
	t.Helper()
	_, mark, err := b.acquire(context.Background(), time.Nanosecond)
	if err != nil {
		t.Fatalf("acquire: %v", err)
	}
	return mark
}
