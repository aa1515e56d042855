"""Lua scripts of ``RedisDeliveryLog``; each runs atomically, so seq assignment and trimming never race.

Every script gets KEYS = [meta hash, frames stream] and ARGV = [candidate epoch, ttl ms, ...]. ``meta`` holds
``epoch``, ``last_seq``, ``acked_seq`` and ``turn_seq`` (the ``answer_started`` of the answer being written,
0 or absent when none: frames from there on are kept whatever was acked). The stream holds one entry per frame
with id ``<seq>-0`` and fields ``op`` (the append's idempotency id) and ``f`` (the encoded frame). A missing
meta hash means the log was lost (or never existed): a new epoch starts and any orphaned frames are dropped,
so seqs restart at 1.
"""

from __future__ import annotations

_PRELUDE = """
local meta, frames = KEYS[1], KEYS[2]
local ttl = tonumber(ARGV[2])
local function ensure()
  local epoch = redis.call('HGET', meta, 'epoch')
  if not epoch then
    epoch = ARGV[1]
    redis.call('DEL', frames)
    redis.call('HSET', meta, 'epoch', epoch, 'last_seq', 0, 'acked_seq', 0)
    redis.call('PEXPIRE', meta, ttl)
  end
  return epoch
end
local function turn_seq()
  return tonumber(redis.call('HGET', meta, 'turn_seq') or '0')
end
local function trim(acked)
  local keep = acked + 1
  local turn = turn_seq()
  if turn > 0 and turn < keep then keep = turn end
  redis.call('XTRIM', frames, 'MINID', string.format('%d-0', keep))
end
local function touch()
  redis.call('PEXPIRE', meta, ttl)
  redis.call('PEXPIRE', frames, ttl)
end
"""

# ARGV[3] max frames, ARGV[4] encoded frame (with "seq":0), ARGV[5] op id, ARGV[6] '1' on a retry: then look for
# the op id among the latest entries first, so an append whose reply was lost is not appended (or published)
# twice. ARGV[7] 'open' or 'close' when the frame starts or ends an in-flight answer, '' otherwise. ARGV[8] the
# frame bus channel to publish the frame on, with its seq, in the same round trip ('' to publish nothing).
APPEND = (
    _PRELUDE
    + """
ensure()
if ARGV[6] == '1' then
  local recent = redis.call('XREVRANGE', frames, '+', '-', 'COUNT', 256)
  for _, entry in ipairs(recent) do
    local fields = entry[2]
    for i = 1, #fields, 2 do
      if fields[i] == 'op' and fields[i + 1] == ARGV[5] then
        return tonumber(string.match(entry[1], '^(%d+)'))
      end
    end
  end
end
local seq = redis.call('HINCRBY', meta, 'last_seq', 1)
redis.call('XADD', frames, 'MAXLEN', ARGV[3], seq .. '-0', 'op', ARGV[5], 'f', ARGV[4])
if ARGV[7] == 'open' then
  redis.call('HSET', meta, 'turn_seq', seq)
elseif ARGV[7] == 'close' and turn_seq() > 0 then
  redis.call('HSET', meta, 'turn_seq', 0)
  trim(tonumber(redis.call('HGET', meta, 'acked_seq')))
end
touch()
if ARGV[8] ~= '' then
  -- the seq is the frame's first field, right after its tag; a quote inside a string value is escaped, so
  -- the first '"seq":0' is that field
  local from, to = string.find(ARGV[4], '"seq":0', 1, true)
  if from then
    redis.call('PUBLISH', ARGV[8], string.sub(ARGV[4], 1, from - 1) .. '"seq":' .. seq .. string.sub(ARGV[4], to + 1))
  end
end
return seq
"""
)

# ARGV[3] after_seq -> {epoch, last_seq, acked_seq, entries after after_seq, turn_seq}
AFTER = (
    _PRELUDE
    + """
local epoch = ensure()
local last = tonumber(redis.call('HGET', meta, 'last_seq'))
local acked = tonumber(redis.call('HGET', meta, 'acked_seq'))
local after = tonumber(ARGV[3])
local entries = {}
if after < last then
  entries = redis.call('XRANGE', frames, string.format('%d-0', after + 1), '+')
end
touch()
return {epoch, last, acked, entries, turn_seq()}
"""
)

# ARGV[3] seq -> {epoch, last_seq, acked_seq, turn_seq}; acked_seq is -1 when seq is beyond last_seq.
ACK = (
    _PRELUDE
    + """
local epoch = ensure()
local last = tonumber(redis.call('HGET', meta, 'last_seq'))
local seq = tonumber(ARGV[3])
if seq > last then return {epoch, last, -1, turn_seq()} end
local acked = tonumber(redis.call('HGET', meta, 'acked_seq'))
if seq > acked then
  acked = seq
  redis.call('HSET', meta, 'acked_seq', acked)
  trim(acked)
end
touch()
return {epoch, last, acked, turn_seq()}
"""
)

SNAPSHOT = (
    _PRELUDE
    + """
local epoch = ensure()
local last = tonumber(redis.call('HGET', meta, 'last_seq'))
return {epoch, last, tonumber(redis.call('HGET', meta, 'acked_seq')), turn_seq()}
"""
)
