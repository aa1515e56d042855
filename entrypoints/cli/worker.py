"""`ragchat worker`: runs background jobs from Redis (arq). Scale by starting more of them."""

from __future__ import annotations

import argparse

from entrypoints import event_loop
from entrypoints.cli.serve import settings_from
from entrypoints.settings_loading import SettingsError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    worker = sub.add_parser("worker", help="run background jobs (needs REDIS_URL)")
    worker.add_argument("--burst", action="store_true", help="exit once the queue is empty")
    worker.set_defaults(run=run_worker_command)


def run_worker_command(args: argparse.Namespace) -> int:
    from entrypoints.worker import run_worker

    settings = settings_from(args)
    if settings.redis_url is None:
        raise SettingsError("`ragchat worker` needs REDIS_URL; without it `ragchat serve` runs the jobs itself")
    event_loop.run(run_worker(settings, burst=args.burst))
    return 0
