"""When a failed job is tried again, and when it is given up: one rule set for arq and the embedded runner."""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import Enum

from domain.errors import DomainError, NotFound, ServiceUnavailable


class Verdict(Enum):
    RETRY = "retry"
    FAIL = "fail"
    DROP = "drop"
    """Nothing left to do (the document or chat was deleted meanwhile): finished, not failed."""


@dataclass(frozen=True, slots=True)
class RetryRules:
    max_tries: int = 5
    base_delay: float = 2.0
    max_delay: float = 300.0

    def verdict(self, error: BaseException, attempt: int) -> Verdict:
        """``attempt`` counts from 1. An unavailable dependency or an unexpected error is retried while tries
        remain; any other ``DomainError`` is the use case's final answer and fails the job at once."""
        if isinstance(error, NotFound):
            return Verdict.DROP
        if isinstance(error, DomainError) and not isinstance(error, ServiceUnavailable):
            return Verdict.FAIL
        return Verdict.RETRY if attempt < self.max_tries else Verdict.FAIL

    def delay(self, attempt: int) -> float:
        """Exponential backoff with jitter (±50%) after failed try ``attempt`` (from 1)."""
        capped = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return capped * (0.5 + random.random())


def failure_reason(error: BaseException) -> str:
    """What the failed job (and a failed document) shows: the user-safe message of a domain error, else the
    exception's type and text for the operator."""
    if isinstance(error, DomainError):
        return error.message
    text = str(error).strip()
    return (f"{type(error).__name__}: {text}" if text else type(error).__name__)[:500]
