"""Exactly-once delivery across reconnects: one turn cut at each point from 0 to 40 frames, and resumed (the
1,000-turn random storm is ``benchmarks/ws_drop_storm.py``)."""

from __future__ import annotations

import httpx
import pytest

from tests.support.api import bearer, signed_up, upload, wait_for_status
from tests.support.drop_storm import LAST_CUT_POINT, drop_storm
from tests.support.server_process import ServerProcess


@pytest.fixture
def server_env(server_env: dict[str, str]) -> dict[str, str]:
    """Every model delta is its own token frame, so each turn has dozens of frames to be cut between."""
    return {**server_env, "RAGCHAT_WS_MESSAGES_PER_SECOND": "1000", "RAGCHAT_WS_MESSAGE_BURST": "1000",
            "RAGCHAT_TOKEN_COALESCE_MS": "0"}


async def test_turns_dropped_at_every_point_lose_and_repeat_nothing(
    server: ServerProcess, http: httpx.AsyncClient
) -> None:
    user = await signed_up(http)
    doc = (
        await upload(http, user, "vectors.md", b"# Vectors\n\nVectors are lists of numbers. " * 20, "text/markdown")
    ).json()
    await wait_for_status(http, user, doc["id"])
    chat = (await http.post("/chats", headers=bearer(user))).json()
    turns = LAST_CUT_POINT + 1
    report = await drop_storm(server.ws_url, http, user, chat["id"], turns=turns, seed=None)
    assert report.turns == turns and report.drops == turns
    assert report.lost == 0
    assert report.duplicated == 0
