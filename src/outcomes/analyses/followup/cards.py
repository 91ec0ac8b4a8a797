"""The follow-up section's cards on the front page: the headline groups of the report year."""

from __future__ import annotations

from typing import Any

from outcomes.analyses.followup.views import headline_cards
from outcomes.core.i18n import Translator
from outcomes.render.cards import Card


def front_cards(results: Any, data: dict[str, Any], cfg: Any) -> list[Card]:
    """One card per headline group (``shown.headline`` of the status map): share, interval and n.

    Parameters
    ----------
    results
        The follow-up results (:class:`outcomes.analyses.followup.results.FollowupResults`).
    data
        Their JSON view (unused: the cards come from ``results``).
    cfg
        The run configuration (language).
    """
    return headline_cards(results, Translator(cfg.language))
