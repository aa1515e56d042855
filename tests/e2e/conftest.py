from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.postgres import postgres_data_dir
from tests.support.server_process import ServerProcess

JWT_SECRET = "e2e-test-secret-" + "x" * 32


def external_services_env(pg_url: str, redis_url: str | None = None, **extra: str) -> dict[str, str]:
    """With DATABASE_URL the sign-up mode defaults to ``invite``; tests that are not about sign-up open it."""
    env = {
        "DATABASE_URL": pg_url,
        "RAGCHAT_JWT_SECRET": JWT_SECRET,
        "RAGCHAT_EMBEDDER": "hashing",
        "RAGCHAT_SIGNUP": "open",
        **extra,
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


@pytest.fixture
def data_dir() -> Iterator[Path]:
    with postgres_data_dir() as path:
        yield path


@pytest.fixture
def server_env(pg_url: str, data_dir: Path) -> dict[str, str]:
    """Environment of the ``server`` fixture; a test overrides a setting by updating it before use."""
    return external_services_env(pg_url, RAGCHAT_DATA_DIR=str(data_dir))


@pytest.fixture
def server(server_env: dict[str, str], tmp_path: Path) -> Iterator[ServerProcess]:
    """A real server on a fresh database (the session's embedded PostgreSQL), in-process chat state."""
    process = ServerProcess(server_env, log_path=tmp_path / "server.log").start()
    yield process
    process.stop()


@pytest.fixture
async def http(server: ServerProcess) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        yield client
