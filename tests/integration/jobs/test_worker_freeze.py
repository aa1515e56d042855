"""A worker frozen mid-job (``SIGSTOP``) for longer than its health-check key lives, then thawed: it is alive,
so its job is not started a second time by another worker, and the document ends ``ready`` once, not
``failed`` by a give-up.

This is what a CPU-starved machine does to a worker in slow motion: its event loop runs late and any
heartbeat written from it lapses. The lease (``WorkerLease``) is renewed from a thread and lasts
``RAGCHAT_WORKER_LEASE_SECONDS`` (20 s here); the freeze lasts until the health key (2 s) has expired and a
sweep has run, well under the lease.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
from pathlib import Path

from redis.asyncio import Redis

from adapters.jobs.arq_names import ArqNames
from application.commands import ListJobs, SweepStuckWork
from domain.documents import DocumentStatus
from tests.integration.jobs.conftest import Stack, markdown_book
from tests.integration.jobs.test_worker_kill9 import start_worker, wait_for


class JobWatch:
    """Samples, every 20 ms until stopped, which worker runs the job and how often arq has started it."""

    def __init__(self, redis: Redis, names: ArqNames, job_id: str) -> None:
        self.redis, self.names, self.job_id = redis, names, job_id
        self.runners: set[str] = set()
        self.most_tries = 0
        self.stop = asyncio.Event()

    async def run(self) -> None:
        while not self.stop.is_set():
            runner = await self.redis.hget(self.names.running, self.job_id)
            if runner is not None:
                self.runners.add(runner.decode())
            tries = await self.redis.get(self.names.tries(self.job_id))
            self.most_tries = max(self.most_tries, int(tries or 0))
            await asyncio.sleep(0.02)


async def test_a_frozen_but_alive_workers_job_is_not_run_twice(
    stack: Stack, tmp_path: Path, redis_client: Redis
) -> None:
    owner = await stack.user()
    document = await stack.upload(owner, "large.md", markdown_book(sections=1500))
    log_path = tmp_path / "workers.log"
    names = ArqNames(stack.settings.redis_prefix)
    job_id = names.job_id(f"index:{document.id}")
    workers: list[subprocess.Popen[bytes]] = []
    watch = JobWatch(redis_client, names, job_id)
    watcher: asyncio.Task[None] | None = None
    try:
        workers.append(start_worker(stack, log_path, lease_seconds=20.0))

        async def started() -> str | None:
            runner = await redis_client.hget(names.running, job_id)
            return runner.decode() if runner is not None else None

        first_id = await wait_for("the first worker to start the job", started, log_path)
        watcher = asyncio.create_task(watch.run())
        workers.append(start_worker(stack, log_path, lease_seconds=20.0))

        async def second_worker_up() -> bool:
            return len(await redis_client.keys(names.lease_key("*"))) == 2

        await wait_for("the second worker to hold its lease", second_worker_up, log_path)

        async def mid_indexing() -> bool:
            d = await stack.document(owner, document.id)
            assert d.status is not DocumentStatus.READY, "indexing finished before the worker could be frozen"
            return d.status is DocumentStatus.INDEXING and 0 < 0.05 * d.chunks_total <= d.chunks_done

        await wait_for("the first worker to be under way", mid_indexing, log_path)

        workers[0].send_signal(signal.SIGSTOP)
        try:
            async def heartbeat_lapsed() -> bool:
                return not await redis_client.exists(names.health_key(first_id))

            await wait_for("the frozen worker's health key to expire", heartbeat_lapsed, log_path)
            await stack.dispatch(SweepStuckWork())  # what the second worker's sweeper does every second
            assert await redis_client.exists(names.in_progress(job_id)), "the frozen worker's job was freed"
        finally:
            workers[0].send_signal(signal.SIGCONT)

        async def finished() -> bool:
            ready = (await stack.document(owner, document.id)).status is DocumentStatus.READY
            return ready and await stack.dispatch(ListJobs()) == []

        await wait_for("the thawed worker to finish the job", finished, log_path)
    finally:
        if watcher is not None:
            watch.stop.set()
            await asyncio.wait_for(watcher, 30)
        for worker in workers:
            worker.send_signal(signal.SIGCONT)
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()

    final = await stack.document(owner, document.id)
    assert watch.runners == {first_id}, "another worker started the job"
    assert watch.most_tries == 1  # arq started it once: a second start would count a second try
    assert final.chunks_done == final.chunks_total
    assert await stack.chunk_ordinals(document.id) == list(range(final.chunks_total))
    assert final.status is DocumentStatus.READY  # and ``finished`` saw no failed job
