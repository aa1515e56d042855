"""Text a person sends us and we store or search: no NUL and no other control characters that no honest
client sends (PostgreSQL refuses NUL outright, and the rest only hide text from whoever reads it later).

Tab, line feed and carriage return stay allowed in multi-line text (chat messages; titles and queries, whose
whitespace collapses); single-line text (emails, ids) allows none. The same rules are exported as regular
expressions for the wire schemas, so the OpenAPI schema shows them and the edge refuses bad input before any use
case runs.
"""

from __future__ import annotations

import re

from domain.errors import InvalidInput

SINGLE_LINE_PATTERN = r"^[^\x00-\x1F\x7F-\x9F]*$"
"""No C0 or C1 control character and no DEL."""
MULTI_LINE_PATTERN = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
"""As single-line, but tab, line feed and carriage return are allowed."""

_SINGLE_LINE = re.compile(SINGLE_LINE_PATTERN)
_MULTI_LINE = re.compile(MULTI_LINE_PATTERN)


def check_text(value: str, field: str, *, multi_line: bool = False) -> str:
    """Returns ``value`` unchanged; raises ``InvalidInput`` naming ``field`` if it holds a forbidden character."""
    if not (_MULTI_LINE if multi_line else _SINGLE_LINE).fullmatch(value):  # `$` alone lets a final \n through
        raise InvalidInput(f"{field} must not contain control characters", field=field)
    return value
