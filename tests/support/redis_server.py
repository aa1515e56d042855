"""A real, throwaway ``redis-server`` for the test session (pytest plugin).

Register with ``pytest_plugins = ["tests.support.redis_server"]`` in ``tests/conftest.py``. Fixtures:
``redis_server`` (session: the running server, with ``stop``/``start``/``restart`` on the same port),
``redis_url`` (session), ``clean_redis`` (per test: server running and flushed) and ``redis_client``
(per test: an async client of the flushed server, closed afterwards).

The binary comes from ``tests/setup_services.py`` (apt); if it is missing the fixture fails loudly rather
than skipping, so a green run always means Redis was really exercised.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis
from redis.asyncio import Redis

from adapters.redis.client import connect_redis

START_TIMEOUT_SECONDS = 10.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """Data lives in memory only (``--save "" --appendonly no``): a restart loses everything, like a flush."""

    def __init__(self, binary: str, port: int, workdir: Path) -> None:
        self.binary = binary
        self.port = port
        self.workdir = workdir
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _sync_client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2.0, socket_connect_timeout=0.5)

    def start(self) -> None:
        if self.running:
            return
        log_file = self.workdir / "redis.log"
        self._process = subprocess.Popen(
            [
                self.binary,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", str(self.workdir),
                "--logfile", str(log_file),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        with self._sync_client() as client:
            while True:
                try:
                    if client.ping():
                        return
                except redis.exceptions.ConnectionError:
                    pass
                if self._process.poll() is not None or time.monotonic() > deadline:
                    log_tail = log_file.read_text(errors="replace")[-2000:] if log_file.exists() else ""
                    self.stop()
                    pytest.fail(f"redis-server did not start on port {self.port}:\n{log_tail}", pytrace=False)
                time.sleep(0.02)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def restart(self) -> None:
        """Stops and starts the server on the same port; every key is gone afterwards."""
        self.stop()
        self.start()

    def flushall(self) -> None:
        with self._sync_client() as client:
            client.flushall()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(
            "redis-server is not installed: run `python -m tests.setup_services` (make test does) "
            "or `apt-get install -y redis-server`",
            pytrace=False,
        )
    server = RedisServer(binary, _free_port(), tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_url(redis_server: RedisServer) -> str:
    return redis_server.url


@pytest.fixture
def clean_redis(redis_server: RedisServer) -> RedisServer:
    """The server, running (a previous test may have stopped it) and empty."""
    redis_server.start()
    redis_server.flushall()
    return redis_server


@pytest.fixture
async def redis_client(clean_redis: RedisServer) -> AsyncIterator[Redis]:
    client = connect_redis(clean_redis.url)
    yield client
    await client.aclose()
