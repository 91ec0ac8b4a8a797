"""The cost-benefit section's card on the front page: the benefit-cost ratio with its range."""

from __future__ import annotations

from typing import Any

from outcomes.core.formatting import format_number
from outcomes.core.i18n import Translator
from outcomes.render.cards import Card


def front_cards(results: Any, data: dict[str, Any], cfg: Any) -> list[Card]:
    """The ratio, with the 5th-95th percentile of the simulation and the price year.

    Parameters
    ----------
    results
        The cost-benefit results (unused: the card reads their JSON view).
    data
        Their JSON view (``headline``).
    cfg
        The run configuration (language).
    """
    t = Translator(cfg.language)
    lang = cfg.language
    cba = data.get("headline") or {}
    if cba.get("bcr") is None:
        return []
    detail = t(
        "report.card_ratio_detail",
        low=format_number(cba.get("bcr_p5"), 1, lang),
        high=format_number(cba.get("bcr_p95"), 1, lang),
        price_year=cba.get("price_year", "–"),
    )
    return [Card(format_number(cba["bcr"], 1, lang), t("report.card_ratio"), detail)]
