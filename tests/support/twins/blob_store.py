from __future__ import annotations

from collections.abc import AsyncIterator

from domain.errors import NotFound


class MemoryBlobStore:
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    async def put(self, key: str, data: bytes) -> None:
        self.blobs[key] = bytes(data)

    async def get(self, key: str) -> bytes:
        try:
            return self.blobs[key]
        except KeyError:
            raise NotFound("the stored file is missing") from None

    async def open(self, key: str) -> AsyncIterator[bytes]:
        data = await self.get(key)
        return _pieces(data)

    async def delete(self, key: str) -> None:
        self.blobs.pop(key, None)


async def _pieces(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]
