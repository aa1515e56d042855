"""Adding web pages by URL through a real `ragchat serve`: a page from a local HTTP server (private addresses
allowed by RAGCHAT_URL_IMPORT_ALLOW_PRIVATE, as an intranet install would), fetching it again, and the
refusals a default install answers with problem details — never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.support.api import bearer, signed_up, wait_for_status
from tests.support.server_process import ServerProcess
from tests.support.web_server import Page, WebServer, redirect

KRILL = b"<html><head><title>Krill</title></head><body><h1>Krill</h1><p>Antarctic krill eat algae.</p></body></html>"
SWARMS = b"<html><body><h1>Krill</h1><p>Krill swarms colour the Southern Ocean pink.</p></body></html>"


@pytest.fixture
async def site() -> AsyncIterator[WebServer]:
    async with WebServer() as server:
        yield server


def _refusal(response: httpx.Response) -> dict[str, object]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, object] = response.json()
    assert problem["code"] == "url_refused"
    assert problem["errors"] == [{"field": "url", "message": problem["detail"]}]
    return problem


async def _passages(http: httpx.AsyncClient, user: dict[str, str], query: str) -> list[str]:
    found = await http.get("/search", params={"q": query, "mode": "keyword"}, headers=bearer(user))
    return [hit["text"] for hit in found.json()["items"]]


@pytest.fixture(scope="module")
def module_server_env(module_server_env: dict[str, str]) -> dict[str, str]:
    """The intranet install's (the default install's test has a server of its own)."""
    return {**module_server_env, "RAGCHAT_URL_IMPORT_ALLOW_PRIVATE": "true"}


class TestOnAnIntranetInstall:
    @pytest.fixture(scope="class")
    @classmethod
    def server(cls, module_server: ServerProcess) -> ServerProcess:
        """One server for the class: each test signs up users of its own."""
        return module_server

    async def test_a_page_is_added_indexed_and_fetched_again(
        self, server: ServerProcess, http: httpx.AsyncClient, site: WebServer
    ) -> None:
        site.pages["/wiki/Krill"] = Page(body=KRILL)
        user = await signed_up(http)

        added = await http.post("/documents/url", json={"url": site.url("/wiki/Krill")}, headers=bearer(user))
        assert added.status_code == 201, added.text
        document = added.json()
        assert (document["filename"], document["source_url"]) == ("127.0.0.1 - Krill.html", site.url("/wiki/Krill"))
        assert (await wait_for_status(http, user, document["id"]))["status"] == "ready"
        assert any("eat algae" in text for text in await _passages(http, user, "algae"))

        site.pages["/wiki/Krill"] = Page(body=SWARMS)
        refetched = await http.post(f"/documents/{document['id']}/refetch", headers=bearer(user))
        assert refetched.status_code == 200, refetched.text
        assert (await wait_for_status(http, user, document["id"]))["status"] == "ready"
        assert any("Southern Ocean" in text for text in await _passages(http, user, "swarms"))
        assert await _passages(http, user, "algae") == []

    async def test_metadata_addresses_stay_refused_even_through_a_redirect(
        self, server: ServerProcess, http: httpx.AsyncClient, site: WebServer
    ) -> None:
        site.pages["/go"] = redirect("http://169.254.169.254/latest/meta-data/")
        user = await signed_up(http)

        problem = _refusal(await http.post("/documents/url", json={"url": site.url("/go")}, headers=bearer(user)))

        assert "169.254.169.254 is a cloud metadata address" in str(problem["detail"])
        assert (await http.get("/documents", headers=bearer(user))).json()["items"] == []

    async def test_a_page_that_cannot_be_fetched_is_a_422_saying_why(
        self, server: ServerProcess, http: httpx.AsyncClient, site: WebServer
    ) -> None:
        user = await signed_up(http)
        missing = await http.post("/documents/url", json={"url": site.url("/missing")}, headers=bearer(user))
        assert missing.status_code == 422 and missing.json()["code"] == "page_unavailable"
        assert "HTTP 404" in missing.json()["detail"]
        upload = await http.post(
            "/documents", files={"file": ("a.md", b"# A\n\nB", "text/markdown")}, headers=bearer(user)
        )
        not_by_url = await http.post(f"/documents/{upload.json()['id']}/refetch", headers=bearer(user))
        assert not_by_url.status_code == 400 and not_by_url.json()["code"] == "invalid_input"


async def test_a_default_install_refuses_non_public_addresses_and_bad_urls(
    server: ServerProcess, http: httpx.AsyncClient, site: WebServer
) -> None:
    site.pages["/"] = Page(body=KRILL)
    user = await signed_up(http)
    for url in (
        site.url("/"),  # 127.0.0.1, where a page is actually served
        site.url("/", host="localhost"),
        f"http://[::1]:{site.port}/",
        "http://10.0.0.1/",
        "https://10.20.30.40:8443/wiki",
        "http://169.254.169.254/latest/meta-data/",
    ):
        _refusal(await http.post("/documents/url", json={"url": url}, headers=bearer(user)))

    for body, code in [
        ({"url": "ftp://example.org/"}, "url_refused"),
        ({"url": ""}, "invalid_request"),
        ({"address": "http://example.org"}, "invalid_request"),
    ]:
        response = await http.post("/documents/url", json=body, headers=bearer(user))
        assert response.status_code == 400 and response.json()["code"] == code, response.text

    assert site.requests == []
    assert (await http.get("/documents", headers=bearer(user))).json()["items"] == []
