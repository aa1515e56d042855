"""``WebPageFetcher`` over HTTP(S) with ``httpx`` guarded by ``httpx-secure``: every connection (the first
and each redirect's) goes to an address the ``AddressPolicy`` admitted, and to exactly that address.

Redirects are followed here rather than by httpx so each hop's scheme is checked and the count is ours; the
body is read in pieces and dropped past the size limit; one deadline covers the whole fetch.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from urllib.parse import unquote

import httpx
from httpx_secure import SSRFProtectionError, httpx_ssrf_protection

from adapters.web.address_policy import AddressPolicy
from application.ports.web_page_fetcher import FetchedPage
from domain.document_types import clean_filename
from domain.errors import DocumentTooLarge, DomainError, PageUnavailable, UrlRefused

log = logging.getLogger(__name__)

EXTENSIONS = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
    "application/pdf": ".pdf",
}
"""What a fetched address may serve, and the extension its document gets (the parsers go by it)."""
MAX_URL_LENGTH = 2048
USER_AGENT = "ragchat-url-import/1 (+self-hosted document chat)"


class HttpPageFetcher:
    def __init__(
        self,
        policy: AddressPolicy,
        *,
        max_bytes: int,
        timeout_seconds: float = 20.0,
        max_redirects: int = 5,
    ) -> None:
        self._policy = policy
        self._max_bytes = max_bytes
        self._timeout = timeout_seconds
        self._max_redirects = max_redirects

    async def fetch(self, url: str) -> FetchedPage:
        current = _parsed(url)
        try:
            async with asyncio.timeout(self._timeout), self._client() as client:
                for _ in range(self._max_redirects + 1):
                    await self._precheck(current)
                    async with client.stream("GET", current) as response:
                        if response.is_redirect and "location" in response.headers:
                            current = _redirected(current, response.headers["location"])
                            continue
                        return await self._page(current, response)
        except DomainError:
            raise
        except TimeoutError:
            raise PageUnavailable(f"the page did not arrive within {self._timeout:g} seconds") from None
        except SSRFProtectionError as exc:  # the policy raises UrlRefused itself; this is a malformed address
            raise UrlRefused(f"{exc.hostname} has no usable address") from None
        except httpx.HTTPError as exc:
            log.info("web page fetch failed", extra={"url": str(current), "error": type(exc).__name__})
            raise PageUnavailable(f"could not fetch the page from {current.host}: {_reason(exc)}") from None
        raise PageUnavailable(f"more than {self._max_redirects} redirects")

    async def _precheck(self, url: httpx.URL) -> None:
        """Every address the host name resolves to must pass before anything connects. ``httpx-secure`` finds the
        address by opening a TCP probe, which would tell an asker whether a port on an internal host is open;
        checking the DNS answer first keeps such probes to the case where the answer changed in between (and
        that connection is still refused)."""
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            found = await asyncio.get_running_loop().getaddrinfo(url.host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            raise PageUnavailable(f"could not fetch the page from {url.host}: unknown host") from None
        for *_, address in found:
            self._policy.check(url.host, ipaddress.ip_address(str(address[0]).split("%", 1)[0]), port)

    def _client(self) -> httpx.AsyncClient:
        client = httpx.AsyncClient(
            trust_env=False,  # no proxy from the environment: the policy must see the real destination
            follow_redirects=False,
            timeout=httpx.Timeout(self._timeout),
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html, application/xhtml+xml, text/*;q=0.8, */*;q=0.5",
                "Accept-Encoding": "identity",  # no compressed body that could inflate far past the size limit
            },
        )
        # The policy owns the whole decision (it refuses what is_global would, and more); no cache across fetches.
        return httpx_ssrf_protection(
            client, check_globally_reachable=False, custom_validator=self._policy.check, dns_cache_size=0
        )

    async def _page(self, url: httpx.URL, response: httpx.Response) -> FetchedPage:
        if response.status_code >= 400 or response.is_redirect:
            raise PageUnavailable(f"the page answered HTTP {response.status_code}")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        extension = EXTENSIONS.get(content_type)
        if extension is None:
            raise PageUnavailable(
                f"the address serves {content_type or 'an unnamed content type'}, not a web page, PDF or text"
            )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise DocumentTooLarge.over(self._max_bytes)
        data = bytearray()
        async for piece in response.aiter_bytes():
            data += piece
            if len(data) > self._max_bytes:
                raise DocumentTooLarge.over(self._max_bytes)
        return FetchedPage(url=str(url), filename=page_filename(url, extension), data=bytes(data))


def _parsed(url: str) -> httpx.URL:
    if len(url) > MAX_URL_LENGTH:
        raise UrlRefused(f"the address is longer than {MAX_URL_LENGTH} characters")
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, ValueError):
        raise UrlRefused("that is not a web address") from None
    if parsed.scheme not in ("http", "https"):
        raise UrlRefused("only http:// and https:// addresses can be added")
    if not parsed.host:
        raise UrlRefused("the address has no host")
    return parsed


def _redirected(current: httpx.URL, location: str) -> httpx.URL:
    try:
        target = str(current.join(location))
    except (httpx.InvalidURL, ValueError):
        raise PageUnavailable("the page redirects to an address that is not valid") from None
    return _parsed(target)


def page_filename(url: httpx.URL, extension: str) -> str:
    """``host - last path segment.ext``: recognisable in the document list and citations."""
    segments = [unquote(s) for s in url.path.split("/") if s]
    stem = segments[-1] if segments else ""
    if "." in stem and stem.rsplit(".", 1)[1].lower() in ("html", "htm", "php", "aspx", "pdf", "txt", "md"):
        stem = stem.rsplit(".", 1)[0]
    name = f"{url.host} - {stem}" if stem else url.host
    return clean_filename(name.replace("/", " ")[:200] + extension)


def _reason(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "no connection (unknown host or nothing listening)"
    if isinstance(exc, httpx.TimeoutException):
        return "it took too long"
    return "the connection failed"
