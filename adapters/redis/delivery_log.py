"""The delivery log in Redis: a meta hash (epoch, last/acked seq) and a stream of frames per chat.

All the logic that must be atomic lives in ``delivery_log_scripts``; this module encodes, retries and maps
replies to the port's types.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from redis.asyncio import Redis

from adapters.redis.delivery_log_scripts import ACK, AFTER, APPEND, SNAPSHOT
from adapters.redis.keys import DEFAULT_PREFIX, chat_key, frames_channel, text
from adapters.redis.retry import RedisRetryPolicy, call_with_retry
from application.frames import AnyServerFrame, ServerFrame
from application.ports.delivery_log import FrameT, Replay, ReplayStatus, SeqAhead
from domain.snapshots import ChatSnapshot


class RedisDeliveryLog:
    """With ``publish`` an append also announces the frame on the ``RedisFrameBus`` channel in the same script:
    one round trip per frame, and a frame is announced exactly when it is logged."""

    def __init__(
        self,
        client: Redis,
        *,
        ttl_seconds: float = 24 * 3600,
        max_frames: int = 10_000,
        prefix: str = DEFAULT_PREFIX,
        retry: RedisRetryPolicy | None = None,
        publish: bool = False,
    ) -> None:
        self._client = client
        self._publish = publish
        self._ttl_ms = max(1, int(ttl_seconds * 1000))
        self._max_frames = max_frames
        self._prefix = prefix
        self._retry = retry or RedisRetryPolicy()
        self._append = client.register_script(APPEND)
        self._after = client.register_script(AFTER)
        self._ack = client.register_script(ACK)
        self._snapshot = client.register_script(SNAPSHOT)
        self._encoder = msgspec.json.Encoder()
        self._decoder: msgspec.json.Decoder[AnyServerFrame] = msgspec.json.Decoder(AnyServerFrame)

    @property
    def publishes(self) -> bool:
        return self._publish

    def _keys(self, chat_id: uuid.UUID) -> list[str]:
        return [
            chat_key(self._prefix, chat_id, "delivery", "meta"),
            chat_key(self._prefix, chat_id, "delivery", "frames"),
        ]

    async def _run(self, script: Any, chat_id: uuid.UUID, what: str, *args: int | str) -> Any:
        keys = self._keys(chat_id)
        base: list[int | str] = [uuid.uuid4().hex, self._ttl_ms]
        return await call_with_retry(
            lambda _: script(keys=keys, args=[*base, *args]), policy=self._retry, what=what
        )

    async def append(self, chat_id: uuid.UUID, frame: FrameT) -> FrameT:
        keys = self._keys(chat_id)
        unstamped = frame if frame.seq == 0 else msgspec.structs.replace(frame, seq=0)
        args: list[int | str | bytes] = [
            uuid.uuid4().hex,
            self._ttl_ms,
            self._max_frames,
            self._encoder.encode(unstamped),
            uuid.uuid4().hex,
        ]
        mark = "open" if frame.opens_turn else "close" if frame.closes_turn else ""
        channel = frames_channel(self._prefix, chat_id) if self._publish else ""
        seq = await call_with_retry(
            lambda attempt: self._append(keys=keys, args=[*args, "1" if attempt else "0", mark, channel]),
            policy=self._retry,
            what="delivery append",
        )
        return msgspec.structs.replace(frame, seq=int(seq))

    async def after(self, chat_id: uuid.UUID, after_seq: int, epoch: str | None = None) -> Replay:
        current_epoch, last, acked, entries, turn = await self._run(
            self._after, chat_id, "delivery replay", after_seq
        )
        snapshot = ChatSnapshot(
            chat_id=chat_id, epoch=text(current_epoch), last_seq=int(last), acked_seq=int(acked), turn_seq=int(turn)
        )
        if epoch is not None and epoch != snapshot.epoch:
            return Replay(status=ReplayStatus.EPOCH_CHANGED, snapshot=snapshot, frames=[])
        if after_seq > snapshot.last_seq:
            return Replay(status=ReplayStatus.AHEAD, snapshot=snapshot, frames=[])
        frames = [self._decode_entry(entry) for entry in entries]
        complete = after_seq == snapshot.last_seq or (bool(frames) and frames[0].seq == after_seq + 1)
        return Replay(
            status=ReplayStatus.COMPLETE if complete else ReplayStatus.GAP, snapshot=snapshot, frames=frames
        )

    def _decode_entry(self, entry: list[Any]) -> ServerFrame:
        entry_id, fields = entry
        seq = int(text(entry_id).split("-", 1)[0])
        values = {text(fields[i]): fields[i + 1] for i in range(0, len(fields), 2)}
        return msgspec.structs.replace(self._decoder.decode(values["f"]), seq=seq)

    async def ack(self, chat_id: uuid.UUID, seq: int) -> ChatSnapshot:
        epoch, last, acked, turn = await self._run(self._ack, chat_id, "delivery ack", seq)
        if int(acked) < 0:
            raise SeqAhead(f"seq {seq} was never sent (last is {int(last)})", field="seq")
        return ChatSnapshot(chat_id=chat_id, epoch=text(epoch), last_seq=int(last), acked_seq=int(acked),
                            turn_seq=int(turn))

    async def snapshot(self, chat_id: uuid.UUID) -> ChatSnapshot:
        epoch, last, acked, turn = await self._run(self._snapshot, chat_id, "delivery snapshot")
        return ChatSnapshot(chat_id=chat_id, epoch=text(epoch), last_seq=int(last), acked_seq=int(acked),
                            turn_seq=int(turn))

    async def discard(self, chat_id: uuid.UUID) -> None:
        keys = self._keys(chat_id)
        await call_with_retry(
            lambda _: self._client.delete(*keys), policy=self._retry, what="delivery discard"
        )
