"""`GET /metrics` over HTTP (Litestar test client, in-memory twins): who may read it, and what it counts."""

from __future__ import annotations

import uuid

from litestar.testing import AsyncTestClient
from prometheus_client.parser import text_string_to_metric_families

from application.commands import CreateChat
from domain.stages import Stage
from entrypoints.http.app import create_app
from entrypoints.metrics import metrics_access
from tests.support.memory_app import MemoryApp, memory_container, memory_settings
from tests.unit.jobs.helpers import say


def _samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_metrics_count_turns_and_requests_by_route_template() -> None:
    container = memory_container()
    async with AsyncTestClient(create_app(container, memory_settings())) as http:
        credentials = {"email": "metrics@example.com", "password": "a fine passphrase"}
        user = (await http.post("/auth/register", json=credentials)).json()
        memory = MemoryApp(container)
        chat = await memory.dispatch(CreateChat(owner_id=uuid.UUID(user["id"]), title="T", stage=Stage.TEST))
        await say(memory, chat.owner_id, chat.id, "Hello?")
        missing = f"/documents/{uuid.uuid4()}"
        await http.get(missing)

        response = await http.get("/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        samples = _samples(response.text)
        assert samples[("ragchat_turns_total", frozenset({("outcome", "answered")}))] == 1
        assert samples[("ragchat_turns_in_flight", frozenset())] == 0
        assert samples[("ragchat_turn_first_token_seconds_count", frozenset())] == 1
        register = frozenset({("method", "POST"), ("route", "/auth/register"), ("status", "201")})
        assert samples[("ragchat_http_requests_total", register)] == 1
        by_template = frozenset({("method", "GET"), ("route", "/documents/{document_id}"), ("status", "401")})
        assert samples[("ragchat_http_requests_total", by_template)] == 1
        assert not any(missing in str(labels) for _, labels in samples)
        assert samples[("ragchat_model_breaker_open", frozenset())] == 0


async def test_a_metrics_token_is_required_once_set() -> None:
    settings = memory_settings(metrics_token="scrape-me")
    async with AsyncTestClient(create_app(memory_container(metrics_token="scrape-me"), settings)) as http:
        assert (await http.get("/metrics")).status_code == 401
        assert (await http.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 401
        ok = await http.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
        assert ok.status_code == 200
        assert "ragchat_turns_in_flight" in ok.text


def test_production_without_a_token_serves_no_metrics() -> None:
    production = memory_settings(database_url="postgresql://db/ragchat")
    assert metrics_access(production, None) is None
    assert metrics_access(production, "Bearer anything") is None
    guarded = memory_settings(database_url="postgresql://db/ragchat", metrics_token="t0ken")
    assert metrics_access(guarded, "Bearer t0ken") is True
    assert metrics_access(guarded, "bearer t0ken") is True
    assert metrics_access(guarded, "Basic t0ken") is False
    assert metrics_access(memory_settings(), None) is True
