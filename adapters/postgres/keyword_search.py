"""The keyword leg of ``PgChunkIndex``: bounded candidate selection through the GIN index, then a BM25-like
ranking of at most ``candidates_for(limit)`` rows.

Ranking every chunk that shares one word with a question does not scale: a large owner's question matched
16,000 chunks, each ranked from its (TOASTed) ``tsv``, for a second per search. Here the strict query runs
first; relaxed queries (``keyword_terms.relaxations``) follow only until ``candidates_for(limit)`` distinct
chunks were found, each through the GIN index with a LIMIT, so the work per search is bounded whatever the
owner's size. Parsing is one round trip, selection and ranking together another; the second statement has one
text per variant (scoped or not, owner holding most chunks or not), so each pooled connection prepares it once
and PostgreSQL settles on its generic plan instead of planning every search (0.3-1 ms).

The score is sum of idf(word) * ts_rank(chunk, word) over the query's words, divided by a length normalization:
``ts_rank`` of one word is a saturating function of how often it occurs (about 0.61 for one occurrence,
0.76 for two, approaching 1), heading words (weight A) count ``HEADING_WEIGHT`` times body words, and idf
comes from the planner's statistics of ``tsv`` (``pg_stats.most_common_elems``: the share of chunks holding
each common word), cached per database for a minute. Without statistics (a fresh database) every word
weighs the same. ``ts_rank`` alone has no idf, so a frequent word outranked a rare, telling one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import RowMapping, TextClause, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from adapters.postgres.chunk_queries import COLUMNS, TEXT_SEARCH_CONFIG, keyword_searchable
from adapters.postgres.keyword_statistics import Table, statistics_of
from adapters.postgres.keyword_terms import (
    ParsedQuery,
    parse,
    preceding,
    relaxations,
    scoring_terms,
    without_nested_negations,
)

HEADING_WEIGHT = 1.5
LENGTH_NORMALIZATION = 0.5
"""BM25's b: 0 ignores chunk length, 1 divides by it relative to the candidates' average length."""
MIN_CANDIDATES = 50
DOMINANT_SHARE = 0.5
"""An owner holding more than this share of all chunks is checked on the heap rows (``chunk_queries``)."""

PARSE = text(f"SELECT CAST(websearch_to_tsquery('{TEXT_SEARCH_CONFIG}', :query) AS text)")


def candidates_for(limit: int) -> int:
    """How many chunks at most are ranked for a search that wants ``limit``. On the pkgdocs evaluation set
    (hybrid, as deep as an answer's search), 150 distinct candidates for 50 scored hybrid nDCG@10 0.9171, 200 scored
    0.9162 and 100 scored 0.9142; selecting them is most of the leg's server time, roughly in proportion."""
    return 3 * max(limit, MIN_CANDIDATES)


async def parse_query(session: AsyncSession | AsyncConnection, query: str) -> ParsedQuery:
    """The question as PostgreSQL parses it (one round trip), shared by the chunk and document rankings."""
    printed = (await session.execute(PARSE, {"query": without_nested_negations(query)})).scalar_one()
    return parse(printed or "")


async def keyword_rows(
    session: AsyncSession | AsyncConnection, where: dict[str, Any], scoped: bool, query: str, limit: int
) -> list[RowMapping]:
    """The best ``limit`` chunks for ``query``; ``where`` holds the bind parameters of
    ``chunk_queries.keyword_searchable(scoped)`` (the owner, and the scope if ``scoped``). Runs on the
    request's session or on a connection of its own (``side_connections``)."""
    return await ranked_chunks(session, where, scoped, await parse_query(session, query), limit)


async def ranked_chunks(
    session: AsyncSession | AsyncConnection, where: dict[str, Any], scoped: bool, parsed: ParsedQuery, limit: int
) -> list[RowMapping]:
    if not parsed.terms:
        return []  # only stop words, or only exclusions: nothing to look for
    dominant, params = await ranking_parameters(session, "chunks", where, scoped, parsed, limit, candidates_for(limit))
    return list((await session.execute(_statement(scoped, dominant), params)).mappings().all())


async def ranking_parameters(
    session: AsyncSession | AsyncConnection,
    table: Table,
    where: dict[str, Any],
    scoped: bool,
    parsed: ParsedQuery,
    limit: int,
    candidates: int,
) -> tuple[bool, dict[str, Any]]:
    """What a keyword ranking of ``table`` binds (the relaxations and the idf-weighted scoring terms from that
    table's statistics, shared by the passage and document rankings), and whether the owner holds most of its
    rows, which picks the statement variant that checks the heap rows."""
    statistics = await statistics_of(session, table)
    queries = relaxations(parsed, statistics.words, statistics.floor)
    terms = scoring_terms(parsed, statistics.words, statistics.floor)
    dominant = not scoped and statistics.owners.get(str(where["owner"]), 0.0) > DOMINANT_SHARE
    return dominant, {
        **where,
        "limit": limit,
        "candidates": candidates,
        "queries": queries,
        "preceding": preceding(queries),
        "terms": [term for term, _ in terms],
        "weights": [weight for _, weight in terms],
    }


@cache
def _statement(scoped: bool, dominant: bool) -> TextClause:
    """One round trip, and one statement whatever the query (the relaxations and scoring terms are arrays),
    so each connection prepares it once. The relaxations run in order (a nested loop over the array), each
    through the GIN index and only for chunks no earlier one matched, until ``candidates`` chunks were found;
    each candidate is scored as it is read (its ``tsv`` is in the heap row the index scan fetched anyway),
    then the scores are normalized by length against the candidates' average and the best ``limit`` kept."""
    searchable = keyword_searchable(scoped, dominant)
    body = round(1.0 / HEADING_WEIGHT, 4)  # ts_rank wants weights in 0..1
    field_weights = f"CAST('{{{body}, {body}, {body}, 1.0}}' AS real[])"  # D, C, B, A
    b = LENGTH_NORMALIZATION
    return text(f"""
        WITH found AS MATERIALIZED (
            SELECT hit.* FROM unnest(CAST(:queries AS text[]), CAST(:preceding AS text[])) AS q(query, preceding)
            CROSS JOIN LATERAL (
                SELECT {COLUMNS}, length(c.tsv) AS size,
                    (SELECT sum(t.weight * ts_rank({field_weights}, c.tsv, t.term, 0))
                     FROM unnest(CAST(:terms AS tsquery[]), CAST(:weights AS real[])) AS t(term, weight)) AS raw
                FROM chunks c JOIN documents d ON d.id = c.document_id
                WHERE {searchable} AND c.tsv @@ CAST(q.query AS tsquery)
                    AND NOT coalesce(c.tsv @@ CAST(q.preceding AS tsquery), false)
                LIMIT :candidates) AS hit
            LIMIT :candidates)
        SELECT *, raw / ({1 - b} + {b} * size / GREATEST(avg(size) OVER (), 1)) AS rank FROM found
        ORDER BY rank DESC, id
        LIMIT :limit""")
