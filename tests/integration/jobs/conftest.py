"""The production stack for job tests: a fresh PostgreSQL database, a flushed redis-server, the hashing
embedder and a container wired by settings exactly as `ragchat serve` / `ragchat worker` would be."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from dishka import AsyncContainer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from application.commands import Command, GetDocument, RegisterUser, UploadDocument
from domain.documents import Document
from entrypoints.ioc import make_container
from entrypoints.ioc.scoped_dispatch import dispatch_in_request
from entrypoints.settings import Settings
from entrypoints.settings_loading import load_settings
from tests.support.postgres import postgres_data_dir
from tests.support.redis_server import RedisServer

JWT_SECRET = "integration-test-secret-" + "x" * 24


def stack_settings(data_dir: Path, database_url: str | None, redis_url: str | None, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": str(data_dir), "database_url": database_url, "redis_url": redis_url, "jwt_secret": JWT_SECRET,
        "embedder": "hashing", "redis_prefix": f"t{uuid.uuid4().hex[:8]}", "job_retry_base_delay_seconds": 0.05,
        "job_retry_max_delay_seconds": 0.2, "log_format": "console", "signup": "open",
    }
    values.update(overrides)
    return load_settings({}, **{k: v for k, v in values.items() if v is not None})


def settings_env(settings: Settings) -> dict[str, str]:
    """The same settings as environment variables, for a `ragchat` subprocess."""
    from entrypoints.settings_loading import env_names

    env: dict[str, str] = {}
    for field, var in env_names().items():
        value = getattr(settings, field)
        if isinstance(value, list):
            env[var] = ",".join(str(item) for item in value)  # comma-separated lists (origins, proxies)
        elif value is not None:
            env[var] = str(value)
    return env


class Stack:
    """One process's container, and the shortcuts the tests need."""

    def __init__(self, settings: Settings, container: AsyncContainer, engine: AsyncEngine) -> None:
        self.settings = settings
        self.container = container
        self.engine = engine

    async def dispatch(self, command: Command) -> Any:
        return await dispatch_in_request(self.container, command)

    async def user(self) -> uuid.UUID:
        user = await self.dispatch(
            RegisterUser(email=f"{uuid.uuid4().hex[:8]}@example.com", password="fine phrase", by_operator=True)
        )
        return uuid.UUID(str(user.id))

    async def upload(self, owner: uuid.UUID, filename: str, data: bytes) -> Document:
        document: Document = await self.dispatch(
            UploadDocument(owner_id=owner, filename=filename, content_type="", data=data))
        return document

    async def document(self, owner: uuid.UUID, document_id: uuid.UUID) -> Document:
        document: Document = await self.dispatch(GetDocument(owner_id=owner, document_id=document_id))
        return document

    async def chunk_ordinals(self, document_id: uuid.UUID) -> list[int]:
        async with self.engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT ordinal FROM chunks WHERE document_id = :id ORDER BY ordinal"), {"id": document_id})
            return [row.ordinal for row in rows]


@pytest.fixture
def busy_cores() -> Iterator[int]:
    """Every core busy for the test's duration: one CPU-burning process per core, killed afterwards. Liveness
    must not depend on an idle machine (a user's laptop, a shared CI runner). A burner also stops when its
    parent is gone, so a test run killed before its teardown leaves no burner behind."""
    burn = f"import os\nwhile os.getppid() == {os.getpid()}: pass"
    burners = [subprocess.Popen([sys.executable, "-c", burn]) for _ in range(os.cpu_count() or 1)]
    try:
        yield len(burners)
    finally:
        for burner in burners:
            burner.kill()
        for burner in burners:
            burner.wait()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def embedded_data_dir() -> Iterator[Path]:
    with postgres_data_dir() as path:
        yield path


@pytest.fixture
async def stack(data_dir: Path, pg_url: str, pg_engine: AsyncEngine, clean_redis: RedisServer) -> AsyncIterator[Stack]:
    """The API side of the Redis mode: uploads enqueue on arq; nothing runs jobs until a worker does."""
    settings = stack_settings(data_dir, pg_url, clean_redis.url)
    container = make_container(settings)
    yield Stack(settings, container, pg_engine)
    await container.close()


@pytest.fixture
async def summarizing_stack(
    data_dir: Path, pg_url: str, pg_engine: AsyncEngine, clean_redis: RedisServer
) -> AsyncIterator[Stack]:
    """The API side with no verbatim window, so every answer queues a summary (the worker folds with the same)."""
    settings = stack_settings(data_dir, pg_url, clean_redis.url, summary_keep_recent_messages=0)
    container = make_container(settings)
    yield Stack(settings, container, pg_engine)
    await container.close()


def markdown_book(sections: int, words_per_section: int = 200, seed: int = 7) -> bytes:
    """A large, varied Markdown document (about one chunk per section with the default chunk size)."""
    import random

    rng = random.Random(seed)
    vocabulary = ("penguin volcano river mountain budget hotel travel station museum library garden ocean "
                  "forest desert harbour lantern orchard glacier meadow canyon").split()
    parts = ["# A large handbook"]
    for n in range(sections):
        body = " ".join(rng.choice(vocabulary) for _ in range(words_per_section))
        parts.append(f"## Section {n}\n\n{body}.")
    return "\n\n".join(parts).encode()
