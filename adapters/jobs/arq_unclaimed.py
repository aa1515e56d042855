"""Jobs a worker took from the queue but died before claiming.

arq marks a job in progress (a key that lives for the job's whole timeout, an hour here) the moment a worker
picks it; our executor records which worker runs it (the ``running`` hash) only when the job's function starts.
A worker killed between the two leaves a job that no worker may start and that ``running`` does not name, so
the lease-based recovery cannot free it: the document would wait for the in-progress key to expire.

The sweeper therefore notes every in-progress job that ``running`` does not name (``unclaimed`` hash, first
seen at Redis's own clock) and frees it once it has stayed unclaimed for ``grace_ms``: a live worker claims
its jobs within milliseconds of picking them. Running it twice at worst is safe (jobs are idempotent).
"""

from __future__ import annotations

from redis.asyncio import Redis

from adapters.jobs.arq_names import ArqNames

_FREE_UNCLAIMED = """
local now_ms = (function() local t = redis.call('TIME'); return t[1] * 1000 + math.floor(t[2] / 1000) end)()
local grace_ms = tonumber(ARGV[2])
local freed = 0
local seen = {}
for _, job_id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local in_progress = ARGV[1] .. job_id
  if redis.call('EXISTS', in_progress) == 1 and redis.call('HEXISTS', KEYS[2], job_id) == 0 then
    seen[job_id] = true
    local first = redis.call('HGET', KEYS[3], job_id)
    if not first then
      redis.call('HSET', KEYS[3], job_id, now_ms)
    elseif now_ms - tonumber(first) >= grace_ms then
      redis.call('DEL', in_progress)
      redis.call('HDEL', KEYS[3], job_id)
      seen[job_id] = nil
      freed = freed + 1
    end
  end
end
local noted = redis.call('HKEYS', KEYS[3])
for _, job_id in ipairs(noted) do
  if not seen[job_id] then redis.call('HDEL', KEYS[3], job_id) end
end
return freed
"""

GRACE_MS = 10_000


class ArqUnclaimedJobs:
    def __init__(self, redis: Redis, names: ArqNames, grace_ms: int = GRACE_MS) -> None:
        self._names = names
        self._grace_ms = grace_ms
        self._script = redis.register_script(_FREE_UNCLAIMED)

    async def free(self) -> int:
        """Frees the jobs unclaimed for longer than the grace period; returns how many."""
        freed = await self._script(
            keys=[self._names.queue, self._names.running, self._names.unclaimed],
            args=[self._names.in_progress(""), self._grace_ms],
        )
        return int(freed)
