"""Applies the Alembic migrations shipped in this package, from code (no alembic.ini, no CLI needed).

Every process runs this at start. A session-level advisory lock serializes concurrent starters (two API
replicas, an API and a worker): the second waits, then finds nothing left to do.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from adapters.postgres.engine import async_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK_KEY = 0x7261_6763_6861_74  # "ragchat" in ASCII: unique enough among this database's users


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _upgrade(connection: Connection, revision: str, attributes: Mapping[str, object]) -> None:
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    connection.commit()  # the lock belongs to the session; Alembic opens its own transactions below
    try:
        config = alembic_config()
        config.attributes.update(attributes)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()
    finally:
        connection.rollback()
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
        connection.commit()


async def run_migrations(
    url: str, revision: str = "head", *, attributes: Mapping[str, object] | None = None
) -> None:
    """Upgrades the database at ``url`` to ``revision``; a no-op when it is already there.

    ``attributes`` reach the revisions as ``context.config.attributes`` (0002 reads ``embedding_dimension``,
    ``hnsw_m`` and ``hnsw_ef_construction`` there)."""
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_upgrade, revision, attributes or {})
    finally:
        await engine.dispose()
