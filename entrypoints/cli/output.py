"""How one-shot commands (``ingest``, ``search``, ``reindex``) talk: readable on a terminal, JSON for programs.

On a terminal the command prints sentences and a progress bar, and logs only warnings, as readable lines; when
its output goes to a file or a pipe (or with ``--output json``) it prints one JSON object per line and logs
JSON at ``RAGCHAT_LOG_LEVEL``, as the server does. ``RAGCHAT_LOG_FORMAT``/``RAGCHAT_LOG_LEVEL``, when set,
are obeyed either way.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Literal

from entrypoints.logging_setup import configure_logging
from entrypoints.settings import Settings

OutputMode = Literal["text", "json"]


def add_output_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output",
        choices=["auto", "text", "json"],
        default="auto",
        help="text (sentences, progress bar) or json (one object per line); auto: text on a terminal",
    )


def output_mode(args: argparse.Namespace) -> OutputMode:
    chosen = getattr(args, "output", "auto")
    if chosen == "text" or chosen == "json":
        return "text" if chosen == "text" else "json"
    return "text" if sys.stdout.isatty() else "json"


def configure_command_logging(settings: Settings, mode: OutputMode) -> None:
    fmt = settings.log_format if os.environ.get("RAGCHAT_LOG_FORMAT") else ("console" if mode == "text" else "json")
    level = settings.log_level if os.environ.get("RAGCHAT_LOG_LEVEL") else ("WARNING" if mode == "text" else "INFO")
    configure_logging(level, fmt)


def describe_database(settings: Settings) -> tuple[str, bool]:
    """What the command is about to use, in words, and whether it starts (and will stop) PostgreSQL itself."""
    if not settings.embedded:
        return "the database at DATABASE_URL", False
    from adapters.postgres.embedded import EmbeddedPostgres

    data_dir = settings.data_path / "postgres"
    if EmbeddedPostgres(data_dir).is_running():
        return f"the embedded PostgreSQL already running on {data_dir} (left running)", False
    return f"the embedded PostgreSQL on {data_dir} (started now, stopped when done)", True
