"""pytest fixtures for tests that need real PostgreSQL + pgvector.

One embedded server per test session; one database migrated once and used as a template; every test gets a
fresh copy (``CREATE DATABASE … TEMPLATE``, a few milliseconds) and the copy is dropped afterwards.
Registered from ``tests/conftest.py`` with ``pytest_plugins = ["tests.support.postgres"]``.

    async def test_something(pg_engine: AsyncEngine) -> None: ...   # engine on a clean, migrated database
    async def test_other(pg_url: str) -> None: ...                   # just the URL (asyncpg form)

``module_pg_url`` is the same for the tests of a module that share one server process.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.engine import create_engine
from adapters.postgres.migrate import run_migrations

TEMPLATE_DATABASE = "ragchat_template"

# Durability is pointless for a throw-away test cluster and costs most of the time of small transactions.
_FAST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


@contextmanager
def postgres_data_dir() -> Iterator[Path]:
    """A folder for a test cluster *outside* pytest's tmp tree.

    As root, the server runs as the ``pgserver`` user, which must traverse every parent folder; pgserver opens
    them up (o+rx), but each new pytest session (ours or a concurrent one) chmods ``/tmp/pytest-of-root`` back
    to 0700, which locks a running server out of its own data. A plain ``mkdtemp`` folder stays open.
    """
    root = Path(tempfile.mkdtemp(prefix="ragchat-pg-"))
    try:
        yield root / "data"
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def embedded_postgres() -> Iterator[EmbeddedPostgres]:
    with postgres_data_dir() as data_dir:
        server = EmbeddedPostgres(data_dir)
        server.start()
        try:
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="session")
async def pg_admin_engine(embedded_postgres: EmbeddedPostgres) -> AsyncIterator[AsyncEngine]:
    """Connected to the ``postgres`` maintenance database in autocommit (CREATE/DROP DATABASE need it)."""
    engine = create_async_engine(embedded_postgres.url("postgres"), isolation_level="AUTOCOMMIT", pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def pg_template(embedded_postgres: EmbeddedPostgres, pg_admin_engine: AsyncEngine) -> str:
    """The name of a database migrated to head, to be copied by each test."""
    async with pg_admin_engine.connect() as connection:
        for name, value in _FAST_SETTINGS.items():
            await connection.execute(text(f"ALTER SYSTEM SET {name} = '{value}'"))
        await connection.execute(text("SELECT pg_reload_conf()"))
        await connection.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE_DATABASE} WITH (FORCE)"))
        await connection.execute(text(f"CREATE DATABASE {TEMPLATE_DATABASE}"))
    await run_migrations(embedded_postgres.url(TEMPLATE_DATABASE))
    return TEMPLATE_DATABASE


@asynccontextmanager
async def _fresh_database(
    embedded_postgres: EmbeddedPostgres, pg_admin_engine: AsyncEngine, template: str
) -> AsyncIterator[str]:
    """A copy of the migrated template, dropped on exit; yields its async SQLAlchemy URL."""
    name = f"test_{uuid.uuid4().hex}"
    # FILE_COPY copies the template's few files directly: about twice as fast here as the WAL_LOG default.
    async with pg_admin_engine.connect() as connection:
        await connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY"))
    try:
        yield embedded_postgres.url(name)
    finally:
        async with pg_admin_engine.connect() as connection:
            await connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture
async def pg_url(
    embedded_postgres: EmbeddedPostgres, pg_admin_engine: AsyncEngine, pg_template: str
) -> AsyncIterator[str]:
    """The async SQLAlchemy URL of a fresh, migrated database of this test's own."""
    async with _fresh_database(embedded_postgres, pg_admin_engine, pg_template) as url:
        yield url


@pytest.fixture(scope="module")
async def module_pg_url(
    embedded_postgres: EmbeddedPostgres, pg_admin_engine: AsyncEngine, pg_template: str
) -> AsyncIterator[str]:
    """A fresh, migrated database shared by the tests of one module (for a server they share)."""
    async with _fresh_database(embedded_postgres, pg_admin_engine, pg_template) as url:
        yield url


@pytest.fixture
async def pg_engine(pg_url: str) -> AsyncIterator[AsyncEngine]:
    """The application's engine (same settings as production) on this test's database."""
    engine = create_engine(pg_url, pool_size=5, max_overflow=5)
    yield engine
    await engine.dispose()
