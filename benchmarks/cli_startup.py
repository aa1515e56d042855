"""Wall time of ``ragchat search`` as a user runs it: ``python -m benchmarks.cli_startup [--source DIR ...]``.

Prepares a throwaway data folder (embedded PostgreSQL, one account, one indexed Markdown file, local
embedder), then times, per checkout given with ``--source`` (default: this one; pass an older checkout, e.g. a
``git worktree`` of main before a change, for before/after figures):

- ``first``: the first search after the data folder was made;
- ``again``: the median of ``--runs`` further searches, each starting and stopping the embedded PostgreSQL;
- ``with server``: the median of ``--runs`` searches while a ``ragchat serve`` of that checkout runs on the
  same folder (the command uses the server's database instead of starting one);

and whether torch was imported (``-X importtime``). Each figure is wall time and processor time (user + system,
of the command and the ``pg_ctl`` it runs): on a busy shared machine the wall time mostly measures the others'
load, the processor time is what the command itself costs. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.support.server_process import ServerProcess

HERE = Path(__file__).resolve().parents[1]
RAGCHAT = ["-c", "import sys; from entrypoints.cli import main; sys.exit(main())"]
EMAIL = "startup@example.com"


def _env(source: Path, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(source),
        "RAGCHAT_DATA_DIR": str(data_dir),
        "RAGCHAT_EMBEDDER": "local",
        "HF_HUB_OFFLINE": "1",
    }


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(
    env: dict[str, str], *args: str, stdin: str | None = None, importtime: bool = False
) -> tuple[float, float, str]:
    """Wall time, processor time (the command's and pg_ctl's) and stderr of one command."""
    flags = ["-X", "importtime"] if importtime else []
    cpu = _cpu_of_children()
    started = time.perf_counter()
    done = subprocess.run(  # in the checkout: ``python -c`` puts the working directory first on sys.path
        [sys.executable, *flags, *RAGCHAT, *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        cwd=env["PYTHONPATH"],
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"ragchat {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return elapsed, _cpu_of_children() - cpu, done.stderr


def prepare(source: Path, root: Path) -> Path:
    data_dir = root / "data"
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "penguins.md").write_text(
        "# Penguins\n\nEmperor penguins breed in the Antarctic winter and huddle against the wind.\n"
    )
    env = _env(source, data_dir)
    _run(env, "create-user", EMAIL, "--password-stdin", stdin="correct-horse-battery-staple-9\n")
    _run(env, "ingest", str(docs), "--user", EMAIL)
    return data_dir


def search(env: dict[str, str]) -> tuple[float, float]:
    wall, cpu, _ = _run(env, "search", "where do penguins breed", "--user", EMAIL)
    return wall, cpu


def medians(env: dict[str, str], runs: int) -> tuple[float, float]:
    timings = [search(env) for _ in range(runs)]
    return statistics.median(t[0] for t in timings), statistics.median(t[1] for t in timings)


def _wait_for_warm_up(log: Path, timeout: float = 300.0) -> None:
    """The server loads its embedding model after it is ready; searching meanwhile would time that instead."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and "embedder ready" not in log.read_text(errors="replace"):
        time.sleep(0.5)


def measure(source: Path, runs: int, with_server: bool) -> dict[str, object]:
    root = Path(tempfile.mkdtemp(prefix="ragchat-cli-startup-"))
    os.chmod(root, 0o755)  # as root, the embedded server's own user must reach the data folder
    try:
        data_dir = prepare(source, root)
        env = _env(source, data_dir)
        figures: dict[str, object] = {"first": search(env)}
        figures["again"] = medians(env, runs)
        _, _, imports = _run(env, "search", "penguins", "--user", EMAIL, importtime=True)
        figures["imports torch"] = re.search(r"\|\s*torch$", imports, re.MULTILINE) is not None
        if with_server:
            try:
                server = ServerProcess(env, log_path=root / "server.log").start(timeout=180)
            except RuntimeError:
                print((root / "server.log").read_text(errors="replace")[-3000:], file=sys.stderr)
                raise
            try:
                _wait_for_warm_up(root / "server.log")
                figures["with server"] = medians(env, runs)
            finally:
                server.stop()
        return figures
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, action="append", help="checkout to time (repeatable)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-server", action="store_true", help="skip the runs beside a running server")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(
        f"ragchat search: wall time (processor time), median of {args.runs}; "
        f"load average {load:.1f} on {os.cpu_count()} cores (other work inflates wall time, not processor time)"
    )
    for source in args.source or [HERE]:
        figures = measure(source.resolve(), args.runs, not args.no_server)
        shown = "  ".join(
            f"{name} {value[0]:.2f} s (cpu {value[1]:.2f} s)" if isinstance(value, tuple) else f"{name}: {value}"
            for name, value in figures.items()
        )
        print(f"{source}: {shown}", flush=True)


if __name__ == "__main__":
    main()
