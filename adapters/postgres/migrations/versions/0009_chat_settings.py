"""Per-chat settings: the model that answers (NULL: the configured default), the person's instructions and the
temperature (NULL: the model server's default).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE chats ADD COLUMN model text")
    op.execute("ALTER TABLE chats ADD COLUMN instructions text NOT NULL DEFAULT ''")
    op.execute("ALTER TABLE chats ADD COLUMN temperature double precision")
    op.execute("ALTER TABLE chats ADD CONSTRAINT ck_chats_temperature CHECK (temperature >= 0 AND temperature <= 2)")


def downgrade() -> None:
    op.execute("ALTER TABLE chats DROP CONSTRAINT ck_chats_temperature")
    op.execute("ALTER TABLE chats DROP COLUMN temperature")
    op.execute("ALTER TABLE chats DROP COLUMN instructions")
    op.execute("ALTER TABLE chats DROP COLUMN model")
