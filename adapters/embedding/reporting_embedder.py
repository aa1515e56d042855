"""An ``Embedder`` that says how many passages it has embedded, as it goes, for progress displays.

Bulk indexing hands the embedder a few hundred passages at a time; on a CPU that is a minute of silence. This
wrapper embeds them ``slice_size`` at a time (in order, so nothing else changes) and reports each slice, so a
command can show passages per second and move its bar within one large file.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from application.ports.embedder import Embedder


class ReportingEmbedder:
    def __init__(self, inner: Embedder, on_embedded: Callable[[int], None], *, slice_size: int = 16) -> None:
        self._inner = inner
        self._on_embedded = on_embedded
        self._slice_size = max(1, slice_size)

    @property
    def dimension(self) -> int:
        return self._inner.dimension

    async def embed_documents(
        self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None
    ) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self._slice_size):
            part = texts[start : start + self._slice_size]
            vectors += await self._inner.embed_documents(part, owner_id=owner_id)
            self._on_embedded(len(part))
        return vectors

    async def embed_query(self, text: str) -> list[float]:
        return await self._inner.embed_query(text)
