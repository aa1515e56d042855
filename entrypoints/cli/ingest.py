"""`ragchat ingest PATH... --user EMAIL`: index files and folders (recursively) for an existing account.

Uploads go through the same commands as the HTTP API; indexing runs here instead of on the job queue, a group
of files at a time through the bulk pipeline (``IndexDocuments``; uploads and groups overlapped, see
``ingest_groups``), so the command ends when everything is ready or failed and can print a summary. Every file
named is accounted for: indexed, skipped (unsupported type, already uploaded) or failed; progress (files,
passages embedded, rate, time left) comes from ``progress_report``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import msgspec
from dishka import AsyncContainer, Provider, Scope, alias, decorate, provide

from adapters.embedding.reporting_embedder import ReportingEmbedder
from adapters.inprocess.deferred_job_queue import DeferredJobQueue
from application.commands import FindUserByEmail, IndexDocument, UploadDocument
from application.ports.embedder import Embedder
from application.ports.job_queue import JobQueue
from application.ports.search_index_builds import SearchIndexBuilds
from domain.document_types import SUPPORTED_EXTENSIONS
from domain.documents import Document
from domain.errors import DomainError, ServiceUnavailable
from entrypoints.cli.ingest_groups import index_groups
from entrypoints.cli.ingest_warm_up import warm_up
from entrypoints.cli.output import add_output_option, configure_command_logging, describe_database, output_mode
from entrypoints.cli.progress_report import Report, make_report
from entrypoints.cli.serve import settings_from
from entrypoints.ioc import make_container
from entrypoints.ioc.retrieval import RetrievalProvider
from entrypoints.ioc.scoped_dispatch import dispatch_in_request
from entrypoints.settings import Settings

BYTES_PER_PASSAGE = 1_000
"""A rough count of a load's passages from its files' sizes, to decide whether to suspend the vector index."""


class DeferredJobsProvider(Provider):
    """Uploads queue their indexing here instead of starting it; the command runs it itself, in order."""

    queue = provide(DeferredJobQueue, scope=Scope.APP)
    job_queue = alias(source=DeferredJobQueue, provides=JobQueue)


class PassageProgressProvider(Provider):
    """Reports each slice of passages embedded (``ReportingEmbedder``), for the progress display."""

    def __init__(self, on_embedded: Callable[[int], None]) -> None:
        super().__init__()
        self._on_embedded = on_embedded

    @decorate
    def embedder(self, inner: Embedder) -> Embedder:
        return ReportingEmbedder(inner, self._on_embedded)


def cli_container(settings: Settings, *extra: Provider) -> AsyncContainer:
    return make_container(settings, RetrievalProvider(), DeferredJobsProvider(), *extra)


async def find_user_id(container: AsyncContainer, email: str) -> uuid.UUID:
    user = await dispatch_in_request(container, FindUserByEmail(actor_id=None, email=email))
    if user is None:
        raise DomainError(f"no account for {email}; create one with `ragchat create-user {email}`")
    return user.id


@dataclass
class Selection:
    """The files a command line names: those to index, and those passed over with the reason."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.files) + len(self.skipped)


def _unsupported(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in SUPPORTED_EXTENSIONS:
        return None
    return f"unsupported type {suffix}" if suffix else "unsupported type (no extension)"


def select_files(paths: list[Path]) -> Selection:
    """Named files and, recursively, the files in named folders; hidden entries (``.git``, ``.DS_Store``)
    inside folders are not counted. Unsupported types are listed as skipped, with their extension."""
    selection = Selection()
    for path in paths:
        found = [path]
        if path.is_dir():
            found = [
                entry
                for entry in sorted(path.rglob("*"))
                if entry.is_file() and not any(part.startswith(".") for part in entry.relative_to(path).parts)
            ]
        for entry in found:
            reason = _unsupported(entry) if entry.exists() else None  # a missing file fails, with the reason
            if reason is None:
                selection.files.append(entry)
            else:
                selection.skipped.append((entry, reason))
    return selection


async def upload_and_index(container: AsyncContainer, owner_id: uuid.UUID, filename: str, data: bytes) -> Document:
    """Raises ``DomainError`` when the upload itself is refused (empty, wrong type, too large)."""
    upload = UploadDocument(owner_id=owner_id, filename=filename, content_type="", data=data)
    document = await dispatch_in_request(container, upload)
    index = IndexDocument(owner_id=owner_id, document_id=document.id, returns_failure=True)
    return await dispatch_in_request(container, index)


async def ingest(settings: Settings, paths: list[Path], email: str, report: Report, database: str) -> int:
    selection = select_files(paths)
    report.start(selection.total, database)
    for path, reason in selection.skipped:
        report.item(str(path), "skipped", reason)
    container = cli_container(settings, PassageProgressProvider(report.embedded))
    try:
        owner_id = await find_user_id(container, email)
        if selection.files:
            report.note("loading the embedding model…")
            # The model and the parser processes first, so the rate below is the indexing's.
            await warm_up(container, settings.parse_workers)
        report.begin_work()
        async with suspended_vector_index(container, selection.files, report):
            await index_groups(container, owner_id, selection.files, report)
        report.end_work()  # the time reported leaves out stopping the embedded database (as it leaves out starting it)
    finally:
        await container.close()
    report.finish()
    return 0 if report.tally.counts["failed"] == 0 else 1


@asynccontextmanager
async def suspended_vector_index(container: AsyncContainer, files: list[Path], report: Report) -> AsyncIterator[None]:
    """A large load builds the vector index once at the end instead of row by row (``SearchIndexBuilds``);
    the build counts in the reported time."""
    async with container() as request:
        builds = await request.get(SearchIndexBuilds)
    incoming = sum(_size(path) for path in files) // BYTES_PER_PASSAGE
    suspended = bool(files) and await builds.suspend(incoming)
    try:
        yield
    finally:
        if suspended:
            report.note("building the vector index…")
            await builds.resume()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # reported as unreadable when it is read


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("ingest", help="index files and folders for a user")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders (recursive)")
    parser.add_argument("--user", required=True, metavar="EMAIL", help="the account that will own them")
    add_output_option(parser)
    parser.set_defaults(run=run_ingest)


def run_ingest(args: argparse.Namespace) -> int:
    # A bulk load commits without waiting for each WAL flush (see Settings.db_synchronous_commit), and its
    # parses need not yield to request serving: this process serves none (Settings.parse_niceness).
    settings = msgspec.structs.replace(settings_from(args), db_synchronous_commit=False, parse_niceness=0)
    mode = output_mode(args)
    configure_command_logging(settings, mode)
    report = make_report(mode, "files", sys.stdout)
    try:
        # asyncio's own loop, not uvloop: measured with the local model, uvloop made the same load take 2.5x
        # the CPU (84 s instead of 33 s for 686 passages) while torch encoded in the embedder's thread.
        return asyncio.run(ingest(settings, args.paths, args.user, report, describe_database(settings)[0]))
    except ServiceUnavailable as exc:
        print(f"ragchat: stopped: {exc.message}. The files reported above are done; run the same command again "
              "for the rest (files already uploaded are skipped, and a server indexes any left pending).",
              file=sys.stderr)
        return 1
    except DomainError as exc:
        print(f"ragchat: {exc.message}", file=sys.stderr)
        return 1
    finally:
        report.close()
