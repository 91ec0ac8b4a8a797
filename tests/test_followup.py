"""Follow-up rates on a small fixture, checked against hand calculations.

Fixture (see conftest.small_records), 2019, all departments: 12 contacted,
1 no response, so 11 responded.
  education group  = education 4 + apprenticeship 1 + education_and_work 1 = 6
  work group       = work 2 + education_and_work 1                        = 3
  education_or_work= 4 + 1 + 1 + 2                                        = 8
  positive_activity= 8 + measure 1 + other_positive 1                     = 10
  neet             = 1
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from outcomes.analyses.followup.rates import ALL, followup_rates, headline, publishable_rates, select
from outcomes.registries.statuses import load_status_map

Z = 1.959963984540054


def wilson(k: int, n: int) -> tuple[float, float]:
    p = k / n
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / (1 + Z**2 / n)
    return centre - half, centre + half


@pytest.fixture(scope="module")
def groups():
    from tests.conftest import ROOT

    return load_status_map(ROOT / "config" / "status_map.yml").group_members()


def row(rates: pd.DataFrame, year: int, group: str, treatment: str = "respondents", department: str = ALL) -> pd.Series:
    sel = rates[
        (rates.followup_year == year)
        & (rates.group == group)
        & (rates.treatment == treatment)
        & (rates.department == department)
    ]
    assert len(sel) == 1
    return sel.iloc[0]


class TestFollowupRates:
    @pytest.mark.parametrize(
        ("group", "count"),
        [("education", 6), ("work", 3), ("education_or_work", 8), ("positive_activity", 10), ("neet", 1)],
    )
    def test_respondents_share_and_interval(self, small_records, groups, group, count) -> None:
        rates = followup_rates(small_records, groups)
        r = row(rates, 2019, group)
        assert (r.contacted, r.responded, r["count"], r.denominator) == (12, 11, count, 11)
        assert round(r.response_rate, 4) == round(11 / 12, 4) == 0.9167
        assert round(r.share, 4) == round(count / 11, 4)
        lo, hi = wilson(count, 11)
        assert round(r.ci_low, 4) == round(lo, 4)
        assert round(r.ci_high, 4) == round(hi, 4)

    def test_hand_values_written_out(self, small_records, groups) -> None:
        rates = followup_rates(small_records, groups)
        r = row(rates, 2019, "education_or_work")
        # 8/11 = 0.7273; Wilson: centre (0.72727 + 0.17461) / 1.34923 = 0.66845,
        # half 1.95996 * sqrt(0.018032 + 0.007937) / 1.34922 = 0.23410
        assert round(r.share, 4) == 0.7273
        assert round(r.ci_low, 4) == 0.4344
        assert round(r.ci_high, 4) == 0.9025

    def test_bounds_for_nonresponse(self, small_records, groups) -> None:
        rates = followup_rates(small_records, groups)
        low = row(rates, 2019, "education_or_work", "negative")
        high = row(rates, 2019, "education_or_work", "positive")
        assert (low["count"], low.denominator) == (8, 12)
        assert (high["count"], high.denominator) == (9, 12)
        assert round(low.share, 4) == 0.6667 and round(high.share, 4) == 0.75
        neet_low = row(rates, 2019, "neet", "negative")
        neet_high = row(rates, 2019, "neet", "positive")
        assert (neet_low["count"], neet_high["count"]) == (2, 1)

    def test_by_department(self, small_records, groups) -> None:
        rates = followup_rates(small_records, groups, by_department=True)
        a = row(rates, 2019, "education", department="A")
        b = row(rates, 2019, "education", department="B")
        # A: 4 education + apprenticeship + education_and_work = 6 of 8; B: none of 3 responded
        assert (a["count"], a.denominator) == (6, 8)
        assert (b["count"], b.denominator, b.contacted) == (0, 3, 4)

    def test_every_year_group_treatment_present(self, small_records, groups) -> None:
        rates = followup_rates(small_records, groups)
        assert len(rates) == 2 * 5 * 3


class TestPublishableRates:
    def test_small_cells_hidden(self, small_records, groups) -> None:
        published = publishable_rates(followup_rates(small_records, groups, by_department=True), threshold=5)
        # neet 1 of 11: count below 5 -> hidden
        neet = row(published, 2019, "neet")
        assert (
            pd.isna(neet["count"]) and pd.isna(neet.share) and pd.isna(neet.ci_low) and neet.suppressed == "small_count"
        )
        # positive activity 10 of 11: complement 1 would reveal the NEET count -> hidden
        pos = row(published, 2019, "positive_activity")
        assert pd.isna(pos.share) and pos.suppressed == "complement"
        # work 3 of 11 hidden; education 6 of 11 shown
        assert pd.isna(row(published, 2019, "work").share)
        assert round(row(published, 2019, "education").share, 4) == 0.5455
        # department B: 4 contacted -> everything hidden, including the counts contacted/responded
        b = row(published, 2019, "education", department="B")
        assert pd.isna(b.contacted) and pd.isna(b.responded) and pd.isna(b.response_rate) and pd.isna(b.share)

    def test_threshold_is_configurable(self, small_records, groups) -> None:
        published = publishable_rates(followup_rates(small_records, groups), threshold=1)
        assert row(published, 2019, "neet")["count"] == 1
        published = publishable_rates(followup_rates(small_records, groups), threshold=7)
        assert pd.isna(row(published, 2019, "education").share)  # 6 < 7


class TestSelectAndHeadline:
    def test_headline_uses_published_values(self, small_records, groups) -> None:
        published = publishable_rates(followup_rates(small_records, groups), threshold=5)
        head = headline(published, 2019)
        assert head["responded"] == 11 and head["groups"]["neet"]["share"] is None
        assert head["groups"]["education_or_work"]["share"] is None  # 8 of 11: complement 3 < 5
        assert head["groups"]["education"]["share"] == round(6 / 11, 6)

    def test_select_rejects_unknown_treatment(self, small_records, groups) -> None:
        with pytest.raises(ValueError, match="treatment"):
            select(followup_rates(small_records, groups), "optimistic")
