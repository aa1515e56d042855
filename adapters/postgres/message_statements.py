"""The statements ``PgMessageRepository`` runs on every chat turn, built once with bound parameters: building a
statement, and looking its compiled form up in SQLAlchemy's cache, costs more Python than sending it (a history
read took ~340 us of CPU built per call, ~180 us prebuilt), and a turn runs several.

Parameters are named ``new_*`` and ``q_*``, never like a column: an execution parameter named like a column of
an INSERT's or UPDATE's table is added to its VALUES or SET clause."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, Update, bindparam, literal_column, select, update
from sqlalchemy.dialects.postgresql import insert

from adapters.postgres.tables import MESSAGES_CLIENT_MSG_ID_UNIQUE, chat_messages, chats
from domain.messages import MessageStatus

m = chat_messages
_INSERTED = (
    "id",
    "chat_id",
    "role",
    "client_msg_id",
    "reply_to",
    "replaces",
    "superseded_by",
    "created_at",
    "content",
    "status",
    "citations",
    "prompt_tokens",
    "completion_tokens",
    "error",
)


def _add(owned: bool) -> Select[Any]:
    """``WITH bump (the chat's counter + 1), added (the row at that position, unless its client_msg_id is taken)
    SELECT bump's position, added's position, whether the chat's title is the user's``: NULL, NULL, NULL when the
    chat is missing (or, ``owned``, not ``new_owner_id``'s); n, NULL, … on a conflict. A turn stores two
    messages."""
    chat = chats.c.id == bindparam("new_chat_id", type_=chats.c.id.type)
    if owned:
        chat = chat & (chats.c.owner_id == bindparam("new_owner_id", type_=chats.c.owner_id.type))
    bump = (
        update(chats)
        .where(chat)
        .values(message_count=chats.c.message_count + literal_column("1"))
        .returning(chats.c.message_count.label("position"), chats.c.titled_by_user)
        .cte("bump")
    )
    row = [bindparam(f"new_{name}", type_=chat_messages.c[name].type).label(name) for name in _INSERTED]
    added = (
        insert(chat_messages)
        .from_select([*_INSERTED, "position"], select(*row, bump.c.position))
        .on_conflict_do_nothing(constraint=MESSAGES_CLIENT_MSG_ID_UNIQUE)
        .returning(chat_messages.c.position)
        .cte("added")
    )
    return select(
        select(bump.c.position).scalar_subquery(),
        select(added.c.position).scalar_subquery(),
        select(bump.c.titled_by_user).scalar_subquery(),
    )


ADD = _add(owned=False)
ADD_OWNED = _add(owned=True)
"""``ADD`` for a chat that must also be the given owner's: a question checks its chat in the same statement."""
UNBUMP: Update = (
    update(chats)
    .where(chats.c.id == bindparam("new_chat_id", type_=chats.c.id.type))
    .values(message_count=chats.c.message_count - literal_column("1"))
)


def _param(name: str, column: str) -> Any:
    return bindparam(name, type_=chat_messages.c[column].type)


GET = select(m).where(m.c.chat_id == _param("q_chat_id", "chat_id"), m.c.id == _param("q_id", "id"))
BY_CLIENT_MSG_ID = select(m).where(
    m.c.chat_id == _param("q_chat_id", "chat_id"), m.c.client_msg_id == _param("q_client_msg_id", "client_msg_id")
)
LATEST = (
    select(m)
    .where(m.c.chat_id == _param("q_chat_id", "chat_id"), m.c.superseded_by.is_(None))
    .order_by(m.c.position.desc())
    .limit(bindparam("q_limit"))
)
"""The newest ``q_limit`` visible messages, newest first."""
LATEST_BEFORE = LATEST.where(m.c.position < _param("q_before", "position"))
SETTLE = (
    update(m)
    .where(
        m.c.chat_id == _param("q_chat_id", "chat_id"),
        m.c.id == _param("q_id", "id"),
        m.c.status == MessageStatus.PENDING.value,
    )
    .values(status=_param("q_status", "status"), error=_param("q_error", "error"))
)
