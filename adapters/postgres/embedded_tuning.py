"""Server settings for the embedded PostgreSQL, sized for a vector index instead of initdb's defaults.

initdb's ``shared_buffers`` (128 MB) is smaller than the HNSW index of 100k chunks of 384 dimensions (about
200 MB), so searches would keep copying index pages in from the OS cache; ``maintenance_work_mem`` (64 MB)
makes HNSW builds spill and crawl. JIT compilation is off: it costs tens of milliseconds on the first run of
a query whose estimated cost crosses the threshold, which an interactive search must not pay.

The values live in ``ragchat.conf`` next to ``postgresql.conf``, which includes it; the file is rewritten at
every start, so changing a setting takes effect at the next start of the server.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

CONF_NAME = "ragchat.conf"
INCLUDE_LINE = f"include_if_exists = '{CONF_NAME}'"
FIXED = {
    "jit": "off",
    "random_page_cost": "1.1",  # data and indexes sit on local disk and mostly in cache
    "effective_cache_size": "2GB",
    "max_parallel_maintenance_workers": "1",
}


def write_tuning(pgdata: Path, settings: Mapping[str, str]) -> None:
    """Makes ``postgresql.conf`` include ``ragchat.conf`` and writes ``settings`` (plus ``FIXED``) there.

    A no-op before initdb (no ``postgresql.conf`` yet). The file gets the owner of ``postgresql.conf``: as
    root, the server runs as its own system user and must be able to read it."""
    main = pgdata / "postgresql.conf"
    if not main.is_file():
        return
    if INCLUDE_LINE not in main.read_text():
        with main.open("a") as conf:
            conf.write(f"\n{INCLUDE_LINE}\n")
    lines = [f"{name} = '{value}'" for name, value in {**FIXED, **settings}.items()]
    target = pgdata / CONF_NAME
    target.write_text(
        "# written by ragchat at every start; see adapters/postgres/embedded_tuning.py\n" + "\n".join(lines) + "\n"
    )
    owner = main.stat()
    if os.geteuid() == 0:
        os.chown(target, owner.st_uid, owner.st_gid)
