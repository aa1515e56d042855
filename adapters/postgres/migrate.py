"""Applies the Alembic migrations shipped in this package, from code (no alembic.ini, no CLI needed).

Every process runs this at start. A session-level advisory lock serializes concurrent starters (two API
replicas, an API and a worker): the second waits, then finds nothing left to do.

Most starts find the schema current, so that is checked first and cheaply: the head revision is read from the
revision files' text (no Alembic import, ~0.5 s on a busy machine) and compared with ``alembic_version``; only
a database behind (or unknown) goes through Alembic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from adapters.postgres.engine import async_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK_KEY = 0x7261_6763_6861_74  # "ragchat" in ASCII: unique enough among this database's users
_REVISION = re.compile(r'^(down_revision|revision)\s*=\s*(?:"([^"]*)"|None)', re.MULTILINE)


@cache
def head_revisions() -> frozenset[str]:
    """Revisions no other revision builds on, read from ``versions/*.py`` (``revision = "…"`` lines)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for name, value in _REVISION.findall(path.read_text()):
            if value:
                (revisions if name == "revision" else parents).add(value)
    return frozenset(revisions - parents)


async def schema_is_current(engine: AsyncEngine) -> bool:
    """True when the database is at this code's head revision(s); False when behind, empty or unreadable."""
    try:
        async with engine.connect() as connection:
            exists = await connection.scalar(text("SELECT to_regclass('alembic_version') IS NOT NULL"))
            if not exists:
                return False
            rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
            return {row[0] for row in rows} == head_revisions()
    except DBAPIError:
        return False


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _upgrade(connection: Connection, revision: str, attributes: Mapping[str, object]) -> None:
    from alembic import command

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


async def run_migrations(url: str, revision: str = "head", *, attributes: Mapping[str, object] | None = None) -> bool:
    """Upgrades the database at ``url`` to ``revision``; a no-op when it is already there. Returns whether
    Alembic ran (False: the schema was found current by the cheap check).

    ``attributes`` reach the revisions as ``context.config.attributes`` (0002 reads ``embedding_dimension``,
    ``hnsw_m`` and ``hnsw_ef_construction`` there)."""
    engine = create_async_engine(async_url(url), poolclass=NullPool)
    try:
        if revision == "head" and await schema_is_current(engine):
            return False
        async with engine.connect() as connection:
            await connection.run_sync(_upgrade, revision, attributes or {})
        return True
    finally:
        await engine.dispose()
