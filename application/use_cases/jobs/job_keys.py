"""The deterministic job keys: one place that says which work a key stands for.

A key is a job's identity: queueing a key that is already queued or running does nothing, so a retry, a
double click or a sweeper that re-queues work cannot start the same work twice at once. Keys of finished
jobs may be queued again (a re-index, a re-swept message), which is why the work itself is idempotent too.
"""

from __future__ import annotations

import uuid


def index_key(document_id: uuid.UUID) -> str:
    return f"index:{document_id}"


def turn_key(message_id: uuid.UUID) -> str:
    """Answering a user message (``ProcessInbox`` for its chat, started by that message)."""
    return f"turn:{message_id}"


def usage_key(answer_id: uuid.UUID) -> str:
    return f"usage:{answer_id}"


def summary_key(answer_id: uuid.UUID) -> str:
    """One summary job per answer; the jobs of one chat take turns on the chat's job lock."""
    return f"summary:{answer_id}"


def title_key(chat_id: uuid.UUID) -> str:
    """A chat is titled once, from its first question."""
    return f"title:{chat_id}"
