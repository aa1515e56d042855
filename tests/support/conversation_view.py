"""A client's view of a chat built only by the rules of ``docs/websocket.md`` ("Joining a chat"): the history
over HTTP, then the frames replayed from ``join_seq`` and live. End-to-end tests compare it with the stored chat."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.api import chat_history
from tests.support.chat_client import ChatClient

Message = dict[str, Any]


class ConversationView:
    def __init__(self, history: list[Message]) -> None:
        self.messages: dict[str, Message] = {m["id"]: dict(m) for m in history}
        self.title: str | None = None
        self.replaced: set[str] = set()
        """Messages a ``replaced`` frame removed: frames about them are ignored."""

    def apply(self, frame: Message) -> None:
        kind, messages = frame["type"], self.messages
        if kind == "replaced":
            self.replaced.update(frame["message_ids"])
            for message_id in frame["message_ids"]:
                messages.pop(message_id, None)
        elif kind == "accepted" and frame["message_id"] in self.replaced:
            pass
        elif kind == "answer_started" and frame["reply_to"] in self.replaced:
            self.replaced.add(frame["message_id"])
        elif kind == "accepted":
            question = messages.setdefault(
                frame["message_id"],
                {
                    "id": frame["message_id"],
                    "role": "user",
                    "content": frame["text"],
                    "position": frame["position"],
                    "client_msg_id": frame["client_msg_id"],
                    "error": None,
                },
            )
            question["status"] = frame["status"]
            if frame["status"] == "pending":
                question["error"] = None
        elif kind == "answer_started" and frame["message_id"] not in messages:
            for other in self._streaming():
                other["status"] = "interrupted"
            messages[frame["message_id"]] = {
                "id": frame["message_id"],
                "role": "assistant",
                "content": "",
                "citations": [],
                "status": "streaming",
                "reply_to": frame["reply_to"],
            }
        elif kind in ("token", "citation") and (answer := self._streaming_answer(frame["message_id"])):
            if kind == "token":
                answer["content"] += frame["text"]
            elif frame["citation"]["n"] not in {c["n"] for c in answer["citations"]}:
                answer["citations"].append(frame["citation"])
        elif kind == "answer_done" and (answer := self._streaming_answer(frame["message_id"])):
            answer["status"] = "complete"
            if frame["reply_to"] in messages:
                messages[frame["reply_to"]]["status"] = "complete"
        elif kind == "title_changed":
            self.title = frame["title"]
        elif kind == "error" and frame.get("seq"):
            for question in self.questions():
                if question.get("client_msg_id") == frame.get("client_msg_id"):
                    question["status"] = "interrupted"
                    question["error"] = {k: frame[k] for k in ("code", "message", "retryable")}
            for answer in self._streaming():
                if answer["content"]:
                    answer["status"] = "interrupted"
                else:  # it wrote nothing, so it is not stored
                    del messages[answer["id"]]

    def _streaming(self) -> list[Message]:
        return [m for m in self.messages.values() if m.get("status") == "streaming"]

    def _streaming_answer(self, message_id: str) -> Message | None:
        answer = self.messages.get(message_id)
        return answer if answer is not None and answer["status"] == "streaming" else None

    def questions(self) -> list[Message]:
        return sorted((m for m in self.messages.values() if m["role"] == "user"), key=lambda m: m["position"])


async def join(
    ws_url: str, http: httpx.AsyncClient, user: dict[str, str], chat_id: str
) -> tuple[ChatClient, ConversationView]:
    """Steps 1-3 of the join procedure; the caller applies frames with ``view.apply(await client.receive())``."""
    client = ChatClient(ws_url, chat_id, user["access_token"])
    snapshot = await client.connect(resume=False)
    client.last_seq = snapshot["join_seq"]
    history = await chat_history(http, user, chat_id)
    await client.send({"type": "resume", "after_seq": snapshot["join_seq"], "epoch": snapshot["epoch"]})
    return client, ConversationView(history)


async def apply_until(client: ChatClient, view: ConversationView, kind: str, **match: Any) -> dict[str, Any]:
    """Applies every frame to the view until one of ``kind`` (matching ``match``) was applied."""
    while True:
        frame = await client.receive(timeout=60)
        view.apply(frame)
        if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
            return frame
