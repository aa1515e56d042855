"""Key and channel names. The chat id sits in a ``{hash tag}`` so one chat's keys share a cluster slot,
which the multi-key Lua scripts need."""

from __future__ import annotations

import uuid

DEFAULT_PREFIX = "ragchat"


def chat_key(prefix: str, chat_id: uuid.UUID, *parts: str) -> str:
    return ":".join((prefix, f"{{{chat_id}}}", *parts))


def frames_channel(prefix: str, chat_id: uuid.UUID) -> str:
    """The pub/sub channel a chat's freshly appended frames are announced on (``RedisFrameBus``)."""
    return chat_key(prefix, chat_id, "frames")


def chat_key_pattern(prefix: str, *parts: str) -> str:
    """A SCAN pattern for ``chat_key(prefix, <any chat>, *parts)``; braces are literal in Redis globs."""
    return ":".join((prefix, "{*}", *parts))


def chat_id_from_key(key: bytes | str) -> uuid.UUID | None:
    text = key.decode() if isinstance(key, bytes) else key
    start, end = text.find("{"), text.find("}")
    if start < 0 or end <= start:
        return None
    try:
        return uuid.UUID(text[start + 1 : end])
    except ValueError:
        return None


def text(value: bytes | str) -> str:
    """Replies are bytes (``decode_responses=False``); accept str too so a differently built client works."""
    return value.decode() if isinstance(value, bytes) else value
