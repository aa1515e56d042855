"""The keyword leg of ``PgChunkIndex``: bounded candidate selection through the GIN index, then a BM25-like
ranking of at most ``CANDIDATES`` rows.

Ranking every chunk that shares one word with a question does not scale: a large owner's question matched
16,000 chunks, each ranked from its (TOASTed) ``tsv``, for a second per search. Here the strict query runs
first; relaxed queries (``keyword_terms.relaxations``) follow only until ``candidates_for(limit)`` chunks
were found, each through the GIN index with a LIMIT, so the work per search is bounded whatever the owner's
size. Parsing is one round trip, selection and ranking together another.

The score is sum of idf(word) * ts_rank(chunk, word) over the query's words, divided by a length normalization:
``ts_rank`` of one word is a saturating function of how often it occurs (about 0.61 for one occurrence,
0.76 for two, approaching 1), heading words (weight A) count ``HEADING_WEIGHT`` times body words, and idf
comes from the planner's statistics of ``tsv`` (``pg_stats.most_common_elems``: the share of chunks holding
each common word), cached per database for a minute. Without statistics (a fresh database) every word
weighs the same. ``ts_rank`` alone has no idf, so a frequent word outranked a rare, telling one.
"""

from __future__ import annotations

import time
from functools import cache
from typing import Any

from sqlalchemy import RowMapping, TextClause, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from adapters.postgres.chunk_queries import COLUMNS, TEXT_SEARCH_CONFIG, keyword_searchable
from adapters.postgres.keyword_terms import parse, relaxations, scoring_terms

HEADING_WEIGHT = 1.5
LENGTH_NORMALIZATION = 0.5
"""BM25's b: 0 ignores chunk length, 1 divides by it relative to the candidates' average length."""
MIN_CANDIDATES = 50
STATISTICS_TTL_SECONDS = 60.0
_statistics: dict[str, tuple[float, dict[str, float], float]] = {}

PARSE = text(f"SELECT CAST(websearch_to_tsquery('{TEXT_SEARCH_CONFIG}', :query) AS text)")
STATISTICS = text("""
    SELECT CAST(CAST(most_common_elems AS text) AS text[]) AS words, most_common_elem_freqs AS shares
    FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'chunks' AND attname = 'tsv'""")


def candidates_for(limit: int) -> int:
    """How many chunks at most are ranked for a search that wants ``limit``."""
    return 4 * max(limit, MIN_CANDIDATES)


async def keyword_rows(
    session: AsyncSession | AsyncConnection, where: dict[str, Any], scoped: bool, query: str, limit: int
) -> list[RowMapping]:
    """The best ``limit`` chunks for ``query``; ``where`` holds the bind parameters of
    ``chunk_queries.keyword_searchable(scoped)`` (the owner, and the scope if ``scoped``). Runs on the
    request's session or on a connection of its own (``side_connections``)."""
    printed = (await session.execute(PARSE, {"query": query})).scalar_one()
    parsed = parse(printed or "")
    if not parsed.terms:
        return []  # only stop words, or only exclusions: nothing to look for
    shares, floor = await _shares(session)
    queries = relaxations(parsed, shares, floor)
    terms = scoring_terms(parsed, shares, floor)
    params: dict[str, Any] = {**where, "limit": limit, "candidates": candidates_for(limit)}
    params.update({f"query{n}": relaxed for n, relaxed in enumerate(queries)})
    for n, (term, weight) in enumerate(terms):
        params[f"term{n}"] = term
        params[f"weight{n}"] = weight
    statement = _statement(len(queries), len(terms), scoped)
    return list((await session.execute(statement, params)).mappings().all())


@cache
def _statement(query_count: int, term_count: int, scoped: bool) -> TextClause:
    """One round trip: the relaxations in order, each through the GIN index with a LIMIT, stopping once
    ``candidates`` rows were found (an Append runs its branches in order and stops when its LIMIT is met),
    then the ranking of those rows."""
    searchable = keyword_searchable(scoped)
    selections = " UNION ALL ".join(
        f"""(SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id
            WHERE {searchable} AND c.tsv @@ CAST(:query{n} AS tsquery) LIMIT :candidates)"""
        for n in range(query_count)
    )
    body = round(1.0 / HEADING_WEIGHT, 4)  # ts_rank wants weights in 0..1
    field_weights = f"'{{{body}, {body}, {body}, 1.0}}'"  # D, C, B, A
    score = " + ".join(
        f"CAST(:weight{n} AS real) * ts_rank(CAST({field_weights} AS real[]), c.tsv, CAST(:term{n} AS tsquery), 0)"
        for n in range(term_count)
    )
    b = LENGTH_NORMALIZATION
    return text(f"""
        WITH found AS MATERIALIZED (SELECT id FROM ({selections}) AS relaxed LIMIT :candidates)
        SELECT *, raw / ({1 - b} + {b} * size / GREATEST(average, 1)) AS rank FROM (
            SELECT {COLUMNS}, ({score}) AS raw, length(c.tsv) AS size, avg(length(c.tsv)) OVER () AS average
            FROM chunks c JOIN documents d ON d.id = c.document_id
            WHERE c.id IN (SELECT id FROM found) AND {searchable}) AS scored
        ORDER BY rank DESC, id
        LIMIT :limit""")


async def _shares(session: AsyncSession | AsyncConnection) -> tuple[dict[str, float], float]:
    """Share of chunks holding each common word, and the smallest listed share (0.001 without statistics)."""
    bind = session.bind if isinstance(session, AsyncSession) else session
    key = bind.engine.url.render_as_string(hide_password=True) if bind is not None else ""
    cached = _statistics.get(key)
    if cached is not None and time.monotonic() - cached[0] < STATISTICS_TTL_SECONDS:
        return cached[1], cached[2]
    row = (await session.execute(STATISTICS)).first()
    shares: dict[str, float] = {}
    if row is not None and row.words:
        shares = dict(zip(row.words, row.shares, strict=False))  # the last 3 shares are min/max/nulls
    floor = min(shares.values()) if shares else 0.001
    _statistics[key] = (time.monotonic(), shares, floor)
    return shares, floor
