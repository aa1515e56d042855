"""``ragchat ingest``'s files, a group at a time, with the stages overlapped.

A group's files are read and uploaded (``UploadDocument`` each), then indexed together (``IndexDocuments``:
embedding batches across documents). Uploading runs one group ahead of indexing, and a group's indexing starts
while the one before it is still finishing (its last embedding batch and writes), at most ``IN_FLIGHT`` at once;
so the parser, the embedder and the database are rarely all waiting on one another. Memory stays bounded: the
bytes of one group while it uploads, and for each group being indexed at most ``READ_AHEAD`` documents read
ahead of embedding (``IndexDocuments``). Each group is reported when its indexing ends, in the order of the
files.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from dishka import AsyncContainer

from application.commands import IndexDocuments, UploadDocument
from domain.documents import Document, DocumentStatus
from domain.errors import DomainError, DuplicateDocument, ServiceUnavailable
from entrypoints.cli.progress_report import Report
from entrypoints.ioc.scoped_dispatch import dispatch_in_request

GROUP = 32
"""Files uploaded, then indexed together, at a time: enough for full embedding batches, few enough that the
progress lines keep coming."""
UPLOADS_AT_ONCE = 4
"""Files of a group uploaded at once."""
FIRST_GROUP = 8
"""The first group is smaller: indexing (and the parser, the model, the database) starts once it is uploaded."""
IN_FLIGHT = 2
"""Groups being indexed at once: one finishing while the next starts."""


@dataclass
class Group:
    """A group's files and what became of each: the uploaded document, or why it was not uploaded."""

    paths: list[Path]
    outcomes: dict[Path, Document | DomainError] = field(default_factory=dict)


def groups(files: list[Path]) -> list[list[Path]]:
    """``FIRST_GROUP`` files (at most ``GROUP``), then ``GROUP`` at a time."""
    first = min(FIRST_GROUP, GROUP)
    if not files:
        return []
    return [files[:first]] + [files[start : start + GROUP] for start in range(first, len(files), GROUP)]


async def read_file(path: Path) -> bytes:
    try:
        return await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        raise DomainError(f"cannot read the file: {exc.strerror}") from None


async def upload_group(container: AsyncContainer, owner_id: uuid.UUID, paths: list[Path]) -> Group:
    """The group's files read, then uploaded (``UploadDocument`` each), ``UPLOADS_AT_ONCE`` at a time: most of
    an upload is waiting (the file's fsync, the database's round trips), so several overlap. A refused upload
    (empty, wrong type, too large, a ``DuplicateDocument`` for a file already uploaded) or an unreadable file
    is kept as its error. A file with the same bytes as an earlier one of the group is uploaded after all the
    others, so it is the later file that is found to be a copy, as when they came one by one.
    ``ServiceUnavailable`` (the database or Redis down) is raised instead, once the uploads already started
    have ended: every file after this one would fail the same way."""
    group = Group(paths)
    contents: dict[Path, bytes] = {}
    for path in paths:
        try:
            contents[path] = await read_file(path)
        except DomainError as exc:
            group.outcomes[path] = exc
    firsts = {data: path for path, data in reversed(contents.items())}
    copies = {path for path, data in contents.items() if firsts[data] != path}
    slots = asyncio.Semaphore(UPLOADS_AT_ONCE)
    failed: list[BaseException] = []  # an outage or a bug: the uploads not yet started are not started

    async def upload(path: Path) -> None:
        async with slots:
            if failed:
                return
            command = UploadDocument(owner_id=owner_id, filename=path.name, content_type="", data=contents[path])
            try:
                group.outcomes[path] = await dispatch_in_request(container, command)
            except ServiceUnavailable as exc:
                failed.append(exc)
            except DomainError as exc:
                group.outcomes[path] = exc
            except BaseException as exc:
                failed.append(exc)
                raise

    for wave in ([path for path in contents if path not in copies], [path for path in contents if path in copies]):
        await asyncio.gather(*(upload(path) for path in wave), return_exceptions=True)
        if failed:
            raise failed[0]
    group.outcomes = {path: group.outcomes[path] for path in paths}  # in the files' order
    return group


async def index_group(container: AsyncContainer, owner_id: uuid.UUID, group: Group) -> Group:
    """The group's uploaded documents indexed together; their outcomes become the documents' final states."""
    uploaded = [outcome.id for outcome in group.outcomes.values() if isinstance(outcome, Document)]
    indexed = await dispatch_in_request(container, IndexDocuments(owner_id=owner_id, document_ids=uploaded))
    final = {document.id: document for document in indexed}
    for path, outcome in group.outcomes.items():
        if isinstance(outcome, Document):
            group.outcomes[path] = final.get(outcome.id, outcome)
    return group


def report_group(report: Report, group: Group) -> None:
    for path in group.paths:
        outcome = group.outcomes[path]
        if isinstance(outcome, DuplicateDocument):
            report.item(str(path), "skipped", f"{outcome.message} ({outcome.document_id})")
        elif isinstance(outcome, Document) and outcome.status is DocumentStatus.READY:
            report.item(str(path), "indexed", passages=outcome.chunks_total)
        else:
            why = outcome.failure_reason if isinstance(outcome, Document) else outcome.message
            report.item(str(path), "failed", why or "")


async def index_groups(container: AsyncContainer, owner_id: uuid.UUID, files: list[Path], report: Report) -> None:
    uploaded: asyncio.Queue[Group | Exception | None] = asyncio.Queue(maxsize=1)

    async def upload_all() -> None:
        try:
            for paths in groups(files):
                await uploaded.put(await upload_group(container, owner_id, paths))
            await uploaded.put(None)
        except Exception as exc:  # raised where the groups are taken
            await uploaded.put(exc)

    tasks: list[asyncio.Task[object]] = [asyncio.create_task(upload_all())]
    indexing: deque[asyncio.Task[Group]] = deque()
    try:
        while (group := await uploaded.get()) is not None:
            if isinstance(group, Exception):
                raise group
            indexing.append(asyncio.create_task(index_group(container, owner_id, group)))
            tasks.append(indexing[-1])
            if len(indexing) >= IN_FLIGHT:
                report_group(report, await indexing.popleft())
        while indexing:
            report_group(report, await indexing.popleft())
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
