"""``GET /search``: the caller's best passages for a query, for the UI and for debugging retrieval."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get
from litestar.params import FromQuery, Parameter

from application.bus import CommandBus
from application.commands import SearchPassages
from domain.documents import Passage
from domain.text import MULTI_LINE_PATTERN
from entrypoints.http.auth import AUTHENTICATED, CurrentUserId

MAX_HTTP_K = 50
MAX_QUERY_PARAMETER_LENGTH = 8_000


class PassageOut(msgspec.Struct, frozen=True):
    chunk_id: uuid.UUID
    document_id: uuid.UUID
    filename: str
    ordinal: int
    text: str
    score: float
    page: int | None
    heading_path: list[str]
    char_start: int
    char_end: int

    @classmethod
    def of(cls, p: Passage) -> PassageOut:
        return cls(
            chunk_id=p.chunk_id,
            document_id=p.document_id,
            filename=p.filename,
            ordinal=p.ordinal,
            text=p.text,
            score=round(p.score, 6),
            page=p.page,
            heading_path=list(p.heading_path),
            char_start=p.char_start,
            char_end=p.char_end,
        )


class SearchResults(msgspec.Struct, frozen=True):
    query: str
    mode: str
    items: list[PassageOut]


class SearchController(Controller):
    path = "/search"
    tags = ["search"]
    dependencies = AUTHENTICATED

    @get("/")
    @inject
    async def search(
        self,
        user_id: CurrentUserId,
        bus: FromDishka[CommandBus],
        q: Annotated[str, Parameter(description="the query; longer than 2,000 characters is truncated",
                                    min_length=1, max_length=MAX_QUERY_PARAMETER_LENGTH, pattern=MULTI_LINE_PATTERN)],
        k: Annotated[int, Parameter(ge=1, le=MAX_HTTP_K)] = 10,
        mode: FromQuery[Literal["hybrid", "vector", "keyword"]] = "hybrid",
    ) -> SearchResults:
        """Only the caller's ready documents are searched. An empty query is a 400."""
        passages = await bus.dispatch(SearchPassages(owner_id=user_id, query=q, k=k, mode=mode))
        return SearchResults(query=q[:200], mode=mode, items=[PassageOut.of(p) for p in passages])
