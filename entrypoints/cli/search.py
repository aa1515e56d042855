"""`ragchat search "query" --user EMAIL`: what retrieval finds for a user, for checking an index by hand."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from dishka import AsyncContainer, Provider, Scope, make_async_container, provide

from application.bus import CommandBus
from application.commands import SearchPassages
from application.handlers import COMMAND_HANDLERS
from application.use_cases.admin.find_user_by_email import FindUserByEmailHandler
from application.use_cases.documents.search_passages import SearchPassagesHandler
from domain.documents import Passage
from domain.errors import DomainError
from entrypoints.cli.ingest import find_user_id
from entrypoints.cli.output import add_output_option, configure_command_logging, describe_database, output_mode
from entrypoints.cli.serve import settings_from
from entrypoints.ioc.config import SettingsProvider
from entrypoints.ioc.persistence import PostgresProvider
from entrypoints.ioc.retrieval import RetrievalProvider
from entrypoints.ioc.scoped_dispatch import dispatch_in_request
from entrypoints.settings import Settings


class SearchOnlyProvider(Provider):
    """The use cases this command runs (find the account, search its passages), so its container wires (and
    imports) nothing else."""

    scope = Scope.REQUEST
    find_user = provide(FindUserByEmailHandler)
    handler = provide(SearchPassagesHandler)

    @provide
    def bus(self, container: AsyncContainer) -> CommandBus:
        return CommandBus(COMMAND_HANDLERS, container.get)


def search_container(settings: Settings) -> AsyncContainer:
    """Database, embedder and chunk index only: no job runner, model client, web or Redis wiring to import."""
    providers = (SettingsProvider(), PostgresProvider(), RetrievalProvider(), SearchOnlyProvider())
    return make_async_container(*providers, context={Settings: settings})


async def search(settings: Settings, query: str, email: str, k: int, mode: str) -> list[Passage]:
    container = search_container(settings)
    try:
        owner_id = await find_user_id(container, email)
        passages = await dispatch_in_request(container, SearchPassages(owner_id=owner_id, query=query, k=k, mode=mode))
    finally:
        await container.close()
    return passages


def describe(rank: int, passage: Passage) -> str:
    where = passage.filename
    if passage.page is not None:
        where += f", page {passage.page}"
    if passage.heading_path:
        where += f", {' > '.join(passage.heading_path)}"
    text = " ".join(passage.text.split())
    return f"{rank:>2}. {passage.score:.4f}  {where}\n    {text[:300]}{'…' if len(text) > 300 else ''}"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("search", help="search a user's documents")
    parser.add_argument("query")
    parser.add_argument("--user", required=True, metavar="EMAIL")
    parser.add_argument("-k", type=int, default=5, help="how many passages (default 5)")
    parser.add_argument("--mode", choices=["hybrid", "vector", "keyword"], default="hybrid")
    add_output_option(parser)
    parser.set_defaults(run=run_search)


def as_json(rank: int, passage: Passage) -> str:
    return json.dumps(
        {
            "rank": rank,
            "score": round(passage.score, 6),
            "document_id": str(passage.document_id),
            "filename": passage.filename,
            "page": passage.page,
            "heading_path": list(passage.heading_path),
            "text": passage.text,
        },
        ensure_ascii=False,
    )


def run_search(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    mode = output_mode(args)
    configure_command_logging(settings, mode)
    if mode == "text":
        print(f"searching with {describe_database(settings)[0]}", file=sys.stderr)
    try:
        passages = asyncio.run(search(settings, args.query, args.user, args.k, args.mode))
    except DomainError as exc:
        print(f"ragchat: {exc.message}", file=sys.stderr)
        return 1
    if mode == "json":
        for rank, passage in enumerate(passages, start=1):
            print(as_json(rank, passage))
        return 0
    if not passages:
        print("no matching passages in this user's ready documents")
    for rank, passage in enumerate(passages, start=1):
        print(describe(rank, passage))
    return 0
