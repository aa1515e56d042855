"""The pool without a ping before every checkout: connections the server closed while they rested are replaced
unseen; one closed right after use fails a single request as ``StorageUnavailable``, and the next succeeds."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.engine import PING_AFTER_IDLE_SECONDS, create_engine, create_session_factory
from adapters.postgres.user_repository import PgUserRepository
from application.errors import StorageUnavailable


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def engine(pg_url: str, clock: FakeClock) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(pg_url, pool_size=2, max_overflow=0, clock=clock)
    yield engine
    await engine.dispose()


async def backend_pid(engine: AsyncEngine) -> int:
    async with create_session_factory(engine)() as session:
        assert await PgUserRepository(session).get(uuid.uuid4()) is None  # the connection's first use
        return int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def close_from_the_server(pg_admin_engine: AsyncEngine, pid: int) -> None:
    """What a server restart or an idle-connection reaper does to a pooled connection."""
    async with pg_admin_engine.connect() as admin:
        assert (await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})).scalar_one()


async def test_a_rested_connection_the_server_closed_is_replaced_before_use(
    engine: AsyncEngine, pg_admin_engine: AsyncEngine, clock: FakeClock
) -> None:
    first = await backend_pid(engine)
    await close_from_the_server(pg_admin_engine, first)
    clock.now += PING_AFTER_IDLE_SECONDS + 1

    second = await backend_pid(engine)  # no error: the ping found it closed and the pool connected anew

    assert second != first


async def test_a_connection_closed_right_after_use_fails_one_request_and_the_pool_recovers(
    engine: AsyncEngine, pg_admin_engine: AsyncEngine
) -> None:
    """Checked out again at once, it is not pinged (that is the round trip saved); the failure is the retryable
    storage error, and it makes the pool replace its connections, so the next request succeeds."""
    first = await backend_pid(engine)
    await close_from_the_server(pg_admin_engine, first)

    with pytest.raises(StorageUnavailable):
        await backend_pid(engine)
    second = await backend_pid(engine)

    assert second != first
