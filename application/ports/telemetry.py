from __future__ import annotations

from typing import Protocol


class Telemetry(Protocol):
    """What the use cases and entrypoints report about themselves, for an operator's dashboards and alerts.

    Events, not metric names: the adapter decides how they become counters and histograms (Prometheus in
    ``adapters/prometheus``, dicts in ``tests/support/twins``), so nothing in ``application/`` imports a metrics
    library. Every method is synchronous and cheap; none may raise.
    """

    def turn_started(self) -> None:
        """A chat turn began (the chat's lock is held): one more turn in flight."""
        ...

    def first_token(self, seconds: float) -> None:
        """The turn's first token went out this long after the turn started (retrieval included)."""
        ...

    def turn_finished(self, outcome: str, seconds: float) -> None:
        """The turn ended: ``answered`` or the error code its client saw (``model_unavailable``, ``stopped``,
        ``internal_error``, …); ``handed_back`` when a draining process gave it to another."""
        ...

    def job_finished(self, job: str, outcome: str, seconds: float) -> None:
        """One run of a background job ended, ``done`` or ``error`` (it may be retried); ``job`` is the
        command's name (``IndexDocument``, …)."""
        ...

    def job_given_up(self, job: str) -> None:
        """A job failed for good (out of tries, or not retryable): an operator should look at it."""
        ...

    def socket_opened(self) -> None: ...

    def socket_closed(self) -> None: ...

    def request_finished(self, method: str, route: str, status: int, seconds: float) -> None:
        """An HTTP request was answered; ``route`` is the route's template (``/documents/{document_id}``), never
        the raw path, so the number of series stays bounded."""
        ...
