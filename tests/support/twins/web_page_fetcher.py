from __future__ import annotations

from application.ports.web_page_fetcher import FetchedPage
from domain.errors import PageUnavailable, UrlRefused


class StaticWebPages:
    """The twin of ``HttpPageFetcher``: pages by exact URL, set by the test; other http(s) addresses are
    unavailable and other schemes refused, as the real fetcher would."""

    def __init__(self) -> None:
        self.pages: dict[str, FetchedPage] = {}
        self.fetched: list[str] = []

    def serve(self, url: str, filename: str, data: bytes) -> None:
        self.pages[url] = FetchedPage(url=url, filename=filename, data=data)

    async def fetch(self, url: str) -> FetchedPage:
        self.fetched.append(url)
        if not url.startswith(("http://", "https://")):
            raise UrlRefused("only http:// and https:// addresses can be added")
        if url not in self.pages:
            raise PageUnavailable("the page answered HTTP 404")
        return self.pages[url]
