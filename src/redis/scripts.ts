/**
 * The Lua scripts of the Redis fleet store: each operation is one atomic step.
 * "Now" is Redis's `TIME` (in ms), so processes on machines whose clocks
 * disagree share one clock. Every record has a TTL, so what a dead process
 * left ages out; the index sets (`breakers`, `paces`, `holds`) let `load`
 * find every record without SCAN and lose members whose record is gone.
 * Answers with more than one value are JSON (Redis's `cjson`), which the
 * answer codec checks.
 */

/** A script, registered on a connection with ioredis's `defineCommand`. */
export interface StoreScript {
  /** The command name it gets on the connection. */
  readonly name: string;
  readonly numberOfKeys: number;
  readonly lua: string;
}

/** The longest a process counts as live without a report, ms (a pace so low its reports are further apart is not waited for). */
const MAX_LIVE_MS = 600_000;

/** The time helpers every script starts with. */
const PRELUDE = `
local function now()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local DAY = 86400000
local HOUR = 3600000
local function index(key, member)
  redis.call('SADD', key, member)
  redis.call('PEXPIRE', key, DAY)
end
`;

function script(name: string, numberOfKeys: number, body: string): StoreScript {
  return Object.freeze({ name: `obsFleet${name}`, numberOfKeys, lua: `${PRELUDE}${body}` });
}

/**
 * KEYS: streaks, open, probe, breakers. ARGV: endpoint, pid, streak, threshold, waitMs, intervalMs,
 * staleMs, channel. Sets the pid's run, drops stale runs, opens when the sum reaches the threshold.
 * Returns the opened breaker as JSON, or '' when it did not open.
 */
export const REPORT_STREAK = script('ReportStreak', 4, `
local t = now()
local streak, stale = tonumber(ARGV[3]), tonumber(ARGV[7])
if streak > 0 then redis.call('HSET', KEYS[1], ARGV[2], streak .. ':' .. t) else redis.call('HDEL', KEYS[1], ARGV[2]) end
local sum = 0
local runs = redis.call('HGETALL', KEYS[1])
for i = 1, #runs, 2 do
  local run, at = string.match(runs[i + 1], '^(%d+):(%d+)$')
  if run == nil or t - tonumber(at) > stale then redis.call('HDEL', KEYS[1], runs[i]) else sum = sum + tonumber(run) end
end
if sum > 0 then redis.call('PEXPIRE', KEYS[1], stale) end
if sum < tonumber(ARGV[4]) or redis.call('EXISTS', KEYS[2]) == 1 then return '' end
redis.call('SET', KEYS[2], ARGV[6], 'PX', ARGV[5])
redis.call('DEL', KEYS[1], KEYS[3])
index(KEYS[4], ARGV[1])
local opened = { endpoint = ARGV[1], waitMs = tonumber(ARGV[5]), intervalMs = tonumber(ARGV[6]) }
redis.call('PUBLISH', ARGV[8], cjson.encode({ kind = 'open', origin = ARGV[2], endpoint = ARGV[1], waitMs = opened.waitMs, intervalMs = opened.intervalMs }))
return cjson.encode(opened)
`);

/** KEYS: open, probe, breakers. ARGV: endpoint, pid, waitMs, intervalMs, channel. */
export const OPEN = script('Open', 3, `
redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[3])
redis.call('DEL', KEYS[2])
index(KEYS[3], ARGV[1])
redis.call('PUBLISH', ARGV[5], cjson.encode({ kind = 'open', origin = ARGV[2], endpoint = ARGV[1], waitMs = tonumber(ARGV[3]), intervalMs = tonumber(ARGV[4]) }))
return 1
`);

/** KEYS: open, probe, streaks, breakers. ARGV: endpoint, pid, channel. */
export const CLOSE = script('Close', 4, `
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('PUBLISH', ARGV[3], cjson.encode({ kind = 'close', origin = ARGV[2], endpoint = ARGV[1] }))
return 1
`);

/**
 * KEYS: window, live, pace. ARGV: pid, sent, throttled, waited, windowMs, minSamples, liveMs, the
 * report's own window length (ms), the report's goodput (req/s; '' when the report has none: then
 * sent minus throttled over its length), '1' for a joining report (live, counts added, its goodput
 * left out of the sum: its next report brings it), how long the window lasts at least while the fleet
 * has no pace (ms).
 * The live set scores each process by when it stops counting. A window closes once it is long and
 * full enough and its goodput sums at least three quarters of the live processes (the verdict reads it
 * as their mean times the live count), or all of them while the fleet has no pace: the slowest report
 * last, and the first verdict, which sets the pace from nothing, read the fastest three quarters'
 * mean (8 processes: 1,048–1,182 req/s of 1,000). A report that adds its process to the live count
 * is answered `sharedAmong`, the live count at the fleet's last verdict (`size`, kept by `SET_PACE`),
 * when that is more: a fleet that restarts together finds its old pace and an empty live count, and
 * its first processes to report would each take most of the pace. Returns JSON
 * `{rate, live, sharedAmong?, judge?, state?}`; `judge` only for
 * the report that closed the window, with the live processes its goodput sums (`reporters`) and the
 * live count when the window before it was judged (`liveBefore`).
 */
export const REPORT_PACE = script('ReportPace', 3, `
local t = now()
local windowMs, liveMs = tonumber(ARGV[5]), tonumber(ARGV[7])
local start = tonumber(redis.call('HGET', KEYS[1], 'start'))
if start == nil then
  start = t
  redis.call('HSET', KEYS[1], 'start', t, 'sent', 0, 'throttled', 0, 'waited', 0)
end
-- The reporter's own rate that got through: the fleet's is the sum over live processes.
if ARGV[10] ~= '1' then
  local own = tonumber(ARGV[9])
  if own == nil then own = (tonumber(ARGV[2]) - tonumber(ARGV[3])) * 1000 / math.max(1, tonumber(ARGV[8])) end
  redis.call('HSET', KEYS[1], 'g:' .. ARGV[1], own)
end
local sent = redis.call('HINCRBY', KEYS[1], 'sent', ARGV[2])
local throttled = redis.call('HINCRBY', KEYS[1], 'throttled', ARGV[3])
local waited = redis.call('HINCRBY', KEYS[1], 'waited', ARGV[4])
-- A process that reports slowly (few answers at a low share) stays live until twice its own window has passed.
local liveFor = math.max(liveMs, 2 * tonumber(ARGV[8]))
local joined = redis.call('ZADD', KEYS[2], t + liveFor, ARGV[1])
redis.call('HSET', KEYS[1], 'r:' .. ARGV[1], t)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. t)
if redis.call('PTTL', KEYS[2]) < liveFor then redis.call('PEXPIRE', KEYS[2], liveFor) end
local answer = { rate = cjson.null, live = math.max(1, redis.call('ZCARD', KEYS[2])) }
local rate = redis.call('HGET', KEYS[3], 'rate')
if rate and rate ~= '' then answer.rate = tonumber(rate) end
-- A process the live count did not hold shares the pace among at least as many as the last verdict had.
if joined == 1 and answer.rate ~= cjson.null then
  local size = tonumber(redis.call('HGET', KEYS[3], 'size'))
  if size and size > answer.live and size < 1e9 then answer.sharedAmong = size end
end
-- The first window, which sets the pace from nothing, lasts long enough for the fleet's processes to report.
local lasts = windowMs
if answer.rate == cjson.null then lasts = math.max(windowMs, tonumber(ARGV[11])) end
if t - start >= lasts and sent >= tonumber(ARGV[6]) then
  local goodput, reporters = 0, 0
  local fields = redis.call('HGETALL', KEYS[1])
  for i = 1, #fields, 2 do
    local name = fields[i]
    local kind = string.sub(name, 1, 2)
    if kind == 'g:' or kind == 'r:' then
      local score = redis.call('ZSCORE', KEYS[2], string.sub(name, 3))
      if not score or tonumber(score) < t then redis.call('HDEL', KEYS[1], name)
      elseif kind == 'g:' then
        goodput = goodput + tonumber(fields[i + 1])
        reporters = reporters + 1
      end
    end
  end
  if reporters * 4 >= answer.live * 3 and (answer.rate ~= cjson.null or reporters >= answer.live) then
    local liveBefore = tonumber(redis.call('HGET', KEYS[1], 'live')) or answer.live
    answer.judge = { sent = sent, throttled = throttled, waited = waited, durationMs = t - start, goodputPerSec = goodput, reporters = reporters, liveBefore = liveBefore }
    local state = redis.call('HGET', KEYS[3], 'state')
    if state then answer.state = state end
    redis.call('HSET', KEYS[1], 'start', t, 'sent', 0, 'throttled', 0, 'waited', 0, 'live', answer.live)
  end
end
redis.call('PEXPIRE', KEYS[1], 2 * windowMs + liveMs)
return cjson.encode(answer)
`);

/**
 * KEYS: pace, live, paces, window. ARGV: endpoint, class, pid, state JSON, rate ('' for none), member,
 * channel, answers a process collects over the reports it stays live for. Every live process stays live
 * at least as long as collecting those answers takes at its share of the new rate (at most
 * `MAX_LIVE_MS`), counted from its last report (the window's `r:<pid>`): a process's own report cannot
 * know the pace the verdict sets after it, and a process that stopped reporting (it crashed) still
 * lapses however many verdicts come. The live count is kept with the pace as `size`: see `REPORT_PACE`.
 */
export const SET_PACE = script('SetPace', 4, `
local t = now()
redis.call('HSET', KEYS[1], 'state', ARGV[4], 'rate', ARGV[5])
redis.call('PEXPIRE', KEYS[1], HOUR)
index(KEYS[3], ARGV[6])
local rate = cjson.null
if ARGV[5] ~= '' then rate = tonumber(ARGV[5]) end
local live = math.max(1, redis.call('ZCOUNT', KEYS[2], t, '+inf'))
redis.call('HSET', KEYS[1], 'size', live)
if rate ~= cjson.null and rate > 0 then
  local liveFor = math.min(${String(MAX_LIVE_MS)}, math.ceil(tonumber(ARGV[8]) * live * 1000 / rate))
  local members = redis.call('ZRANGEBYSCORE', KEYS[2], t, '(' .. (t + liveFor), 'WITHSCORES')
  for i = 1, #members, 2 do
    local reported = tonumber(redis.call('HGET', KEYS[4], 'r:' .. members[i]))
    if reported and reported + liveFor > tonumber(members[i + 1]) then redis.call('ZADD', KEYS[2], reported + liveFor, members[i]) end
  end
  if redis.call('PTTL', KEYS[2]) < liveFor then redis.call('PEXPIRE', KEYS[2], liveFor) end
end
redis.call('PUBLISH', ARGV[7], cjson.encode({ kind = 'pace', origin = ARGV[3], endpoint = ARGV[1], class = ARGV[2], fleetRatePerSec = rate, live = live }))
return 1
`);

/**
 * KEYS: live, window, pace. ARGV: endpoint, class, pid, channel. Takes the pid out of the live set and
 * its goodput out of the window; when the class is paced, news of the pace with the new live count.
 */
export const LEAVE = script('Leave', 3, `
local t = now()
if redis.call('ZREM', KEYS[1], ARGV[3]) == 0 then return 0 end
redis.call('HDEL', KEYS[2], 'g:' .. ARGV[3], 'r:' .. ARGV[3])
local rate = redis.call('HGET', KEYS[3], 'rate')
if not rate or rate == '' then return 1 end
local live = math.max(1, redis.call('ZCOUNT', KEYS[1], t, '+inf'))
redis.call('PUBLISH', ARGV[4], cjson.encode({ kind = 'pace', origin = ARGV[3], endpoint = ARGV[1], class = ARGV[2], fleetRatePerSec = tonumber(rate), live = live }))
return 1
`);

/** KEYS: hold, holds. ARGV: endpoint, class, pid, pauseMs, member, channel. Lengthens only; 1 when it did. */
export const HOLD = script('Hold', 2, `
local pause = tonumber(ARGV[4])
local left = redis.call('PTTL', KEYS[1])
if left >= pause then return 0 end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[4])
index(KEYS[2], ARGV[5])
redis.call('PUBLISH', ARGV[6], cjson.encode({ kind = 'hold', origin = ARGV[3], endpoint = ARGV[1], class = ARGV[2], pauseMs = pause }))
return 1
`);

/** KEYS: redirects, redirect order. ARGV: from, to, pid, cap, channel. Keeps the newest `cap`. */
export const REDIRECT = script('Redirect', 2, `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], now(), ARGV[1])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if over > 0 then
  local gone = redis.call('ZRANGE', KEYS[2], 0, over - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1)
  redis.call('HDEL', KEYS[1], unpack(gone))
end
redis.call('PEXPIRE', KEYS[1], DAY)
redis.call('PEXPIRE', KEYS[2], DAY)
redis.call('PUBLISH', ARGV[5], cjson.encode({ kind = 'redirect', origin = ARGV[3], from = ARGV[1], to = ARGV[2] }))
return 1
`);

/** KEYS: clock. ARGV: server minus store ms, pid, channel. */
export const CLOCK = script('Clock', 1, `
redis.call('SET', KEYS[1], ARGV[1], 'PX', DAY)
redis.call('PUBLISH', ARGV[3], cjson.encode({ kind = 'clock', origin = ARGV[2], serverMinusStoreMs = tonumber(ARGV[1]) }))
return 1
`);

/**
 * KEYS: breakers, paces, holds, redirects, clock. ARGV: open base, pace base, live base, hold base.
 * Returns the fleet state as JSON; index members whose record is gone are removed. A pace whose live
 * count is below the one at its last verdict is shared among that many (`sharedAmong`): the process
 * that loads it is not in the live count yet, nor are the others of a fleet that starts again.
 */
export const LOAD = script('Load', 5, `
local t = now()
local out = { breakers = {}, paces = {}, holds = {}, redirects = {} }
for _, ep in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local left = redis.call('PTTL', ARGV[1] .. ep)
  if left > 0 then
    table.insert(out.breakers, { endpoint = ep, waitMs = left, intervalMs = tonumber(redis.call('GET', ARGV[1] .. ep)) })
  else redis.call('SREM', KEYS[1], ep) end
end
for _, m in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local cls, ep = string.match(m, '^([^:]*):(.*)$')
  local rate = redis.call('HGET', ARGV[2] .. m, 'rate')
  if cls and rate then
    local pace = cjson.null
    if rate ~= '' then pace = tonumber(rate) end
    local live = math.max(1, redis.call('ZCOUNT', ARGV[3] .. m, t, '+inf'))
    local record = { endpoint = ep, class = cls, fleetRatePerSec = pace, live = live }
    local size = tonumber(redis.call('HGET', ARGV[2] .. m, 'size'))
    if size and size > live and size < 1e9 then record.sharedAmong = size end
    table.insert(out.paces, record)
  else redis.call('SREM', KEYS[2], m) end
end
for _, m in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local cls, ep = string.match(m, '^([^:]*):(.*)$')
  local left = redis.call('PTTL', ARGV[4] .. m)
  if cls and left > 0 then table.insert(out.holds, { endpoint = ep, class = cls, pauseMs = left })
  else redis.call('SREM', KEYS[3], m) end
end
local remembered = redis.call('HGETALL', KEYS[4])
for i = 1, #remembered, 2 do table.insert(out.redirects, { from = remembered[i], to = remembered[i + 1] }) end
local clock = redis.call('GET', KEYS[5])
if clock then out.serverMinusStoreMs = tonumber(clock) end
return cjson.encode(out)
`);

/** Every script, registered on the store's command connection. */
export const STORE_SCRIPTS: readonly StoreScript[] = Object.freeze([REPORT_STREAK, OPEN, CLOSE, REPORT_PACE, SET_PACE, LEAVE, HOLD, REDIRECT, CLOCK, LOAD]);
