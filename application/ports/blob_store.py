from __future__ import annotations

from typing import Protocol


class BlobStore(Protocol):
    """Where uploaded files live until (and after) they are indexed."""

    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes:
        """Raises ``NotFound`` when the blob is gone."""
        ...

    async def delete(self, key: str) -> None:
        """Deleting a missing blob is not an error (deletes are retried)."""
        ...
