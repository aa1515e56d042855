"""The SQL of ``PgChunkIndex``; see that module for why each query looks the way it does."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from sqlalchemy import TextClause, text

TEXT_SEARCH_CONFIG = "english"  # must match the generated ``tsv`` column of migration 0002
COLUMNS = """c.id, c.document_id, c.ordinal, c.text, c.page, c.heading_path, c.char_start, c.char_end,
    d.filename"""
_READY_OWNED = "c.owner_id = :owner AND d.owner_id = :owner AND d.status = 'ready'"
# A chat limited to some documents: the listed ids plus every document carrying one of the tags.
_IN_SCOPE = "(d.id = ANY(CAST(:scope_ids AS uuid[])) OR d.tags && CAST(:scope_tags AS text[]))"
# The owner as an array matches the first column of the GIN index ix_chunks_owner_tsv (migration 0008); a plain
# ``c.owner_id = :owner`` would make the planner AND in a bitmap of all of a large owner's rows.
_READY_OWNED_KEYWORD = "ARRAY[c.owner_id] @> ARRAY[CAST(:owner AS uuid)] AND d.owner_id = :owner AND d.status = 'ready'"
# For an owner holding most of all chunks, intersecting each word's postings with the owner's (nearly all of
# them) in the GIN index costs more than reading the word's postings alone and dropping the other owners' rows
# on the heap (80% owner at 100k chunks: 2.2 instead of 3.5 ms of server time; a 20% owner: 13 instead of 2).
# IS NOT DISTINCT FROM is not indexable, so the planner cannot AND in a bitmap of the owner's rows either.
_READY_DOMINANT_KEYWORD = (
    "c.owner_id IS NOT DISTINCT FROM CAST(:owner AS uuid) AND d.owner_id = :owner AND d.status = 'ready'"
)


def _searchable(scoped: bool) -> str:
    """The WHERE clause of every search: the owner's ready documents, within the chat's scope if it has one
    (two statement variants, so an unscoped search plans exactly as before)."""
    return f"{_READY_OWNED} AND {_IN_SCOPE}" if scoped else _READY_OWNED


def keyword_searchable(scoped: bool, dominant: bool = False) -> str:
    """``_searchable`` in the form the keyword leg's GIN index serves; ``dominant``: for an owner holding most
    of all chunks (the owner is then checked on the heap row)."""
    owned = _READY_DOMINANT_KEYWORD if dominant else _READY_OWNED_KEYWORD
    return f"{owned} AND {_IN_SCOPE}" if scoped else owned


def document_keyword_searchable(scoped: bool, dominant: bool = False) -> str:
    """``keyword_searchable`` for the document-level ranking, which reads ``documents`` alone (index
    ``ix_documents_owner_tsv``, migration 0013)."""
    owned = (
        "d.owner_id IS NOT DISTINCT FROM CAST(:owner AS uuid)"
        if dominant
        else "ARRAY[d.owner_id] @> ARRAY[CAST(:owner AS uuid)]"
    )
    ready = f"{owned} AND d.status = 'ready'"
    return f"{ready} AND {_IN_SCOPE}" if scoped else ready


# The distance of the hit's document's opening passage (its first chunk) to the question, for the documents'
# ranking by their best passage and opening (``fusion.by_vector_evidence``): one probe of the unique index
# (document_id, ordinal) per hit.
_OPENING = """, (SELECT o.embedding <=> CAST(:query AS vector) FROM chunks o
        WHERE o.document_id = hit.document_id ORDER BY o.ordinal LIMIT 1) AS opening_distance"""


@cache
def vector_nearest(scoped: bool, openings: bool = False) -> TextClause:
    """One round trip: how many chunks the search may return, from the ready documents' chunk counts, and then
    either the HNSW scan (more than ``:exact_up_to``) or the exact comparison, never both: each branch has a
    one-time filter on the count. Every row carries the count, so the caller knows which branch answered.

    The count only needs to tell "at most ``:exact_up_to``" from "more": a running sum over the documents stops
    at the first one that crosses the line (an owner of 80,000 chunks in 3,200 documents: about 120 rows read
    instead of all), and only an owner below it has all its documents summed. Counting documents' totals instead
    of chunk rows avoids visiting a heap page per chunk wherever the visibility map is not set yet.

    ``openings``: each row also carries ``opening_distance`` (``_OPENING``), computed for the returned hits only."""
    in_scope = f" AND {_IN_SCOPE}" if scoped else ""
    ready = f"FROM documents d WHERE d.owner_id = :owner AND d.status = 'ready'{in_scope}"
    return text(f"""
    WITH owned AS MATERIALIZED (
        SELECT coalesce(
            (SELECT running FROM (
                SELECT sum(d.chunks_total) OVER (ORDER BY d.owner_id, d.sha256 ROWS UNBOUNDED PRECEDING) AS running
                {ready}) AS r
             WHERE running > :exact_up_to LIMIT 1),
            (SELECT coalesce(sum(chunks_total), 0) FROM (SELECT d.chunks_total {ready} LIMIT :exact_up_to) AS o)
        ) AS n),
    indexed AS (
        SELECT {COLUMNS}, c.embedding <=> CAST(:query AS vector) AS distance
        FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE {_searchable(scoped)} AND (SELECT n FROM owned) > :exact_up_to
        ORDER BY c.embedding <=> CAST(:query AS vector)
        LIMIT :limit),
    {_exact_body(scoped, " AND (SELECT n FROM owned) <= :exact_up_to")}
    SELECT hit.*{_OPENING if openings else ""} FROM (
        SELECT *, (SELECT n FROM owned) AS owned FROM indexed
        UNION ALL
        SELECT *, (SELECT n FROM owned) AS owned FROM exact) AS hit""")


@cache
def vector_exact(scoped: bool, openings: bool = False) -> TextClause:
    """The exact comparison alone: when the HNSW scan came up short."""
    return text(f"WITH {_exact_body(scoped, '')} SELECT hit.*{_OPENING if openings else ''} FROM exact AS hit")


def _exact_body(scoped: bool, gate: str) -> str:
    """MATERIALIZED keeps the planner from pushing ORDER BY into the HNSW index: this path must be exact."""
    return f"""mine AS MATERIALIZED (
        SELECT {COLUMNS}, c.embedding FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE {_searchable(scoped)}{gate}),
    exact AS (
        SELECT id, document_id, ordinal, text, page, heading_path, char_start, char_end, filename,
            embedding <=> CAST(:query AS vector) AS distance
        FROM mine
        ORDER BY distance, id LIMIT :limit)"""


EF_SEARCH = text("SELECT set_config('hnsw.ef_search', :ef_search, false)")
"""For a search that wants more candidates than the connection's default ``hnsw.ef_search`` (``engine``), which
it sets back after. For the session, not the transaction: a search may run without one (``reads_only``),
where a transaction-local setting would end with the statement that made it."""


def vector_literal(vector: Sequence[float]) -> str:
    """pgvector's text form, for SQL written by hand (tests, benchmarks); the adapter sends vectors in binary
    (``vector_codec``)."""
    return "[" + ",".join(f"{float(v):.7g}" for v in vector) + "]"
