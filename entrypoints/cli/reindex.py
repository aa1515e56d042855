"""`ragchat reindex [--user EMAIL] [--change-dimension]`: re-embed every ready document with the current embedder.

Online: each document stays ``ready`` and searchable on its old vectors until its new chunks replace them in
one commit (``ReembedDocument``), so a running server keeps answering. When the embedder's dimension differs
from the stored vectors' (``RAGCHAT_EMBEDDING_DIMENSION`` changed), nothing can be compared across the two:
the command stops and explains, and with ``--change-dimension`` it first changes the column in one transaction
(every old passage deleted, ``adapters/postgres/vector_dimension.py``) and then re-embeds every user's documents.
See docs/operations.md ("Changing the embedder").
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid

from dishka import AsyncContainer
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.vector_dimension import change_dimension, stored_dimension
from application.commands import ListDocuments, ListUsers, ReembedDocument
from application.ports.embedder import Embedder
from domain.documents import Document, DocumentStatus
from domain.errors import DomainError, NotFound
from entrypoints.cli.ingest import PassageProgressProvider, cli_container, find_user_id
from entrypoints.cli.output import add_output_option, configure_command_logging, describe_database, output_mode
from entrypoints.cli.progress_report import Report, make_report
from entrypoints.cli.serve import settings_from
from entrypoints.ioc.scoped_dispatch import dispatch_in_request
from entrypoints.settings import Settings


async def _check_dimension(
    container: AsyncContainer, settings: Settings, report: Report, change: bool, email: str | None, shared: bool
) -> None:
    """Raises ``DomainError`` when the stored vectors' dimension is not the embedder's and may not change."""
    engine = await container.get(AsyncEngine)
    stored, wanted = await stored_dimension(engine), settings.embedding_dimension
    if stored is None or stored == wanted:
        if change:
            report.note(f"the stored vectors already have {wanted} dimensions; nothing to change")
        return
    if not change:
        raise DomainError(
            f"the stored vectors have {stored} dimensions but the embedder makes {wanted} "
            "(RAGCHAT_EMBEDDING_DIMENSION); stop the servers and run `ragchat reindex --change-dimension` "
            '(see docs/operations.md, "Changing the embedder")'
        )
    if email is not None:
        raise DomainError("--change-dimension re-embeds every user's documents; leave out --user")
    if shared:
        raise DomainError("stop `ragchat serve` on this data folder first: its searches would fail meanwhile")
    deleted = await change_dimension(
        engine, wanted, hnsw_m=settings.hnsw_m, hnsw_ef_construction=settings.hnsw_ef_construction
    )
    report.note(f"vector column changed from {stored} to {wanted} dimensions; {deleted} old passages deleted")


async def _ready_documents(container: AsyncContainer, email: str | None) -> list[Document]:
    if email is not None:
        owners = [await find_user_id(container, email)]
    else:
        owners = [user.id for user in await dispatch_in_request(container, ListUsers(actor_id=None))]
    documents: list[Document] = []
    for owner_id in owners:
        listed = await dispatch_in_request(container, ListDocuments(owner_id=owner_id))
        documents += [document for document in listed if document.status is DocumentStatus.READY]
    return documents


async def reindex(
    settings: Settings, email: str | None, change: bool, report: Report, database: tuple[str, bool]
) -> int:
    container = cli_container(settings, PassageProgressProvider(report.embedded))
    try:
        shared = settings.embedded and not database[1]
        await _check_dimension(container, settings, report, change, email, shared)
        documents = await _ready_documents(container, email)
        report.start(len(documents), database[0])
        if documents:
            report.note("loading the embedding model…")
            async with container() as request:
                await (await request.get(Embedder)).embed_documents(["warm-up"])
        report.begin_work()
        for document in documents:
            name = f"{document.filename} ({document.id})"
            await _reembed(container, document.owner_id, document.id, name, report)
    finally:
        await container.close()
    report.finish()
    return 0 if report.tally.counts["failed"] == 0 else 1


async def _reembed(
    container: AsyncContainer, owner_id: uuid.UUID, document_id: uuid.UUID, name: str, report: Report
) -> None:
    try:
        again = await dispatch_in_request(container, ReembedDocument(owner_id=owner_id, document_id=document_id))
    except NotFound:
        report.item(name, "skipped", "deleted meanwhile")
    except DomainError as exc:
        report.item(name, "failed", f"{exc.message} (its previous passages are kept)")
    else:
        if again.status is DocumentStatus.READY:
            report.item(name, "indexed", passages=again.chunks_total)
        else:
            report.item(name, "skipped", f"{again.status.value} meanwhile")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("reindex", help="re-embed documents with the current embedder (online)")
    parser.add_argument("--user", metavar="EMAIL", help="only this account's documents (default: everyone's)")
    parser.add_argument(
        "--change-dimension",
        action="store_true",
        help="when the embedder's dimension differs from the stored vectors': change the column (deletes every "
        "passage), then re-embed everything; stop the servers first",
    )
    add_output_option(parser)
    parser.set_defaults(run=run_reindex)


def run_reindex(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    mode = output_mode(args)
    configure_command_logging(settings, mode)
    report = make_report(mode, "documents", sys.stdout)
    try:
        return asyncio.run(reindex(settings, args.user, args.change_dimension, report, describe_database(settings)))
    except DomainError as exc:
        print(f"ragchat: {exc.message}", file=sys.stderr)
        return 1
    finally:
        report.close()
