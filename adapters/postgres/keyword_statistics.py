"""What the planner's statistics say about words and owners in a table with a ``tsv`` column (``chunks`` or
``documents``): the share of rows holding each common word (for the keyword rankings' idf) and the share of
rows of each owner with the most rows (which query form serves them, ``chunk_queries``). Cached per database and
table for ``STATISTICS_TTL_SECONDS``: reading ``pg_stats`` every search would cost a round trip."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

STATISTICS_TTL_SECONDS = 60.0
Table = Literal["chunks", "documents"]

STATISTICS = text("""
    SELECT attname AS column, CAST(CAST(most_common_elems AS text) AS text[]) AS words,
        most_common_elem_freqs AS word_shares, CAST(CAST(most_common_vals AS text) AS text[]) AS owners,
        most_common_freqs AS owner_shares
    FROM pg_stats
    WHERE schemaname = current_schema() AND tablename = :table AND attname IN ('tsv', 'owner_id')""")


@dataclass(frozen=True)
class Statistics:
    taken: float
    words: dict[str, float]
    """Share of rows holding each common word."""
    floor: float
    """The smallest listed word share (0.001 without statistics)."""
    owners: dict[str, float]
    """Share of rows owned by each of the owners with the most rows."""


_cached: dict[tuple[str, Table], Statistics] = {}


async def statistics_of(session: AsyncSession | AsyncConnection, table: Table) -> Statistics:
    bind = session.bind if isinstance(session, AsyncSession) else session
    key = (bind.engine.url.render_as_string(hide_password=True) if bind is not None else "", table)
    cached = _cached.get(key)
    if cached is not None and time.monotonic() - cached.taken < STATISTICS_TTL_SECONDS:
        return cached
    rows = {row.column: row for row in (await session.execute(STATISTICS, {"table": table})).all()}
    words: dict[str, float] = {}
    owners: dict[str, float] = {}
    if "tsv" in rows and rows["tsv"].words:  # the last 3 shares are min/max/nulls
        words = dict(zip(rows["tsv"].words, rows["tsv"].word_shares, strict=False))
    if "owner_id" in rows and rows["owner_id"].owners:
        owners = dict(zip(rows["owner_id"].owners, rows["owner_id"].owner_shares, strict=True))
    statistics = Statistics(time.monotonic(), words, min(words.values()) if words else 0.001, owners)
    _cached[key] = statistics
    return statistics
