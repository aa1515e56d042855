from __future__ import annotations

import logging

from arq.connections import ArqRedis

from adapters.jobs.arq_names import FUNCTION, ArqNames
from adapters.jobs.command_codec import encode_command
from adapters.redis.retry import RedisRetryPolicy, call_with_retry
from application.commands import AnyCommand

log = logging.getLogger(__name__)


class ArqJobQueue:
    """``JobQueue`` on arq: the command travels as MessagePack to the ``dispatch`` function of a worker.

    The job id is derived from the key, so arq ignores a second enqueue while the first is queued or running.
    Workers keep no result (``keep_result=0``), so once a job has finished its key may be queued again: a
    re-index or a re-swept message runs. Raises ``StorageUnavailable`` when Redis is down after retries (a
    retried enqueue whose first reply was lost finds the job there and does nothing).
    """

    def __init__(self, pool: ArqRedis, names: ArqNames, policy: RedisRetryPolicy | None = None) -> None:
        self._pool = pool
        self._names = names
        self._policy = policy or RedisRetryPolicy()

    async def enqueue(self, command: AnyCommand, *, key: str) -> None:
        payload = encode_command(command)
        job_id = self._names.job_id(key)

        async def attempt(_: int) -> object:
            return await self._pool.enqueue_job(FUNCTION, payload, _job_id=job_id, _queue_name=self._names.queue)

        job = await call_with_retry(attempt, policy=self._policy, what="enqueue job")
        if job is None:
            log.debug("job already queued or running", extra={"job": key})
