"""`kill -9` a worker process in the middle of indexing a large document; a new worker finishes the job and
the document ends ``ready`` with exactly one set of chunks.

arq alone would leave the job alone until the dead worker's in-progress key expired (the job timeout, an
hour by default); the new worker's sweeper sees the dead worker's lease lapse (10 s here) and frees the job.
Every core is kept busy meanwhile: the surviving worker, starved of CPU, must not be taken for dead.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import msgspec
from redis.asyncio import Redis

from adapters.jobs.arq_names import ArqNames
from application.commands import ListJobs
from domain.documents import DocumentStatus
from tests.integration.jobs.conftest import Stack, markdown_book, settings_env

RAGCHAT = str(Path(sys.executable).parent / "ragchat")
REPO = Path(__file__).resolve().parents[3]
DEADLINE_SECONDS = 300.0  # generous: every core is kept busy, and a worker takes a while to start then


def start_worker(stack: Stack, log_path: Path, lease_seconds: float = 10.0) -> subprocess.Popen[bytes]:
    worker_settings = msgspec.structs.replace(
        stack.settings, worker_health_check_seconds=1.0, sweep_interval_seconds=1.0, embed_batch_size=4,
        log_level="INFO", worker_lease_seconds=lease_seconds,
        index_progress_seconds=0,  # progress after every batch: the tests act when it is part-way
    )
    env = {**os.environ, **settings_env(worker_settings), "HF_HUB_OFFLINE": "1"}
    with log_path.open("ab") as log:
        return subprocess.Popen([RAGCHAT, "worker"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


def _tail(log_path: Path) -> str:
    return log_path.read_text(errors="replace")[-4000:]


async def wait_for(what: str, check, log_path: Path, deadline: float = DEADLINE_SECONDS):  # type: ignore[no-untyped-def]
    until = time.monotonic() + deadline
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > until:
            raise AssertionError(f"timed out waiting for {what}; worker log:\n{_tail(log_path)}")
        await asyncio.sleep(0.02)


async def test_a_worker_killed_mid_indexing_is_replaced_and_the_document_ends_ready_once(
    stack: Stack, tmp_path: Path, redis_client: Redis, busy_cores: int
) -> None:
    owner = await stack.user()
    document = await stack.upload(owner, "large.md", markdown_book(sections=1500))
    log_path = tmp_path / "workers.log"
    names = ArqNames(stack.settings.redis_prefix)
    in_progress = names.in_progress(names.job_id(f"index:{document.id}"))

    first = start_worker(stack, log_path)
    try:
        async def mid_indexing() -> tuple[int, int] | None:
            d = await stack.document(owner, document.id)
            assert d.status is not DocumentStatus.READY, "indexing finished before the worker could be killed"
            mid = d.status is DocumentStatus.INDEXING and 0.1 * d.chunks_total <= d.chunks_done <= 0.6 * d.chunks_total
            return (d.chunks_done, d.chunks_total) if mid and d.chunks_total else None

        done, total = await wait_for("the worker to be half-way", mid_indexing, log_path)
        first.send_signal(signal.SIGKILL)
    finally:
        first.kill()
        first.wait()
    assert first.returncode == -signal.SIGKILL
    killed_at = time.monotonic()

    stalled = await stack.document(owner, document.id)
    held_for = await redis_client.ttl(in_progress)
    assert stalled.status is DocumentStatus.INDEXING
    assert await stack.chunk_ordinals(document.id) == []
    assert held_for > 60  # arq alone would wait this long (the job timeout) before running it again
    print(f"\nworker 1 (pid {first.pid}) killed with SIGKILL at {done}/{total} chunks embedded; "
          f"document {stalled.status.value}, 0 chunks stored; the job's in-progress key had {held_for} s to live")

    second = start_worker(stack, log_path)
    try:
        async def finished() -> bool:
            ready = (await stack.document(owner, document.id)).status is DocumentStatus.READY
            return ready and await stack.dispatch(ListJobs()) == []

        await wait_for("the second worker to finish the job", finished, log_path)
        took_over = time.monotonic() - killed_at
        final = await stack.document(owner, document.id)
        ordinals = await stack.chunk_ordinals(document.id)
        assert final.chunks_done == final.chunks_total == total
        assert ordinals == list(range(total))  # one set: no duplicates, no gaps
        assert not await redis_client.exists(in_progress)
        print(f"worker 2 (pid {second.pid}) finished the job {took_over:.1f} s after the kill; document "
              f"{final.status.value} with {len(ordinals)} chunks (ordinals 0..{total - 1}, each once)")
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=30)
        except subprocess.TimeoutExpired:
            second.kill()
            second.wait()
