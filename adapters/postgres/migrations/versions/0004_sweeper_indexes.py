"""Partial indexes for the sweeper: documents not yet indexed and messages not yet answered.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_documents_waiting_updated_at ON documents (updated_at) "
        "WHERE status IN ('pending', 'indexing')"
    )
    op.execute(
        "CREATE INDEX ix_chat_messages_pending_created_at ON chat_messages (created_at) WHERE status = 'pending'"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_chat_messages_pending_created_at")
    op.execute("DROP INDEX ix_documents_waiting_updated_at")
