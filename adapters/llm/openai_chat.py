"""``ChatModel`` over any OpenAI-compatible ``/v1/chat/completions`` endpoint (OpenAI, vLLM, llama.cpp, …).

The request goes out through ``CompletionEndpoint`` (aiohttp, not the SDK's request path; see there why).
Reliability lives here rather than in an HTTP client's retries because the rule depends on the stream:
an attempt may be retried only until its first token, since the user has seen nothing yet; once a token was
yielded, a failure ends the turn with ``ModelInterrupted`` so no token is ever delivered twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncGenerator, Awaitable, Callable

import msgspec

from adapters.llm.circuit_breaker import BreakerState, CircuitBreaker, CircuitOpen
from adapters.llm.completion_endpoint import CompletionEndpoint
from adapters.llm.failures import classify, names_a_missing_model
from adapters.llm.retry_policy import ModelRetryPolicy
from adapters.llm.sse_chunks import StreamChunk
from adapters.llm.stream_reading import OpenedStream, open_stream, wire_messages
from application.errors import ModelInterrupted, ModelNotOffered, ModelUnavailable
from application.ports.chat_model import CompletionRequest, TextDelta, Usage
from application.prompting.token_budget import TokenCounter, count_message_tokens, estimate_tokens

log = logging.getLogger(__name__)

UNAVAILABLE = "The language model is not answering right now; please try again shortly."
INTERRUPTED = "The language model stopped in the middle of the answer; please try again."


def not_offered(model: str) -> str:
    return f"The model server does not offer the model “{model}”; choose another one in the chat's settings."


class ModelTimeouts(msgspec.Struct, frozen=True, kw_only=True):
    connect_seconds: float = 5.0
    first_token_seconds: float = 30.0
    """Per attempt, from sending the request to the first text; also the longest silence between chunks."""
    total_seconds: float = 180.0
    """The whole call: every attempt, backoff and the full answer."""


class OpenAIChatModel:
    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str | None = None,
        timeouts: ModelTimeouts = ModelTimeouts(),  # noqa: B008 - frozen, immutable default
        retry: ModelRetryPolicy = ModelRetryPolicy(),  # noqa: B008
        breaker: CircuitBreaker | None = None,
        count_tokens: TokenCounter = estimate_tokens,
        merge_system_prompt: bool = False,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._model = model
        self._timeouts = timeouts
        self._retry = retry
        self.breaker = breaker or CircuitBreaker()
        self._count_tokens = count_tokens
        self._merge_system_prompt = merge_system_prompt
        self._sleep = sleep
        self._rng = rng
        self._endpoint = CompletionEndpoint(
            base_url=base_url,
            api_key=api_key or "not-needed",  # local servers ignore it; the SDK insisted on one
            connect_seconds=timeouts.connect_seconds,
            read_seconds=timeouts.first_token_seconds,
            pool_seconds=timeouts.connect_seconds,
        )

    @property
    def name(self) -> str:
        return self._model

    async def status(self) -> str:
        """For ``/ready``: ``available`` while the breaker lets calls through, ``unavailable`` while it is open
        (or waiting for its probe); never raises, because a model outage must not take every replica out of the
        load balancer."""
        return "available" if self.breaker.state is BreakerState.CLOSED else "unavailable"

    async def aclose(self) -> None:
        await self._endpoint.aclose()

    async def stream(self, request: CompletionRequest) -> AsyncGenerator[TextDelta | Usage, None]:
        try:
            self.breaker.acquire()
        except CircuitOpen as exc:
            raise ModelUnavailable(UNAVAILABLE, retry_after_seconds=exc.retry_after) from None
        messages = wire_messages(request.messages, merge_system=self._merge_system_prompt)
        deadline = asyncio.get_running_loop().time() + self._timeouts.total_seconds
        verdict = False
        opened: OpenedStream | None = None
        try:
            opened = await self._open_with_retries(request, messages, deadline)
            verdict = True  # the model answers (or had nothing to say): it is available
            self.breaker.record_success()
            parts = [opened.first_text] if opened.first_text else []
            if parts:
                yield TextDelta(text=opened.first_text)
            usage = opened.usage
            while not opened.finished:
                try:
                    chunk = await self._next_chunk(opened, deadline)
                except StopAsyncIteration:
                    break
                except Exception as exc:
                    self.breaker.record_failure()
                    log.warning(
                        "model stream interrupted",
                        extra={"model": self._model, "reason": classify(exc).reason, "tokens": len(parts)},
                    )
                    raise ModelInterrupted(INTERRUPTED) from exc
                usage = chunk.usage or usage
                if chunk.text:
                    parts.append(chunk.text)
                    yield TextDelta(text=chunk.text)
            yield usage or Usage(
                prompt_tokens=count_message_tokens(request.messages, self._count_tokens),
                completion_tokens=self._count_tokens("".join(parts)),
                estimated=True,
            )
        finally:
            if not verdict:
                self.breaker.release()
            if opened is not None:
                with contextlib.suppress(Exception):  # a broken connection must not mask the real error
                    await opened.close()

    async def _next_chunk(self, opened: OpenedStream, deadline: float) -> StreamChunk:
        """The total deadline costs a timer per chunk only once less than the read timeout is left: until then
        the client's read timeout stops a silent server in time, and ``read_chunks`` a trickling one."""
        if deadline - asyncio.get_running_loop().time() > self._timeouts.first_token_seconds:
            return await anext(opened.chunks)
        async with asyncio.timeout_at(deadline):
            return await anext(opened.chunks)

    async def _open_with_retries(
        self, request: CompletionRequest, messages: list[dict[str, str]], deadline: float
    ) -> OpenedStream:
        """Attempts until one yields its first text; raises ``ModelUnavailable`` (and records the breaker
        failure) when the retries, the Retry-After cap or the total deadline are exhausted."""
        loop = asyncio.get_running_loop()
        attempt = 0
        while True:
            attempt += 1
            first_token_deadline = min(deadline, loop.time() + self._timeouts.first_token_seconds)
            try:
                return await open_stream(
                    self._endpoint,
                    request.model or self._model,
                    messages,
                    request.max_tokens,
                    first_token_deadline,
                    deadline,
                    temperature=request.temperature,
                )
            except Exception as exc:
                failure = classify(exc)
                delay = max(self._retry.backoff(attempt, self._rng), failure.retry_after or 0.0)
                give_up = (
                    not failure.retryable
                    or attempt >= self._retry.max_attempts
                    or (failure.retry_after or 0.0) > self._retry.max_retry_after_seconds
                    or loop.time() + delay >= deadline
                )
                extra = {"model": self._model, "attempt": attempt, "reason": failure.reason}
                if give_up:
                    log.warning("model unavailable", extra=extra)
                    if failure.breaker_failure:
                        self.breaker.record_failure()
                    else:
                        self.breaker.release()
                    if names_a_missing_model(exc):
                        raise ModelNotOffered(not_offered(request.model or self._model)) from exc
                    raise ModelUnavailable(UNAVAILABLE, retry_after_seconds=failure.retry_after) from exc
                log.info("retrying model call", extra={**extra, "delay_seconds": round(delay, 3)})
            await self._sleep(delay)
