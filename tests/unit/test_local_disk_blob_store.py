"""Deleting an owner's last file removes their folder too, so nothing named after them stays on disk; files are
read back in pieces."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.blobs.local_disk_blob_store import LocalDiskBlobStore
from domain.errors import NotFound


async def test_a_folder_emptied_by_a_delete_goes_and_the_root_stays(tmp_path: Path) -> None:
    root = tmp_path / "blobs"
    store = LocalDiskBlobStore(root)
    await store.put("owner-a/doc-1", b"one")
    await store.put("owner-a/doc-2", b"two")
    await store.put("owner-b/doc-3", b"three")

    await store.delete("owner-a/doc-1")
    assert sorted(p.name for p in root.iterdir()) == ["owner-a", "owner-b"]
    await store.delete("owner-a/doc-2")
    await store.delete("owner-a/doc-2")  # twice is fine
    assert sorted(p.name for p in root.iterdir()) == ["owner-b"]

    await store.put("owner-a/doc-4", b"four")  # the folder comes back when needed
    assert await store.get("owner-a/doc-4") == b"four"
    await store.delete("owner-a/doc-4")
    await store.delete("owner-b/doc-3")
    assert root.is_dir() and list(root.iterdir()) == []


async def test_a_file_is_read_back_in_pieces_and_a_missing_one_fails_before_reading(tmp_path: Path) -> None:
    store = LocalDiskBlobStore(tmp_path / "blobs")
    data = bytes(range(256)) * 3000  # three pieces: 768,000 bytes
    await store.put("owner-a/doc-1", data)

    pieces = [piece async for piece in await store.open("owner-a/doc-1")]
    assert len(pieces) == 3 and b"".join(pieces) == data
    with pytest.raises(NotFound):
        await store.open("owner-a/doc-2")
