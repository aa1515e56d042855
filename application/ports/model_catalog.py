from __future__ import annotations

from typing import Protocol

import msgspec


class ModelChoices(msgspec.Struct, frozen=True, kw_only=True):
    default: str
    """The configured model: what a chat without a model of its own is answered by."""
    models: list[str]
    """Every model a chat may choose, the default first."""


class ModelCatalog(Protocol):
    """The models the provider offers (its ``/v1/models`` when it has one). Never raises: a provider that
    cannot list its models still offers the configured default."""

    async def choices(self) -> ModelChoices: ...
