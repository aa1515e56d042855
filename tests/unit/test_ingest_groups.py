"""``ragchat ingest`` stops at a storage outage instead of failing every remaining file with it."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import pytest

from application.commands import UploadDocument
from application.errors import StorageUnavailable
from domain.errors import DuplicateDocument
from entrypoints.cli import ingest_groups

OWNER = uuid.uuid4()


def files(tmp_path: Path, *names: str) -> list[Path]:
    paths = [tmp_path / name for name in names]
    for path in paths:
        path.write_text(f"# {path.stem}\n\nSome text.\n")
    return paths


def uploads_failing_with(monkeypatch: pytest.MonkeyPatch, errors: dict[str, Exception]) -> list[str]:
    """``dispatch_in_request`` for uploads: raises the error named by the file, else answers a marker."""
    tried: list[str] = []

    async def dispatch(container: Any, command: UploadDocument) -> str:
        tried.append(command.filename)
        if command.filename in errors:
            raise errors[command.filename]
        return f"uploaded {command.filename}"

    monkeypatch.setattr(ingest_groups, "dispatch_in_request", dispatch)
    return tried


async def test_a_refused_file_is_kept_as_its_error_and_the_next_one_is_uploaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    duplicate = DuplicateDocument("this file is already uploaded as a.md", uuid.uuid4())
    tried = uploads_failing_with(monkeypatch, {"a.md": duplicate})
    group = await ingest_groups.upload_group(None, OWNER, files(tmp_path, "a.md", "b.md"))  # type: ignore[arg-type]
    assert tried == ["a.md", "b.md"]
    assert list(group.outcomes.values()) == [duplicate, "uploaded b.md"]


async def test_a_storage_outage_stops_the_uploads_at_the_file_it_hit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outage = StorageUnavailable("the database is unavailable")
    tried = uploads_failing_with(monkeypatch, {"b.md": outage})
    with pytest.raises(StorageUnavailable):
        await ingest_groups.upload_group(None, OWNER, files(tmp_path, "a.md", "b.md", "c.md"))  # type: ignore[arg-type]
    assert tried == ["a.md", "b.md"], "files after the outage were tried, each to fail the same way"


class Uploads:
    """``dispatch_in_request`` for uploads that take a while (they yield to the event loop), remembering the
    bytes stored so that a copy is refused as the use case refuses it."""

    def __init__(self, outage_at: str | None = None) -> None:
        self.tried: list[str] = []
        self.running = 0
        self.most_at_once = 0
        self._stored: set[bytes] = set()
        self._outage_at = outage_at

    async def dispatch(self, container: Any, command: UploadDocument) -> str:
        self.tried.append(command.filename)
        if command.data in self._stored:
            raise DuplicateDocument("this file is already uploaded", uuid.uuid4())
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        for _ in range(5):
            await asyncio.sleep(0)
        self.running -= 1
        if command.filename == self._outage_at:
            raise StorageUnavailable("the database is unavailable")
        self._stored.add(command.data)
        return f"uploaded {command.filename}"


async def test_uploads_overlap_and_a_copy_within_the_group_is_the_later_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uploads = Uploads()
    monkeypatch.setattr(ingest_groups, "dispatch_in_request", uploads.dispatch)
    paths = files(tmp_path, *(f"{n}.md" for n in range(8)))
    paths[6].write_bytes(paths[1].read_bytes())
    group = await ingest_groups.upload_group(None, OWNER, paths)  # type: ignore[arg-type]
    assert uploads.most_at_once == ingest_groups.UPLOADS_AT_ONCE
    assert list(group.outcomes) == paths, "the outcomes are not in the files' order"
    assert isinstance(group.outcomes[paths[6]], DuplicateDocument)
    assert group.outcomes[paths[1]] == "uploaded 1.md"
    assert uploads.tried[-1] == "6.md"


async def test_no_upload_starts_once_one_met_an_outage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    uploads = Uploads(outage_at="1.md")
    monkeypatch.setattr(ingest_groups, "dispatch_in_request", uploads.dispatch)
    with pytest.raises(StorageUnavailable):
        await ingest_groups.upload_group(None, OWNER, files(tmp_path, *(f"{n}.md" for n in range(12))))  # type: ignore[arg-type]
    assert len(uploads.tried) <= ingest_groups.UPLOADS_AT_ONCE + 1, uploads.tried


def test_the_first_group_is_small_so_indexing_starts_early_and_every_file_is_in_one_group(tmp_path: Path) -> None:
    paths = [tmp_path / f"{n}.md" for n in range(ingest_groups.FIRST_GROUP + 2 * ingest_groups.GROUP + 1)]
    groups = ingest_groups.groups(paths)
    assert [len(group) for group in groups] == [ingest_groups.FIRST_GROUP, ingest_groups.GROUP, ingest_groups.GROUP, 1]
    assert [path for group in groups for path in group] == paths
    assert ingest_groups.groups(paths[:3]) == [paths[:3]]
    assert ingest_groups.groups([]) == []
