"""`ragchat search "query" --user EMAIL`: what retrieval finds for a user, for checking an index by hand."""

from __future__ import annotations

import argparse
import asyncio
import sys

from application.commands import SearchPassages
from domain.documents import Passage
from domain.errors import DomainError
from entrypoints.cli.ingest import cli_container, find_user_id
from entrypoints.cli.serve import settings_from
from entrypoints.ioc.scoped_dispatch import dispatch_in_request
from entrypoints.settings import Settings


async def search(settings: Settings, query: str, email: str, k: int, mode: str) -> list[Passage]:
    container = cli_container(settings)
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
    parser.set_defaults(run=run_search)


def run_search(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    try:
        passages = asyncio.run(search(settings, args.query, args.user, args.k, args.mode))
    except DomainError as exc:
        print(f"ragchat: {exc.message}", file=sys.stderr)
        return 1
    if not passages:
        print("no matching passages in this user's ready documents")
    for rank, passage in enumerate(passages, start=1):
        print(describe(rank, passage))
    return 0
