"""Embedded mode keeps its data in a folder: stopping and starting again on the same folder loses nothing."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.engine import create_engine, create_session_factory
from adapters.postgres.migrate import run_migrations
from adapters.postgres.unit_of_work import PgUnitOfWork
from adapters.postgres.user_repository import PgUserRepository
from application.errors import StorageUnavailable
from domain.users import User
from tests.contract.persistence import new_user
from tests.support.postgres import postgres_data_dir


async def _save(url: str, user: User) -> None:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            await PgUserRepository(session).add(user)
            await PgUnitOfWork(session).commit()
    finally:
        await engine.dispose()


async def _load(url: str, user: User) -> User | None:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            return await PgUserRepository(session).get_by_email(user.email)
    finally:
        await engine.dispose()


@pytest.fixture
def data_dir() -> Iterator[Path]:
    with postgres_data_dir() as path:
        yield path


async def test_a_user_written_before_a_restart_is_read_after_it(data_dir: Path) -> None:
    server = EmbeddedPostgres(data_dir)
    user = new_user("restart@example.com")

    url = await asyncio.to_thread(server.start)
    try:
        await run_migrations(url)
        await _save(url, user)
    finally:
        await asyncio.to_thread(server.stop)
    with pytest.raises(StorageUnavailable):  # really stopped, not just forgotten
        await _load(url, user)

    url = await asyncio.to_thread(server.start)
    try:
        await run_migrations(url)  # a second start migrates again: a no-op
        assert await _load(url, user) == user
    finally:
        await asyncio.to_thread(server.stop)


_JOIN_AND_LEAVE = """
import logging, sys
from adapters.postgres.embedded import EmbeddedPostgres
logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(name)s: %(message)s")
server = EmbeddedPostgres(sys.argv[1])
server.start()
print("joined", server.joined)
server.stop()
"""


def _another_process_uses(data_dir: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _JOIN_AND_LEAVE, str(data_dir)], capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


async def test_another_process_joins_a_running_server_and_leaves_it_running(data_dir: Path) -> None:
    server = EmbeddedPostgres(data_dir)
    user = new_user("joined@example.com")
    url = await asyncio.to_thread(server.start)
    try:
        await run_migrations(url)
        said = await asyncio.to_thread(_another_process_uses, data_dir)
        assert "joined True" in said and "already running" in said
        assert "left running for the other processes" in said and "PostgreSQL stopped" not in said
        await _save(url, user)  # still serving us
        assert await _load(url, user) == user
    finally:
        await asyncio.to_thread(server.stop)
    said = await asyncio.to_thread(_another_process_uses, data_dir)  # nobody running: it starts and stops one
    assert "joined False" in said and "embedded PostgreSQL started" in said and "embedded PostgreSQL stopped" in said
    assert not server.is_running()
