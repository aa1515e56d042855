"""Fetching web pages for "add a web page": HTTP guarded by the SSRF address policy."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from application.ports.web_page_fetcher import WebPageFetcher
from entrypoints.settings import Settings


class WebProvider(Provider):
    scope = Scope.APP

    @provide
    def fetcher(self, settings: Settings) -> WebPageFetcher:
        # Imported when first needed: a command that never fetches a page does not load the HTTP stack for it.
        from adapters.web.address_policy import AddressPolicy
        from adapters.web.http_page_fetcher import HttpPageFetcher

        return HttpPageFetcher(
            AddressPolicy(allow_private=settings.url_import_allow_private),
            max_bytes=settings.max_upload_bytes,
            timeout_seconds=settings.url_import_timeout_seconds,
            max_redirects=settings.url_import_max_redirects,
        )
