from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Literal, Protocol

import msgspec

from domain.documents import Passage
from domain.stages import Stage


class PromptMessage(msgspec.Struct, frozen=True, kw_only=True):
    role: Literal["system", "user", "assistant"]
    content: str


class CompletionRequest(msgspec.Struct, frozen=True, kw_only=True):
    """What the application asks of a model. The prompt is built in the application layer; ``passages`` and
    ``question`` are passed along too so a model without language ability (the offline answerer) can still
    answer extractively from the same request."""

    messages: list[PromptMessage]
    question: str
    passages: list[Passage] = msgspec.field(default_factory=list)
    """The passages numbered in the prompt, in order: ``[n]`` in the answer means ``passages[n - 1]``."""
    stage: Stage = Stage.ANSWERING
    """``test`` is free chat (no passages by design), so a model without language ability can say so."""
    max_tokens: int | None = None
    model: str | None = None
    """The chat's own model; None: the adapter's configured one."""
    temperature: float | None = None
    """None: the model server's default."""


class TextDelta(msgspec.Struct, frozen=True, kw_only=True):
    text: str


class Usage(msgspec.Struct, frozen=True, kw_only=True):
    prompt_tokens: int
    completion_tokens: int
    estimated: bool = False
    """True when the server sent no usage and the adapter counted with a tokenizer."""


class ChatModel(Protocol):
    """A streaming chat completion.

    ``stream`` yields ``TextDelta``s and ends with exactly one ``Usage``. It raises ``ModelUnavailable``
    (``application.errors``) when no token could be produced (after retries, or with the breaker open) and
    ``ModelInterrupted`` when the stream broke after tokens were yielded. Cancelling the iteration (user
    stop, socket gone) must release the HTTP stream: iterate inside ``contextlib.aclosing(model.stream(r))``
    so stopping early closes it at once rather than whenever the generator is garbage-collected.
    """

    @property
    def name(self) -> str: ...

    def stream(self, request: CompletionRequest) -> AsyncGenerator[TextDelta | Usage, None]: ...
