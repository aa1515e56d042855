from __future__ import annotations

from collections import Counter


class MemoryTelemetry:
    """The in-memory twin of ``Telemetry``: counts what happened, so tests can assert on it."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, ...]] = Counter()
        self.first_tokens: list[float] = []
        self.turns_in_flight = 0
        self.open_sockets = 0

    def turn_started(self) -> None:
        self.turns_in_flight += 1
        self.counts["turns_started",] += 1

    def first_token(self, seconds: float) -> None:
        self.first_tokens.append(seconds)

    def turn_finished(self, outcome: str, seconds: float) -> None:
        self.turns_in_flight -= 1
        self.counts["turns", outcome] += 1

    def job_finished(self, job: str, outcome: str, seconds: float) -> None:
        self.counts["jobs", job, outcome] += 1

    def job_given_up(self, job: str) -> None:
        self.counts["jobs_given_up", job] += 1

    def socket_opened(self) -> None:
        self.open_sockets += 1
        self.counts["sockets_opened",] += 1

    def socket_closed(self) -> None:
        self.open_sockets -= 1

    def request_finished(self, method: str, route: str, status: int, seconds: float) -> None:
        self.counts["requests", method, route, str(status)] += 1
