/**
 * The Lua scripts behind the shared quota state. Each runs atomically inside Redis, so two
 * processes can never both take the last slot of a window, and each reads Redis's own clock, so
 * the processes' clocks need not agree. Keys of one identity share a hash tag (`{jpo:…}`) and so
 * one slot of a Redis Cluster.
 */

/**
 * Takes a slot in a sliding window, or says how long to wait for one.
 * KEYS: window (sorted set of slot → time), peers (process → last seen), epoch (id of this Redis's
 * copy of the window).
 * ARGV: limit, span ms, slot id, pending hold ms (0 for a request sent now), process id, a new
 * epoch id, the epoch the caller last saw, the caller's own sends in the last span, peer ttl ms.
 * A caller that finds another epoch than it last saw (Redis restarted, or it could not be reached
 * and the caller throttled on its own) and has sent requests within the last span cannot know what
 * the other processes sent meanwhile: it fills the window, so every process waits a whole window.
 * Returns {granted 0|1, wait ms, live processes, epoch}.
 */
export const ACQUIRE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local span = tonumber(ARGV[2])
local hold = tonumber(ARGV[4])
local peerTtl = tonumber(ARGV[9])
local epoch = redis.call('GET', KEYS[3])
if not epoch then
  epoch = ARGV[6]
  redis.call('SET', KEYS[3], epoch)
end
redis.call('PEXPIRE', KEYS[3], 604800000)
if epoch ~= ARGV[7] and tonumber(ARGV[8]) > 0 then
  for i = 1, limit do
    redis.call('ZADD', KEYS[1], now, ARGV[3] .. ':unknown:' .. i)
  end
end
redis.call('ZADD', KEYS[2], now, ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - peerTtl)
redis.call('PEXPIRE', KEYS[2], peerTtl)
local peers = redis.call('ZCARD', KEYS[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - span)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now + hold, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], span + hold + 1000)
  return {1, 0, peers, epoch}
end
local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
local wait = oldest + span - now
if oldest > now then wait = 25 end
if wait < 1 then wait = 1 end
return {0, wait, peers, epoch}
`;

/** Gives a pending slot the time it was really sent. KEYS: window. ARGV: slot id. */
export const SETTLE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
`;

/** Fills the window from now: every process waits a whole window. KEYS: window. ARGV: limit, span ms, slot id prefix. */
export const FILL_WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i = 1, tonumber(ARGV[1]) do
  redis.call('ZADD', KEYS[1], now, ARGV[3] .. ':full:' .. i)
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 1000)
return 1
`;

/**
 * One answered call in the day's counts. KEYS: the day's hash. ARGV: endpoint, 1 when the call
 * counts, the remaining count the answer reported ('' when none), ttl ms. The remaining count only
 * ever goes down within a day, so the lowest report wins whatever order the answers come back in.
 */
export const RECORD_DAILY = `
if ARGV[2] == '1' then
  redis.call('HINCRBY', KEYS[1], 'spent:' .. ARGV[1], 1)
end
if ARGV[3] ~= '' then
  local current = redis.call('HGET', KEYS[1], 'remain:' .. ARGV[1])
  if (not current) or tonumber(current) > tonumber(ARGV[3]) then
    redis.call('HSET', KEYS[1], 'remain:' .. ARGV[1], ARGV[3])
  end
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
return 1
`;

/** Releases a renewal lock only if this process still holds it. KEYS: lock. ARGV: holder id. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;
