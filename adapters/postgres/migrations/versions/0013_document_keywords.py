"""Document-level keyword evidence: ``documents.tsv`` holds the full-text vectors of all the document's chunks
together, and one GIN index serves it per owner, as ``ix_chunks_owner_tsv`` serves the chunks.

A question whose words are spread over a document's passages (each passage holds one of them) matches the
document as a whole even though no single passage matches well; the hybrid search ranks documents by it as a
third list (``adapters/postgres/document_keyword_search.py``).

``ragchat_keywords`` concatenates the chunks' vectors in order (positions are shifted, weights kept). A
tsvector holds at most 1 MB of lexeme text, so a chunk that would take the document's vector near that is left
out (its passages still match on their own): only a very large document with a very large vocabulary loses
words. The column is written with the chunks (``chunk_writes.replace_chunks``); existing documents are filled
here from their stored chunks, nothing is re-embedded.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE FUNCTION ragchat_keywords_add(tsvector, tsvector) RETURNS tsvector LANGUAGE sql IMMUTABLE "
        "PARALLEL SAFE RETURN CASE WHEN $2 IS NULL OR pg_column_size($1) + 2 * pg_column_size($2) > 900000 "
        "THEN $1 ELSE $1 || $2 END"
    )
    op.execute(
        "CREATE AGGREGATE ragchat_keywords(tsvector) (SFUNC = ragchat_keywords_add, STYPE = tsvector, INITCOND = '')"
    )
    op.execute("ALTER TABLE documents ADD COLUMN tsv tsvector")
    op.execute(
        """UPDATE documents d SET tsv = k.tsv
        FROM (SELECT document_id, ragchat_keywords(tsv ORDER BY ordinal) AS tsv FROM chunks GROUP BY document_id) k
        WHERE k.document_id = d.id"""
    )
    op.execute("CREATE INDEX ix_documents_owner_tsv ON documents USING gin ((ARRAY[owner_id]), tsv)")
    op.execute("ANALYZE documents")  # word rarity among documents comes from the new column's statistics


def downgrade() -> None:
    op.execute("DROP INDEX ix_documents_owner_tsv")
    op.execute("ALTER TABLE documents DROP COLUMN tsv")
    op.execute("DROP AGGREGATE ragchat_keywords(tsvector)")
    op.execute("DROP FUNCTION ragchat_keywords_add(tsvector, tsvector)")
