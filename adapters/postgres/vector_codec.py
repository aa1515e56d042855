"""Vectors travel in pgvector's binary form: registered on every new asyncpg connection of an engine.

The text form (``[0.1234567,…]``) costs a float-to-text conversion per value in Python and a parse per value in
the server; 384 floats a chunk add up at ingest. A database without the ``vector`` extension yet (before the
migrations ran) gets no codec; its connections are recycled by the pool like any other.
"""

from __future__ import annotations

from typing import Any

from pgvector.asyncpg import register_vector
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


def send_vectors_in_binary(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def register(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.run_async(_register)


async def _register(connection: Any) -> None:
    try:
        await register_vector(connection)
    except ValueError as exc:  # "unknown type: public.vector": the extension is not created yet
        if not str(exc).startswith("unknown type"):
            raise
