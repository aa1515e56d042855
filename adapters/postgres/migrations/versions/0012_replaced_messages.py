"""Edits and regenerates: a replacing question names the question it replaces; a replaced message names what
replaced it and leaves the conversation (it stays stored: its tokens were spent).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("chat_messages", sa.Column("replaces", UUID(as_uuid=True), nullable=True))
    op.add_column("chat_messages", sa.Column("superseded_by", UUID(as_uuid=True), nullable=True))


def downgrade() -> None:
    op.drop_column("chat_messages", "superseded_by")
    op.drop_column("chat_messages", "replaces")
