"""Deleting an owner's last file removes their folder too, so nothing named after them stays on disk."""

from __future__ import annotations

from pathlib import Path

from adapters.blobs.local_disk_blob_store import LocalDiskBlobStore


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
