"""Accounts: roles (the oldest account becomes the administrator), disabled accounts, invitations.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("role", sa.Text, nullable=False, server_default=sa.text("'member'")))
    op.add_column("users", sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
    op.create_check_constraint("ck_users_role", "users", "role IN ('admin', 'member')")
    # An existing install keeps working: its first account is its administrator, as on a new one.
    op.execute("UPDATE users SET role = 'admin' WHERE id = (SELECT id FROM users ORDER BY created_at, id LIMIT 1)")

    op.create_table(
        "invitations",
        sa.Column("id", UUID(as_uuid=True), nullable=False),
        sa.Column("code_hash", sa.Text, nullable=False),
        sa.Column("email", sa.Text, nullable=True),
        sa.Column("created_by", UUID(as_uuid=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by", UUID(as_uuid=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_invitations"),
        sa.UniqueConstraint("code_hash", name="uq_invitations_code_hash"),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name="fk_invitations_created_by_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["used_by"], ["users.id"], name="fk_invitations_used_by_users", ondelete="SET NULL"),
    )
    op.create_index("ix_invitations_created_by", "invitations", ["created_by"])
    op.create_index("ix_invitations_used_by", "invitations", ["used_by"])


def downgrade() -> None:
    op.drop_table("invitations")
    op.drop_constraint("ck_users_role", "users")
    op.drop_column("users", "disabled_at")
    op.drop_column("users", "role")
