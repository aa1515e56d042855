"""Why the server closed a chat socket, as a close code a client can act on without reading the reason text
(documented in docs/websocket.md; the web UI keys on these in ``frontend/src/ws/connectionTypes.ts``)."""

from __future__ import annotations

CLOSE_IDLE = 1001
"""No frame for ``RAGCHAT_WS_IDLE_TIMEOUT_SECONDS``: reconnect when needed."""
CLOSE_POLICY = 1008
"""Generic refusal (kept for clients that predate the specific codes below)."""
CLOSE_TOO_BIG = 1009
"""A frame larger than the limit (before authentication: ``PRE_AUTH_MAX_FRAME_BYTES``)."""
CLOSE_UNAUTHORIZED = 4401
"""No valid access token: missing, malformed, expired (also mid-session), or its account is gone or disabled.
Refresh the token, then reconnect and resume."""
CLOSE_FORBIDDEN = 4403
"""The chat does not exist for this user (missing, foreign, or ``chat_id`` not a UUID): do not retry."""
CLOSE_AUTH_TIMEOUT = 4408
"""No ``auth`` frame within ``RAGCHAT_WS_AUTH_TIMEOUT_SECONDS``."""
CLOSE_TOO_MANY_SOCKETS = 4429
"""The user already holds ``RAGCHAT_WS_MAX_SOCKETS_PER_USER`` sockets on this server: close some, retry later."""

PRE_AUTH_MAX_FRAME_BYTES = 16 * 1024
"""The only frame accepted before authentication is ``auth`` (a token of at most 8,192 characters)."""
