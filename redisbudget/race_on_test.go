//go:build race

package redisbudget

// raceEnabled reports a -race build. The detector slows every call several
// times, and the budget counts a slot from its response, so each slot comes
// back later: the proofs' share of the allowed rate measures the detector.
const raceEnabled = true
