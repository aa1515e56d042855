"""``ModelCatalog`` over an OpenAI-compatible ``/v1/models`` (OpenAI, vLLM, llama.cpp server and Ollama all
have one), cached briefly: the list changes when an operator loads a model, not per request.

A provider without the endpoint, or one that is down, still offers the configured default; that outcome is
cached for a shorter time so a recovered provider's list shows up soon.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

import openai

from adapters.llm.failures import classify
from application.ports.model_catalog import ModelChoices

log = logging.getLogger(__name__)

MAX_LISTED_MODELS = 200
"""OpenAI lists dozens (embeddings, audio, images); a picker of hundreds helps nobody."""


class OpenAIModelCatalog:
    def __init__(
        self,
        *,
        base_url: str,
        default_model: str,
        api_key: str | None = None,
        ttl_seconds: float = 60.0,
        failure_ttl_seconds: float = 10.0,
        timeout_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._default = default_model
        self._ttl = ttl_seconds
        self._failure_ttl = failure_ttl_seconds
        self._clock = clock
        self._cached: ModelChoices | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()
        self._client = openai.AsyncOpenAI(
            base_url=base_url, api_key=api_key or "not-needed", max_retries=0, timeout=timeout_seconds
        )

    async def choices(self) -> ModelChoices:
        async with self._lock:  # concurrent callers share one fetch
            if self._cached is None or self._clock() >= self._expires:
                listed = await self._listed()
                self._cached = ModelChoices(default=self._default, models=_with_default(self._default, listed or []))
                self._expires = self._clock() + (self._ttl if listed is not None else self._failure_ttl)
            return self._cached

    async def _listed(self) -> list[str] | None:
        try:
            page = await self._client.models.list()
            return [model.id for model in page.data if model.id][:MAX_LISTED_MODELS]
        except Exception as exc:
            log.info("model list unavailable", extra={"reason": classify(exc).reason})
            return None

    async def aclose(self) -> None:
        await self._client.close()


def _with_default(default: str, listed: list[str]) -> list[str]:
    return list(dict.fromkeys([default, *listed]))
