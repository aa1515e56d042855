"""Every response carries the security headers (the UI, the API reference, the API, errors), the API reference
loads nothing from another origin and runs no inline script, and ``OPTIONS`` lists every method of a path."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from entrypoints.http.app import create_app
from entrypoints.http.security_headers import SECURITY_HEADERS
from tests.support.memory_app import memory_container, memory_settings


@pytest.fixture
async def http_with_ui(tmp_path: Path) -> AsyncIterator[AsyncTestClient[Any]]:
    (tmp_path / "index.html").write_text('<!doctype html><div id="root"></div><script type="module" src="/a.js">')
    app = create_app(memory_container(), memory_settings(), frontend_dist=tmp_path)
    async with AsyncTestClient(app) as client:
        yield client


def _assert_secured(response: Any) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy


async def test_security_headers_on_the_ui_the_reference_and_the_api(http_with_ui: AsyncTestClient[Any]) -> None:
    paths = [
        "/",
        "/schema",
        "/schema/openapi.json",
        "/schema/assets/swagger-ui-bundle.js",
        "/health",
        "/me",
        "/no-such-page/at/all",
        "/chats/not-a-uuid",
    ]
    for path in paths:
        _assert_secured(await http_with_ui.get(path))
    _assert_secured(await http_with_ui.post("/auth/login", content=b"x", headers={"content-type": "text/plain"}))
    _assert_secured(await http_with_ui.request("TRACE", "/health"))


async def test_the_api_reference_is_served_from_this_origin_without_inline_script(
    http_with_ui: AsyncTestClient[Any],
) -> None:
    page = await http_with_ui.get("/schema")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "http://" not in page.text and "https://" not in page.text  # nothing from a CDN
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, flags=re.S)
    assert scripts and all('src="/' in attrs and not body.strip() for attrs, body in scripts)
    assert "<style" not in page.text and " style=" not in page.text
    for url in re.findall(r'(?:src|href)="(/[^"]+)"', page.text):
        asset = await http_with_ui.get(url)
        assert asset.status_code == 200, url
    start = await http_with_ui.get("/schema/reference.js")
    assert start.headers["content-type"].startswith("text/javascript") and "SwaggerUIBundle" in start.text


async def test_options_lists_every_method_of_the_path(http_with_ui: AsyncTestClient[Any]) -> None:
    chats = await http_with_ui.options("/chats")
    assert set(chats.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST", "OPTIONS"}
    one = await http_with_ui.options("/chats/6f1c7a52-8a4f-4bde-9d7c-2a1f5d0b3e11")
    assert set(one.headers["allow"].replace(" ", "").split(",")) == {"GET", "PATCH", "DELETE", "OPTIONS"}
    not_allowed = await http_with_ui.request("TRACE", "/chats")
    assert not_allowed.status_code == 405 and "GET" in not_allowed.headers["allow"]
