"""Per-chat settings through a real `ragchat serve` against the scripted OpenAI-compatible server: the model
list comes from its ``/v1/models``, the chosen model, temperature and instructions arrive in the request it
records, and bad settings are refused as typed problem details."""

from __future__ import annotations

import httpx
import pytest

from tests.support.api import bearer, signed_up
from tests.support.chat_client import ChatClient
from tests.support.scripted_llm_server import ScriptedLLMServer
from tests.support.server_process import ServerProcess


@pytest.fixture(scope="module")
def module_scripted(module_scripted: ScriptedLLMServer) -> ScriptedLLMServer:
    module_scripted.models = ["scripted-model", "scripted-large"]
    return module_scripted


@pytest.fixture(scope="module")
def server(module_scripted_server: ServerProcess) -> ServerProcess:
    """One server and model for the module: each test signs up users of its own."""
    return module_scripted_server


async def test_a_chats_settings_reach_the_model(
    server: ServerProcess, http: httpx.AsyncClient, scripted: ScriptedLLMServer
) -> None:
    user = await signed_up(http)
    models = (await http.get("/models", headers=bearer(user))).json()
    assert models == {"default": "scripted-model", "items": ["scripted-model", "scripted-large"]}
    chat = (await http.post("/chats", headers=bearer(user), json={"stage": "test"})).json()
    assert chat["settings"] == {"model": None, "instructions": "", "temperature": None}

    settings = {"model": "scripted-large", "instructions": "Always answer like a pirate.", "temperature": 1.25}
    changed = await http.patch(f"/chats/{chat['id']}", headers=bearer(user), json={"settings": settings})
    assert changed.status_code == 200, changed.text
    assert changed.json()["settings"] == settings
    assert (await http.get(f"/chats/{chat['id']}", headers=bearer(user))).json()["chat"]["settings"] == settings

    client = ChatClient(server.ws_url, chat["id"], user["access_token"])
    await client.connect()
    await client.send_message("Say hello.")
    await client.until("answer_done")
    await client.close()

    (sent,) = scripted.requests
    assert (sent["model"], sent["temperature"]) == ("scripted-large", 1.25)
    assert sent["messages"][0]["role"] == "system"
    assert "Always answer like a pirate." in sent["messages"][0]["content"]
    assert sent["messages"][-1] == {"role": "user", "content": "Say hello."}


@pytest.mark.parametrize(
    ("settings", "code", "field"),
    [
        ({"temperature": 2.5}, "invalid_request", "settings.temperature"),
        ({"instructions": "x" * 4001}, "invalid_request", "settings.instructions"),
        ({"model": "not-listed"}, "invalid_input", "model"),
        ({"colour": "blue"}, "invalid_request", "settings"),
    ],
)
async def test_bad_settings_are_refused_as_problem_details(
    server: ServerProcess, http: httpx.AsyncClient, settings: dict[str, object], code: str, field: str
) -> None:
    user = await signed_up(http)
    chat = (await http.post("/chats", headers=bearer(user), json={})).json()

    refused = await http.patch(f"/chats/{chat['id']}", headers=bearer(user), json={"settings": settings})

    assert refused.status_code == 400
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["code"] == code
    assert [e["field"] for e in problem["errors"]] == [field], problem
    assert (await http.get(f"/chats/{chat['id']}", headers=bearer(user))).json()["chat"]["settings"]["model"] is None
