"""The ``ragchat`` command: every subcommand builds settings and a container, then dispatches on the bus.

Only the module of the subcommand being run is imported (``COMMANDS``): importing them all would load the web
server, Redis and OpenAI clients and Alembic for a ``ragchat search`` that needs none of them. ``--help`` and
unknown commands import every module to list them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from entrypoints.settings_loading import SettingsError

COMMANDS = {
    "serve": "serve",
    "migrate": "serve",
    "create-user": "accounts",
    "users": "users",
    "worker": "worker",
    "jobs": "jobs",
    "ingest": "ingest",
    "search": "search",
    "reindex": "reindex",
    "eval": "eval",
}
"""Subcommand → the module under ``entrypoints.cli`` whose ``register(sub)`` defines it (in help order)."""


def _modules_for(argv: Sequence[str]) -> list[str]:
    command = next((arg for arg in argv if not arg.startswith("-")), None)
    if command in COMMANDS:
        return [COMMANDS[command]]
    return list(dict.fromkeys(COMMANDS.values()))


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ragchat", description="Chat with your documents.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _modules_for(argv):
        importlib.import_module(f"entrypoints.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except SettingsError as exc:
        print(f"ragchat: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
