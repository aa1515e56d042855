"""Chunks: the indexed passages with their embedding (pgvector HNSW, cosine) and full-text vector (GIN).

The vector dimension and the HNSW build parameters are settings, so this revision reads them when it runs:
from ``config.attributes`` (``embedding_dimension``, ``hnsw_m``, ``hnsw_ef_construction``, set by whoever
runs the migrations), else from the ``RAGCHAT_*`` environment variables of the same names, else the
defaults that match the embedded all-MiniLM-L6-v2 model. Changing the dimension later needs a re-index.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import os

from alembic import context, op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

DEFAULTS = {"embedding_dimension": 384, "hnsw_m": 16, "hnsw_ef_construction": 400}  # as entrypoints/settings.py
TEXT_SEARCH_CONFIG = "english"  # also in adapters/postgres/chunk_queries.py: queries must use the same one


def _option(name: str) -> int:
    raw = context.config.attributes.get(name) or os.environ.get(f"RAGCHAT_{name.upper()}") or DEFAULTS[name]
    value = int(raw)
    if not 1 <= value <= 16_000:
        raise ValueError(f"{name} = {value} is out of range")
    return value


def upgrade() -> None:
    dimension = _option("embedding_dimension")
    m = _option("hnsw_m")
    ef_construction = _option("hnsw_ef_construction")
    op.execute(
        f"""
        CREATE TABLE chunks (
            id uuid NOT NULL,
            document_id uuid NOT NULL,
            owner_id uuid NOT NULL,
            ordinal integer NOT NULL,
            text text NOT NULL,
            char_start integer NOT NULL,
            char_end integer NOT NULL,
            page integer,
            heading_path text[] NOT NULL DEFAULT '{{}}',
            embedding vector({dimension}) NOT NULL,
            tsv tsvector GENERATED ALWAYS AS (to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, text)) STORED,
            CONSTRAINT pk_chunks PRIMARY KEY (id),
            CONSTRAINT fk_chunks_document_id_documents FOREIGN KEY (document_id)
                REFERENCES documents (id) ON DELETE CASCADE,
            CONSTRAINT uq_chunks_document_id_ordinal UNIQUE (document_id, ordinal)
        )
        """
    )
    op.execute("CREATE INDEX ix_chunks_owner_id ON chunks (owner_id)")
    op.execute("CREATE INDEX ix_chunks_tsv ON chunks USING gin (tsv)")
    op.execute(
        "CREATE INDEX ix_chunks_embedding ON chunks USING hnsw (embedding vector_cosine_ops) "
        f"WITH (m = {m}, ef_construction = {ef_construction})"
    )


def downgrade() -> None:
    op.execute("DROP TABLE chunks")
