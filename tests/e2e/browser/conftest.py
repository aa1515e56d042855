"""Headless Chromium (Debian's ``chromium`` package, never a downloaded build) driven by Python Playwright
against a real ``ragchat serve`` that serves the built web UI. One browser per session; a fresh context per test.

Nothing here skips: a missing browser, Playwright or UI build fails the tests with a message saying what to run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from tests.e2e.browser.ui import DESKTOP, Browser, BrowserContext, Page, async_playwright
from tests.support.server_process import ServerProcess

ROOT = Path(__file__).resolve().parents[3]
FRONTEND_DIST = ROOT / "frontend" / "dist" / "index.html"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

ContextFactory = Callable[[], Awaitable[BrowserContext]]


def chromium_binary() -> str:
    """Debian's Chromium; ``RAGCHAT_CHROMIUM`` points elsewhere (e.g. ``chromium-browser`` on Ubuntu)."""
    candidate = os.environ.get("RAGCHAT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(candidate).is_file():
        pytest.fail(
            f"Chromium not found at {candidate}: the browser tests need the Debian package `chromium` "
            "(`.venv/bin/python -m tests.setup_services` installs it; `make test` runs that first)",
            pytrace=False,
        )
    return candidate


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    if not FRONTEND_DIST.is_file():
        pytest.fail(
            f"{FRONTEND_DIST} is missing: build the UI (`cd frontend && npm ci && npm run build`)", pytrace=False
        )
    executable = chromium_binary()
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


@pytest.fixture
async def new_context(browser: Browser, server: ServerProcess) -> AsyncIterator[ContextFactory]:
    """Opens isolated browser contexts (separate storage: another person) on the test's server."""
    opened: list[BrowserContext] = []

    async def open_context() -> BrowserContext:
        context = await browser.new_context(
            base_url=server.url,
            viewport=DESKTOP,
            color_scheme="light",
            reduced_motion="reduce",
            locale="en-GB",
            timezone_id="UTC",
        )
        context.set_default_timeout(15_000)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        await context.close()


@pytest.fixture
async def page(new_context: ContextFactory) -> AsyncIterator[Page]:
    """A page in a fresh context; uncaught script errors in it fail the test."""
    context = await new_context()
    opened = await context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    assert not errors, f"uncaught errors in the page: {errors}"
