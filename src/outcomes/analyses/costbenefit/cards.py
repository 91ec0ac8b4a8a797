"""The cost-benefit section's card on the front page: the simulated median with its range and its labels.

The card leads with the median of the simulation (DFØ's expected value, not
the base case), gives the 90 % range, and says the perspective, price year,
comparison year, discount rate and horizon, and the ratio when everyone who
did not answer is counted as outside work and education. A calibrated value
in the registry is named on the card.
"""

from __future__ import annotations

from typing import Any

from outcomes.analyses.costbenefit.labels import share_text
from outcomes.core.formatting import format_number
from outcomes.core.i18n import Translator
from outcomes.render.cards import Card


def front_cards(results: Any, data: dict[str, Any], cfg: Any) -> list[Card]:
    """The ratio (simulated median), its 90 % range and what it rests on, in one card.

    Parameters
    ----------
    results
        The cost-benefit results (unused: the card reads their JSON view).
    data
        Their JSON view (``headline``).
    cfg
        The run configuration (language).
    """
    t, lang = Translator(cfg.language), cfg.language
    head = data.get("headline") or {}
    if head.get("bcr") is None:
        return []
    first, last = (head.get("horizon") or {}).get("analysis_period") or ("–", "–")
    steps = head.get("discount_steps") or [{}, {}]
    parts = []
    if head.get("bcr_p5") is not None:
        parts.append(
            t(
                "costbenefit.card_range",
                low=format_number(head["bcr_p5"], 1, lang),
                high=format_number(head["bcr_p95"], 1, lang),
            )
        )
    parts.append(
        t(
            "costbenefit.card_context",
            price_year=head.get("price_year", "–"),
            comparison_year=head.get("comparison_year", "–"),
            rate=share_text(steps[1].get("rate", 0.0), lang),
            first=first,
            last=last,
        )
    )
    negative = ((head.get("nonresponse") or {}).get("negative") or {}).get("bcr_median")
    if negative is not None:
        parts.append(t("costbenefit.card_negative", ratio=format_number(negative, 1, lang)))
    if head.get("calibrated_assumptions"):
        labels = {a.get("id"): a.get("label") for a in data.get("assumptions") or [] if isinstance(a, dict)}
        named = [str(labels.get(i) or i) for i in head["calibrated_assumptions"]]
        parts.append(t("costbenefit.card_calibrated", ids=", ".join(named)))
    label = t("costbenefit.card_ratio" if head.get("bcr_kind") == "simulated_median" else "costbenefit.card_ratio_base")
    return [Card(format_number(head["bcr"], 1, lang), label, "; ".join(parts))]
