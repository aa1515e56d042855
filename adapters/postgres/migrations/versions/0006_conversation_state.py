"""Keep why a turn failed with its question, and whether the person chose the chat's title.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("chat_messages", sa.Column("error", JSONB, nullable=True))
    op.add_column("chats", sa.Column("titled_by_user", sa.Boolean, nullable=False, server_default=sa.text("false")))
    # Chats named before titles were generated: any title but the default was chosen by a person.
    op.execute("UPDATE chats SET titled_by_user = true WHERE title <> 'New chat'")


def downgrade() -> None:
    op.drop_column("chats", "titled_by_user")
    op.drop_column("chat_messages", "error")
