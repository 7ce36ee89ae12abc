package agent

import (
	"encoding/json"
	"time"
)

// SetClock replaces the clock of the destructive limit.
func (tk *Toolkit) SetClock(now func() time.Time) { tk.now = now }

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
