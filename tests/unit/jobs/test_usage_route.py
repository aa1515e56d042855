"""`GET /me/usage` over HTTP (Litestar test client, in-memory twins): the caller's own totals, per chat."""

from __future__ import annotations

import uuid

from litestar.testing import AsyncTestClient

from application.commands import CreateChat, GetChat
from domain.messages import Role
from domain.stages import Stage
from entrypoints.http.app import create_app
from tests.support.memory_app import MemoryApp, memory_container, memory_settings
from tests.unit.jobs.helpers import say


async def test_usage_is_reported_for_the_signed_in_user_only() -> None:
    container = memory_container()
    app = create_app(container, memory_settings())
    async with AsyncTestClient(app) as http:
        assert (await http.get("/me/usage")).status_code == 401
        credentials = {"email": "usage@example.com", "password": "a fine passphrase"}
        user = (await http.post("/auth/register", json=credentials)).json()
        token = (await http.post("/auth/login", json=credentials)).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        empty = (await http.get("/me/usage", headers=headers)).json()
        zero = {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0, "estimated_tokens": 0}
        assert empty == {"total": zero, "chats": [], "deleted_chats": zero}

        memory = MemoryApp(container)
        chat = await memory.dispatch(CreateChat(owner_id=uuid.UUID(user["id"]), title="Trip", stage=Stage.TEST))
        await say(memory, chat.owner_id, chat.id, "Hello?")
        [answer] = [m for m in (await memory.dispatch(GetChat(owner_id=chat.owner_id, chat_id=chat.id))).messages
                    if m.role is Role.ASSISTANT]
        tokens = {"prompt_tokens": answer.prompt_tokens, "completion_tokens": answer.completion_tokens,
                  "total_tokens": answer.prompt_tokens + answer.completion_tokens,
                  "estimated_tokens": answer.prompt_tokens + answer.completion_tokens}  # the offline answerer's

        response = await http.get("/me/usage", headers=headers)
        assert response.status_code == 200
        assert response.json() == {
            "total": tokens, "chats": [{"chat_id": str(chat.id), "title": "Trip", **tokens}], "deleted_chats": zero
        }
