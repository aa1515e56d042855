"""A real `ragchat serve` process on a free port, for end-to-end tests over real HTTP and WebSocket."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import httpx

RAGCHAT = str(Path(sys.executable).parent / "ragchat")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30) -> None:
    """Returns once something accepts connections on the loopback ``port``; raises ``OSError`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class ServerProcess:
    def __init__(self, env: dict[str, str], port: int | None = None, log_path: Path | None = None) -> None:
        self.port = port or free_port()
        self.env = env
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | int | None = None

    waits_for_ready = True

    def argv(self) -> list[str]:
        return [RAGCHAT, "serve", "--port", str(self.port)]

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> ServerProcess:
        """Launches the process and, for a server, waits until it is ready."""
        self.launch()
        return self.wait_ready(timeout) if self.waits_for_ready else self

    def launch(self) -> ServerProcess:
        """Starts the process without waiting: several launched at once then start side by side."""
        env = {**os.environ, "RAGCHAT_LOG_FORMAT": "json", **self.env}
        self._log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self._process = subprocess.Popen(self.argv(), env=env, stdout=self._log, stderr=self._log)
        return self

    def wait_ready(self, timeout: float = 60.0) -> ServerProcess:
        """Returns once ``/ready`` answers 200; stops the process and raises if it exits or ``timeout`` passes."""
        assert self._process is not None, "launch() first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"ragchat serve exited with {self._process.returncode}; log: {self.log_path}")
            try:
                if httpx.get(f"{self.url}/ready", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"ragchat serve did not become ready in {timeout}s; log: {self.log_path}")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        if self._log is not None and not isinstance(self._log, int):
            self._log.close()

    def terminate(self) -> None:
        """SIGTERM without waiting: the process drains and exits by itself (``wait_exit``)."""
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)

    def wait_exit(self, timeout: float = 60.0) -> int:
        assert self._process is not None
        return self._process.wait(timeout=timeout)

    def kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None


class WorkerProcess(ServerProcess):
    """`ragchat worker` (arq): runs background jobs and the sweeper; it serves nothing, so nothing to wait for."""

    waits_for_ready = False

    def argv(self) -> list[str]:
        return [RAGCHAT, "worker"]
