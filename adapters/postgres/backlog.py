from __future__ import annotations

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.errors import translate_errors
from adapters.postgres.tables import chat_messages, documents


class Backlog(msgspec.Struct, frozen=True):
    documents: dict[str, int]
    """Documents ``pending`` or ``indexing``, by status."""
    unanswered: int
    """User messages still ``pending``."""


@translate_errors
async def read_backlog(engine: AsyncEngine) -> Backlog:
    """Work waiting across the deployment, for the metrics endpoint (two index-backed counts)."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(documents.c.status, func.count())
            .where(documents.c.status.in_(("pending", "indexing")))
            .group_by(documents.c.status)
        )
        waiting = {row[0]: int(row[1]) for row in rows}
        unanswered = await connection.scalar(
            select(func.count())
            .select_from(chat_messages)
            .where(chat_messages.c.status == "pending", chat_messages.c.role == "user")
        )
    return Backlog(documents=waiting, unanswered=int(unanswered or 0))
