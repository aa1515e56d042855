"""The PostgreSQL adapters speak the application's language when the database is away."""

from __future__ import annotations

import uuid

import pytest

from adapters.postgres.engine import async_url, create_engine, create_session_factory
from adapters.postgres.unit_of_work import PgUnitOfWork
from adapters.postgres.user_repository import PgUserRepository
from application.errors import StorageUnavailable
from tests.contract.persistence import new_user


@pytest.mark.parametrize(
    "url",
    [
        "postgres://app:secret@db:5432/ragchat",
        "postgresql://app:secret@db:5432/ragchat",
        "postgresql+asyncpg://app:secret@db:5432/ragchat",
        "postgresql+psycopg://app:secret@db:5432/ragchat",
    ],
)
def test_every_usual_url_form_becomes_asyncpg(url: str) -> None:
    converted = async_url(url)

    assert converted.render_as_string(hide_password=False) == "postgresql+asyncpg://app:secret@db:5432/ragchat"


def test_a_non_postgres_url_is_refused() -> None:
    with pytest.raises(ValueError, match="not a PostgreSQL URL"):
        async_url("mysql://app@db/ragchat")


async def test_an_unreachable_database_is_storage_unavailable(tmp_path: object) -> None:
    engine = create_engine(f"postgresql://postgres@/postgres?host={tmp_path}/no-server-here")
    try:
        async with create_session_factory(engine)() as session:
            with pytest.raises(StorageUnavailable):
                await PgUserRepository(session).get(uuid.uuid4())
            with pytest.raises(StorageUnavailable):
                await PgUserRepository(session).add(new_user())
            await PgUnitOfWork(session).rollback()
    finally:
        await engine.dispose()
