"""A bulk load suspends the vector index only when building it again is cheaper, and searches stay right."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.search_index_builds import INDEX, PgSearchIndexBuilds, restore_vector_index
from application.ports.chunk_index import SearchMode
from entrypoints.settings_loading import load_settings
from tests.contract.chunk_index_backends import axis, chunk, indexed, postgres_backend, search, texts

_DEFAULTS = load_settings({})
BUILT_WITH = {"m": _DEFAULTS.hnsw_m, "ef_construction": _DEFAULTS.hnsw_ef_construction}
"""The options the test database's migration built the index with (its fallbacks are the settings' defaults)."""


async def _definition(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        found = await connection.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"), {"name": INDEX}
        )
        return found.scalar_one_or_none()


async def test_a_load_larger_than_the_table_suspends_the_index_and_resume_builds_it_as_before(
    pg_engine: AsyncEngine,
) -> None:
    before = await _definition(pg_engine)
    builds = PgSearchIndexBuilds(pg_engine, **BUILT_WITH)
    assert await builds.suspend(incoming_chunks=100) is True
    assert await _definition(pg_engine) is None
    assert await builds.suspend(incoming_chunks=100) is False  # already suspended: nothing to do

    backend = postgres_backend(pg_engine)
    document = await indexed(
        backend, lambda d: [chunk(d, 0, "near", axis((0, 1.0))), chunk(d, 1, "far", axis((1, 1.0)))]
    )
    hits = await search(backend, document.owner_id, "anything", axis((0, 1.0)), 2, SearchMode.VECTOR)
    assert texts(hits) == ["near", "far"]  # searched exactly while the index is missing

    await builds.resume()
    assert await _definition(pg_engine) == before
    hits = await search(backend, document.owner_id, "anything", axis((0, 1.0)), 2, SearchMode.VECTOR)
    assert texts(hits) == ["near", "far"]


async def test_a_small_load_into_a_larger_table_keeps_the_index(pg_engine: AsyncEngine) -> None:
    backend = postgres_backend(pg_engine)
    await indexed(backend, lambda d: [chunk(d, n, f"passage {n}", axis((n % 8, 1.0))) for n in range(30)])
    builds = PgSearchIndexBuilds(pg_engine, **BUILT_WITH)
    assert await builds.suspend(incoming_chunks=10) is False
    assert await _definition(pg_engine) is not None
    assert await builds.suspend(incoming_chunks=20) is True  # 30 stored <= 2 x 20 incoming


async def test_a_missing_index_is_built_again_at_start(pg_engine: AsyncEngine) -> None:
    before = await _definition(pg_engine)
    async with pg_engine.begin() as connection:
        await connection.execute(text(f"DROP INDEX {INDEX}"))  # a load that died while suspended
    await restore_vector_index(pg_engine, **BUILT_WITH)
    assert await _definition(pg_engine) == before
    await restore_vector_index(pg_engine, **BUILT_WITH)  # present: nothing happens
    assert await _definition(pg_engine) == before


async def test_a_small_build_runs_serially_without_changing_the_setting_for_later_work(
    pg_engine: AsyncEngine,
) -> None:
    async with pg_engine.connect() as connection:
        default = (await connection.execute(text("SHOW max_parallel_maintenance_workers"))).scalar_one()
    before = await _definition(pg_engine)
    async with pg_engine.begin() as connection:
        await connection.execute(text(f"DROP INDEX {INDEX}"))
    await restore_vector_index(pg_engine, **BUILT_WITH)
    assert await _definition(pg_engine) == before
    for _ in range(3):  # whichever pooled connection comes next, the build's own setting is gone
        async with pg_engine.connect() as connection:
            assert (await connection.execute(text("SHOW max_parallel_maintenance_workers"))).scalar_one() == default
