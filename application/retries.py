"""Whether trying again can help: the one place that decides it, for every way a failure leaves the application.

- ``is_retryable``: a failure the *caller* may retry as it is (an HTTP problem's and a WebSocket error frame's
  ``retryable``, the turn runner's error frames): a dependency was unavailable, a rate limit, an answer cut off.
- ``JobRetryRules.verdict``: what a job runner does with a failed try. An unavailable dependency or an unexpected
  error is tried again while tries remain; any other ``DomainError`` is the use case's final answer; a missing
  document or chat means there is nothing left to do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import Enum

from application.errors import ModelInterrupted
from domain.errors import DomainError, NotFound, RateLimited, ServiceUnavailable

RETRYABLE_ERRORS: tuple[type[DomainError], ...] = (RateLimited, ServiceUnavailable, ModelInterrupted)


def is_retryable(error: BaseException) -> bool:
    return isinstance(error, RETRYABLE_ERRORS)


class Verdict(Enum):
    RETRY = "retry"
    FAIL = "fail"
    DROP = "drop"
    """Nothing left to do (the document or chat was deleted meanwhile): finished, not failed."""


@dataclass(frozen=True, slots=True)
class JobRetryRules:
    """How often and how patiently a job is tried: one rule set for arq, the embedded runner and in-process
    queues."""

    max_tries: int = 5
    base_delay: float = 2.0
    max_delay: float = 300.0

    def verdict(self, error: BaseException, attempt: int) -> Verdict:
        """``attempt`` counts from 1."""
        if isinstance(error, NotFound):
            return Verdict.DROP
        if isinstance(error, DomainError) and not isinstance(error, ServiceUnavailable):
            return Verdict.FAIL
        return Verdict.RETRY if attempt < self.max_tries else Verdict.FAIL

    def delay(self, attempt: int) -> float:
        """Exponential backoff with jitter (±50%) after failed try ``attempt`` (from 1)."""
        capped = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return capped * (0.5 + random.random())

    def exhausted(self, attempt: int) -> str | None:
        """Why a job started for the ``attempt``-th time is given up without running (every start counts, those
        a crash interrupted too), or None while tries remain."""
        if attempt > self.max_tries:
            return f"gave up after {self.max_tries} tries: the job never finished"
        return None


def failure_reason(error: BaseException) -> str:
    """What the failed job (and a failed document) shows: the user-safe message of a domain error, else the
    exception's type and text for the operator."""
    if isinstance(error, DomainError):
        return error.message
    text = str(error).strip()
    return (f"{type(error).__name__}: {text}" if text else type(error).__name__)[:500]
