"""Hybrid searches borrow a second connection for their keyword leg, within limits that cannot starve the pool."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.chunk_index import PgChunkIndex
from adapters.postgres.engine import create_engine, create_session_factory
from adapters.postgres.side_connections import SideConnections
from adapters.postgres.unit_of_work import PgUnitOfWork
from application.ports.chunk_index import SearchMode
from tests.contract.chunk_index_backends import axis, chunk, indexed, postgres_backend


async def test_borrowing_stops_at_the_limit_and_resumes_after_release(pg_engine: AsyncEngine) -> None:
    side = SideConnections(pg_engine, limit=2)
    assert [side.reserve(), side.reserve(), side.reserve()] == [True, True, False]
    side.release()
    assert side.reserve() is True


async def test_nothing_is_borrowed_from_a_fully_checked_out_pool(pg_url: str) -> None:
    engine = create_engine(pg_url, pool_size=2, max_overflow=0)
    side = SideConnections(engine, limit=2)
    try:
        async with engine.connect() as first, engine.connect() as second:
            await first.execute(text("SELECT 1"))
            await second.execute(text("SELECT 1"))
            assert side.reserve() is False
        assert side.reserve() is True
    finally:
        await engine.dispose()


async def test_connections_open_with_the_vector_search_settings(pg_url: str) -> None:
    engine = create_engine(pg_url, hnsw_ef_search=123, hnsw_max_scan_tuples=4567)
    try:
        async with engine.connect() as connection:
            row = (
                await connection.execute(
                    text(
                        "SELECT current_setting('hnsw.ef_search'), current_setting('hnsw.iterative_scan'), "
                        "current_setting('hnsw.max_scan_tuples')"
                    )
                )
            ).one()
    finally:
        await engine.dispose()
    assert tuple(row) == ("123", "relaxed_order", "4567")


async def test_a_hybrid_search_with_a_borrowed_connection_equals_one_without(pg_engine: AsyncEngine) -> None:
    backend = postgres_backend(pg_engine)
    document = await indexed(
        backend,
        lambda d: [
            chunk(d, 0, "Penguins live in Antarctica and eat krill.", axis((0, 1.0))),
            chunk(d, 1, "Volcanoes erupt molten rock.", axis((1, 1.0))),
            chunk(d, 2, "Krill swarm in cold water.", axis((0, 1.0), (1, 1.0))),
        ],
    )
    sessions = create_session_factory(pg_engine)
    side = SideConnections(pg_engine, limit=1)

    async def hybrid(with_side: SideConnections | None) -> list[tuple[str, float]]:
        async with sessions() as session:
            index = PgChunkIndex(session, side=with_side)
            hits = await index.search(document.owner_id, "penguins krill", axis((0, 1.0)), 3, SearchMode.HYBRID)
        return [(hit.text, hit.score) for hit in hits]

    alone = await hybrid(None)
    # Several at once with one slot: one borrows, the others run their legs in turn; all give the same answer.
    together = await asyncio.gather(*(hybrid(side) for _ in range(4)))
    assert alone[0][0] == "Penguins live in Antarctica and eat krill."
    assert all(result == alone for result in together)
    assert side.reserve() is True  # the slot was given back


@pytest.mark.parametrize("table", ["chunks", "documents"])  # the passage ranking fails, or the document ranking
async def test_a_failing_keyword_leg_raises_and_gives_its_slot_back(pg_engine: AsyncEngine, table: str) -> None:
    backend = postgres_backend(pg_engine)
    document = await indexed(backend, lambda d: [chunk(d, 0, "Penguins eat krill.", axis((0, 1.0)))])
    side = SideConnections(pg_engine, limit=1)
    async with pg_engine.begin() as connection:
        await connection.execute(text(f"ALTER TABLE {table} RENAME COLUMN tsv TO tsv_gone"))
    async with create_session_factory(pg_engine)() as session:
        index = PgChunkIndex(session, side=side)
        try:
            await index.search(document.owner_id, "penguins", axis((0, 1.0)), 3, SearchMode.HYBRID)
        except Exception as exc:  # the keyword leg's statement names a missing column
            assert "tsv" in str(exc)
        else:
            raise AssertionError("the search should have failed")
    assert side.reserve() is True


async def test_a_search_wider_than_ef_search_sets_it_back_with_or_without_a_transaction(pg_url: str) -> None:
    """A search wanting more than ``hnsw.ef_search`` candidates raises it for its own scan and then sets the
    connection's default back, also in a read-only unit (no transaction, where a transaction-local setting
    would not outlive its own statement)."""
    engine = create_engine(pg_url, hnsw_ef_search=40)
    try:
        backend = postgres_backend(engine)
        document = await indexed(backend, lambda d: [])
        await backend.bulk_add(document.owner_id, document.id, 3_050, axis((0, 1.0)), "penguin colonies nearby")
        async with create_session_factory(engine)() as session:
            index = PgChunkIndex(session, ef_search=40)
            uow = PgUnitOfWork(session)
            for read_only in (True, False):
                if read_only:
                    await uow.reads_only()
                hits = await index.search(document.owner_id, "", axis((0, 1.0)), 60, SearchMode.VECTOR)
                setting = (await session.execute(text("SELECT current_setting('hnsw.ef_search')"))).scalar_one()
                await uow.commit()
                assert len(hits) == 60, read_only
                assert setting == "40", read_only
    finally:
        await engine.dispose()
