"""Under the strict Content-Security-Policy the web UI and the API reference both work, load nothing from another
origin, and the browser reports no violation."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.browser.ui import Page, expect, sign_up
from tests.support.server_process import ServerProcess


@pytest.fixture(scope="module")
def server(module_server: ServerProcess) -> ServerProcess:
    """One server for the module: each test signs up users of its own."""
    return module_server


def _watch(page: Page) -> tuple[list[str], list[str]]:
    violations: list[str] = []
    hosts: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: hosts.append(urlsplit(r.url).netloc) if r.url.startswith("http") else None)
    return violations, hosts


async def test_the_api_reference_renders_from_this_origin(page: Page, server: ServerProcess) -> None:
    violations, hosts = _watch(page)
    await page.goto("/schema")
    await expect(page.locator(".opblock-summary-path", has_text="/chats/{chat_id}").first).to_be_visible()
    assert not violations
    assert set(hosts) == {urlsplit(server.url).netloc}


async def test_the_web_ui_runs_without_violations(page: Page, server: ServerProcess) -> None:
    violations, hosts = _watch(page)
    await sign_up(page, "csp@example.com")
    assert not violations
    assert set(hosts) == {urlsplit(server.url).netloc}
