from __future__ import annotations

from application.commands import ListModels
from application.ports.model_catalog import ModelCatalog, ModelChoices


class ListModelsHandler:
    """The models a chat may choose; never fails (a provider without a list offers its default)."""

    def __init__(self, catalog: ModelCatalog) -> None:
        self._catalog = catalog

    async def __call__(self, command: ListModels) -> ModelChoices:
        return await self._catalog.choices()
