"""Where our jobs live in Redis, next to arq's own keys (``arq:job:<id>``, ``arq:in-progress:<id>``, ...).

Job ids are ``<prefix>:<key>``: deterministic, so arq itself refuses a second job with the same key while
one is queued or running, and prefixed like every other key so deployments can share a Redis.
"""

from __future__ import annotations

from dataclasses import dataclass

from arq.constants import in_progress_key_prefix, job_key_prefix, retry_key_prefix

FUNCTION = "dispatch"
"""The one arq function: it decodes the command and dispatches it on the bus."""


@dataclass(frozen=True, slots=True)
class ArqNames:
    prefix: str = "ragchat"

    @property
    def queue(self) -> str:
        return f"{self.prefix}:jobs"

    @property
    def running(self) -> str:
        """Hash job id → id of the worker running it, so the sweeper can tell which jobs a dead worker held."""
        return f"{self.prefix}:jobs:running"

    @property
    def unclaimed(self) -> str:
        """Jobs in progress that no worker has claimed yet, with when the sweeper first saw them."""
        return f"{self.prefix}:jobs:unclaimed"

    @property
    def failed(self) -> str:
        """Hash job id → ``FailedJob`` (MessagePack): what ``ragchat jobs`` lists and retries."""
        return f"{self.prefix}:jobs:failed"

    def health_key(self, worker_id: str) -> str:
        return f"{self.prefix}:worker:{worker_id}:health-check"

    def lease_key(self, worker_id: str) -> str:
        """Exists while the worker is alive (``WorkerLease``); the sweeper frees its jobs only once it is gone."""
        return f"{self.prefix}:worker:{worker_id}:lease"

    def job_id(self, key: str) -> str:
        return f"{self.prefix}:{key}"

    def key_of(self, job_id: str) -> str:
        return job_id.removeprefix(f"{self.prefix}:")

    @staticmethod
    def job_data(job_id: str) -> str:
        return job_key_prefix + job_id

    @staticmethod
    def in_progress(job_id: str) -> str:
        return in_progress_key_prefix + job_id

    @staticmethod
    def tries(job_id: str) -> str:
        return retry_key_prefix + job_id
