"""Headers for sending a stored file back to its owner.

The file is always an *attachment*: served inline from this origin, an uploaded HTML page would run as our own
page. The UI fetches the bytes with its token and renders them itself (PDF pages, sanitized HTML, Markdown).
"""

from __future__ import annotations

from urllib.parse import quote

_UNSAFE_IN_QUOTES = frozenset('"\\')


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII ``filename`` for old clients and the exact name as RFC 6266 / 5987
    ``filename*`` (UTF-8, percent-encoded), so neither quotes, backslashes nor line breaks can escape the header."""
    fallback = (
        "".join(ch if " " <= ch <= "~" and ch not in _UNSAFE_IN_QUOTES else "_" for ch in filename).strip()
        or "document"
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
