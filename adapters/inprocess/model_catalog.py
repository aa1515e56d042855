from __future__ import annotations

from application.ports.model_catalog import ModelChoices


class StaticModelCatalog:
    """The twin of ``OpenAIModelCatalog``, and the catalog of the offline answerer: a fixed list."""

    def __init__(self, default: str, others: tuple[str, ...] = ()) -> None:
        self._choices = ModelChoices(default=default, models=list(dict.fromkeys([default, *others])))

    async def choices(self) -> ModelChoices:
        return self._choices
