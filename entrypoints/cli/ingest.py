"""`ragchat ingest PATH... --user EMAIL`: index files and folders (recursively) for an existing account.

Uploads go through the same commands as the HTTP API; indexing runs here instead of on the job queue, a group
of files at a time through the bulk pipeline (``IndexDocuments``), so the command ends when everything is ready
or failed and can print a summary.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from dishka import AsyncContainer, Provider, Scope, alias, provide

from adapters.inprocess.job_queue import RecordingJobQueue
from application.commands import IndexDocument, IndexDocuments, UploadDocument
from application.ports.embedder import Embedder
from application.ports.job_queue import JobQueue
from application.ports.user_repository import UserRepository
from domain.document_types import SUPPORTED_EXTENSIONS
from domain.documents import Document, DocumentStatus
from domain.errors import DomainError, DuplicateDocument
from domain.users import normalize_email
from entrypoints.cli.serve import settings_from
from entrypoints.ioc import make_container
from entrypoints.ioc.retrieval import RetrievalProvider
from entrypoints.ioc.scoped_dispatch import dispatch_in_request
from entrypoints.settings import Settings

GROUP = 32
"""Files uploaded, then indexed together, at a time: enough for full embedding batches, few enough that the
progress lines keep coming."""


class DeferredJobsProvider(Provider):
    """Uploads queue their indexing here instead of starting it; the command runs it itself, in order."""

    queue = provide(RecordingJobQueue, scope=Scope.APP)
    job_queue = alias(source=RecordingJobQueue, provides=JobQueue)


def cli_container(settings: Settings) -> AsyncContainer:
    return make_container(settings, RetrievalProvider(), DeferredJobsProvider())


async def find_user_id(container: AsyncContainer, email: str) -> uuid.UUID:
    async with container() as request:
        users: UserRepository = await request.get(UserRepository)
        user = await users.get_by_email(normalize_email(email))
    if user is None:
        raise DomainError(f"no account for {email}; create one with `ragchat create-user {email}`")
    return user.id


def files_under(paths: list[Path]) -> Iterator[Path]:
    """Named files as given; folders recursively, supported types only, hidden entries skipped."""
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
                if found.is_file() and not hidden and found.suffix.lower() in SUPPORTED_EXTENSIONS:
                    yield found
        else:
            yield path


async def read_file(path: Path) -> bytes:
    try:
        return await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        raise DomainError(f"cannot read the file: {exc.strerror}") from None


async def upload_and_index(container: AsyncContainer, owner_id: uuid.UUID, filename: str, data: bytes) -> Document:
    """Raises ``DomainError`` when the upload itself is refused (empty, wrong type, too large)."""
    upload = UploadDocument(owner_id=owner_id, filename=filename, content_type="", data=data)
    document = await dispatch_in_request(container, upload)
    try:
        indexed = await dispatch_in_request(container, IndexDocument(owner_id=owner_id, document_id=document.id))
    except DomainError as exc:  # e.g. the embedder failed; the document is already marked failed
        document.failure_reason = exc.message
        document.status = DocumentStatus.FAILED
        return document
    return indexed


def _bar(done: int, total: int, width: int = 24) -> str:
    filled = width * done // max(total, 1)
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


async def upload_and_index_many(
    container: AsyncContainer, owner_id: uuid.UUID, items: list[tuple[str, bytes]]
) -> list[Document | DomainError]:
    """Each item's outcome, in order: the document in its final state, or why its upload was refused (a
    ``DuplicateDocument`` for a file already uploaded). The accepted ones are indexed together
    (``IndexDocuments``: embedding batches across documents)."""
    outcomes: list[Document | DomainError] = []
    for filename, data in items:
        try:
            upload = UploadDocument(owner_id=owner_id, filename=filename, content_type="", data=data)
            outcomes.append(await dispatch_in_request(container, upload))
        except DomainError as exc:
            outcomes.append(exc)
    uploaded = [outcome.id for outcome in outcomes if isinstance(outcome, Document)]
    indexed = await dispatch_in_request(container, IndexDocuments(owner_id=owner_id, document_ids=uploaded))
    final = {document.id: document for document in indexed}
    return [final.get(outcome.id, outcome) if isinstance(outcome, Document) else outcome for outcome in outcomes]


async def ingest(settings: Settings, paths: list[Path], email: str, out: TextIO) -> int:
    files = list(files_under(paths))
    container = cli_container(settings)
    ready = failed = chunks = skipped = number = 0
    try:
        owner_id = await find_user_id(container, email)
        async with container() as request:  # load the model first, so the time below is the indexing's
            await (await request.get(Embedder)).embed_query("warm-up")
        started = time.perf_counter()
        for start in range(0, len(files), GROUP):
            group = files[start : start + GROUP]
            items: list[tuple[str, bytes]] = []
            unreadable: dict[Path, DomainError] = {}
            for path in group:
                try:
                    items.append((path.name, await read_file(path)))
                except DomainError as exc:
                    unreadable[path] = exc
            outcomes = iter(await upload_and_index_many(container, owner_id, items))
            for path in group:
                outcome = unreadable.get(path) or next(outcomes)
                if isinstance(outcome, DuplicateDocument):
                    skipped += 1
                    line = f"skipped {path}: {outcome.message} ({outcome.document_id})"
                elif isinstance(outcome, Document) and outcome.status is DocumentStatus.READY:
                    ready += 1
                    chunks += outcome.chunks_total
                    line = f"ready   {path} ({outcome.chunks_total} chunks)"
                else:
                    failed += 1
                    reason = outcome.failure_reason if isinstance(outcome, Document) else outcome.message
                    line = f"failed  {path}: {reason}"
                number += 1
                print(f"{_bar(number, len(files))} {line}", file=out, flush=True)
    finally:
        await container.close()
    already = f", {skipped} skipped (already uploaded)" if skipped else ""
    seconds = time.perf_counter() - started if files else 0.0
    rate = f", {chunks / seconds:.1f} chunks/s" if seconds > 0 else ""
    print(
        f"{ready} ready ({chunks} chunks), {failed} failed{already}, of {len(files)} files in {seconds:.1f} s{rate}",
        file=out,
    )
    return 0 if failed == 0 else 1


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("ingest", help="index files and folders for a user")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders (recursive)")
    parser.add_argument("--user", required=True, metavar="EMAIL", help="the account that will own them")
    parser.set_defaults(run=run_ingest)


def run_ingest(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    try:
        return asyncio.run(ingest(settings, args.paths, args.user, sys.stdout))
    except DomainError as exc:
        print(f"ragchat: {exc.message}", file=sys.stderr)
        return 1
