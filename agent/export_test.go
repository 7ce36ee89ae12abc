package agent

import (
	"encoding/json"
	"time"
)

// SetClock replaces the clock of the destructive limit.
func (tk *Toolkit) SetClock(now func() time.Time) { tk.now = now }

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

// DestructiveSlotsUsed is the number of WithDestructiveLimit slots taken
// within the current window.
func (tk *Toolkit) DestructiveSlotsUsed() int {
	tk.mu.Lock()
	defer tk.mu.Unlock()
	tk.pruneLocked(tk.now())
	return len(tk.sent)
}
