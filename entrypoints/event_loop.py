"""The event loop long-running processes run on: uvloop where it is installed (Linux, macOS), asyncio's own
elsewhere. uvicorn makes the same choice for ``ragchat serve``; this gives the worker the same footing."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main)
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main)
