"""Background indexing throughput: documents/min for a generated folder of 200 mixed files (Markdown, text,
HTML, DOCX, PDF), on real PostgreSQL (the embedded server) and, in arq mode, a real redis-server with
``ragchat worker`` processes. Prints the figure; not a test.

    .venv/bin/python -m benchmarks.jobs_throughput [--mode arq|embedded] [--workers 1] [--embedder local|hashing]

Uploads happen first with indexing deferred; the clock runs from the moment all 200 jobs are queued until
every document is ``ready`` or ``failed``. Worker start-up and model loading are not counted: a warm-up
document is indexed before the clock starts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

from adapters.inprocess.deferred_job_queue import DeferredJobQueue
from adapters.postgres.embedded import EmbeddedPostgres
from application.commands import IndexDocument, ListDocuments, RegisterUser, UploadDocument
from application.ports.job_queue import JobQueue
from benchmarks.mixed_files import write_mixed_folder
from domain.documents import DocumentStatus
from entrypoints.cli.ingest import DeferredJobsProvider
from entrypoints.ioc import make_container
from entrypoints.ioc.scoped_dispatch import dispatch_in_request
from entrypoints.settings import Settings
from entrypoints.settings_loading import env_names, load_settings
from tests.support.redis_server import RedisServer, _free_port

RAGCHAT = str(Path(sys.executable).parent / "ragchat")
WARM_UP = ("warm-up.md", b"# Warm up\n\nOne short document loads the model before the clock starts.")


async def upload_folder(settings: Settings, owner: uuid.UUID, files: list[tuple[str, bytes]]) -> list[IndexDocument]:
    """Uploads the files with indexing deferred (nothing runs yet); returns the indexing jobs."""
    container = make_container(settings, DeferredJobsProvider())
    try:
        for name, data in files:
            await dispatch_in_request(container, UploadDocument(owner_id=owner, filename=name, content_type="",
                                                                data=data))
        deferred = await container.get(DeferredJobQueue)
        return [job for job in deferred.take_all() if isinstance(job, IndexDocument)]
    finally:
        await container.close()


async def register(settings: Settings) -> uuid.UUID:
    container = make_container(settings, DeferredJobsProvider())
    try:
        user = await dispatch_in_request(container, RegisterUser(email="bench@example.com", password="bench mark 2026"))
        return uuid.UUID(str(user.id))
    finally:
        await container.close()


async def index_all(settings: Settings, owner: uuid.UUID, jobs: list[IndexDocument],
                    queue: JobQueue) -> tuple[float, dict[str, int]]:
    """Queues ``jobs`` and waits until each of their documents is ``ready`` or ``failed``."""
    wanted = {job.document_id for job in jobs}
    start = time.perf_counter()
    for job in jobs:
        await queue.enqueue(job, key=f"index:{job.document_id}")
    container = make_container(settings, DeferredJobsProvider())
    try:
        while True:
            listed = await dispatch_in_request(container, ListDocuments(owner_id=owner))
            documents = [d for d in listed if d.id in wanted]
            if all(d.status in (DocumentStatus.READY, DocumentStatus.FAILED) for d in documents):
                elapsed = time.perf_counter() - start
                ready = [d for d in documents if d.status is DocumentStatus.READY]
                return elapsed, {"ready": len(ready), "failed": len(documents) - len(ready),
                                 "chunks": sum(d.chunks_total for d in ready)}
            await asyncio.sleep(0.1)
    finally:
        await container.close()


def worker_env(settings: Settings) -> dict[str, str]:
    values = {var: str(getattr(settings, field)) for field, var in env_names().items()
              if getattr(settings, field) is not None and field != "allowed_origins"}
    return {**os.environ, **values}


async def run(mode: str, workers: int, embedder: str, count: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="ragchat-jobs-bench-"))
    database, redis = EmbeddedPostgres(root / "pg"), None
    processes: list[asyncio.subprocess.Process] = []
    try:
        files = write_mixed_folder(root / "files", count)
        url = await asyncio.to_thread(database.start)
        overrides: dict[str, object] = {"data_dir": str(root / "data"), "database_url": url, "embedder": embedder,
                                        "jwt_secret": "benchmark-secret-" + "x" * 32, "log_level": "WARNING"}
        if mode == "arq":
            redis = RedisServer(shutil.which("redis-server") or "redis-server", _free_port(), root)
            redis.start()
            overrides["redis_url"] = redis.url
        settings = load_settings({}, **overrides)
        owner = await register(settings)
        warm_up = await upload_folder(settings, owner, [WARM_UP])
        jobs = await upload_folder(settings, owner, [(p.name, p.read_bytes()) for p in files])
        kinds = ", ".join(sorted({p.suffix.lstrip(".") for p in files}))
        runners = f"{workers} worker process(es)" if mode == "arq" else "the in-process runner"
        print(f"{len(jobs)} files ({kinds}) uploaded; mode={mode} with {runners}, embedder={embedder}, "
              f"{settings.job_concurrency} jobs at a time per runner", flush=True)

        container = make_container(settings)
        try:
            queue = await container.get(JobQueue)  # embedded: starts the in-process runner
            for _ in range(workers if mode == "arq" else 0):
                processes.append(await asyncio.create_subprocess_exec(RAGCHAT, "worker", env=worker_env(settings)))
            await index_all(settings, owner, warm_up, queue)
            elapsed, result = await index_all(settings, owner, jobs, queue)
        finally:
            await container.close()
        print(f"{result['ready']} ready, {result['failed']} failed, {result['chunks']} chunks in {elapsed:.1f} s")
        print(f"throughput: {len(jobs) / elapsed * 60:.0f} documents/min")
    finally:
        for process in processes:
            process.terminate()
            await process.wait()
        if redis is not None:
            redis.stop()
        await asyncio.to_thread(database.stop)
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="documents/min of background indexing")
    parser.add_argument("--mode", choices=("arq", "embedded"), default="arq")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (arq mode)")
    parser.add_argument("--embedder", choices=("local", "hashing"), default="local")
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(run(args.mode, args.workers, args.embedder, args.files))


if __name__ == "__main__":
    main()
