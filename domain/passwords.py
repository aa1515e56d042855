"""The password policy: long enough, not absurdly long, and not one that attackers try first.

Whether a password is "one attackers try first" needs a list of common and breached passwords; that list
lives behind the ``PasswordStrength`` port, and this module only turns its verdict into the user's error.
"""

from __future__ import annotations

from domain.errors import InvalidInput

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # argon2 hashes anything, but a megabyte password is an attack, not a password


def check_password_policy(password: str) -> None:
    """Raises ``InvalidInput`` naming the ``password`` field when its length is out of bounds."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD_LENGTH} characters", field="password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"password must be at most {MAX_PASSWORD_LENGTH} characters", field="password")


def refuse_weak_password(weakness: str | None) -> None:
    """``weakness`` is why the password is easy to guess (None: it is not); raises ``InvalidInput``."""
    if weakness:
        raise InvalidInput(f"password is too easy to guess: {weakness}", field="password")
