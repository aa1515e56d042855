"""Server settings for the embedded PostgreSQL, sized for a vector index and for the machine instead of initdb's
defaults.

initdb's ``shared_buffers`` (128 MB) is smaller than the HNSW index of 100k chunks of 384 dimensions (about
200 MB), so searches would keep copying index pages in from the OS cache; ``maintenance_work_mem`` (64 MB)
makes HNSW builds spill and crawl. JIT compilation is off: it costs tens of milliseconds on the first run of
a query whose estimated cost crosses the threshold, which an interactive search must not pay.

A memory setting left at ``auto`` is a share of the memory this process may use (the machine's, or its
container's limit when lower), within bounds (``AUTO``): the one-process install runs on laptops and small
containers as well as on large machines, beside the application and its embedding model.

The values live in ``ragchat.conf`` next to ``postgresql.conf``, which includes it; the file is rewritten at
every start, so changing a setting takes effect at the next start of the server.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

CONF_NAME = "ragchat.conf"
INCLUDE_LINE = f"include_if_exists = '{CONF_NAME}'"
FIXED = {
    "jit": "off",
    "random_page_cost": "1.1",  # data and indexes sit on local disk and mostly in cache
    "max_parallel_maintenance_workers": "1",
}
MB = 1024 * 1024


class Share(NamedTuple):
    """``auto`` = memory ÷ ``divisor``, kept within [``floor_mb``, ``cap_mb``]."""

    divisor: int
    floor_mb: int
    cap_mb: int


AUTO = {
    # 1/8 of memory: 8 GB → 1 GB, enough for the HNSW index (and hot heap pages) of ~400k chunks; the cap
    # holds ~1M chunks' index, and PostgreSQL touches buffer pages only as it uses them.
    "shared_buffers": Share(8, 128, 2048),
    # Per sort or hash of a query, and a pool may hold 20 connections: 8 GB → 16 MB.
    "work_mem": Share(512, 4, 32),
    # One HNSW build at a time: 8 GB → 512 MB, the graph of ~250k chunks in memory without spilling.
    "maintenance_work_mem": Share(16, 64, 1024),
    # A planner estimate of PostgreSQL's and the OS's caches together, not an allocation.
    "effective_cache_size": Share(2, 512, 16384),
}


def memory_limit(cgroup_root: Path = Path("/sys/fs/cgroup")) -> int:
    """Bytes of memory this process may use: the machine's, or its cgroup's limit (v2 or v1) when lower."""
    physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for limit_file in (cgroup_root / "memory.max", cgroup_root / "memory" / "memory.limit_in_bytes"):
        try:
            limit = limit_file.read_text().strip()
        except OSError:
            continue
        if limit.isdigit():  # "max" (v2) means none; v1 writes an enormous number instead
            return min(physical, int(limit))
    return physical


def resolved(settings: Mapping[str, str], memory: int) -> dict[str, str]:
    """``settings`` with every ``auto`` value replaced by its share of ``memory`` bytes (in MB)."""
    sized: dict[str, str] = {}
    for name, value in settings.items():
        share = AUTO.get(name)
        if value.strip().lower() != "auto":
            sized[name] = value
        elif share is None:
            raise ValueError(f"{name} has no automatic size; give a value")
        else:
            sized[name] = f"{min(max(memory // share.divisor // MB, share.floor_mb), share.cap_mb)}MB"
    return sized


def write_tuning(pgdata: Path, settings: Mapping[str, str], memory: int | None = None) -> None:
    """Makes ``postgresql.conf`` include ``ragchat.conf`` and writes ``settings`` (plus ``FIXED``; ``auto``
    values sized for ``memory``, by default ``memory_limit()``) there.

    A no-op before initdb (no ``postgresql.conf`` yet). The file gets the owner of ``postgresql.conf``: as
    root, the server runs as its own system user and must be able to read it."""
    main = pgdata / "postgresql.conf"
    if not main.is_file():
        return
    if INCLUDE_LINE not in main.read_text():
        with main.open("a") as conf:
            conf.write(f"\n{INCLUDE_LINE}\n")
    values = resolved(settings, memory_limit() if memory is None else memory)
    lines = [f"{name} = '{value}'" for name, value in {**FIXED, **values}.items()]
    target = pgdata / CONF_NAME
    target.write_text(
        "# written by ragchat at every start; see adapters/postgres/embedded_tuning.py\n" + "\n".join(lines) + "\n"
    )
    owner = main.stat()
    if os.geteuid() == 0:
        os.chown(target, owner.st_uid, owner.st_gid)
