"""The front page's cost per participant: the programme's costs divided by its participants, never a small count."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from outcomes.analyses.costbenefit.cards import cost_per_participant_card

NB = SimpleNamespace(language="nb", disclosure_threshold=5)


def data(participants: list[Any], costs: list[float]) -> dict[str, Any]:
    """A JSON view with one cohort and one cost row per year from 2019."""
    years = range(2019, 2019 + len(costs))
    return {
        "cohorts": [
            {"year": y, "participants": n, "price_year": 2024} for y, n in zip(years, participants, strict=False)
        ],
        "cost_by_year": [{"year": y, "total_nok": c, "price_year": 2024} for y, c in zip(years, costs, strict=True)],
    }


def test_costs_over_participants_by_hand() -> None:
    # 3 000 000 + 1 500 000 kroner for 100 + 50 participants: 30 000 kroner each.
    card = cost_per_participant_card(data([100, 50], [3_000_000.0, 1_500_000.0]), NB)
    assert card is not None
    assert card.value == "kr\u00a030\u00a0000"
    assert card.label == "kostnad per deltaker"
    assert "2019–2020" in card.detail and "kr\u00a04,5\u00a0mill." in card.detail and "n = 150" in card.detail
    english = cost_per_participant_card(
        data([100, 50], [3_000_000.0, 1_500_000.0]), SimpleNamespace(language="en", disclosure_threshold=5)
    )
    assert english is not None and english.value == "NOK\u00a030,000" and english.label == "cost per participant"


@pytest.mark.parametrize(
    ("participants", "why"),
    [
        ([100, None], "a cohort's number is suppressed in the published table"),
        ([100, 4], "a cohort is below the threshold"),
        ([100], "a year with costs has no cohort"),
    ],
)
def test_not_shown_when_it_could_reveal_a_small_count(participants: list[Any], why: str) -> None:
    assert cost_per_participant_card(data(participants, [3_000_000.0, 1_500_000.0]), NB) is None, why


def test_not_shown_without_costs() -> None:
    assert cost_per_participant_card(data([100, 50], [0.0, 0.0]), NB) is None
    assert cost_per_participant_card({}, NB) is None
