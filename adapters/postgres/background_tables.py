"""The tables of background work (migration 0003), on the same ``metadata`` as ``tables``: the embedded
runner's job queue, token usage per assistant message and the rolling chat context."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Table,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import UUID

from adapters.postgres.tables import metadata

UNFINISHED = ("queued", "running")

jobs = Table(
    "jobs",
    metadata,
    Column("id", BigInteger, Identity(always=True), primary_key=True),
    Column("key", Text, nullable=False),
    Column("command", Text, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("status", Text, nullable=False, server_default=text("'queued'")),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text, nullable=True),
    Column("run_after", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    Column("runner", Integer, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    CheckConstraint("status IN ('queued', 'running', 'failed', 'done')", name="status"),
    Index("uq_jobs_key_unfinished", "key", unique=True, postgresql_where=text("status IN ('queued', 'running')")),
    Index("ix_jobs_run_after_queued", "run_after", "id", postgresql_where=text("status = 'queued'")),
    Index("ix_jobs_status_id", "status", "id"),
)

token_usage = Table(
    "token_usage",
    metadata,
    Column("message_id", UUID(as_uuid=True), primary_key=True),
    Column("user_id", UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("chat_id", UUID(as_uuid=True), nullable=False),
    Column("prompt_tokens", Integer, nullable=False),
    Column("completion_tokens", Integer, nullable=False),
    Column("estimated", Boolean, nullable=False, server_default=text("false")),
    Column("recorded_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    Index("ix_token_usage_user_id_chat_id", "user_id", "chat_id"),
)

chat_contexts = Table(
    "chat_contexts",
    metadata,
    Column("chat_id", UUID(as_uuid=True), ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True),
    Column("summary", Text, nullable=False, server_default=text("''")),
    Column("summarized_through", Integer, nullable=False, server_default=text("0")),
    Column("updated_at", DateTime(timezone=True), nullable=True),
)
