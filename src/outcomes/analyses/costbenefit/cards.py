"""The cost-benefit section's cards on the front page: the ratio, and the cost per participant.

The ratio card:
The card leads with the median of the simulation (DFØ's expected value, not
the base case), gives the 90 % range, and says the perspective, price year,
comparison year, discount rate and horizon, and the ratio when everyone who
did not answer is counted as outside work and education. A calibrated value
in the registry is named on the card.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from outcomes.analyses.costbenefit.labels import share_text
from outcomes.core.formatting import format_count, format_nok, format_number
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


def _number(value: object) -> float | None:
    """A finite number from a JSON cell, or None (missing, suppressed, not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def cost_per_participant_card(data: Mapping[str, Any], cfg: Any) -> Card | None:
    """The programme's cost per participant: its costs over the report's years divided by the participants.

    Costs are the ledger's (``cost_by_year``, column ``total_nok``: every payer,
    in the report's price year, not discounted); participants are the cohorts'
    (``cohorts``, column ``participants``) of the same years. The card is shown
    only when every cohort with costs has its number of participants published
    and at least the disclosure threshold, so it can reveal no small count (a
    suppressed cohort is missing from the published table, and a cost divided by
    a hidden number would give that number back); otherwise ``None``.

    Parameters
    ----------
    data
        The cost-benefit results' JSON view (tables ``cohorts`` and ``cost_by_year``).
    cfg
        The run configuration (language, disclosure threshold).
    """
    t, lang = Translator(cfg.language), cfg.language
    costs = {row.get("year"): _number(row.get("total_nok")) for row in data.get("cost_by_year") or []}
    cohorts = {row.get("year"): _number(row.get("participants")) for row in data.get("cohorts") or []}
    years = sorted(y for y, cost in costs.items() if cost)
    if not years:
        return None
    counts = [cohorts.get(y) for y in years]
    if any(n is None or n < cfg.disclosure_threshold for n in counts):
        return None
    total_cost = sum(costs[y] or 0.0 for y in years)
    participants = sum(n or 0.0 for n in counts)
    price_year = next((row.get("price_year") for row in data.get("cost_by_year") or []), "–")
    detail = t(
        "costbenefit.card_cost_detail",
        first=years[0],
        last=years[-1],
        cost=format_nok(total_cost, lang),
        price_year=price_year,
        n=format_count(participants, lang),
    )
    return Card(format_nok(total_cost / participants, lang), t("costbenefit.card_cost"), detail)
