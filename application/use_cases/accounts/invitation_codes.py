"""Invitation codes: random, shown once, stored only as a hash (like refresh tokens)."""

from __future__ import annotations

import hashlib
import secrets

import msgspec


class InvitationPolicy(msgspec.Struct, frozen=True, kw_only=True):
    ttl_seconds: int


def new_invitation_code() -> str:
    return secrets.token_urlsafe(18)


def hash_invitation_code(code: str) -> str:
    """Codes carry 144 random bits, so a fast hash is enough."""
    return hashlib.sha256(code.strip().encode()).hexdigest()
