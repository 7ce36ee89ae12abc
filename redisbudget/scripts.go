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
//	                  holds every acquire until then), seq (ids for extra)
//
// Until a response has reported the limit and window (meta has none), the
// scripts count with the floor, FLOOR_LIMIT per FLOOR_WINDOW.
//
// Every script ends by setting an expiry on all four keys, long enough that
// no slot can outlive its key.

// prelude reads the server clock, drops freed slots and defines helpers.
var prelude = `
local FLOOR_LIMIT = ` + strconv.Itoa(floorLimit) + `
local FLOOR_WINDOW = ` + strconv.FormatInt(floorWindow.Microseconds(), 10) + `
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
  for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ttl) end
end

local function first_score(key)
  local r = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if #r == 0 then return nil end
  return tonumber(r[2])
end
`

// acquireScript takes one slot when one is free.
//
// ARGV: slot id, in-flight timeout (µs), idle TTL (ms).
// Returns {granted (0/1), wait (µs), limit, window (µs)}: when not granted,
// wait is the least time until a slot can free. limit and window are the
// learned ones, 0 before a response reported them (the floor is used then).
var acquireScript = redis.NewScript(prelude + `
local inflight_us = tonumber(ARGV[2])
local m = redis.call('HMGET', KEYS[4], 'limit', 'window', 'block')
local limit = tonumber(m[1]) or 0
local window = tonumber(m[2]) or 0
local block = tonumber(m[3]) or 0
if block > now then
  return {0, block - now, limit, window}
end
local cap, win = effective(limit, window)
local inflight = redis.call('ZCARD', KEYS[1])
local taken = inflight + redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3])
if taken < cap then
  redis.call('ZADD', KEYS[1], now + inflight_us, ARGV[1])
  expire(tonumber(ARGV[3]), inflight_us)
  return {1, 0, limit, window}
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
return {0, wait, limit, window}
`)

// releaseScript ends a slot's flight: with charge "1" it then counts until a
// window after the response arrived; with "0" (an acquire the caller gave up
// on) it frees at once.
//
// ARGV: slot id, age of the response (µs), charge, in-flight timeout (µs), idle TTL (ms).
var releaseScript = redis.NewScript(prelude + `
redis.call('ZREM', KEYS[1], ARGV[1])
if ARGV[3] == '1' then
  local _, window = effective(tonumber(redis.call('HGET', KEYS[4], 'limit')) or 0,
    tonumber(redis.call('HGET', KEYS[4], 'window')) or 0)
  local free = now - tonumber(ARGV[2]) + window
  if free > now then redis.call('ZADD', KEYS[2], free, ARGV[1]) end
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
// ARGV: known (0/1), limit, window (µs), remaining, retry after (µs), age of
// the response (µs), in-flight timeout (µs), idle TTL (ms).
var observeScript = redis.NewScript(prelude + `
local at = now - tonumber(ARGV[6])
local retry = tonumber(ARGV[5])
if retry > 0 then
  local block = tonumber(redis.call('HGET', KEYS[4], 'block')) or 0
  if at + retry > block then redis.call('HSET', KEYS[4], 'block', at + retry) end
end
if ARGV[1] == '1' then
  local limit = tonumber(ARGV[2])
  local window = tonumber(ARGV[3])
  redis.call('HSET', KEYS[4], 'limit', limit, 'window', window)
  local free = limit - redis.call('ZCARD', KEYS[1]) - redis.call('ZCARD', KEYS[2]) - redis.call('ZCARD', KEYS[3])
  local deficit = free - tonumber(ARGV[4])
  if deficit > 0 then
    local seq = redis.call('HINCRBY', KEYS[4], 'seq', deficit)
    local args = {}
    for i = 1, deficit do
      args[#args + 1] = now + window
      args[#args + 1] = 'x' .. (seq - i)
      if #args >= 512 then
        redis.call('ZADD', KEYS[3], unpack(args))
        args = {}
      end
    end
    if #args > 0 then redis.call('ZADD', KEYS[3], unpack(args)) end
  elseif deficit < 0 then
    local unsure = math.max(redis.call('ZCARD', KEYS[1]) - 1, 0) + redis.call('ZCARD', KEYS[2])
    local n = math.min(-deficit - unsure, redis.call('ZCARD', KEYS[3]))
    if n > 0 then redis.call('ZPOPMIN', KEYS[3], n) end
  end
end
expire(tonumber(ARGV[8]), tonumber(ARGV[7]))
return 1
`)
