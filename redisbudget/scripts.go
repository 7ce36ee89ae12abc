package redisbudget

import (
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// The documented floor of every plan's budget: the Free plan's 50 requests
// per 10 seconds, the least of any plan (Restore Hub's rate-limit
// documentation, summarised in the API reference, section 5.1 "Model and
// plans"). The budget assumes it until a response reports the key's own
// limit, as restorehub.MemoryBudget does (its floorLimit and floorWindow are
// not exported), so that one slow request does not hold back every other.
const (
	floorLimit  = 50
	floorWindow = 10 * time.Second
)

// The scripts share one layout. Times are microseconds on the Redis server's
// clock (TIME), so processes whose clocks disagree still agree on the budget;
// callers pass only ages (how long ago something happened by their own
// monotonic clock), never timestamps.
//
//	KEYS[1] inflight  sorted set: slots taken and not yet released, scored by
//	                  the time they are given up on (the in-flight timeout)
//	KEYS[2] used      sorted set: released slots, scored by when they free
//	                  (release + window)
//	KEYS[3] extra     sorted set: slots another user of the key spent, as
//	                  deduced from X-RateLimit-Remaining, scored by when they free
//	KEYS[4] meta      hash: limit, window (µs), block (µs, a 429's Retry-After
//	                  holds every acquire until then), unknown ("1": responses
//	                  arrived but none reported a limit), seq (ids for extra),
//	                  tseq (ticket numbers)
//	KEYS[5] queue     sorted set: tickets of waiting acquires, scored by
//	                  arrival (tseq); a ticket is "<process id>:<n>"
//	KEYS[6] procs     sorted set: process ids, scored by when each last
//	                  called Redis
//
// The keys share one hash tag, so they are one Redis Cluster slot, and the
// wake-up channel (the budget's base name + "wake") hashes to it too. A
// script PUBLISHes on it whenever a waiting ticket may go ahead without a
// slot freeing by time: a ticket was granted and slots are still free, a
// ticket left, a slot was handed back, or a response freed slots.
//
// Until a response has reported the limit and window (meta has none), the
// scripts count with the floor, FLOOR_LIMIT per FLOOR_WINDOW, unless a
// response showed that the server sends no believable limit (meta's
// unknown): an unknown budget is not a small one, so it counts no slots then
// and only a Retry-After holds acquires back, as in restorehub.MemoryBudget.
// A learned limit is never made unknown again, and learning one clears the
// mark.
//
// Every script ends by setting an expiry on all six keys, long enough that
// no slot can outlive its key.

// prelude reads the server clock, drops freed slots and defines helpers.
var prelude = `
local FLOOR_LIMIT = ` + strconv.Itoa(floorLimit) + `
local FLOOR_WINDOW = ` + strconv.FormatInt(floorWindow.Microseconds(), 10) + `
-- the free slots of an unknown budget: more than any queue can hold
local UNCOUNTED = 2147483647
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)

-- the learned limit and window, or the floor before a response reported them
local function effective(limit, window)
  if limit <= 0 or window <= 0 then return FLOOR_LIMIT, FLOOR_WINDOW end
  return limit, window
end

local function expire(idle_ms, inflight_us)
  local _, window = effective(tonumber(redis.call('HGET', KEYS[4], 'limit')) or 0,
    tonumber(redis.call('HGET', KEYS[4], 'window')) or 0)
  local block = tonumber(redis.call('HGET', KEYS[4], 'block')) or 0
  local ttl = idle_ms
  local need = math.floor((inflight_us + window) / 1000) + 1000
  if need > ttl then ttl = need end
  if block > now then
    need = math.floor((block - now) / 1000) + 1000
    if need > ttl then ttl = need end
  end
  for i = 1, 6 do redis.call('PEXPIRE', KEYS[i], ttl) end
end

-- the state for the reply: 0 the floor, 1 a known limit, 2 unknown
local function state_of(limit, window, unknown)
  if limit > 0 and window > 0 then return 1 end
  if unknown == '1' then return 2 end
  return 0
end

-- meta's learned limit and window (0 before a response reported them) and
-- its unknown mark, in one read; state_of(learned()) is the state
local function learned()
  local m = redis.call('HMGET', KEYS[4], 'limit', 'window', 'unknown')
  return tonumber(m[1]) or 0, tonumber(m[2]) or 0, m[3]
end

-- zadd_pairs adds the score, member pairs of args to the sorted set key,
-- 256 pairs per ZADD, within what unpack may put on Lua's stack
local function zadd_pairs(key, args)
  for i = 1, #args, 512 do
    redis.call('ZADD', key, unpack(args, i, math.min(i + 511, #args)))
  end
end

local function first_score(key)
  local r = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if #r == 0 then return nil end
  return tonumber(r[2])
end
`

// acquireScript takes one slot for ticket ARGV[1] when one is free and the
// ticket is first in line, or queues the ticket.
//
// Waiters are served in arrival order across processes: a call that finds
// the queue empty and a slot free takes it at once; any other call puts its
// ticket at the back of the queue (or keeps its place, when it has one) and
// is granted once fewer tickets are ahead of it than slots are free. A ticket
// whose process has not called Redis for PROC_TTL is dropped when it reaches
// the head, so a dead process never blocks the queue; a ticket that is gone
// (Redis restarted empty) is queued again at the back.
//
// While the budget is unknown every ticket is granted at once, queued ones
// included, unless a Retry-After blocks: no slot is counted, so the queue
// adds no wait. The taken slot is still recorded in flight, so that a limit
// learned later counts it.
//
// ARGV: ticket, in-flight timeout (µs), idle TTL (ms), process id, channel,
// process liveness (µs), counting window for processes (µs).
// Returns {granted (0/1), wait (µs; -1: wait for a wake-up), limit, window
// (µs), processes seen, ticket number, state}: when not granted, wait is the
// least time until a slot can free. limit and window are the learned ones, 0
// before a response reported them (the floor is used then, or nothing while
// unknown). state is 0 at the floor, 1 with a learned limit, 2 unknown.
var acquireScript = redis.NewScript(prelude + `
local inflight_us = tonumber(ARGV[2])
local proc = ARGV[4]
local proc_ttl = tonumber(ARGV[6])
redis.call('ZADD', KEYS[6], now, proc)
redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now - tonumber(ARGV[7]))
local procs = redis.call('ZCARD', KEYS[6])
-- drop head tickets whose process is gone
local dropped = false
while true do
  local h = redis.call('ZRANGE', KEYS[5], 0, 0)
  if #h == 0 then break end
  local p = string.match(h[1], '^[^:]*')
  local seen = tonumber(redis.call('ZSCORE', KEYS[6], p))
  if seen and seen > now - proc_ttl then break end
  redis.call('ZREM', KEYS[5], h[1])
  dropped = true
end
local m = redis.call('HMGET', KEYS[4], 'limit', 'window', 'block', 'unknown')
local limit = tonumber(m[1]) or 0
local window = tonumber(m[2]) or 0
local block = tonumber(m[3]) or 0
local state = state_of(limit, window, m[4])
local cap, win = effective(limit, window)
local inflight = redis.call('ZCARD', KEYS[1])
local free
if state == 2 then
  free = UNCOUNTED -- counts no slots: every ticket may go
else
  free = cap - inflight - redis.call('ZCARD', KEYS[2]) - redis.call('ZCARD', KEYS[3])
end
if block > now then free = 0 end
local queued = redis.call('ZCARD', KEYS[5])
local rank = redis.call('ZRANK', KEYS[5], ARGV[1])
local seq = tonumber(redis.call('ZSCORE', KEYS[5], ARGV[1])) or 0
if rank == false or rank == nil then
  if queued == 0 and free > 0 then
    redis.call('ZADD', KEYS[1], now + inflight_us, ARGV[1])
    expire(tonumber(ARGV[3]), inflight_us)
    return {1, 0, limit, window, procs, 0, state}
  end
  seq = redis.call('HINCRBY', KEYS[4], 'tseq', 1)
  redis.call('ZADD', KEYS[5], seq, ARGV[1])
  rank = queued
end
if rank < free then
  redis.call('ZREM', KEYS[5], ARGV[1])
  redis.call('ZADD', KEYS[1], now + inflight_us, ARGV[1])
  if free - 1 > 0 and queued > 1 then redis.call('PUBLISH', ARGV[5], '1') end
  expire(tonumber(ARGV[3]), inflight_us)
  return {1, 0, limit, window, procs, seq, state}
end
if dropped then redis.call('PUBLISH', ARGV[5], '1') end
expire(tonumber(ARGV[3]), inflight_us)
if block > now then
  return {0, block - now, limit, window, procs, seq, state}
end
if free > 0 then
  -- slots are free but earlier tickets take them first: wait to be woken
  return {0, -1, limit, window, procs, seq, state}
end
local wait = nil
local function consider(w)
  if wait == nil or w < wait then wait = w end
end
local s = first_score(KEYS[2])
if s then consider(s - now) end
s = first_score(KEYS[3])
if s then consider(s - now) end
if inflight > 0 then
  s = first_score(KEYS[1])
  if s then consider(s - now) end
  -- an in-flight slot frees a window after its release, which is now at the earliest
  consider(win)
end
if wait == nil or wait < 0 then wait = 0 end
return {0, wait, limit, window, procs, seq, state}
`)

// leaveScript takes a ticket out of the queue (its caller stopped waiting)
// and wakes the others.
//
// ARGV: ticket, channel, in-flight timeout (µs), idle TTL (ms).
var leaveScript = redis.NewScript(prelude + `
if redis.call('ZREM', KEYS[5], ARGV[1]) == 1 then redis.call('PUBLISH', ARGV[2], '1') end
expire(tonumber(ARGV[4]), tonumber(ARGV[3]))
return 1
`)

// reconcileScript tells the shared budget what a process spent on its own
// while Redis was unavailable: each slot counts until the time given.
//
// ARGV: process id, in-flight timeout (µs), idle TTL (ms), then the age in
// µs of the moment each slot frees (negative: in the future).
var reconcileScript = redis.NewScript(prelude + `
local args = {}
for i = 4, #ARGV do
  local free = now - tonumber(ARGV[i])
  if free > now then
    args[#args + 1] = free
    args[#args + 1] = 'f:' .. ARGV[1] .. ':' .. (i - 3) .. ':' .. now
  end
end
zadd_pairs(KEYS[2], args)
expire(tonumber(ARGV[3]), tonumber(ARGV[2]))
return 1
`)

// releaseScript ends a slot's flight: with charge "1" it then counts until a
// window after the response arrived (unless the budget is unknown: it
// counts no slots); with "0" (an acquire the caller gave up on) it frees at
// once.
//
// ARGV: slot id, age of the response (µs), charge, in-flight timeout (µs),
// idle TTL (ms), channel.
var releaseScript = redis.NewScript(prelude + `
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[3] ~= '1' and removed == 1 and redis.call('ZCARD', KEYS[5]) > 0 then
  redis.call('PUBLISH', ARGV[6], '1')
end
if ARGV[3] == '1' then
  local limit, window, unknown = learned()
  if state_of(limit, window, unknown) ~= 2 then
    local _, win = effective(limit, window)
    local free = now - tonumber(ARGV[2]) + win
    if free > now then redis.call('ZADD', KEYS[2], free, ARGV[1]) end
  end
end
expire(tonumber(ARGV[5]), tonumber(ARGV[4]))
return 1
`)

// observeScript learns from a response: the limit and window, a 429's
// Retry-After, and other users of the key (the server's Remaining lower than
// the free slots counted here).
//
// The server's Remaining counts the observed request and whatever the server
// had counted when it handled it. The budget's other requests that were out
// at the same time, in any process (still in flight, or released and still
// counting), may have reached the server after it, so a Remaining higher
// than the free slots counted here does not mean that anyone's slots freed.
// The observer does not say when its request was sent, so, as
// restorehub.MemoryBudget.Observe does, every other in-flight slot and every
// released slot still counting is taken as possibly uncounted, and only the
// surplus beyond them is taken off the other users' slots. Handing back more
// would free a slot the server still counts, and the next request would get
// a 429. A shortfall is always taken: it can only make the budget stricter.
//
// A response that shows the server sends no believable limit (known "2")
// makes a budget that has not learned one unknown: it forgets the floor's
// counted slots, counts none from then on, and wakes the waiting tickets.
// It changes nothing once a limit was learned: a server that sent its
// headers once and then omits them is still paced to that limit. A limit
// clears the mark.
//
// ARGV: known (0: nothing learned but a Retry-After, 1: a limit, 2: no
// believable limit), limit, window (µs), remaining, retry after (µs), age of
// the response (µs), in-flight timeout (µs), idle TTL (ms), channel.
// Returns the budget's state afterwards, as acquireScript does.
var observeScript = redis.NewScript(prelude + `
local at = now - tonumber(ARGV[6])
local retry = tonumber(ARGV[5])
if retry > 0 then
  local block = tonumber(redis.call('HGET', KEYS[4], 'block')) or 0
  if at + retry > block then redis.call('HSET', KEYS[4], 'block', at + retry) end
end
if ARGV[1] == '2' then
  if state_of(learned()) == 0 then
    redis.call('HSET', KEYS[4], 'unknown', '1')
    redis.call('DEL', KEYS[2], KEYS[3])
    if redis.call('ZCARD', KEYS[5]) > 0 then redis.call('PUBLISH', ARGV[9], '1') end
  end
end
if ARGV[1] == '1' then
  local limit = tonumber(ARGV[2])
  local window = tonumber(ARGV[3])
  local had_limit, had_window, unknown = learned()
  local before = effective(had_limit, had_window)
  if unknown then redis.call('HDEL', KEYS[4], 'unknown') end
  redis.call('HSET', KEYS[4], 'limit', limit, 'window', window)
  if limit > before and redis.call('ZCARD', KEYS[5]) > 0 then redis.call('PUBLISH', ARGV[9], '1') end
  local free = limit - redis.call('ZCARD', KEYS[1]) - redis.call('ZCARD', KEYS[2]) - redis.call('ZCARD', KEYS[3])
  local deficit = free - tonumber(ARGV[4])
  if deficit > 0 then
    local seq = redis.call('HINCRBY', KEYS[4], 'seq', deficit)
    local args = {}
    for i = 1, deficit do
      args[#args + 1] = now + window
      args[#args + 1] = 'x' .. (seq - i)
    end
    zadd_pairs(KEYS[3], args)
  elseif deficit < 0 then
    local unsure = math.max(redis.call('ZCARD', KEYS[1]) - 1, 0) + redis.call('ZCARD', KEYS[2])
    local n = math.min(-deficit - unsure, redis.call('ZCARD', KEYS[3]))
    if n > 0 then
      redis.call('ZPOPMIN', KEYS[3], n)
      if redis.call('ZCARD', KEYS[5]) > 0 then redis.call('PUBLISH', ARGV[9], '1') end
    end
  end
end
expire(tonumber(ARGV[8]), tonumber(ARGV[7]))
return state_of(learned())
`)
