"""The methods page compares last year's cost-benefit ratio with this year's base case, like with like."""

from __future__ import annotations

import pytest

from outcomes.registries.statuses import load_status_map
from outcomes.render.methods import base_case_ratio, headline_changes
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        # this version: the base case has its own key; bcr is the simulated median
        ({"bcr": 2.0, "bcr_kind": "simulated_median", "bcr_base_case": 2.5}, 2.5),
        # without a simulation the headline ratio is the base case itself
        ({"bcr": 2.5, "bcr_kind": "base_case", "bcr_base_case": 2.5}, 2.5),
        # a report from before there was a simulated headline: bcr was the base case
        ({"bcr": 1.8}, 1.8),
        # a median with no base case beside it is not compared
        ({"bcr": 2.0, "bcr_kind": "simulated_median"}, None),
        ({"bcr_base_case": None}, None),
        ({"bcr_base_case": True}, None),
        ({}, None),
    ],
)
def test_base_case_ratio(headline, expected) -> None:
    assert base_case_ratio(headline) == expected


def test_headline_changes_compare_base_cases() -> None:
    current = {"costbenefit": {"headline": {"bcr": 2.0, "bcr_kind": "simulated_median", "bcr_base_case": 2.5}}}
    previous = {"costbenefit": {"headline": {"bcr": 1.8}}}
    table = headline_changes(current, previous, "nb", load_status_map(ROOT / "config" / "status_map.yml"))
    row = table.iloc[-1].tolist()
    assert row == ["Kroner tilbake per krone (samfunnet, basisberegning)", "1,8", "2,5"]
