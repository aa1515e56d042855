"""``ragchat ingest``'s group pipeline on the in-memory twins: every file of several groups is reported once,
in order, with what became of it; an error while uploading ahead ends the load
with that error (it does not hang)."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import pytest
from dishka import Provider, Scope, provide

from adapters.parsing.document_parsers import DocumentParsers
from application.commands import ListDocuments
from application.ports.blob_store import BlobStore
from application.ports.document_parser import DocumentParser
from domain.documents import DocumentStatus
from entrypoints.cli import ingest_groups
from tests.support.memory_app import memory_app
from tests.support.twins.blob_store import MemoryBlobStore
from tests.unit.ingestion.test_index_documents import book


class InThreadParsers(Provider):
    @provide(scope=Scope.APP)
    def parser(self) -> DocumentParser:
        return DocumentParsers()


class Items:
    """What a ``Report`` is told about each file."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str, int]] = []

    def item(self, name: str, status: str, detail: str = "", passages: int = 0) -> None:
        self.seen.append((name, status, detail, passages))


async def test_every_file_of_several_groups_is_reported_once_in_order_with_its_outcome(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_groups, "GROUP", 2)
    files = [tmp_path / f"{n:02}-topic{n}.md" for n in range(7)]
    for n, path in enumerate(files):
        path.write_bytes(book(f"topic{n}", 3))
    files[4].write_bytes(files[1].read_bytes())  # a copy: skipped as already uploaded
    files[5].write_bytes(b"")  # refused at upload
    files.append(tmp_path / "gone.md")  # unreadable
    owner = uuid.uuid4()
    items = Items()
    async with memory_app(InThreadParsers()) as app:
        await ingest_groups.index_groups(app.container, owner, files, items)  # type: ignore[arg-type]
        stored = await app.dispatch(ListDocuments(owner_id=owner))
    assert [name for name, *_ in items.seen] == [str(path) for path in files]
    statuses = {Path(name).name: (status, detail) for name, status, detail, _ in items.seen}
    assert statuses["04-topic4.md"][0] == "skipped" and "already uploaded" in statuses["04-topic4.md"][1]
    assert statuses["05-topic5.md"][0] == "failed" and "empty" in statuses["05-topic5.md"][1]
    assert statuses["gone.md"][0] == "failed" and "cannot read the file" in statuses["gone.md"][1]
    indexed = {path.name for path in files[:4] + files[6:7]}
    assert {name for name, (status, _) in statuses.items() if status == "indexed"} == indexed
    assert all(passages > 0 for _, status, _, passages in items.seen if status == "indexed")
    assert sorted((d.filename, d.status) for d in stored) == sorted((name, DocumentStatus.READY) for name in indexed)


class FailingBlobs(MemoryBlobStore):
    """Breaks (as a bug would: not a refusal of one file) after two files."""

    async def put(self, key: str, data: bytes) -> None:
        if len(self.blobs) >= 2:
            raise RuntimeError("the blob store broke")
        await super().put(key, data)


class FailingBlobsProvider(Provider):
    @provide(scope=Scope.APP)
    def blobs(self) -> BlobStore:
        return FailingBlobs()


async def test_an_error_while_uploading_ahead_ends_the_load_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_groups, "GROUP", 2)
    files = [tmp_path / f"topic{n}.md" for n in range(6)]
    for n, path in enumerate(files):
        path.write_bytes(book(f"topic{n}", 2))
    async with memory_app(InThreadParsers(), FailingBlobsProvider()) as app:
        load = ingest_groups.index_groups(app.container, uuid.uuid4(), files, Items())  # type: ignore[arg-type]
        with pytest.raises(RuntimeError, match="the blob store broke"):
            await asyncio.wait_for(load, 120)
