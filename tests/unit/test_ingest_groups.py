"""``ragchat ingest`` stops at a storage outage instead of failing every remaining file with it."""

from __future__ import annotations

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
