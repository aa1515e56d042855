"""The real clock. Use cases ask a ``Clock`` port for the time so tests can pin it."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    def now(self) -> datetime:
        """Aware UTC, microsecond precision: exactly what a ``timestamptz`` column stores and returns."""
        return datetime.now(UTC)
