"""The vector index and the search connections get the HNSW settings ragchat is configured with."""

from __future__ import annotations

import importlib.util
import inspect
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.chunk_index import PgChunkIndex
from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.engine import create_engine
from adapters.postgres.migrate import run_migrations
from entrypoints.ioc.persistence import migration_attributes
from entrypoints.settings_loading import load_settings


async def _index_options(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            options = await connection.scalar(
                text("SELECT reloptions FROM pg_class WHERE oid = 'ix_chunks_embedding'::regclass")
            )
            return sorted(options)
    finally:
        await engine.dispose()


async def test_a_new_database_builds_the_index_with_the_settings(
    embedded_postgres: EmbeddedPostgres, pg_admin_engine: AsyncEngine
) -> None:
    built = {}
    for environment in ({}, {"RAGCHAT_HNSW_M": "12", "RAGCHAT_HNSW_EF_CONSTRUCTION": "40"}):
        settings = load_settings(environment)
        name = f"test_{uuid.uuid4().hex}"
        async with pg_admin_engine.connect() as connection:
            await connection.execute(text(f"CREATE DATABASE {name}"))
        try:
            await run_migrations(embedded_postgres.url(name), attributes=migration_attributes(settings))
            built[(settings.hnsw_m, settings.hnsw_ef_construction)] = await _index_options(embedded_postgres.url(name))
        finally:
            async with pg_admin_engine.connect() as connection:
                await connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    assert built == {
        (16, 400): ["ef_construction=400", "m=16"],
        (12, 40): ["ef_construction=40", "m=12"],
    }


def test_the_search_defaults_agree_with_the_settings() -> None:
    """``PgChunkIndex`` must be given the ef_search the engine's connections start with; their defaults too."""
    settings = load_settings({})
    assert inspect.signature(create_engine).parameters["hnsw_ef_search"].default == settings.hnsw_ef_search
    assert inspect.signature(PgChunkIndex).parameters["ef_search"].default == settings.hnsw_ef_search


def test_the_migration_falls_back_to_the_settings_defaults() -> None:
    """Run without ragchat's attributes or environment (``alembic upgrade`` by hand), migration 0002 builds the
    index with the same options as the settings' defaults."""
    path = Path(inspect.getfile(run_migrations)).parent / "migrations" / "versions" / "0002_chunks.py"
    spec = importlib.util.spec_from_file_location("migration_0002", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    settings = load_settings({})
    assert module.DEFAULTS["hnsw_m"] == settings.hnsw_m
    assert module.DEFAULTS["hnsw_ef_construction"] == settings.hnsw_ef_construction
