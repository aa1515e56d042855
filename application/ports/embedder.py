from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Protocol

from domain.errors import ServiceUnavailable


class EmbedderUnavailable(ServiceUnavailable):
    """The embedding model or endpoint failed (down, timed out, wrong dimension); indexing may be retried."""

    code = "embedder_unavailable"


class Embedder(Protocol):
    """Turns text into unit-length vectors of a fixed ``dimension`` (cosine similarity == dot product)."""

    @property
    def dimension(self) -> int: ...

    async def embed_documents(
        self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None
    ) -> list[list[float]]:
        """One vector per text, in order. Raises ``EmbedderUnavailable``. ``owner_id`` (whose document this
        is) lets a shared embedder take turns between owners; a plain model ignores it."""
        ...

    async def embed_query(self, text: str) -> list[float]:
        """Some models embed questions differently from passages; this is the question side. A person is
        waiting for it, so it goes before queued document batches."""
        ...
