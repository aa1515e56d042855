"""``ragchat ingest`` readies the model and as many parser processes as parse at once, together, before its
first file; a model that cannot load stops it, a parser that cannot start does not."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

import pytest
from dishka import Provider, Scope, make_async_container, provide

from application.ports.document_parser import DocumentParser, ParsedDocument, UnreadableDocument
from application.ports.embedder import Embedder, EmbedderUnavailable
from entrypoints.cli.ingest_warm_up import warm_up


class Parsers:
    """Counts the parses running at once; each waits until ``parsers`` of them run (or fails)."""

    def __init__(self, parsers: int, fails: bool = False) -> None:
        self.running = 0
        self.most_at_once = 0
        self._all_started = asyncio.Event()
        self._parsers = parsers
        self._fails = fails

    async def parse(self, data: bytes, content_type: str) -> ParsedDocument:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        if self.running == self._parsers:
            self._all_started.set()
        await asyncio.wait_for(self._all_started.wait(), 60)
        self.running -= 1
        if self._fails:
            raise UnreadableDocument("the parser process could not start")
        return ParsedDocument(text=data.decode(), spans=[])


class Model:
    def __init__(self, fails: bool = False) -> None:
        self.documents: list[str] = []
        self._fails = fails
        self.dimension = 8

    async def embed_documents(self, texts: Sequence[str], *, owner_id: uuid.UUID | None = None) -> list[list[float]]:
        if self._fails:
            raise EmbedderUnavailable("the local embedding model is not installed")
        self.documents += texts
        return [[1.0] + [0.0] * 7 for _ in texts]

    async def embed_query(self, text: str) -> list[float]:
        raise AssertionError("a query does not load the document model")


def container(model: Model, parsers: Parsers):  # type: ignore[no-untyped-def]
    class Ports(Provider):
        @provide(scope=Scope.APP)
        def embedder(self) -> Embedder:
            return model

        @provide(scope=Scope.APP)
        def parser(self) -> DocumentParser:
            return parsers

    return make_async_container(Ports())


async def test_the_model_loads_while_every_parser_process_reads_a_text() -> None:
    model, parsers = Model(), Parsers(3)
    await warm_up(container(model, parsers), parsers=3)
    assert model.documents == ["warm-up"]
    assert parsers.most_at_once == 3, "the parses ran one after another: one process would serve them all"


async def test_a_model_that_cannot_load_stops_the_command() -> None:
    with pytest.raises(EmbedderUnavailable, match="not installed"):
        await warm_up(container(Model(fails=True), Parsers(2)), parsers=2)


async def test_a_parser_that_cannot_start_is_left_to_the_files_to_report() -> None:
    model = Model()
    await warm_up(container(model, Parsers(2, fails=True)), parsers=2)
    assert model.documents == ["warm-up"]
