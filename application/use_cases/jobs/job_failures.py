"""What a job that failed for good leaves behind, beyond the failed job itself."""

from __future__ import annotations

from application.commands import AnyCommand, IndexDocument, MarkIndexingFailed


def failure_follow_up(command: AnyCommand, reason: str) -> AnyCommand | None:
    """The command that records the failure where the user sees it (the document's status), if any.

    Chat jobs need none: a turn reports its own failures on the socket, a message left pending is swept,
    and a summary that failed is redone by the next one.
    """
    if isinstance(command, IndexDocument):
        return MarkIndexingFailed(owner_id=command.owner_id, document_id=command.document_id, reason=reason)
    return None
