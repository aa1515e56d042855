"""Constrained text and integer types for the wire schemas: the edge refuses bad input with a 400 naming the
field, and the OpenAPI schema shows each constraint. The use cases check the same rules (domain.text) for
every other entrypoint."""

from __future__ import annotations

from typing import Annotated

import msgspec

from domain.chats import (
    MAX_INSTRUCTIONS_LENGTH,
    MAX_MODEL_NAME_LENGTH,
    MAX_TEMPERATURE,
    MAX_TITLE_LENGTH,
    MIN_TEMPERATURE,
)
from domain.text import MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN
from domain.users import MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH

CONTROL_CHARACTERS_MESSAGE = "must not contain control characters"
PATTERN_MESSAGES = {SINGLE_LINE_PATTERN: CONTROL_CHARACTERS_MESSAGE, MULTI_LINE_PATTERN: CONTROL_CHARACTERS_MESSAGE}
"""What a failed pattern means, in words, instead of msgspec's "Expected `str` matching regex '…'"."""

MAX_INT32 = 2**31 - 1
"""Positions, page sizes and counts are PostgreSQL ``integer`` columns."""

Email = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=MAX_EMAIL_LENGTH,
        pattern=SINGLE_LINE_PATTERN,
        description="an email address (compared case-insensitively)",
    ),
]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_PASSWORD_LENGTH)]
InviteCode = Annotated[
    str,
    msgspec.Meta(max_length=200, pattern=SINGLE_LINE_PATTERN, description="an invitation code from the administrator"),
]
ChatTitle = Annotated[
    str,
    msgspec.Meta(
        max_length=4 * MAX_TITLE_LENGTH,
        pattern=MULTI_LINE_PATTERN,
        description=f"runs of whitespace collapse to one space; at most {MAX_TITLE_LENGTH} "
        "characters remain, and not none",
    ),
]
ModelName = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=MAX_MODEL_NAME_LENGTH,
        pattern=SINGLE_LINE_PATTERN,
        description="one of the models `GET /models` lists",
    ),
]
Instructions = Annotated[
    str,
    msgspec.Meta(
        max_length=MAX_INSTRUCTIONS_LENGTH,
        pattern=MULTI_LINE_PATTERN,
        description="added to the system prompt of every answer in the chat",
    ),
]
Temperature = Annotated[
    float,
    msgspec.Meta(ge=MIN_TEMPERATURE, le=MAX_TEMPERATURE, description="sampling temperature; null: the model's default"),
]
