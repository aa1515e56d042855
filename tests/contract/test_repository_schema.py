"""The hand-written migrations and the Core tables the repositories query must describe the same schema."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.migrate import run_migrations
from adapters.postgres.tables import metadata


def _differences(connection: Connection) -> list[Any]:
    def ours(name: str | None, type_: str, parent_names: object) -> bool:
        # Tables that later revisions create with raw SQL (chunks) are not described here: not reflected.
        return type_ != "table" or name in metadata.tables

    options = {"compare_server_default": True, "include_name": ours}
    return list(compare_metadata(MigrationContext.configure(connection, opts=options), metadata))


async def test_migrations_create_exactly_the_tables_the_repositories_use(pg_engine: AsyncEngine) -> None:
    async with pg_engine.connect() as connection:
        differences = await connection.run_sync(_differences)

    assert differences == []


async def test_migrating_again_changes_nothing_and_vector_is_installed(pg_engine: AsyncEngine, pg_url: str) -> None:
    await run_migrations(pg_url)

    async with pg_engine.connect() as connection:
        extension = (await connection.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'vector'"))).all()
        versions = (await connection.execute(text("SELECT version_num FROM alembic_version"))).all()

    assert extension == [(1,)]
    assert len(versions) == 1


def test_the_cheap_head_check_names_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    from adapters.postgres.migrate import alembic_config, head_revisions

    assert head_revisions() == frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


async def test_a_current_schema_is_not_migrated_again_and_one_behind_is(pg_engine: AsyncEngine, pg_url: str) -> None:
    from adapters.postgres.migrate import head_revisions, schema_is_current

    assert await schema_is_current(pg_engine)
    assert await run_migrations(pg_url) is False  # found current: Alembic not even imported for it
    (head,) = head_revisions()
    async with pg_engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = 'not-a-revision'"))
    try:
        assert not await schema_is_current(pg_engine)
    finally:
        async with pg_engine.begin() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    assert await schema_is_current(pg_engine)
