package agent

import (
	"slices"
	"time"
)

// limitWait reports whether a destructive call may be sent now, and if not
// how long until it may.
func (tk *Toolkit) limitWait() (time.Duration, bool) {
	if tk.cfg.limitN <= 0 {
		return 0, true
	}
	tk.mu.Lock()
	defer tk.mu.Unlock()
	now := tk.now()
	tk.pruneLocked(now)
	if len(tk.sent) < tk.cfg.limitN {
		return 0, true
	}
	return tk.sent[0].Add(tk.cfg.limitPer).Sub(now), false
}

// reserveLocked counts one destructive call against the limit and returns
// its slot (nil without a limit), or reports that the limit is reached.
func (tk *Toolkit) reserveLocked() (slot *time.Time, limited bool) {
	if tk.cfg.limitN <= 0 {
		return nil, false
	}
	now := tk.now()
	tk.pruneLocked(now)
	if len(tk.sent) >= tk.cfg.limitN {
		return nil, true
	}
	tk.sent = append(tk.sent, now)
	return &now, false
}

// release gives back slot, the reservation of a destructive call the client
// refused without sending. Slots taken at the same instant are alike, so
// any one of them goes; a slot the window already dropped is gone anyway.
func (tk *Toolkit) release(slot time.Time) {
	tk.mu.Lock()
	defer tk.mu.Unlock()
	if i := slices.IndexFunc(tk.sent, slot.Equal); i >= 0 {
		tk.sent = slices.Delete(tk.sent, i, i+1)
	}
}

func (tk *Toolkit) pruneLocked(now time.Time) {
	i := 0
	for i < len(tk.sent) && !tk.sent[i].Add(tk.cfg.limitPer).After(now) {
		i++
	}
	tk.sent = tk.sent[i:]
}
