"""`ragchat jobs`: lists queued, running and failed background jobs; `ragchat jobs retry ID` retries one."""

from __future__ import annotations

import argparse
import asyncio
import sys

from application.commands import ListJobs, RetryJob
from application.ports.job_store import JobRecord
from domain.errors import DomainError
from entrypoints.cli.one_command import dispatch_once

STATUSES = ("queued", "running", "failed")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    jobs = sub.add_parser("jobs", help="list background jobs, or retry a failed one")
    jobs.add_argument("--status", action="append", choices=STATUSES,
                      help="only jobs in this status (repeatable; default: all three)")
    jobs.set_defaults(run=run_list)
    actions = jobs.add_subparsers(dest="action", metavar="ACTION")
    retry = actions.add_parser("retry", help="queue a failed job again with a fresh set of tries")
    retry.add_argument("job_id", metavar="ID", help="the id shown by `ragchat jobs`")
    retry.set_defaults(run=run_retry)


def format_jobs(records: list[JobRecord]) -> str:
    if not records:
        return "no jobs"
    rows = [("ID", "STATUS", "TRIES", "COMMAND", "KEY", "LAST ERROR")]
    rows += [(r.id, r.status.value, str(r.attempts), r.command, r.key, (r.last_error or "")[:80]) for r in records]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return "\n".join("  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[5]]).rstrip()
                     for row in rows)


def run_list(args: argparse.Namespace) -> int:
    records = asyncio.run(dispatch_once(args, ListJobs(statuses=tuple(args.status or STATUSES))))
    print(format_jobs(records))
    return 0


def run_retry(args: argparse.Namespace) -> int:
    try:
        record = asyncio.run(dispatch_once(args, RetryJob(job_id=args.job_id)))
    except DomainError as exc:
        print(f"ragchat: {exc.message}", file=sys.stderr)
        return 1
    print(f"job {record.id} ({record.key}) queued again")
    return 0
