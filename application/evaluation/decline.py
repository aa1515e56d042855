"""The relevance floor's trade-off: how many off-topic questions it declines (good) against how many
answerable ones it declines too (bad), from the best similarity each question's search found."""

from __future__ import annotations

from collections.abc import Sequence

from application.retrieval.relevance import below_floor_value

GRID = tuple(round(0.05 * step, 3) for step in range(1, 13))  # 0.05 … 0.60


def declined_share(best: Sequence[float | None], floor: float) -> float:
    return sum(below_floor_value(value, floor) for value in best) / len(best) if best else 0.0


def decline_rates(
    answerable: Sequence[float | None],
    followups: Sequence[float | None],
    offtopic: Sequence[float | None],
    floor: float,
) -> dict[str, float]:
    return {
        "floor": floor,
        "offtopic_declined": round(declined_share(offtopic, floor), 4),
        "answerable_declined": round(declined_share(answerable, floor), 4),
        "followup_declined": round(declined_share(followups, floor), 4),
    }


def trade_off(
    answerable: Sequence[float | None],
    followups: Sequence[float | None],
    offtopic: Sequence[float | None],
    floors: Sequence[float] = GRID,
) -> list[dict[str, float]]:
    return [decline_rates(answerable, followups, offtopic, floor) for floor in floors]
