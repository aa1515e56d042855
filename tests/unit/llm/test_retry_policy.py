from email.utils import formatdate

import pytest

from adapters.llm.retry_policy import ModelRetryPolicy, retry_after_seconds


@pytest.mark.parametrize(("attempt", "ceiling"), [(1, 0.5), (2, 1.0), (3, 2.0), (6, 8.0), (20, 8.0)])
def test_backoff_doubles_up_to_the_cap_with_half_of_it_jittered(attempt: int, ceiling: float) -> None:
    policy = ModelRetryPolicy(base_delay_seconds=0.5, max_delay_seconds=8.0)
    assert policy.backoff(attempt, rng=lambda: 0.0) == pytest.approx(ceiling / 2)
    assert policy.backoff(attempt, rng=lambda: 1.0) == pytest.approx(ceiling)


def test_retry_after_is_read_from_seconds_milliseconds_or_a_date() -> None:
    assert retry_after_seconds({"retry-after": "3"}) == 3
    assert retry_after_seconds({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert retry_after_seconds({"retry-after": formatdate(1_000_030, usegmt=True)}, now=lambda: 1_000_000) == 30
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None
