"""What a failed attempt at the model means: retry it, give up, and whether it counts against the breaker.

Kept apart from the streaming flow so the vendor's exception zoo is translated in one place.
"""

from __future__ import annotations

import msgspec
import openai

from adapters.llm.retry_policy import retry_after_seconds

RETRYABLE_STATUSES = frozenset({408, 409, 429})
"""Besides every 5xx: timeouts, conflicts and rate limits that a later attempt may not meet."""
REQUEST_SPECIFIC_STATUSES = frozenset({400, 404, 413, 422})
"""This request is at fault (too long, malformed, a model the server does not have), not the server: no
breaker failure for it. 404 is here because chats choose their own model: one chat naming a model the server
has since dropped must not open the breaker for every other chat."""


def names_a_missing_model(exc: BaseException) -> bool:
    """A 404 whose body speaks of the model (OpenAI's ``model_not_found``, vLLM's "The model `x` does not exist",
    Ollama's "model "x" not found"), as opposed to a 404 for a wrong base URL, which says nothing of it."""
    if not isinstance(exc, openai.APIStatusError) or exc.status_code != 404:
        return False
    return exc.code == "model_not_found" or "model" in f"{exc.message} {exc.body}".lower()


class AttemptFailure(msgspec.Struct, frozen=True, kw_only=True):
    reason: str
    """Short and safe for logs: ``status 503``, ``connection error``, ``timeout``, ``malformed stream``."""
    retryable: bool
    breaker_failure: bool = True
    retry_after: float | None = None


def classify(exc: BaseException) -> AttemptFailure:
    """Translates what one attempt raised before its first token; ``TimeoutError`` is ours (first token)."""
    if isinstance(exc, TimeoutError | openai.APITimeoutError):
        return AttemptFailure(reason="timeout", retryable=True)
    if isinstance(exc, openai.APIConnectionError):
        return AttemptFailure(reason="connection error", retryable=True)
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        return AttemptFailure(
            reason=f"status {status}",
            retryable=status >= 500 or status in RETRYABLE_STATUSES,
            breaker_failure=status not in REQUEST_SPECIFIC_STATUSES,
            retry_after=retry_after_seconds(exc.response.headers),
        )
    if isinstance(exc, openai.APIError):
        return AttemptFailure(reason="error event in stream", retryable=False)
    if isinstance(exc, ValueError):
        return AttemptFailure(reason="malformed stream", retryable=False)
    return AttemptFailure(reason=type(exc).__name__, retryable=False)
