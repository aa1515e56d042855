"""Adding a web page by URL and fetching it again, through the bus on the in-memory twins with a static set of
pages (the real fetcher and its address policy are tested against real HTTP in tests/integration/web)."""

from __future__ import annotations

import uuid

import pytest
from dishka import Provider, Scope, provide

from application.commands import (
    GetDocument,
    ImportWebPage,
    RefetchDocument,
    RegisterUser,
    SearchPassages,
    UploadDocument,
)
from application.ports.web_page_fetcher import WebPageFetcher
from domain.documents import DocumentStatus
from domain.errors import DuplicateDocument, InvalidInput, NotFound, PageUnavailable, UrlRefused
from tests.support.memory_app import MemoryApp, memory_app
from tests.support.twins.web_page_fetcher import StaticWebPages

URL = "https://example.org/krill"
PAGE = b"<html><head><title>Krill</title></head><body><h1>Krill</h1><p>Antarctic krill eat algae.</p></body></html>"
NEWER = b"<html><body><h1>Krill</h1><p>Antarctic krill swarm in the Southern Ocean.</p></body></html>"


class PagesProvider(Provider):
    def __init__(self, pages: StaticWebPages) -> None:
        super().__init__()
        self._pages = pages

    @provide(scope=Scope.APP)
    def fetcher(self) -> WebPageFetcher:
        return self._pages


async def _owner(app: MemoryApp) -> uuid.UUID:
    user = await app.dispatch(RegisterUser(email=f"{uuid.uuid4().hex[:6]}@example.com", password="fine phrase"))
    return user.id  # type: ignore[no-any-return]


async def _texts(app: MemoryApp, owner: uuid.UUID, query: str) -> list[str]:
    return [p.text for p in await app.dispatch(SearchPassages(owner_id=owner, query=query, mode="keyword"))]


async def test_a_page_is_indexed_and_fetched_again_when_it_changed() -> None:
    pages = StaticWebPages()
    pages.serve(URL, "example.org - krill.html", PAGE)
    async with memory_app(PagesProvider(pages)) as app:
        owner = await _owner(app)
        document = await app.dispatch(ImportWebPage(owner_id=owner, url=URL, tags=["Animals"]))
        await app.run_jobs()
        stored = await app.dispatch(GetDocument(owner_id=owner, document_id=document.id))
        assert (stored.filename, stored.source_url, stored.tags) == ("example.org - krill.html", URL, ["animals"])
        assert stored.status is DocumentStatus.READY and stored.content_type == "text/html"
        assert any("eat algae" in t for t in await _texts(app, owner, "algae"))

        unchanged = await app.dispatch(RefetchDocument(owner_id=owner, document_id=document.id))
        assert unchanged.status is DocumentStatus.READY and unchanged.sha256 == stored.sha256

        pages.serve(URL, "example.org - krill.html", NEWER)
        changed = await app.dispatch(RefetchDocument(owner_id=owner, document_id=document.id))
        assert changed.status is DocumentStatus.PENDING and changed.size_bytes == len(NEWER)
        await app.run_jobs()
        assert (await app.dispatch(GetDocument(owner_id=owner, document_id=document.id))).status is DocumentStatus.READY
        assert await _texts(app, owner, "algae") == []
        assert any("Southern Ocean" in t for t in await _texts(app, owner, "swarm"))
        assert (await app.dispatch(GetDocument(owner_id=owner, document_id=document.id))).tags == ["animals"]


async def test_refusals_and_failures_add_nothing() -> None:
    pages = StaticWebPages()
    pages.serve(URL, "example.org - krill.html", PAGE)
    async with memory_app(PagesProvider(pages)) as app:
        owner = await _owner(app)
        with pytest.raises(UrlRefused):
            await app.dispatch(ImportWebPage(owner_id=owner, url="file:///etc/passwd"))
        with pytest.raises(PageUnavailable):
            await app.dispatch(ImportWebPage(owner_id=owner, url="https://example.org/missing"))
        with pytest.raises(InvalidInput):
            await app.dispatch(ImportWebPage(owner_id=owner, url=URL, tags=["<bad>"]))
        assert pages.fetched == ["file:///etc/passwd", "https://example.org/missing"], "a bad tag costs no fetch"
        await app.dispatch(ImportWebPage(owner_id=owner, url=URL))
        with pytest.raises(DuplicateDocument):
            await app.dispatch(ImportWebPage(owner_id=owner, url=URL))


async def test_only_the_owners_documents_added_by_url_can_be_fetched_again() -> None:
    pages = StaticWebPages()
    pages.serve(URL, "example.org - krill.html", PAGE)
    async with memory_app(PagesProvider(pages)) as app:
        owner, stranger = await _owner(app), await _owner(app)
        page = await app.dispatch(ImportWebPage(owner_id=owner, url=URL))
        upload = await app.dispatch(UploadDocument(owner_id=owner, filename="a.md", content_type="", data=b"# A\n\nB"))
        with pytest.raises(InvalidInput, match="added by its web address"):
            await app.dispatch(RefetchDocument(owner_id=owner, document_id=upload.id))
        with pytest.raises(NotFound):
            await app.dispatch(RefetchDocument(owner_id=stranger, document_id=page.id))
