"""Foundation: users, refresh tokens, documents, chats and chat messages; the pgvector extension.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB, UUID

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _uuid(name: str, **kw: object) -> sa.Column[object]:
    return sa.Column(name, UUID(as_uuid=True), **kw)  # type: ignore[arg-type]


def _ts(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _cascade(column: str, target: str, table: str) -> sa.ForeignKeyConstraint:
    """``<table>.<column>`` → ``<target>.id``, deleted with its parent."""
    name = f"fk_{table}_{column}_{target}"
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name, ondelete="CASCADE")


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS vector")

    op.create_table(
        "users",
        _uuid("id", nullable=False),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
        sa.CheckConstraint("email = lower(email)", name="ck_users_email_lower_case"),
    )

    op.create_table(
        "refresh_tokens",
        _uuid("id", nullable=False),
        _uuid("user_id", nullable=False),
        _uuid("family_id", nullable=False),
        sa.Column("token_hash", sa.Text, nullable=False),
        _ts("expires_at"),
        _ts("revoked_at", nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("now()")),
        sa.PrimaryKeyConstraint("id", name="pk_refresh_tokens"),
        _cascade("user_id", "users", "refresh_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_refresh_tokens_token_hash"),
    )
    op.create_index("ix_refresh_tokens_family_id", "refresh_tokens", ["family_id"])
    op.create_index("ix_refresh_tokens_user_id", "refresh_tokens", ["user_id"])

    op.create_table(
        "documents",
        _uuid("id", nullable=False),
        _uuid("owner_id", nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("content_type", sa.Text, nullable=False),
        sa.Column("size_bytes", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("blob_key", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("failure_reason", sa.Text, nullable=True),
        sa.Column("chunks_done", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("chunks_total", sa.Integer, nullable=False, server_default=sa.text("0")),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        _cascade("owner_id", "users", "documents"),
        sa.CheckConstraint(
            "status IN ('pending', 'indexing', 'ready', 'failed')", name="ck_documents_status"
        ),
    )
    op.create_index("ix_documents_owner_id_created_at", "documents", ["owner_id", "created_at"])

    op.create_table(
        "chats",
        _uuid("id", nullable=False),
        _uuid("owner_id", nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("stage", sa.Text, nullable=False),
        sa.Column("message_count", sa.Integer, nullable=False, server_default=sa.text("0")),
        _ts("created_at"),
        _ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_chats"),
        _cascade("owner_id", "users", "chats"),
        sa.CheckConstraint("stage IN ('answering', 'test')", name="ck_chats_stage"),
    )
    op.create_index("ix_chats_owner_id_updated_at", "chats", ["owner_id", "updated_at"])

    op.create_table(
        "chat_messages",
        _uuid("id", nullable=False),
        _uuid("chat_id", nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("role", sa.Text, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("client_msg_id", sa.Text, nullable=True),
        _uuid("reply_to", nullable=True),
        sa.Column("citations", JSONB, nullable=False, server_default=sa.text("'[]'::jsonb")),
        sa.Column("prompt_tokens", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("completion_tokens", sa.Integer, nullable=False, server_default=sa.text("0")),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_chat_messages"),
        _cascade("chat_id", "chats", "chat_messages"),
        sa.UniqueConstraint("chat_id", "position", name="uq_chat_messages_chat_id_position"),
        sa.UniqueConstraint("chat_id", "client_msg_id", name="uq_chat_messages_chat_id_client_msg_id"),
        sa.CheckConstraint("role IN ('user', 'assistant')", name="ck_chat_messages_role"),
        sa.CheckConstraint(
            "status IN ('pending', 'complete', 'interrupted')", name="ck_chat_messages_status"
        ),
    )


def downgrade() -> None:
    for table in ("chat_messages", "chats", "documents", "refresh_tokens", "users"):
        op.drop_table(table)
    # The vector extension stays: later revisions' tables (or other apps) may depend on it.
