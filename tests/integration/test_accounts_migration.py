"""Migration 0007 on an install that already has accounts: the oldest becomes the administrator, the others
members, and nobody is disabled."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.migrate import run_migrations


async def test_the_oldest_existing_account_becomes_the_administrator(
    embedded_postgres: EmbeddedPostgres, pg_admin_engine: AsyncEngine
) -> None:
    name = f"upgrade_{uuid.uuid4().hex}"
    async with pg_admin_engine.connect() as connection:
        await connection.execute(text(f"CREATE DATABASE {name}"))
    url = embedded_postgres.url(name)
    engine = create_async_engine(url)
    try:
        await run_migrations(url, "0006")
        t0 = datetime(2025, 1, 1, tzinfo=UTC)
        emails = ["second@example.com", "oldest@example.com", "third@example.com"]
        async with engine.begin() as connection:
            for offset, email in zip((5, 0, 9), emails, strict=True):
                await connection.execute(
                    text("INSERT INTO users (id, email, password_hash, created_at) VALUES (:id, :e, 'h', :t)"),
                    {"id": uuid.uuid4(), "e": email, "t": t0 + timedelta(days=offset)},
                )

        await run_migrations(url)

        async with engine.connect() as connection:
            rows = (await connection.execute(text("SELECT email, role, disabled_at FROM users ORDER BY email"))).all()
        assert [tuple(row) for row in rows] == [
            ("oldest@example.com", "admin", None),
            ("second@example.com", "member", None),
            ("third@example.com", "member", None),
        ]
    finally:
        await engine.dispose()
        async with pg_admin_engine.connect() as connection:
            await connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
