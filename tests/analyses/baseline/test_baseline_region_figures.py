"""The region's figures for every indicator and period in one grouped operation (region.region_figures).

Two municipalities, Kongsvinger (3401) and Nord-Odal (3414); every expected number is worked out by hand
in the comments.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from outcomes.analyses.baseline.region import NO_ROW, Exclusion, aggregate_region, region_figures
from tests.analyses.baseline.tidy_rows import tidy_table

NAN = float("nan")
TWO = ["3401", "3414"]

# indicator, code, year, value, numerator, denominator, status
ROWS = [
    ("population_15_29", "3401", 2022, 3000.0, NAN, NAN, ""),
    ("population_15_29", "3414", 2022, 1000.0, NAN, NAN, ""),
    ("population_15_29", "3401", 2023, 2000.0, NAN, NAN, ""),
    # Completion has no counts, so it is weighted by population 15-29.
    ("vgs_completion", "3401", 2021, 90.0, NAN, NAN, ""),
    ("vgs_completion", "3414", 2021, 30.0, NAN, NAN, ""),
    ("vgs_completion", "3401", 2022, 70.0, NAN, NAN, ""),
    ("vgs_completion", "3414", 2022, 60.0, NAN, NAN, ""),
    ("vgs_completion", "3401", 2023, 80.0, NAN, NAN, ""),
    ("vgs_completion", "3414", 2023, 50.0, NAN, NAN, ""),
    # NEET has counts, so the region's share is rebuilt from them.
    ("neet_15_29", "3401", 2023, 15.0, 300.0, 2000.0, ""),
    ("neet_15_29", "3414", 2023, 10.0, 100.0, 1000.0, ""),
    ("neet_15_29", "3401", 2022, NAN, NAN, NAN, ":"),
    ("neet_15_29", "3414", 2022, 12.0, 120.0, 1000.0, ""),
]


@pytest.fixture(scope="module")
def tidy() -> pd.DataFrame:
    return tidy_table(ROWS)


@pytest.fixture(scope="module")
def figures(tidy, catalogue) -> pd.DataFrame:
    ids = ["population_15_29", "neet_15_29", "vgs_completion"]
    return region_figures(tidy, [catalogue.get(i) for i in ids], TWO)


def _row(figures: pd.DataFrame, indicator: str, period: str) -> pd.Series:
    sel = figures[(figures["indicator"] == indicator) & (figures["period"] == period)]
    assert len(sel) == 1
    return sel.iloc[0]


class TestRegionFigures:
    def test_one_row_per_indicator_and_period_in_the_order_asked(self, figures):
        assert list(zip(figures["indicator"], figures["period"], strict=True)) == [
            ("population_15_29", "2022"),
            ("population_15_29", "2023"),
            ("neet_15_29", "2022"),
            ("neet_15_29", "2023"),
            ("vgs_completion", "2021"),
            ("vgs_completion", "2022"),
            ("vgs_completion", "2023"),
        ]
        assert set(figures["n_municipalities"]) == {2}

    def test_weighted_share_of_two_municipalities(self, figures):
        # 2022: (3000 x 70 + 1000 x 60) / (3000 + 1000) = 270,000 / 4,000 = 67.5 %
        r = _row(figures, "vgs_completion", "2022")
        assert r["value"] == 67.5
        assert (r["method"], r["n_included"], r["status"], r["excluded"]) == ("population_weighted", 2, "", ())
        assert math.isnan(r["numerator"]) and math.isnan(r["denominator"])

    def test_weight_from_the_latest_earlier_year(self, figures):
        # 2023: Nord-Odal has no 2023 population, so its 2022 figure (1000) weighs:
        # (2000 x 80 + 1000 x 50) / (2000 + 1000) = 210,000 / 3,000 = 70 %
        assert _row(figures, "vgs_completion", "2023")["value"] == 70.0

    def test_weight_from_the_earliest_later_year(self, figures):
        # 2021: no population before 2022, so the 2022 figures weigh: (3000 x 90 + 1000 x 30) / 4000 = 75 %
        assert _row(figures, "vgs_completion", "2021")["value"] == 75.0

    def test_share_rebuilt_from_counts(self, figures):
        # 2023: (300 + 100) / (2000 + 1000) x 100 = 13.33 %, not the mean of 15 and 10 (12.5)
        r = _row(figures, "neet_15_29", "2023")
        assert r["value"] == pytest.approx(400 / 3000 * 100)
        assert (r["numerator"], r["denominator"], r["method"], r["n_included"]) == (400.0, 3000.0, "from_counts", 2)

    def test_hidden_figure_left_out_and_named(self, figures):
        # 2022: Kongsvinger is ':' (anonymised), so the region is Nord-Odal alone: 120 / 1000 = 12 %
        r = _row(figures, "neet_15_29", "2022")
        assert r["value"] == pytest.approx(12.0)
        assert r["n_included"] == 1 and r["excluded"] == (Exclusion("3401", ":"),)

    def test_count_summed_and_missing_when_a_part_is(self, figures):
        r = _row(figures, "population_15_29", "2022")
        assert (r["value"], r["method"], r["status"], r["n_included"]) == (4000.0, "sum", "", 2)
        r = _row(figures, "population_15_29", "2023")
        # Nord-Odal has no 2023 row: a sum of Kongsvinger alone (2000) would be too small
        assert math.isnan(r["value"]) and r["status"] == "incomplete"
        assert r["excluded"] == (Exclusion("3414", NO_ROW),)

    def test_one_indicator_as_aggregate_region_gives_it(self, figures, tidy, catalogue):
        alone = aggregate_region(tidy, catalogue.get("vgs_completion"), TWO)
        together = figures[figures["indicator"] == "vgs_completion"].drop(columns="indicator")
        pd.testing.assert_frame_equal(alone, together.reset_index(drop=True))
