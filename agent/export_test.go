package agent

import "time"

// SetClock replaces the clock of the destructive limit.
func (tk *Toolkit) SetClock(now func() time.Time) { tk.now = now }
