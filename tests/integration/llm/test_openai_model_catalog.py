"""The model list over real HTTP against the scripted server's ``/v1/models``: listed, cached, and the default
still offered when the provider has no list."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from adapters.llm.openai_model_catalog import OpenAIModelCatalog
from tests.integration.llm.conftest import FakeClock
from tests.support.scripted_llm_server import ScriptedLLMServer

CatalogFactory = Callable[[], OpenAIModelCatalog]


@pytest.fixture
async def make_catalog(scripted: ScriptedLLMServer, clock: FakeClock) -> AsyncIterator[CatalogFactory]:
    built: list[OpenAIModelCatalog] = []

    def build() -> OpenAIModelCatalog:
        catalog = OpenAIModelCatalog(
            base_url=scripted.base_url,
            default_model="scripted-model",
            ttl_seconds=60,
            failure_ttl_seconds=10,
            clock=clock,
        )
        built.append(catalog)
        return catalog

    yield build
    for catalog in built:
        await catalog.aclose()


async def test_the_providers_models_are_listed_after_the_default(
    scripted: ScriptedLLMServer, make_catalog: CatalogFactory
) -> None:
    scripted.models = ["big-model", "scripted-model", "small-model"]

    choices = await make_catalog().choices()

    assert choices.default == "scripted-model"
    assert choices.models == ["scripted-model", "big-model", "small-model"]


async def test_the_list_is_cached_until_it_expires(
    scripted: ScriptedLLMServer, make_catalog: CatalogFactory, clock: FakeClock
) -> None:
    scripted.models = ["a"]
    catalog = make_catalog()
    await catalog.choices()
    scripted.models = ["a", "b"]

    assert (await catalog.choices()).models == ["scripted-model", "a"]
    clock.advance(61)
    assert (await catalog.choices()).models == ["scripted-model", "a", "b"]
    assert scripted.model_list_requests == 2


async def test_a_provider_without_a_list_offers_the_default_and_is_asked_again_soon(
    scripted: ScriptedLLMServer, make_catalog: CatalogFactory, clock: FakeClock
) -> None:
    scripted.models = None  # answers 404
    catalog = make_catalog()

    assert (await catalog.choices()).models == ["scripted-model"]
    scripted.models = ["loaded-later"]
    clock.advance(11)
    assert (await catalog.choices()).models == ["scripted-model", "loaded-later"]
