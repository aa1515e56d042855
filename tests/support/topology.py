"""The production topology without Docker: PostgreSQL as its own server (TCP), Redis, N ``ragchat serve`` and
M ``ragchat worker`` processes sharing one data folder (the blobs volume). Used by
``tests/e2e/test_production_topology.py`` and ``benchmarks/topology.py``; the same commands are written out
in docs/operations.md ("Run it for real")."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.support.redis_server import RedisServer, _free_port
from tests.support.server_process import RAGCHAT, ServerProcess, WorkerProcess
from tests.support.standalone_postgres import StandalonePostgres

METRICS_TOKEN = "topology-metrics-token"
JWT_SECRET = "topology-jwt-secret-" + "x" * 32


class Topology:
    def __init__(
        self, *, apis: int, workers: int, llm_base_url: str, embeddings_base_url: str | None = None, **settings: str
    ) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="ragchat-topology-"))
        self.postgres = StandalonePostgres()
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed: run `python -m tests.setup_services`")
        self.redis = RedisServer(binary, _free_port(), self.root)
        embedder = {"RAGCHAT_EMBEDDER": "hashing"}
        if embeddings_base_url is not None:
            embedder = {
                "RAGCHAT_EMBEDDER": "openai",
                "RAGCHAT_EMBEDDINGS_BASE_URL": embeddings_base_url,
                "RAGCHAT_EMBEDDINGS_API_KEY": "unused",
                "RAGCHAT_EMBEDDING_MODEL": "slow",
            }
        self.env = {
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": self.redis.url,
            "RAGCHAT_JWT_SECRET": JWT_SECRET,
            "RAGCHAT_DATA_DIR": str(self.root / "data"),
            "RAGCHAT_METRICS_TOKEN": METRICS_TOKEN,
            "RAGCHAT_LLM_BASE_URL": llm_base_url,
            "RAGCHAT_LLM_MODEL": "scripted",
            "RAGCHAT_LOG_LEVEL": "INFO",
            "RAGCHAT_SIGNUP": "open",  # many users sign up from one address: no invitations, no address limits
            "RAGCHAT_REGISTER_ATTEMPTS_PER_ADDRESS": "0",
            "RAGCHAT_LOGIN_ATTEMPTS_PER_ADDRESS": "0",
            **embedder,
            **settings,
        }
        self.apis = [ServerProcess(self.env, log_path=self.root / f"api-{i}.log") for i in range(apis)]
        self.workers = [
            WorkerProcess(
                {**self.env, "RAGCHAT_WORKER_METRICS_PORT": str(_free_port())}, log_path=self.root / f"worker-{i}.log"
            )
            for i in range(workers)
        ]

    def start(self) -> Topology:
        """Blocking (call it through ``asyncio.to_thread``): servers, migrations, then the processes."""
        self.postgres.start()
        self.redis.start()
        migrate = subprocess.run([RAGCHAT, "migrate"], env={**os.environ, **self.env}, capture_output=True)
        if migrate.returncode != 0:
            raise RuntimeError(f"ragchat migrate failed: {migrate.stderr.decode()[-2000:]}")
        for process in [*self.apis, *self.workers]:
            process.launch()
        for api in self.apis:
            api.wait_ready(90)
        return self

    def worker_metrics_url(self, worker: WorkerProcess) -> str:
        return f"http://127.0.0.1:{worker.env['RAGCHAT_WORKER_METRICS_PORT']}/metrics"

    def stop(self) -> None:
        for process in [*self.apis, *self.workers]:
            process.stop()
        self.redis.stop()
        self.postgres.stop()

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
