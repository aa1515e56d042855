"""One try of a job, the same in every runner (in-process, PostgreSQL-backed, arq): run the command within the
timeout, turn a failure into the verdict of ``JobRetryRules``, and record a job given up without letting a
failing record hook break the runner."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from application.commands import AnyCommand
from application.retries import JobRetryRules, Verdict, failure_reason

log = logging.getLogger(__name__)

Dispatch = Callable[[AnyCommand], Awaitable[object]]
OnFailure = Callable[[AnyCommand, str], Awaitable[object]]


async def ignore_failure(command: AnyCommand, reason: str) -> None:
    return None


@dataclass(frozen=True, slots=True)
class AttemptOutcome:
    verdict: Verdict | None
    """None: the job finished."""
    reason: str | None = None
    delay: float = 0.0
    """With ``Verdict.RETRY``: the backoff before the next try."""


FINISHED = AttemptOutcome(None)


async def attempt_job(dispatch: Dispatch, command: AnyCommand, *, attempt: int, rules: JobRetryRules,
                      timeout_seconds: float | None, job: str) -> AttemptOutcome:
    """Runs try number ``attempt`` (from 1); a cancellation propagates (the runner decides what it means)."""
    try:
        await asyncio.wait_for(dispatch(command), timeout_seconds)
    except Exception as exc:
        verdict = rules.verdict(exc, attempt)
        log.warning("job failed", extra={"job": job, "attempt": attempt, "verdict": verdict.value},
                    exc_info=verdict is not Verdict.DROP)
        delay = rules.delay(attempt) if verdict is Verdict.RETRY else 0.0
        return AttemptOutcome(verdict, failure_reason(exc), delay)
    return FINISHED


async def record_given_up(on_failure: OnFailure, command: AnyCommand, reason: str, *, job: str) -> None:
    """``on_failure`` records where the user looks (e.g. the document shows failed); its own failure is logged,
    never raised into the runner."""
    try:
        await on_failure(command, reason)
    except Exception:
        log.exception("could not record a failed job", extra={"job": job, "command": type(command).__name__})
