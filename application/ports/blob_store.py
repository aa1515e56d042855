from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol


class BlobStore(Protocol):
    """Where uploaded files live until (and after) they are indexed."""

    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes:
        """Raises ``NotFound`` when the blob is gone."""
        ...

    async def open(self, key: str) -> AsyncIterator[bytes]:
        """The blob in pieces, so a download never holds a whole file in memory. Raises ``NotFound`` here, when
        the blob is gone, not in the middle of the iteration (when a response has already started)."""
        ...

    async def delete(self, key: str) -> None:
        """Deleting a missing blob is not an error (deletes are retried)."""
        ...
