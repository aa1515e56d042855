from __future__ import annotations

from typing import Protocol

import msgspec


class FetchedPage(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    """Where the content finally came from (after redirects)."""
    filename: str
    """A document name with the extension of its content type (``example.org - guide.html``)."""
    data: bytes


class WebPageFetcher(Protocol):
    """Fetches one web page (or PDF / text file) by URL for indexing.

    Raises ``UrlRefused`` (not http(s), or an address that is not public, on any redirect),
    ``PageUnavailable`` (no answer, error status, too slow, too many redirects, not a document) and
    ``DocumentTooLarge``.
    """

    async def fetch(self, url: str) -> FetchedPage: ...
