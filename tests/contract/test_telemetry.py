"""The Telemetry contract, against the in-memory twin and the Prometheus adapter (read back from its text
exposition, as a Prometheus server would read it)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from prometheus_client.parser import text_string_to_metric_families

from adapters.prometheus.telemetry import PrometheusTelemetry
from application.ports.telemetry import Telemetry
from tests.support.twins.telemetry import MemoryTelemetry

Read = Callable[[], dict[str, float]]
"""What happened, by a backend-neutral name: turns_in_flight, turns:<outcome>, jobs:<job>:<outcome>, …"""


def _read_memory(telemetry: MemoryTelemetry) -> dict[str, float]:
    values: dict[str, float] = {
        "turns_in_flight": telemetry.turns_in_flight,
        "sockets_open": telemetry.open_sockets,
        "first_tokens": len(telemetry.first_tokens),
    }
    values.update({":".join(key): count for key, count in telemetry.counts.items()})
    return values


def _read_prometheus(telemetry: PrometheusTelemetry) -> dict[str, float]:
    values: dict[str, float] = {}
    for family in text_string_to_metric_families(telemetry.render().decode()):
        for sample in family.samples:
            labels = sample.labels
            match sample.name:
                case "ragchat_turns_in_flight":
                    values["turns_in_flight"] = sample.value
                case "ragchat_websockets_open":
                    values["sockets_open"] = sample.value
                case "ragchat_turn_first_token_seconds_count":
                    values["first_tokens"] = sample.value
                case "ragchat_turns_total":
                    values[f"turns:{labels['outcome']}"] = sample.value
                case "ragchat_jobs_total":
                    values[f"jobs:{labels['job']}:{labels['outcome']}"] = sample.value
                case "ragchat_jobs_given_up_total":
                    values[f"jobs_given_up:{labels['job']}"] = sample.value
                case "ragchat_http_requests_total":
                    values[f"requests:{labels['method']}:{labels['route']}:{labels['status']}"] = sample.value
    return values


@pytest.fixture(params=["memory", "prometheus"])
def telemetry(request: pytest.FixtureRequest) -> tuple[Telemetry, Read]:
    if request.param == "memory":
        memory = MemoryTelemetry()
        return memory, lambda: _read_memory(memory)
    prometheus = PrometheusTelemetry()
    return prometheus, lambda: _read_prometheus(prometheus)


def test_turns_in_flight_rise_and_fall_and_outcomes_are_counted(telemetry: tuple[Telemetry, Read]) -> None:
    sink, read = telemetry
    sink.turn_started()
    sink.turn_started()
    sink.first_token(0.4)
    sink.turn_finished("answered", 1.5)
    assert read()["turns_in_flight"] == 1
    sink.turn_finished("model_unavailable", 0.1)
    values = read()
    assert values["turns_in_flight"] == 0
    assert values["turns:answered"] == 1
    assert values["turns:model_unavailable"] == 1
    assert values["first_tokens"] == 1


def test_jobs_sockets_and_requests_are_counted(telemetry: tuple[Telemetry, Read]) -> None:
    sink, read = telemetry
    sink.job_finished("IndexDocument", "done", 2.0)
    sink.job_finished("IndexDocument", "error", 0.2)
    sink.job_given_up("IndexDocument")
    sink.socket_opened()
    sink.socket_opened()
    sink.socket_closed()
    sink.request_finished("GET", "/documents/{document_id}", 200, 0.01)
    values = read()
    assert values["jobs:IndexDocument:done"] == 1
    assert values["jobs:IndexDocument:error"] == 1
    assert values["jobs_given_up:IndexDocument"] == 1
    assert values["sockets_open"] == 1
    assert values["requests:GET:/documents/{document_id}:200"] == 1


def test_two_prometheus_instances_do_not_share_a_registry() -> None:
    """Per-process registries: a second app in the same test process starts from zero."""
    first, second = PrometheusTelemetry(), PrometheusTelemetry()
    first.turn_started()
    assert _read_prometheus(first)["turns_in_flight"] == 1
    assert _read_prometheus(second)["turns_in_flight"] == 0
