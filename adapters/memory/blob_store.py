from __future__ import annotations

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

    async def delete(self, key: str) -> None:
        self.blobs.pop(key, None)
