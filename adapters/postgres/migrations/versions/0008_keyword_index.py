"""Keyword search at scale: headings weighted into the full-text vector, and one GIN index over the owner and
the full-text vector together.

* ``tsv`` now holds the chunk's heading path with weight A before its text (weight D), so a passage under
  "Installation" matches "install" and ranks higher for it; the query side weights A above D.
* ``ix_chunks_owner_tsv`` is a two-column GIN index: ``ARRAY[owner_id]`` (core ``array_ops``) and ``tsv``.
  With only ``tsv`` indexed, a large owner's search combined a bitmap of *all* the owner's rows with the term
  bitmap, or filtered every owned row by ``@@``. GIN intersects both keys itself and skips through the large
  owner entry using the rare term's postings. ``btree_gin`` would allow plain ``owner_id`` in the index, but
  the embedded server ships without contrib, and the array form needs nothing beyond core.

* ``toast_tuple_target = 8160``: a chunk row (text, 384-dimension vector, tsv: 3-5 KB) stays whole in its heap
  page, uncompressed. With the default 2 KB target the vector went to the TOAST table (fetched again for each
  hit's distance) and the tsv was often compressed, so each ``ts_rank`` call of the ranking decompressed it.

Rewrites the ``chunks`` table (the generated column is recomputed), which takes a while on a large database.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TEXT_SEARCH_CONFIG = "english"  # also in adapters/postgres/chunk_queries.py: queries must use the same one


def upgrade() -> None:
    # array_to_string is only STABLE (it calls element output functions); for text[] it is immutable.
    op.execute(
        "CREATE OR REPLACE FUNCTION ragchat_heading_text(text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE "
        "RETURN array_to_string($1, ' ')"
    )
    op.execute("ALTER TABLE chunks SET (toast_tuple_target = 8160)")
    op.execute("ALTER TABLE chunks DROP COLUMN tsv")
    op.execute(
        f"""ALTER TABLE chunks ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, ragchat_heading_text(heading_path)), 'A')
            || to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, text)) STORED"""
    )
    op.execute("CREATE INDEX ix_chunks_owner_tsv ON chunks USING gin ((ARRAY[owner_id]), tsv)")
    op.execute("ANALYZE chunks")  # word rarity for the ranking comes from the new column's statistics


def downgrade() -> None:
    op.execute("ALTER TABLE chunks RESET (toast_tuple_target)")
    op.execute("ALTER TABLE chunks DROP COLUMN tsv")
    op.execute(
        f"ALTER TABLE chunks ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('{TEXT_SEARCH_CONFIG}'::regconfig, text)) STORED"
    )
    op.execute("CREATE INDEX ix_chunks_tsv ON chunks USING gin (tsv)")
    op.execute("DROP FUNCTION ragchat_heading_text(text[])")
