"""Errors raised by ports that the use cases (and the edge) understand, whatever adapter is behind them."""

from __future__ import annotations

from domain.errors import DomainError, ServiceUnavailable


class ModelUnavailable(ServiceUnavailable):
    """The model could not start an answer (down, overloaded, breaker open). Safe to retry the turn.

    ``retry_after_seconds`` is a hint when known (the breaker's remaining cool-down, a Retry-After)."""

    code = "model_unavailable"

    def __init__(self, message: str, retry_after_seconds: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class ModelNotOffered(DomainError):
    """The model server answered that it has no model of the name asked for (a chat's chosen model it has since
    dropped, or a mistyped ``RAGCHAT_LLM_MODEL``): trying again cannot help, choosing another model can."""

    code = "model_not_offered"


class ModelInterrupted(DomainError):
    """The model's stream broke after some tokens; the turn is marked interrupted and may be retried."""

    code = "model_interrupted"


class StorageUnavailable(ServiceUnavailable):
    """A database or Redis call failed after the adapter's own retries."""

    code = "storage_unavailable"
