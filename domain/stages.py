"""Chat stages: a chat's stage decides how each user message in its inbox is handled."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    ANSWERING = "answering"
    """Retrieval-augmented answer over the owner's ready documents, with citations."""
    TEST = "test"
    """Free chat with the model; the document index is never queried."""

    @property
    def uses_retrieval(self) -> bool:
        return self is Stage.ANSWERING
