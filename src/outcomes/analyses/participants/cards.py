"""The participants section's cards on the front page: mental-health services and the survey."""

from __future__ import annotations

from typing import Any

from outcomes.core.formatting import format_count, format_percent
from outcomes.core.i18n import Translator
from outcomes.render.cards import Card


def front_cards(results: Any, data: dict[str, Any], cfg: Any) -> list[Card]:
    """Share followed up by mental-health services, and the survey's highest-rated statement.

    Parameters
    ----------
    results
        The participants results (unused: the cards read their JSON view).
    data
        Their JSON view (``headline``).
    cfg
        The run configuration (language).
    """
    t = Translator(cfg.language)
    lang = cfg.language
    part = data.get("headline") or {}
    cards = []
    services = ((part.get("profile") or {}).get("services") or {}).get("mental_health") or {}
    if services.get("share") is not None:
        school_year = t("report.card_school_year", school_year=part["profile"].get("school_year", "–"))
        cards.append(Card(format_percent(services["share"], 0, lang), t("report.card_mental_health"), school_year))
    best = (part.get("survey") or {}).get("highest") or {}
    if best.get("share") is not None:
        detail = f"n = {format_count(best.get('n'), lang)}, {part['survey'].get('year', '')}"
        cards.append(
            Card(format_percent(best["share"], 0, lang), t("report.card_survey", item=best.get("item", "")), detail)
        )
    return cards
