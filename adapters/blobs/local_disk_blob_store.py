from __future__ import annotations

import asyncio
import os
import re
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

from domain.errors import NotFound

_SAFE_KEY = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")
READ_SIZE = 256 * 1024


class LocalDiskBlobStore:
    """Files under one root folder. Writes go to a temp file and are renamed, so a crash never leaves half a file.

    For several API replicas the root must be a shared volume (or swap in an object-store adapter).
    """

    def __init__(self, root: Path) -> None:
        self._root = root

    def _path(self, key: str) -> Path:
        if not _SAFE_KEY.match(key):
            raise ValueError(f"unsafe blob key {key!r}")
        return self._root / key

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._write, self._path(key), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        for attempt in range(3):  # a concurrent delete may remove the folder between mkdir and mkstemp
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
                break
            except FileNotFoundError:
                if attempt == 2:
                    raise
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except FileNotFoundError:
            raise NotFound("the stored file is missing") from None

    async def open(self, key: str) -> AsyncIterator[bytes]:
        path = self._path(key)
        try:
            handle = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError:
            raise NotFound("the stored file is missing") from None
        return _pieces(handle)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._delete, self._path(key))

    def _delete(self, path: Path) -> None:
        """Folders the delete leaves empty (an owner's, once their last file is gone) go too."""
        path.unlink(missing_ok=True)
        folder = path.parent
        while folder != self._root and self._root in folder.parents:
            try:
                folder.rmdir()
            except OSError:  # not empty (or already gone): stop climbing
                return
            folder = folder.parent


async def _pieces(handle: BinaryIO) -> AsyncIterator[bytes]:
    """Reads in a worker thread piece by piece; the file closes when the reader finishes or gives up."""
    try:
        while piece := await asyncio.to_thread(handle.read, READ_SIZE):
            yield piece
    finally:
        handle.close()
