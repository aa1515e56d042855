"""File sizes as people read them, in the binary units the settings use (25 MiB = 25 * 1024 * 1024 bytes)."""

from __future__ import annotations

_UNITS = (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024))


def readable_size(size_bytes: int) -> str:
    """``25 MiB``, ``1.5 KiB``, ``1,000 bytes``: whole units without decimals, others to one decimal."""
    for unit, factor in _UNITS:
        if size_bytes >= factor:
            amount = size_bytes / factor
            return f"{amount:.0f} {unit}" if size_bytes % factor == 0 else f"{amount:.1f} {unit}"
    return f"{size_bytes:,} bytes" if size_bytes != 1 else "1 byte"
