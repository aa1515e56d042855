"""At start-up: the stored vectors must have the dimension the embedder is configured for.

Otherwise every upload would fail at its first insert and every search at its first query, long after the
start looked fine. ``ragchat reindex --change-dimension`` is the one command that starts on a mismatch (to fix
it), so the check runs where the server and the workers start, not where the database is opened.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from entrypoints.settings import Settings
from entrypoints.settings_loading import SettingsError


class VectorSchemaCheck:
    def __init__(self, engine: AsyncEngine | None, settings: Settings) -> None:
        self._engine = engine
        self._settings = settings

    async def verify(self) -> None:
        """Raises ``SettingsError`` naming both sizes and the two ways out."""
        if self._engine is None:
            return
        from adapters.postgres.vector_dimension import stored_dimension

        stored, wanted = await stored_dimension(self._engine), self._settings.embedding_dimension
        if stored is None or stored == wanted:
            return
        embedder = self._settings.embedder
        model = f" ({self._settings.embedding_model})" if embedder == "openai" else ""
        raise SettingsError(
            f"RAGCHAT_EMBEDDING_DIMENSION is {wanted} (embedder {embedder}{model}) but the database stores "
            f"{stored}-dimensional vectors. Set RAGCHAT_EMBEDDING_DIMENSION={stored} with an embedder that makes "
            f"{stored} dimensions, or re-embed every document at {wanted}: stop the servers and run "
            '`ragchat reindex --change-dimension` (docs/operations.md, "Changing the embedder")'
        )
