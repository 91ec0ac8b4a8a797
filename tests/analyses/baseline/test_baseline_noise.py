"""Change judged against noise (outcomes.analyses.baseline.noise and compare.change_since_baseline).

Every threshold is worked out by hand in the comments: the interval from the
counts with Wilson's formula (tests/core/test_stats.py: ``wilson_by_hand``), the
year-to-year spread as the root mean square of the consecutive changes.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from outcomes.analyses.baseline.compare import change_since_baseline
from outcomes.analyses.baseline.noise import (
    BASIS_COUNTS,
    BASIS_NONE,
    BASIS_SPREAD,
    change_intervals,
    judge_change,
    judge_changes,
    periods_overlap,
    series_spreads,
    year_to_year_spread,
)
from tests.core.test_stats import wilson_by_hand

Z = 1.959963984540054


def _row(indicator, period, value, numerator=math.nan, denominator=math.nan, code="3401"):
    start, _, end = period.replace("-", "_").partition("_")
    return {
        "indicator": indicator,
        "level": "municipality",
        "region_code": code,
        "region_name": "Kongsvinger",
        "period": period,
        "period_start": int(start),
        "period_end": int(end or start),
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "status": "",
    }


class TestPeriodsOverlap:
    def test_shared_years(self) -> None:
        assert periods_overlap(2021, 2023, 2022, 2024)  # two shared years
        assert periods_overlap(2021, 2023, 2023, 2025)  # one shared year
        assert not periods_overlap(2019, 2021, 2022, 2024)
        assert not periods_overlap(2023, 2023, 2024, 2024)


class TestYearToYearSpread:
    def test_root_mean_square_by_hand(self) -> None:
        # 10.0, 10.4, 10.1, 10.5: changes +0.4, -0.3, +0.4; sqrt((0.16 + 0.09 + 0.16) / 3) = 0.36968
        spread = year_to_year_spread([2021, 2022, 2023, 2024], [2021, 2022, 2023, 2024], [10.0, 10.4, 10.1, 10.5])
        assert spread == pytest.approx(math.sqrt(0.41 / 3))
        assert Z * spread == pytest.approx(0.72457, abs=1e-5)  # the threshold a change must pass

    def test_three_year_periods_taken_three_years_apart(self) -> None:
        # The chain from 2022-2024 back: 2019-2021, 2016-2018, 2013-2015; 2020-2022 and 2021-2023 overlap it.
        starts = [2013, 2016, 2019, 2020, 2021, 2022]
        values = [70.0, 71.0, 70.0, 99.0, 99.0, 72.0]
        spread = year_to_year_spread(starts, [s + 2 for s in starts], values)
        assert spread == pytest.approx(math.sqrt((1 + 1 + 4) / 3))  # changes +1, -1, +2

    def test_too_few_changes(self) -> None:
        # Two changes (three figures) are too few to say how much a figure varies; missing values do not count.
        assert math.isnan(year_to_year_spread([2022, 2023, 2024], [2022, 2023, 2024], [1.0, 2.0, 3.0]))
        assert math.isnan(year_to_year_spread([2021, 2022, 2023, 2024], [2021, 2022, 2023, 2024], [1, math.nan, 2, 3]))


class TestSeriesSpreads:
    def test_every_series_at_once_by_hand(self) -> None:
        # Series a: the four yearly figures of test_root_mean_square_by_hand; series b: the three-year
        # periods of test_three_year_periods_taken_three_years_apart, listed out of order; series c: too few.
        starts = [2021, 2022, 2023, 2024] + [2022, 2013, 2020, 2016, 2021, 2019] + [2022, 2023, 2024]
        ends = [2021, 2022, 2023, 2024] + [2024, 2015, 2022, 2018, 2023, 2021] + [2022, 2023, 2024]
        rows = pd.DataFrame(
            {
                "area": ["a"] * 4 + ["b"] * 6 + ["c"] * 3,
                "period_start": starts,
                "period_end": ends,
                "value": [10.0, 10.4, 10.1, 10.5] + [72.0, 70.0, 99.0, 71.0, 99.0, 70.0] + [1.0, 2.0, 3.0],
            }
        )
        spreads = series_spreads(rows, ["area"])
        assert list(spreads.index) == ["a", "b", "c"]
        assert spreads["a"] == pytest.approx(math.sqrt(0.41 / 3))
        assert spreads["b"] == pytest.approx(math.sqrt((1 + 1 + 4) / 3))
        assert math.isnan(spreads["c"])

    def test_same_bits_as_one_series_at_a_time(self) -> None:
        # Random series of one- and three-year periods with gaps, missing values and repeated years.
        rng = np.random.default_rng(18)
        frames = []
        for i in range(300):
            n = int(rng.integers(1, 16))
            start = rng.integers(2005, 2024, size=n)
            value = rng.normal(50, 10, size=n) * rng.choice([1.0, 1e-3, 1e4])
            value[rng.random(n) < 0.15] = math.nan
            frames.append(
                pd.DataFrame(
                    {
                        "indicator": f"i{i % 7}",
                        "region_code": f"{i // 7:04d}",
                        "period_start": start,
                        "period_end": start + rng.choice([0, 2], size=n),
                        "value": value,
                    }
                )
            )
        rows = pd.concat(frames, ignore_index=True)
        spreads = series_spreads(rows, ["indicator", "region_code"])
        for key, group in rows.groupby(["indicator", "region_code"], sort=False):
            one = year_to_year_spread(
                group["period_start"].tolist(), group["period_end"].tolist(), group["value"].tolist()
            )
            assert np.float64(spreads[key]).tobytes() == np.float64(one).tobytes(), key


class TestChangeIntervals:
    def test_counts_first_then_spread_then_none(self) -> None:
        counts = pd.DataFrame(
            {
                "numerator_b": [150.0, math.nan, math.nan],
                "denominator_b": [1000.0, math.nan, math.nan],
                "numerator_l": [120.0, math.nan, math.nan],
                "denominator_l": [1000.0, math.nan, math.nan],
            }
        )
        change = pd.Series([-3.0, 0.4, 0.4])
        units = pd.Series(["percent", "percent", "percent"])
        out = change_intervals(counts, change, units, pd.Series([0.1, 0.36968, math.nan]))
        l1, u1 = wilson_by_hand(150, 1000)
        l2, u2 = wilson_by_hand(120, 1000)
        # Counts win over the spread; the interval of the share difference in percentage points.
        assert out.loc[0, "change_low"] == pytest.approx(100 * (-0.03 - math.hypot(0.12 - l2, u1 - 0.15)))
        assert out.loc[0, "change_high"] == pytest.approx(100 * (-0.03 + math.hypot(u2 - 0.12, 0.15 - l1)))
        assert out.loc[0, "change_high"] < 0 and out.loc[0, "noise_basis"] == BASIS_COUNTS
        # No counts: 0.4 +/- 1.96 * 0.36968 = (-0.3246, 1.1246)
        assert (out.loc[1, "change_low"], out.loc[1, "change_high"]) == pytest.approx((-0.32457, 1.12457), abs=1e-4)
        assert out.loc[1, "noise_basis"] == BASIS_SPREAD
        assert math.isnan(out.loc[2, "change_low"]) and out.loc[2, "noise_basis"] == BASIS_NONE


class TestJudgeChange:
    @pytest.mark.parametrize(
        ("change", "low", "high", "better", "expected"),
        [
            (-0.5, -1.6, 0.6, "lower", "no_clear_change"),
            (0.0, -0.2, 0.2, "lower", "no_clear_change"),  # "0,0 %-poeng | Dårligere" no more
            (-3.0, -4.1, -1.9, "lower", "better"),
            (-3.0, -4.1, -1.9, "higher", "worse"),
            (0.3, math.nan, math.nan, "higher", "too_few_figures"),
            (math.nan, math.nan, math.nan, "higher", "not_assessed"),
            (5.0, 1.0, 9.0, "neutral", "not_assessed"),
        ],
    )
    def test_assessments(self, change, low, high, better, expected) -> None:
        assert judge_change(change, low, high, better, overlap=False, same_period=False) == expected

    def test_overlap_and_same_period(self) -> None:
        assert judge_change(0.4, 0.1, 0.7, "higher", overlap=True, same_period=False) == "not_comparable"
        assert judge_change(0.0, math.nan, math.nan, "higher", overlap=True, same_period=True) == "no_new_data"


class TestJudgeChanges:
    def test_as_judge_change_one_by_one(self) -> None:
        nan = math.nan
        cases = [
            (change, low, high, better, overlap, same)
            for change, low, high in [
                (-0.5, -1.6, 0.6),
                (0.0, -0.2, 0.2),
                (-3.0, -4.1, -1.9),
                (3.0, 1.9, 4.1),
                (0.0, 0.1, 0.3),
                (0.3, nan, nan),
                (nan, nan, nan),
            ]
            for better in ("lower", "higher", "neutral")
            for overlap in (False, True)
            for same in (False, True)
        ]
        columns = [np.array(c) for c in zip(*cases, strict=True)]
        got = judge_changes(*columns)
        expected = [judge_change(c, lo, hi, bt, overlap=ov, same_period=sm) for c, lo, hi, bt, ov, sm in cases]
        assert list(got) == expected
        assert got[0] == "no_clear_change" and "better" in expected and "worse" in expected


class TestChangeSinceBaseline:
    def test_small_change_in_counts_is_no_clear_change(self, catalogue) -> None:
        # 300/2000 = 15.00 % then 301/2000 = 15.05 %: +0.05 points, within the interval; before, "worse".
        table = pd.DataFrame(
            [_row("neet_15_29", "2023", 15.0, 300, 2000), _row("neet_15_29", "2024", 15.05, 301, 2000)]
        )
        r = change_since_baseline(table, catalogue, baseline_year=2023).iloc[0]
        assert r["change"] == pytest.approx(0.05) and r["assessment"] == "no_clear_change"
        assert r["change_low"] < 0 < r["change_high"] and r["noise_basis"] == "counts"

    def test_large_change_in_counts_is_judged_by_direction(self, catalogue) -> None:
        # 300/2000 then 240/2000: -3 points; the interval (about -5.1 to -0.9) leaves out 0; lower is better.
        table = pd.DataFrame([_row("neet_15_29", "2023", 15.0, 300, 2000), _row("neet_15_29", "2024", 12.0, 240, 2000)])
        r = change_since_baseline(table, catalogue, baseline_year=2023).iloc[0]
        l1, u1 = wilson_by_hand(300, 2000)
        l2, u2 = wilson_by_hand(240, 2000)
        assert r["change_high"] == pytest.approx(100 * (-0.03 + math.hypot(u2 - 0.12, 0.15 - l1)))
        assert r["assessment"] == "better"

    def test_spread_without_counts(self, catalogue) -> None:
        # Ungdata-like share without counts, yearly: 70, 71, 70, 72, 73 (null point 2022, latest 2024).
        # Changes +1, -1, +2, +1: spread sqrt(7/4) = 1.3229, threshold 1.96 * 1.3229 = 2.5928;
        # change 2022 -> 2024 = 73 - 70 = 3 > 2.59: better (higher is better).
        rows = [_row("vgs_completion", str(y), v) for y, v in zip(range(2020, 2025), [70, 71, 70, 72, 73], strict=True)]
        r = change_since_baseline(pd.DataFrame(rows), catalogue, baseline_year=2022).iloc[0]
        assert r["noise_basis"] == "spread"
        assert r["change_low"] == pytest.approx(3 - Z * math.sqrt(7 / 4))
        assert r["assessment"] == "better"

    def test_overlapping_periods_not_compared(self, catalogue) -> None:
        # 2021-2023 against 2022-2024 share two years: no change published, no judgement.
        rows = [
            _row("vgs_completion", p, v) for p, v in (("2020_2022", 73.0), ("2021_2023", 73.4), ("2022_2024", 73.8))
        ]
        r = change_since_baseline(pd.DataFrame(rows), catalogue, baseline_year=2023).iloc[0]
        assert (r["baseline_period"], r["latest_period"]) == ("2021_2023", "2022_2024")
        assert math.isnan(r["change"]) and math.isnan(r["change_low"]) and r["assessment"] == "not_comparable"

    def test_separate_periods_too_few_to_judge(self, catalogue) -> None:
        # Ungdata 2019-2021 against 2022-2024: comparable, but two figures say nothing about the noise.
        rows = [_row("ungdata_safe_neighbourhood", p, v) for p, v in (("2019_2021", 89.5), ("2022_2024", 88.3))]
        r = change_since_baseline(pd.DataFrame(rows), catalogue, baseline_year=2023).iloc[0]
        assert r["change"] == pytest.approx(-1.2) and r["assessment"] == "too_few_figures"


class TestCardDetail:
    def test_overlapping_periods_say_so(self) -> None:
        from outcomes.analyses.baseline.results import _card_detail
        from outcomes.core.i18n import Translator

        h = {
            "assessment": "not_comparable",
            "baseline_period": "2021_2023",
            "latest_period": "2022_2024",
            "change": None,
        }
        text = _card_detail(h, "percent", Translator("nb"))
        assert text == "Nullpunkt 2021–2023: kan ikke sammenlignes med 2022–2024 ennå (periodene overlapper)"
        h = {"assessment": "no_clear_change", "baseline_period": "2023", "latest_period": "2024", "change": -0.48}
        assert _card_detail(h, "percent", Translator("nb")) == "−0,5\xa0prosentpoeng siden 2023 (ingen klar endring)"
