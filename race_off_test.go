//go:build !race

package restorehub

// raceEnabled reports a -race build, whose detector slows every call
// several times: wall-time bounds scale by raceSlowdown.
const raceEnabled = false
