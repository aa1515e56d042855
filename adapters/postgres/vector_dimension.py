"""The dimension of the stored vectors (``chunks.embedding``), and changing it for another embedder.

Migration 0002 fixes the column as ``vector(N)`` from ``RAGCHAT_EMBEDDING_DIMENSION``. Vectors of another
dimension cannot be compared with (or converted into) the old ones, so the change is not online: in one
transaction, under the migrations' advisory lock, every chunk is deleted, the column's type changed and the
HNSW index rebuilt (on an empty table: instant). Documents stay ``ready`` with no passages until re-embedded
(``ragchat reindex`` does that right after); keyword search finds nothing for them meanwhile either.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.migrate import MIGRATION_LOCK_KEY


async def stored_dimension(engine: AsyncEngine) -> int | None:
    """The ``N`` of ``chunks.embedding vector(N)``; None before the chunks table exists."""
    async with engine.connect() as connection:
        modifier = await connection.scalar(
            text(
                "SELECT atttypmod FROM pg_attribute "
                "WHERE attrelid = to_regclass('chunks') AND attname = 'embedding' AND NOT attisdropped"
            )
        )
    return int(modifier) if modifier is not None and modifier > 0 else None


async def change_dimension(engine: AsyncEngine, dimension: int, *, hnsw_m: int, hnsw_ef_construction: int) -> int:
    """Deletes every chunk, makes the column ``vector(dimension)`` and rebuilds its HNSW index, atomically;
    returns how many chunks were deleted."""
    if not 1 <= dimension <= 16_000:
        raise ValueError(f"embedding dimension {dimension} is out of range")
    async with engine.begin() as connection:
        await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        deleted = (await connection.execute(text("DELETE FROM chunks"))).rowcount
        await connection.execute(text("UPDATE documents SET tsv = NULL WHERE tsv IS NOT NULL"))
        await connection.execute(text("DROP INDEX IF EXISTS ix_chunks_embedding"))
        await connection.execute(text(f"ALTER TABLE chunks ALTER COLUMN embedding TYPE vector({int(dimension)})"))
        await connection.execute(
            text(
                "CREATE INDEX ix_chunks_embedding ON chunks USING hnsw (embedding vector_cosine_ops) "
                f"WITH (m = {int(hnsw_m)}, ef_construction = {int(hnsw_ef_construction)})"
            )
        )
    return int(deleted)
