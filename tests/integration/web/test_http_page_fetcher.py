"""The web page fetcher over real HTTP against loopback servers: what it fetches, and every way it refuses.

There is no public network here, so "public" is simulated: ``PublicPort`` is the address policy with one
loopback port treated as a public site. Everything else about the policy is the production rule.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from adapters.web.address_policy import AddressPolicy, IPAddress
from adapters.web.http_page_fetcher import HttpPageFetcher, _redirected
from domain.errors import DocumentTooLarge, PageUnavailable, UrlRefused
from tests.support.web_server import Page, WebServer, redirect

HTML = b"<html><head><title>Krill</title></head><body><p>Antarctic krill eat algae.</p></body></html>"


class PublicPort(AddressPolicy):
    """The production policy (private addresses refused), except that 127.0.0.1:``port`` counts as public."""

    def __init__(self, port: int) -> None:
        super().__init__(allow_private=False)
        self._port = port

    def refusal(self, address: IPAddress, port: int) -> str | None:
        if str(address) == "127.0.0.1" and port == self._port:
            return None
        return super().refusal(address, port)


@pytest.fixture
async def site() -> AsyncIterator[WebServer]:
    """The "public" site."""
    async with WebServer() as server:
        yield server


@pytest.fixture
async def internal() -> AsyncIterator[WebServer]:
    """A service on the server's own network that must stay out of reach."""
    async with WebServer() as server:
        server.pages["/secret"] = Page(body=b"internal secret", content_type="text/plain")
        yield server


def fetcher(policy: AddressPolicy, **kwargs: object) -> HttpPageFetcher:
    options: dict[str, object] = {"max_bytes": 1024 * 1024, "timeout_seconds": 10.0, "max_redirects": 3, **kwargs}
    return HttpPageFetcher(policy, **options)  # type: ignore[arg-type]


async def test_a_page_is_fetched_with_a_name_from_its_address(site: WebServer) -> None:
    site.pages["/wiki/Krill.html"] = Page(body=HTML)

    page = await fetcher(PublicPort(site.port)).fetch(site.url("/wiki/Krill.html"))

    assert page.data == HTML
    assert page.filename == "127.0.0.1 - Krill.html"
    assert page.url == site.url("/wiki/Krill.html")


async def test_redirects_are_followed_to_the_final_page(site: WebServer) -> None:
    site.pages["/old"] = redirect("/new", status=301)
    site.pages["/new"] = Page(body=b"# Notes\n\nKrill.", content_type="text/markdown")

    page = await fetcher(PublicPort(site.port)).fetch(site.url("/old"))

    assert (page.url, page.filename, page.data) == (site.url("/new"), "127.0.0.1 - new.md", b"# Notes\n\nKrill.")


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("10.0.0.1", "private"),
        ("10.255.1.2", "private"),
        ("169.254.169.254", "cloud metadata"),
        ("[fd00:ec2::254]", "cloud metadata"),
        ("[::ffff:10.0.0.1]", "private"),
        ("192.168.1.1", "private"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
    ],
)
async def test_non_public_addresses_are_refused(address: str, reason: str, internal: WebServer) -> None:
    with pytest.raises(UrlRefused, match=reason):
        await fetcher(AddressPolicy()).fetch(f"http://{address}:{internal.port}/secret")
    assert internal.requests == []


async def test_a_host_name_is_judged_by_the_address_it_resolves_to(internal: WebServer) -> None:
    with pytest.raises(UrlRefused, match="localhost resolves to a loopback address"):
        await fetcher(AddressPolicy()).fetch(internal.url("/secret", host="localhost"))
    assert internal.requests == []


@pytest.mark.parametrize("target", ["INTERNAL", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/"])
async def test_a_redirect_from_a_public_page_to_a_private_address_is_refused(
    site: WebServer, internal: WebServer, target: str
) -> None:
    location = internal.url("/secret") if target == "INTERNAL" else target
    site.pages["/innocent"] = redirect(location)

    with pytest.raises(UrlRefused):
        await fetcher(PublicPort(site.port)).fetch(site.url("/innocent"))

    assert [r.split(" ")[1] for r in site.requests] == ["/innocent"]
    assert internal.requests == []


async def test_the_connection_itself_is_checked_when_dns_answers_differently_later(internal: WebServer) -> None:
    """Rebinding: the name looked public when first resolved. The connection is made only to an address
    checked at connect time, so the internal service still receives no request."""

    class PassingPrecheck(HttpPageFetcher):
        async def _precheck(self, url: object) -> None:
            return None  # as if the first DNS answer had been public

    with pytest.raises(UrlRefused, match="loopback"):
        await PassingPrecheck(AddressPolicy(), max_bytes=1024).fetch(internal.url("/secret", host="localhost"))
    assert internal.requests == []


async def test_private_addresses_are_allowed_when_configured_but_metadata_never(internal: WebServer) -> None:
    allowed = fetcher(AddressPolicy(allow_private=True))
    assert (await allowed.fetch(internal.url("/secret"))).data == b"internal secret"
    with pytest.raises(UrlRefused, match="cloud metadata"):
        await allowed.fetch("http://169.254.169.254/latest/meta-data/")


@pytest.mark.parametrize("url", ["ftp://example.org/file", "file:///etc/passwd", "javascript:alert(1)", "no url"])
async def test_only_http_and_https_addresses(url: str) -> None:
    with pytest.raises(UrlRefused, match="http"):
        await fetcher(AddressPolicy()).fetch(url)


async def test_a_redirect_to_another_scheme_is_refused(site: WebServer) -> None:
    site.pages["/x"] = redirect("file:///etc/passwd")
    with pytest.raises(UrlRefused, match="http"):
        await fetcher(PublicPort(site.port)).fetch(site.url("/x"))


async def test_a_redirect_to_an_invalid_address_is_unavailable(site: WebServer) -> None:
    site.pages["/x"] = redirect("http://[::1/broken")
    with pytest.raises(PageUnavailable):  # never an unexpected error (a 500 at the edge)
        await fetcher(PublicPort(site.port)).fetch(site.url("/x"))
    with pytest.raises(PageUnavailable, match="not valid"):
        _redirected(httpx.URL(site.url("/x")), "http://[::1/broken")


async def test_redirects_are_bounded(site: WebServer) -> None:
    site.pages["/loop"] = redirect("/loop")
    with pytest.raises(PageUnavailable, match="more than 3 redirects"):
        await fetcher(PublicPort(site.port), max_redirects=3).fetch(site.url("/loop"))
    assert len(site.requests) == 4


@pytest.mark.parametrize("chunked", [False, True])
async def test_a_page_over_the_size_limit_is_refused(site: WebServer, chunked: bool) -> None:
    site.pages["/big"] = Page(body=b"<p>" + b"x" * 300_000 + b"</p>", chunked=chunked)
    with pytest.raises(DocumentTooLarge, match="limit"):
        await fetcher(PublicPort(site.port), max_bytes=100_000).fetch(site.url("/big"))


async def test_a_page_that_never_arrives_times_out(site: WebServer) -> None:
    site.pages["/slow"] = Page(stall=True)
    with pytest.raises(PageUnavailable, match="did not arrive within"):
        await fetcher(PublicPort(site.port), timeout_seconds=0.5).fetch(site.url("/slow"))


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (Page(body=b"\x89PNG", content_type="image/png"), "image/png, not a web page"),
        (Page(body=b"gone", status=410, content_type="text/plain"), "HTTP 410"),
    ],
)
async def test_what_is_not_a_document_is_unavailable(site: WebServer, page: Page, message: str) -> None:
    site.pages["/thing"] = page
    with pytest.raises(PageUnavailable, match=message):
        await fetcher(PublicPort(site.port)).fetch(site.url("/thing"))


async def test_an_unknown_host_is_unavailable() -> None:
    with pytest.raises(PageUnavailable, match="unknown host"):
        await fetcher(AddressPolicy()).fetch("http://no-such-host.invalid/")
