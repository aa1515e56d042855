"""The schema as SQLAlchemy Core tables. Rows are mapped to domain structs by hand in the repositories;
nothing from here leaves the adapter.

The migrations (``migrations/versions``) are the source of truth for the live schema and are written by hand;
this module must describe the same tables. Constraint names are fixed because the repositories translate
violations of specific constraints into domain errors. The ``chunks`` table (pgvector) comes in
migration 0002.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

USERS_EMAIL_UNIQUE = "uq_users_email"
MESSAGES_CLIENT_MSG_ID_UNIQUE = "uq_chat_messages_chat_id_client_msg_id"
MESSAGES_POSITION_UNIQUE = "uq_chat_messages_chat_id_position"


def _timestamp(name: str, nullable: bool = False) -> Column[object]:
    return Column(name, DateTime(timezone=True), nullable=nullable)


users = Table(
    "users",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("email", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    _timestamp("created_at"),
    Column("role", Text, nullable=False, server_default=text("'member'")),
    _timestamp("disabled_at", nullable=True),
    UniqueConstraint("email", name=USERS_EMAIL_UNIQUE),
    CheckConstraint("email = lower(email)", name="email_lower_case"),
    CheckConstraint("role IN ('admin', 'member')", name="role"),
)

invitations = Table(  # migration 0007
    "invitations",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("code_hash", Text, nullable=False, unique=True),
    Column("email", Text, nullable=True),
    Column("created_by", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    _timestamp("created_at"),
    _timestamp("expires_at"),
    _timestamp("used_at", nullable=True),
    Column("used_by", UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Index("ix_invitations_created_by", "created_by"),
    Index("ix_invitations_used_by", "used_by"),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("family_id", UUID(as_uuid=True), nullable=False, index=True),
    Column("token_hash", Text, nullable=False, unique=True),
    _timestamp("expires_at"),
    _timestamp("revoked_at", nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    Index("ix_refresh_tokens_user_id", "user_id"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("owner_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("filename", Text, nullable=False),
    Column("content_type", Text, nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("blob_key", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("failure_reason", Text, nullable=True),
    Column("chunks_done", Integer, nullable=False, server_default=text("0")),
    Column("chunks_total", Integer, nullable=False, server_default=text("0")),
    _timestamp("created_at"),
    _timestamp("updated_at"),
    Column("tags", ARRAY(Text), nullable=False, server_default=text("'{}'")),  # migration 0005
    Column("source_url", Text, nullable=True),  # documents added by URL (migration 0011)
    # All its chunks' full-text vectors together, written with the chunks (migration 0013).
    Column("tsv", TSVECTOR, nullable=True),
    CheckConstraint("status IN ('pending', 'indexing', 'ready', 'failed')", name="status"),
    Index("ix_documents_owner_id_created_at", "owner_id", "created_at"),
    Index("ix_documents_owner_id_sha256", "owner_id", "sha256"),  # duplicate uploads (migration 0005)
    # The document-level keyword ranking's index, per owner as ix_chunks_owner_tsv (migration 0013).
    Index("ix_documents_owner_tsv", text("(ARRAY[owner_id])"), "tsv", postgresql_using="gin"),
    Index(  # the sweeper's scan for documents stuck before `ready` (migration 0004)
        "ix_documents_waiting_updated_at", "updated_at", postgresql_where=text("status IN ('pending', 'indexing')")
    ),
)

chats = Table(
    "chats",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("owner_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("title", Text, nullable=False),
    Column("stage", Text, nullable=False),
    Column("message_count", Integer, nullable=False, server_default=text("0")),
    Column("titled_by_user", Boolean, nullable=False, server_default=text("false")),
    Column("pinned", Boolean, nullable=False, server_default=text("false")),  # migration 0010
    _timestamp("created_at"),
    _timestamp("updated_at"),
    # The documents the chat searches (migration 0005): these ids plus those tagged so; both empty = all.
    Column("scope_document_ids", ARRAY(UUID(as_uuid=True)), nullable=False, server_default=text("'{}'")),
    Column("scope_tags", ARRAY(Text), nullable=False, server_default=text("'{}'")),
    # The chat's own settings (migration 0009): NULL model/temperature fall back to the configuration.
    Column("model", Text, nullable=True),
    Column("instructions", Text, nullable=False, server_default=text("''")),
    Column("temperature", Double, nullable=True),
    CheckConstraint("stage IN ('answering', 'test')", name="stage"),
    CheckConstraint("temperature >= 0 AND temperature <= 2", name="temperature"),
    Index("ix_chats_owner_id_updated_at", "owner_id", "updated_at"),
)

chat_messages = Table(
    "chat_messages",
    metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("chat_id", UUID(as_uuid=True), ForeignKey("chats.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("role", Text, nullable=False),
    Column("content", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("client_msg_id", Text, nullable=True),
    Column("reply_to", UUID(as_uuid=True), nullable=True),
    Column("citations", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("prompt_tokens", Integer, nullable=False, server_default=text("0")),
    Column("completion_tokens", Integer, nullable=False, server_default=text("0")),
    Column("error", JSONB, nullable=True),
    _timestamp("created_at"),
    # Edits and regenerates (migration 0012): the question a replacement replaces; what replaced a message.
    Column("replaces", UUID(as_uuid=True), nullable=True),
    Column("superseded_by", UUID(as_uuid=True), nullable=True),
    UniqueConstraint("chat_id", "position", name=MESSAGES_POSITION_UNIQUE),
    UniqueConstraint("chat_id", "client_msg_id", name=MESSAGES_CLIENT_MSG_ID_UNIQUE),
    CheckConstraint("role IN ('user', 'assistant')", name="role"),
    CheckConstraint("status IN ('pending', 'complete', 'interrupted')", name="status"),
    # The sweeper's scan: unanswered messages are few, so the partial index stays tiny (migration 0004).
    Index("ix_chat_messages_pending_created_at", "created_at", postgresql_where=text("status = 'pending'")),
)
