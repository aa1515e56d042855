"""Running ``ragchat`` subcommands in tests.

``ragchat_in_process`` calls ``entrypoints.cli.main`` (what the ``ragchat`` console script runs) with the given
environment, standard input and captured output, then puts the process's environment and logging back. Most of a
separate ``ragchat`` process's cost is importing and wiring the application, which this process has done
already; a test keeps ``ragchat_process`` for what only a real process shows (the console script, exit codes).
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from unittest import mock

from entrypoints.cli import main
from tests.support.server_process import RAGCHAT


def ragchat_process(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [RAGCHAT, *args], env={**os.environ, **env}, input=stdin, capture_output=True, text=True, timeout=180
    )


def ragchat_in_process(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The same result as ``ragchat_process``: the exit code and what went to stdout and stderr (logs too).
    From synchronous tests only: a command runs its own event loop (``asyncio.run``)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with _restored_logging(), mock.patch.dict(os.environ, env), mock.patch.object(sys, "stdin", io.StringIO(stdin)):
        with redirect_stdout(stdout), redirect_stderr(stderr):
            try:
                code = main(list(args))
            except SystemExit as exit_:  # argparse's errors and --help
                code = exit_.code if isinstance(exit_.code, int) else 1
    return subprocess.CompletedProcess(["ragchat", *args], code, stdout.getvalue(), stderr.getvalue())


@contextmanager
def _restored_logging() -> Iterator[None]:
    """A command configures logging for its process (the root handler, quieter libraries): undone afterwards."""
    root = logging.getLogger()
    handlers, levels = list(root.handlers), {name: logger.level for name, logger in _loggers()}
    root_level = root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(root_level)
        for name, logger in _loggers():
            logger.setLevel(levels.get(name, logging.NOTSET))


def _loggers() -> Iterator[tuple[str, logging.Logger]]:
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):
            yield name, logger
