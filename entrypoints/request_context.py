"""Correlation ids carried by every log line of a request or WebSocket session (context variables)."""

from __future__ import annotations

import contextvars
import uuid

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
session_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("session_id", default=None)
user_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("user_id", default=None)


def current_request_id() -> str | None:
    return request_id_var.get()


def new_id() -> str:
    return uuid.uuid4().hex
