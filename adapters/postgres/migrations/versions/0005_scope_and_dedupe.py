"""Document tags and per-chat document scope; content-hash lookup per owner for duplicate uploads.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE documents ADD COLUMN tags text[] NOT NULL DEFAULT '{}'")
    # Not unique: databases from before this revision may already hold duplicates; the upload checks first.
    op.execute("CREATE INDEX ix_documents_owner_id_sha256 ON documents (owner_id, sha256)")
    op.execute("ALTER TABLE chats ADD COLUMN scope_document_ids uuid[] NOT NULL DEFAULT '{}'")
    op.execute("ALTER TABLE chats ADD COLUMN scope_tags text[] NOT NULL DEFAULT '{}'")


def downgrade() -> None:
    op.execute("ALTER TABLE chats DROP COLUMN scope_tags")
    op.execute("ALTER TABLE chats DROP COLUMN scope_document_ids")
    op.execute("DROP INDEX ix_documents_owner_id_sha256")
    op.execute("ALTER TABLE documents DROP COLUMN tags")
