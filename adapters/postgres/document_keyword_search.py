"""The document-level keyword ranking of ``PgChunkIndex``'s hybrid search: the owner's documents ranked by the
question's words over all their chunks together (``documents.tsv``, migration 0013).

The chunk keyword leg scores each passage alone, so it cannot add up evidence spread over a document: for
"compile a converter table", a page holding "compile" in one passage and "converter table" in another loses
to pages holding all three words in one passage. Whole-document BM25 finds it; this ranking is that evidence,
fused as a third list that lifts the document's best passage (``fusion.fuse_with_documents``).

Same shape and bounds as the chunk leg (``keyword_search``): the strict query first, then relaxations, each
through the GIN index ``ix_documents_owner_tsv`` with a LIMIT, until ``candidates_for(limit)`` documents were
found; each is scored sum of idf(word) x ts_rank(document, word) with idf from the statistics of
``documents.tsv`` (the share of *documents* holding each word). Unlike the passages', the score is not divided
by the document's length: on the dev half of the held-out mandocs set this ranking alone scored nDCG@10 0.7168
without it, 0.6831, 0.6543 and 0.5704 with BM25's b at 0.3, 0.5 and 0.75 (whole-document Okapi BM25: 0.7025),
and 0.7149 with ``ts_rank``'s own logarithmic length normalization (flag 1).
"""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from adapters.postgres.chunk_queries import document_keyword_searchable
from adapters.postgres.keyword_search import HEADING_WEIGHT, ranking_parameters
from adapters.postgres.keyword_terms import ParsedQuery

DOCUMENTS = 30
"""How many documents the ranking lists."""
CANDIDATES = 60
"""How many documents at most are scored for it: each score reads the document's whole ``tsv`` (24 KB on average
for documents of 25 chunks), so this bounds the leg's cost. On the dev half of mandocs (hybrid nDCG@10) 50
documents of 150 candidates scored 0.7834 (pkgdocs 0.9158), 50 of 60 0.7774 (0.9167), 30 of 60 0.7796 (0.9164),
20 of 60 0.7802, 20 of 40 0.7846 (0.9118), 10 of 30 0.7819: all within a question or two of each other, so the
cheap end that kept pkgdocs level. At 100k chunks 20 of 40 took 2-3 ms (p50) where 50 of 150 took 9-10 for the
largest owners."""


async def ranked_documents(
    session: AsyncSession | AsyncConnection, where: dict[str, Any], scoped: bool, parsed: ParsedQuery
) -> list[uuid.UUID]:
    """The ids of the best ``DOCUMENTS`` ready documents for the parsed question, best first; ``where`` as for
    ``keyword_search.ranked_chunks``."""
    if not parsed.terms:
        return []
    dominant, params = await ranking_parameters(session, "documents", where, scoped, parsed, DOCUMENTS, CANDIDATES)
    rows = await session.execute(_statement(scoped, dominant), params)
    return [row.id for row in rows]


@cache
def _statement(scoped: bool, dominant: bool) -> TextClause:
    """As ``keyword_search._statement``, over documents: one prepared statement per variant."""
    body = round(1.0 / HEADING_WEIGHT, 4)  # ts_rank wants weights in 0..1
    field_weights = f"CAST('{{{body}, {body}, {body}, 1.0}}' AS real[])"  # D, C, B, A
    return text(f"""
        WITH found AS MATERIALIZED (
            SELECT hit.* FROM unnest(CAST(:queries AS text[]), CAST(:preceding AS text[])) AS q(query, preceding)
            CROSS JOIN LATERAL (
                SELECT d.id,
                    (SELECT sum(t.weight * ts_rank({field_weights}, d.tsv, t.term, 0))
                     FROM unnest(CAST(:terms AS tsquery[]), CAST(:weights AS real[])) AS t(term, weight)) AS raw
                FROM documents d
                WHERE {document_keyword_searchable(scoped, dominant)} AND d.tsv @@ CAST(q.query AS tsquery)
                    AND NOT coalesce(d.tsv @@ CAST(q.preceding AS tsquery), false)
                LIMIT :candidates) AS hit
            LIMIT :candidates)
        SELECT id FROM found
        ORDER BY raw DESC, id
        LIMIT :limit""")
