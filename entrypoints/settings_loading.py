"""Reading ``Settings`` from the environment: variable names, list values, and the checks that span several
settings, each failure a ``SettingsError`` naming the variable at fault."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping

import msgspec

from entrypoints.settings import Settings

PREFIX = "RAGCHAT_"
# Variables that keep their conventional names instead of the RAGCHAT_ prefix.
UNPREFIXED = {"database_url": "DATABASE_URL", "redis_url": "REDIS_URL"}


class SettingsError(ValueError):
    pass


def _env_name(field: str) -> str:
    return UNPREFIXED.get(field, PREFIX + field.upper())


def env_names() -> dict[str, str]:
    """Field name → environment variable, for the docs and the error messages."""
    return {name: _env_name(name) for name in Settings.__struct_fields__}


def load_settings(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Reads the environment; raises ``SettingsError`` naming the variable at fault."""
    environ = os.environ if environ is None else environ
    raw: dict[str, object] = {}
    for field, var in env_names().items():
        value = environ.get(var)
        if value is None or value == "":
            continue
        if field in ("allowed_origins", "trusted_proxies"):
            raw[field] = [item.strip() for item in value.split(",") if item.strip()]
        else:
            raw[field] = value
    raw.update(overrides)
    try:
        settings = msgspec.convert(raw, Settings, strict=False)
    except msgspec.ValidationError as exc:
        message = str(exc)
        for field, var in env_names().items():
            message = message.replace(f"`$.{field}`", var)
        raise SettingsError(f"invalid configuration: {message}") from None
    if not settings.embedded and not settings.jwt_secret:
        raise SettingsError("RAGCHAT_JWT_SECRET must be set when DATABASE_URL points at an external database")
    if settings.llm_base_url and not settings.llm_model:
        raise SettingsError("RAGCHAT_LLM_MODEL must be set when RAGCHAT_LLM_BASE_URL is set")
    if settings.jwt_secret is not None and len(settings.jwt_secret) < 32:
        raise SettingsError("RAGCHAT_JWT_SECRET must be at least 32 characters")
    try:
        for entry in settings.trusted_proxies:
            ipaddress.ip_network(entry, strict=False)
    except ValueError as exc:
        raise SettingsError(f"RAGCHAT_TRUSTED_PROXIES: {exc}") from None
    return settings
