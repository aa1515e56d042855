from __future__ import annotations

import pytest

from application.errors import StorageUnavailable
from application.ports.embedder import EmbedderUnavailable
from application.retries import JobRetryRules, Verdict, failure_reason
from domain.errors import InvalidInput, InvalidTransition, NotFound

RULES = JobRetryRules(max_tries=3, base_delay=1.0, max_delay=5.0)


@pytest.mark.parametrize(
    ("error", "attempt", "verdict"),
    [
        (StorageUnavailable("db down"), 1, Verdict.RETRY),
        (EmbedderUnavailable("embedder down"), 2, Verdict.RETRY),
        (EmbedderUnavailable("embedder down"), 3, Verdict.FAIL),
        (RuntimeError("bug"), 1, Verdict.RETRY),
        (RuntimeError("bug"), 3, Verdict.FAIL),
        (InvalidInput("bad"), 1, Verdict.FAIL),
        (InvalidTransition("no"), 1, Verdict.FAIL),
        (NotFound("document not found"), 1, Verdict.DROP),
    ],
)
def test_verdicts(error: Exception, attempt: int, verdict: Verdict) -> None:
    assert RULES.verdict(error, attempt) is verdict


def test_backoff_grows_exponentially_within_jitter_and_is_capped() -> None:
    for attempt, base in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 5.0), (10, 5.0)]:
        delays = [RULES.delay(attempt) for _ in range(50)]
        assert all(0.5 * base <= d <= 1.5 * base for d in delays)


def test_failure_reasons_are_safe_text() -> None:
    assert failure_reason(EmbedderUnavailable("the embedder timed out")) == "the embedder timed out"
    assert failure_reason(RuntimeError("x" * 900)).startswith("RuntimeError: xxx")
    assert len(failure_reason(RuntimeError("x" * 900))) == 500
    assert failure_reason(KeyError()) == "KeyError"
