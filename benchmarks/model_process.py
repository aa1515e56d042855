"""A benchmark's scripted model server in a process of its own, so its CPU is not counted against ragchat's."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tests.support.server_process import free_port, wait_for_port


@contextmanager
def model_process(serve: Callable[..., None], *args: object) -> Iterator[str]:
    """Runs ``serve(port, *args)`` (a module-level function, for ``spawn``) until the block ends; yields its
    OpenAI-compatible base URL."""
    port = free_port()
    process = multiprocessing.get_context("spawn").Process(target=serve, args=(port, *args), daemon=True)
    process.start()
    wait_for_port(port)
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        process.terminate()
        process.join(10)
