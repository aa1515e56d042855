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


def _searchable(scoped: bool) -> str:
    """The WHERE clause of every search: the owner's ready documents, within the chat's scope if it has one
    (two statement variants, so an unscoped search plans exactly as before)."""
    return f"{_READY_OWNED} AND {_IN_SCOPE}" if scoped else _READY_OWNED


def keyword_searchable(scoped: bool) -> str:
    """``_searchable`` in the form the keyword leg's GIN index serves."""
    return f"{_READY_OWNED_KEYWORD} AND {_IN_SCOPE}" if scoped else _READY_OWNED_KEYWORD


@cache
def vector_indexed(scoped: bool) -> TextClause:
    return text(f"""
    SELECT {COLUMNS}, c.embedding <=> CAST(:query AS vector) AS distance
    FROM chunks c JOIN documents d ON d.id = c.document_id
    WHERE {_searchable(scoped)}
    ORDER BY c.embedding <=> CAST(:query AS vector)
    LIMIT :limit""")


@cache
def vector_exact(scoped: bool) -> TextClause:
    """MATERIALIZED keeps the planner from pushing ORDER BY into the HNSW index: this path must be exact."""
    return text(f"""
    WITH mine AS MATERIALIZED (
        SELECT {COLUMNS}, c.embedding FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE {_searchable(scoped)})
    SELECT id, document_id, ordinal, text, page, heading_path, char_start, char_end, filename,
        embedding <=> CAST(:query AS vector) AS distance
    FROM mine
    ORDER BY distance, id LIMIT :limit""")


@cache
def scan_settings(scoped: bool) -> TextClause:
    """One round trip: this transaction's HNSW settings, and how many chunks the search may return, from the
    ready documents' chunk counts (read up to a bound of documents; each has at least one chunk). Counting
    chunk rows instead visits a heap page per row wherever the visibility map is not set yet."""
    in_scope = f" AND {_IN_SCOPE}" if scoped else ""
    return text(f"""SELECT set_config('hnsw.ef_search', :ef_search, true),
    set_config('hnsw.iterative_scan', 'relaxed_order', true),
    set_config('hnsw.max_scan_tuples', :max_scan_tuples, true),
    (SELECT coalesce(sum(chunks_total), 0) FROM (
        SELECT d.chunks_total FROM documents d WHERE d.owner_id = :owner AND d.status = 'ready'{in_scope}
        LIMIT :bound) AS o) AS owned""")


INSERT = text("""
    INSERT INTO chunks (id, document_id, owner_id, ordinal, text, char_start, char_end, page, heading_path,
                        embedding)
    VALUES (:id, :document_id, :owner_id, :ordinal, :text, :char_start, :char_end, :page, :heading_path,
            CAST(:embedding AS vector))""")


def vector_literal(vector: Sequence[float]) -> str:
    """pgvector's text form, for SQL written by hand (tests, benchmarks); the adapter sends vectors in binary
    (``vector_codec``)."""
    return "[" + ",".join(f"{float(v):.7g}" for v in vector) + "]"
