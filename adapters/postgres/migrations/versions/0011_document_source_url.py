"""Documents added by URL remember where they came from, so they can be fetched again.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE documents ADD COLUMN source_url text")


def downgrade() -> None:
    op.execute("ALTER TABLE documents DROP COLUMN source_url")
