from __future__ import annotations

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

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order. Raises ``EmbedderUnavailable``."""
        ...

    async def embed_query(self, text: str) -> list[float]:
        """Some models embed questions differently from passages; this is the question side."""
        ...
