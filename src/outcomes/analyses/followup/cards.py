"""The follow-up section's cards on the front page: the headline groups of the report year."""

from __future__ import annotations

from typing import Any

from outcomes.core.formatting import format_count, format_interval, format_percent
from outcomes.core.i18n import Translator
from outcomes.render.cards import Card

#: The groups shown as cards, in order.
CARD_GROUPS = ("education_or_work", "positive_activity", "education")


def front_cards(results: Any, data: dict[str, Any], cfg: Any) -> list[Card]:
    """One card per headline group: share, interval and n among the report year's respondents.

    Parameters
    ----------
    results
        The follow-up results (:class:`outcomes.analyses.followup.results.FollowupResults`).
    data
        Their JSON view (unused: the headline comes from ``results``).
    cfg
        The run configuration (language, report year).
    """
    t = Translator(cfg.language)
    lang = cfg.language
    head = results.headline()
    if not head.get("available"):
        return []
    cards = []
    for group in CARD_GROUPS:
        g = head["groups"][group]
        title = getattr(results.status_map.groups[group].title, lang)
        detail = (
            f"{t('common.interval')} {format_interval(g['ci_low'], g['ci_high'], 0, lang)}, "
            f"n = {format_count(g['denominator'], lang)}"
        )
        cards.append(Card(format_percent(g["share"], 0, lang), f"{title} ({cfg.report_year})", detail))
    return cards
