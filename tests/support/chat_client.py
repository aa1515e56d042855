"""A protocol-faithful WebSocket chat client for end-to-end tests (the `websockets` library, real sockets)."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

Frame = dict[str, Any]


class ChatClient:
    """Tracks the last seq it saw, drops repeats, and resumes after a reconnect — as the web UI does."""

    def __init__(self, ws_url: str, chat_id: str, token: str) -> None:
        self.url = f"{ws_url}/chat/ws?chat_id={chat_id}"
        self.token = token
        self.last_seq = 0
        self.epoch: str | None = None
        self.frames: list[Frame] = []
        """Every seq-carrying frame received, in order, once each."""
        self.duplicates = 0
        self.socket: ClientConnection | None = None

    async def connect(self, resume: bool = True) -> Frame:
        self.socket = await websockets.connect(self.url, max_size=2**20)
        await self.send({"type": "auth", "token": self.token})
        snapshot = await self.receive_raw()
        assert snapshot["type"] == "snapshot", snapshot
        if self.epoch is not None and snapshot["epoch"] != self.epoch:
            self.last_seq = snapshot["last_seq"]
        self.epoch = snapshot["epoch"]
        if resume:
            await self.send({"type": "resume", "after_seq": self.last_seq, "epoch": self.epoch})
        return snapshot

    async def send(self, frame: Frame) -> None:
        assert self.socket is not None
        await self.socket.send(json.dumps(frame))

    async def send_message(self, text: str, client_msg_id: str | None = None) -> str:
        client_msg_id = client_msg_id or str(uuid.uuid4())
        await self.send({"type": "message", "client_msg_id": client_msg_id, "text": text})
        return client_msg_id

    async def receive_raw(self, timeout: float = 30.0) -> Frame:  # noqa: ASYNC109
        assert self.socket is not None
        return dict(json.loads(await asyncio.wait_for(self.socket.recv(), timeout)))

    async def receive(self, timeout: float = 30.0) -> Frame:  # noqa: ASYNC109
        """The next new frame: seq-carrying frames at or below ``last_seq`` are counted as duplicates, skipped."""
        while True:
            frame = await self.receive_raw(timeout)
            seq = frame.get("seq", 0)
            if seq:
                if seq <= self.last_seq:
                    self.duplicates += 1
                    continue
                assert seq == self.last_seq + 1 or frame["type"] == "snapshot", (self.last_seq, frame)
                self.last_seq = seq
                self.frames.append(frame)
            return frame

    async def until(self, kind: str, timeout: float = 60.0, **match: Any) -> Frame:  # noqa: ASYNC109
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            frame = await self.receive(max(0.1, deadline - loop.time()))
            if frame["type"] == kind and all(frame.get(k) == v for k, v in match.items()):
                return frame

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
            self.socket = None

    def answer_text(self, message_id: str) -> str:
        return "".join(f["text"] for f in self.frames if f["type"] == "token" and f["message_id"] == message_id)
