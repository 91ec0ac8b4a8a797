"""The baseline section's cards on the front page: its first two headline indicators."""

from __future__ import annotations

from typing import Any

from outcomes.render.cards import Card

#: How many of the baseline's headline cards the front page shows.
SHOWN = 2


def front_cards(results: Any, data: dict[str, Any], cfg: Any) -> list[Card]:
    """The first :data:`SHOWN` cards of the baseline's headline (already formatted by the analysis).

    Parameters
    ----------
    results
        The baseline results (unused: the cards read their JSON view).
    data
        Their JSON view (``headline.cards``).
    cfg
        The run configuration (unused).
    """
    items = ((data.get("headline") or {}).get("cards") or [])[:SHOWN]
    return [Card(str(i.get("value", "–")), str(i.get("label", "")), str(i.get("detail", ""))) for i in items]
