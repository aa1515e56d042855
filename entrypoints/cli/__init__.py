"""The ``ragchat`` command: every subcommand builds settings and a container, then dispatches on the bus."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from entrypoints.cli import accounts, ingest, jobs, search, serve, users, worker
from entrypoints.cli import eval as eval_cli
from entrypoints.settings import SettingsError

Register = Callable[[argparse._SubParsersAction], None]  # type: ignore[type-arg]
SUBCOMMANDS: list[Register] = [
    serve.register,
    accounts.register,
    users.register,
    worker.register,
    jobs.register,
    ingest.register,
    search.register,
    eval_cli.register,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ragchat", description="Chat with your documents.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in SUBCOMMANDS:
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except SettingsError as exc:
        print(f"ragchat: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
