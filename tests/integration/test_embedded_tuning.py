"""The embedded server really runs with the memory settings ragchat sizes for it, and a changed setting applies
at its next start."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from adapters.postgres.embedded import DEFAULT_TUNING, EmbeddedPostgres
from adapters.postgres.embedded_tuning import memory_limit, resolved
from entrypoints.ioc.persistence import embedded_tuning
from entrypoints.settings_loading import load_settings
from tests.support.postgres import postgres_data_dir

NAMES = ("shared_buffers", "work_mem", "maintenance_work_mem", "effective_cache_size", "jit")


@pytest.fixture
def data_dir() -> Iterator[Path]:
    with postgres_data_dir() as path:
        yield path


async def _shown(server: EmbeddedPostgres) -> dict[str, str]:
    connection = await asyncpg.connect(user="postgres", database="postgres", host=server.socket_dir)
    try:
        return {name: await connection.fetchval(f"SHOW {name}") for name in NAMES}
    finally:
        await connection.close()


def _as_postgres_shows(size: str) -> str:
    """``1024MB`` → ``1GB``, as SHOW prints a size."""
    megabytes = int(size.removesuffix("MB"))
    return f"{megabytes // 1024}GB" if megabytes % 1024 == 0 else f"{megabytes}MB"


async def test_auto_sizes_are_what_the_server_runs_with(data_dir: Path) -> None:
    server = EmbeddedPostgres(data_dir)
    await asyncio.to_thread(server.start)
    try:
        shown = await _shown(server)
    finally:
        await asyncio.to_thread(server.stop)
    expected = {name: _as_postgres_shows(size) for name, size in resolved(DEFAULT_TUNING, memory_limit()).items()}
    assert shown == {**expected, "jit": "off"}


async def test_settings_from_the_environment_apply_at_the_next_start(data_dir: Path) -> None:
    first = load_settings({"RAGCHAT_EMBEDDED_SHARED_BUFFERS": "160MB", "RAGCHAT_EMBEDDED_WORK_MEM": "6MB"})
    server = EmbeddedPostgres(data_dir, tuning=embedded_tuning(first))
    await asyncio.to_thread(server.start)
    try:
        shown = await _shown(server)
    finally:
        await asyncio.to_thread(server.stop)
    assert (shown["shared_buffers"], shown["work_mem"]) == ("160MB", "6MB")

    second = load_settings({"RAGCHAT_EMBEDDED_MAINTENANCE_WORK_MEM": "96MB"})
    server = EmbeddedPostgres(data_dir, tuning=embedded_tuning(second))
    await asyncio.to_thread(server.start)
    try:
        shown = await _shown(server)
    finally:
        await asyncio.to_thread(server.stop)
    assert shown["maintenance_work_mem"] == "96MB"
    automatic = resolved({"shared_buffers": "auto"}, memory_limit())["shared_buffers"]
    assert shown["shared_buffers"] == _as_postgres_shows(automatic)  # back to auto: no longer 160MB
