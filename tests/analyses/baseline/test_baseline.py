"""Baseline analysis (outcomes.analyses.baseline: region, compare, challenges, footnotes, summary).

Expected numbers are computed by hand from the fixture files in
tests/data/indicators/ (values quoted in the comments).
"""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from outcomes.analyses.baseline.challenges import largest_challenges, national_spread
from outcomes.analyses.baseline.compare import change_since_baseline, gap_to_target
from outcomes.analyses.baseline.footnotes import status_footnotes
from outcomes.analyses.baseline.readers import read_indicator_files
from outcomes.analyses.baseline.region import (
    NO_ROW,
    NO_WEIGHT,
    Exclusion,
    aggregate_region,
    baseline_table,
    exclusions_text,
    with_exclusions_as_text,
)
from outcomes.analyses.baseline.summary import baseline_summary
from outcomes.core.errors import ConfigError
from tests.analyses.baseline.tidy_rows import tidy_table
from tests.conftest import ROOT, TEST_DATA

DATA = TEST_DATA / "indicators"
DEMO = ROOT / "data" / "raw" / "demo" / "indicators"
REGION = ["3401", "3414", "3417"]
KONGSVINGERREGIONEN = ["3401", "3414", "3415", "3416", "3417", "3418"]


@pytest.fixture(scope="module")
def tidy(catalogue):
    files = [
        DATA / n
        for n in (
            "ssb_13556_v2.json",
            "ssb_13563_v1.json",
            "fhi_360_vgs.json",
            "ssb_08764_lowinc.csv",
            "population_tidy.csv",
        )
    ]
    return read_indicator_files(files, catalogue)


@pytest.fixture(scope="module")
def table(tidy, catalogue):
    return baseline_table(tidy, catalogue, region_municipalities=REGION, county_code="34", region_name="Testregionen")


def _pick(frame, indicator, level, period, code=None):
    sel = frame[(frame["indicator"] == indicator) & (frame["level"] == level) & (frame["period"] == period)]
    if code is not None:
        sel = sel[sel["region_code"] == code]
    assert len(sel) == 1, sel
    return sel.iloc[0]


def _demo(catalogue, pull):
    return read_indicator_files(sorted((DEMO / pull).glob("*.*")), catalogue)


class TestAggregateRegion:
    def test_from_counts_equals_hand_calculation(self, tidy, catalogue):
        out = aggregate_region(tidy, catalogue.get("neet_15_29"), REGION)
        r = out[out["period"] == "2022"].iloc[0]
        # NEET 2022: Kongsvinger 400/3000, Nord-Odal 120/750, Grue 80/490
        assert r["value"] == pytest.approx((400 + 120 + 80) / (3000 + 750 + 490) * 100)  # 14.1509...
        assert (r["numerator"], r["denominator"], r["method"]) == (600.0, 4240.0, "from_counts")

    def test_population_weighted_when_no_denominator(self, tidy, catalogue):
        out = aggregate_region(tidy, catalogue.get("vgs_completion"), REGION)
        r = out[out["period"] == "2020_2022"].iloc[0]
        # Rates 73, 69, 71 weighted by persons 15-29 in 2022: 3000, 750, 490
        assert r["value"] == pytest.approx((3000 * 73 + 750 * 69 + 490 * 71) / (3000 + 750 + 490))
        assert r["method"] == "population_weighted"

    def test_weight_from_nearest_year(self, tidy, catalogue):
        out = aggregate_region(tidy, catalogue.get("low_income_children"), REGION)
        r = out[out["period"] == "2021-2023"].iloc[0]
        # 13.5, 12.1, 13.9 weighted by persons 0-17 in 2023: 3400, 800, 500
        assert r["value"] == pytest.approx((3400 * 13.5 + 800 * 12.1 + 500 * 13.9) / 4700)
        r = out[out["period"] == "2020-2022"].iloc[0]
        # Grue is '..'; weights for 2022 are absent, so the 2023 ones are used
        assert r["value"] == pytest.approx((3400 * 13.2 + 800 * 11.8) / 4200)
        assert r["excluded"] == (Exclusion("3417", ".."),)


class TestBaselineTable:
    def test_levels_and_published_rows(self, table):
        assert set(table["level"]) == {"municipality", "region", "county", "country"}
        assert _pick(table, "neet_15_29", "county", "2023")["value"] == 11.4
        assert _pick(table, "neet_15_29", "country", "2023")["value"] == 10.1
        assert _pick(table, "neet_15_29", "region", "2023")["region_name"] == "Testregionen"

    def test_suppressed_value_missing_excluded_and_flagged(self, table):
        grue = _pick(table, "neet_15_29", "municipality", "2023", "3417")
        assert math.isnan(grue["value"]) and grue["status"] == ".."
        region = _pick(table, "neet_15_29", "region", "2023")
        # Grue left out of numerator and denominator: (380 + 110) / (2990 + 740)
        assert region["value"] == pytest.approx(490 / 3730 * 100)
        assert region["n_included"] == 2 and region["excluded"] == (Exclusion("3417", ".."),)
        # Including Grue's denominator with a zero numerator would give 490/4210: never that.
        assert region["value"] != pytest.approx(490 / 4210 * 100)

    def test_anonymised_fhi_value(self, table):
        region = _pick(table, "vgs_completion", "region", "2021_2023")
        assert region["value"] == pytest.approx((2990 * 74 + 740 * 70) / (2990 + 740))
        assert region["excluded"] == (Exclusion("3417", ":"),)

    def test_no_country_row_when_not_published(self, table):
        assert table[(table["indicator"] == "aap_uforetrygd_15_29") & (table["level"] == "country")].empty
        r = _pick(table, "aap_uforetrygd_15_29", "region", "2023")
        assert r["value"] == pytest.approx((125 + 41 + 27) / (2990 + 740 + 480) * 100)


class TestChangeSinceBaseline:
    def test_rerun_with_later_files_shows_change(self, catalogue):
        kwargs = dict(region_municipalities=KONGSVINGERREGIONEN, county_code="34", region_name="Kongsvingerregionen")
        first = change_since_baseline(
            baseline_table(_demo(catalogue, "pull_2023"), catalogue, **kwargs), catalogue, baseline_year=2023
        )
        later = change_since_baseline(
            baseline_table(_demo(catalogue, "pull_2024"), catalogue, **kwargs), catalogue, baseline_year=2023
        )
        c1 = first[(first["indicator"] == "neet_15_29") & (first["level"] == "county")].iloc[0]
        assert c1["assessment"] == "no_new_data" and c1["change"] == 0
        c2 = later[(later["indicator"] == "neet_15_29") & (later["level"] == "county")].iloc[0]
        # Innlandet published 11.5 (2023) and 11.3 (2024) in the demo file: -0.2 points, lower is better,
        # but within what the counts give by chance (the interval contains 0): no clear change
        assert (c2["baseline_period"], c2["latest_period"]) == ("2023", "2024")
        assert c2["change"] == pytest.approx(11.3 - 11.5)
        assert c2["change_low"] < 0 < c2["change_high"] and c2["assessment"] == "no_clear_change"
        safe = later[(later["indicator"] == "ungdata_safe_neighbourhood") & (later["level"] == "county")].iloc[0]
        # Ungdata rounds: baseline 2019_2021 (latest ending <= 2023), latest 2022_2024; 91.9 -> 92.5, higher is better
        assert (safe["baseline_period"], safe["latest_period"]) == ("2019_2021", "2022_2024")
        # Two separate periods and no counts: nothing tells how much the figure varies
        assert safe["change"] == pytest.approx(92.5 - 91.9) and safe["assessment"] == "too_few_figures"

    def test_direction_and_pinned_period(self, table, catalogue):
        ch = change_since_baseline(
            table, catalogue, baseline_year=2022, baseline_periods={"vgs_completion": "2020_2022"}
        )
        kv = ch[(ch["indicator"] == "neet_15_29") & (ch["region_code"] == "3401")].iloc[0]
        # -0.6 points in Kongsvinger's counts is within what chance gives: no clear change
        assert kv["change"] == pytest.approx(12.7 - 13.3) and kv["assessment"] == "no_clear_change"
        vgs = ch[(ch["indicator"] == "vgs_completion") & (ch["region_code"] == "3401")].iloc[0]
        # The pinned 2020_2022 and the latest 2021_2023 share two years: not compared
        assert vgs["baseline_period"] == "2020_2022" and vgs["latest_period"] == "2021_2023"
        assert math.isnan(vgs["change"]) and vgs["assessment"] == "not_comparable"
        grue = ch[(ch["indicator"] == "neet_15_29") & (ch["region_code"] == "3417")].iloc[0]
        assert math.isnan(grue["change"]) and grue["assessment"] == "not_assessed"


class TestGapToTarget:
    def test_gap_and_share_closed(self, table, catalogue):
        ch = change_since_baseline(table, catalogue, baseline_year=2022)
        gaps = gap_to_target(ch, catalogue, {"neet_15_29": 12.0})
        r = gaps.iloc[0]
        base = 600 / 4240 * 100
        latest = 490 / 3730 * 100
        assert r["gap"] == pytest.approx(latest - 12.0)
        assert r["remaining"] == pytest.approx(latest - 12.0) and not r["target_met"]
        assert r["share_of_gap_closed"] == pytest.approx((base - latest) / (base - 12.0) * 100)

    def test_met_for_higher_is_better(self, table, catalogue):
        ch = change_since_baseline(table, catalogue, baseline_year=2022)
        r = gap_to_target(ch, catalogue, {"vgs_completion": 70.0}).iloc[0]
        assert r["target_met"] and r["remaining"] == 0.0

    def test_neutral_indicator_rejected(self, table, catalogue):
        ch = change_since_baseline(table, catalogue, baseline_year=2022)
        with pytest.raises(ConfigError):
            gap_to_target(ch, catalogue, {"population_15_29": 1000})


class TestNationalSpread:
    def test_sample_sd_of_municipalities(self):
        nat = pd.DataFrame(
            {
                "indicator": "neet_15_29",
                "region_code": ["3401", "3414", "3415", "34", "0"],
                "period": "2023",
                "period_end": 2023,
                "value": [10.0, 12.0, 14.0, 50.0, 50.0],
            }
        )
        s = national_spread(nat).iloc[0]
        assert s["sd"] == pytest.approx(2.0) and s["n"] == 3  # county and country rows ignored


class TestLargestChallenges:
    def test_standardised_against_country(self, table, catalogue):
        spread = pd.DataFrame(
            {
                "indicator": ["neet_15_29", "vgs_completion"],
                "period": ["2023", "2021_2023"],
                "sd": [2.0, 4.0],
                "n": [357, 357],
            }
        )
        ch = largest_challenges(table, catalogue, spread=spread, year=2023)
        nord = ch[ch["region_code"] == "3414"].set_index("indicator")
        # NEET 14.9 vs 10.1, SD 2 -> 2.4; completion 70.0 vs 81.4, SD 4, higher better -> 2.85
        assert nord.loc["neet_15_29", "score"] == pytest.approx((14.9 - 10.1) / 2.0)
        assert nord.loc["vgs_completion", "score"] == pytest.approx((81.4 - 70.0) / 4.0)
        assert nord.loc["vgs_completion", "rank"] == 1 and nord.loc["neet_15_29", "rank"] == 2

    def test_county_reference_and_relative_fallback(self, table, catalogue):
        ch = largest_challenges(table, catalogue, year=2023, top_n=10)
        aap = ch[(ch["region_code"] == "3414") & (ch["indicator"] == "aap_uforetrygd_15_29")].iloc[0]
        # No national row in 13563: compared with Innlandet 2350/64035
        county = 2350 / 64035 * 100
        assert aap["reference_level"] == "county"
        assert aap["score"] == pytest.approx((41 / 740 * 100 - county) / county)
        assert aap["score_method"] == "relative"


class TestStatusFootnotes:
    def test_markers_and_exclusions_listed(self, table):
        notes = status_footnotes(table)
        assert ((notes["region_code"] == "3417") & (notes["status"] == "..")).any()
        assert ((notes["region_code"] == "3417") & (notes["status"] == ":")).any()
        excl = notes[(notes["region_code"] == "region") & (notes["status"] == "excluded")]
        assert "3417 (..)" in " ".join(excl["meaning"])


class TestBaselineSummary:
    def test_json_serialisable_and_no_nan(self, catalogue):
        tidy = _demo(catalogue, "pull_2024")
        national = read_indicator_files([DEMO / "national" / "national_2024_synthetic.csv"], catalogue)
        s = baseline_summary(
            tidy,
            catalogue,
            region_name="Kongsvingerregionen",
            region_municipalities=KONGSVINGERREGIONEN,
            county_code="34",
            baseline_year=2023,
            targets={"neet_15_29": 12.0},
            national=national,
            deviance_outcome="neet_15_29",
            deviance_predictors=["low_income_children", "higher_education_share"],
        )
        text = json.dumps(s, allow_nan=False)
        assert set(s) == {
            "region",
            "indicators",
            "table",
            "changes",
            "targets",
            "challenges",
            "footnotes",
            "spread",
            "deviance",
        }
        grue = [
            r
            for r in s["table"]
            if r["indicator"] == "neet_15_29" and r["region_code"] == "3417" and r["period"] == "2022"
        ]
        assert grue[0]["value"] is None and grue[0]["status"] == ".."
        assert s["deviance"]["n"] == 356 and "Kongsvinger" in text


class TestExclusions:
    """Municipalities left out of a region figure: values with reason codes, text only when published."""

    @staticmethod
    def _tidy(rows: list[tuple[str, str, float, float, float, str]]) -> pd.DataFrame:
        return tidy_table((ind, code, 2023, value, num, den, status) for ind, code, value, num, den, status in rows)

    def test_no_row_and_no_weight(self, catalogue):
        nan = float("nan")
        # Completion is weighted by population 15-29: Kongsvinger 70 % (weight 3000), Nord-Odal 60 % without a
        # population figure, Grue without any row. Region = Kongsvinger alone = 70 %.
        tidy = self._tidy(
            [
                ("vgs_completion", "3401", 70.0, nan, nan, ""),
                ("vgs_completion", "3414", 60.0, nan, nan, ""),
                ("population_15_29", "3401", 3000.0, nan, nan, ""),
            ]
        )
        out = aggregate_region(tidy, catalogue.get("vgs_completion"), ["3401", "3414", "3417"])
        r = out.iloc[0]
        assert r["value"] == pytest.approx(70.0) and r["n_included"] == 1
        assert r["excluded"] == (Exclusion("3417", NO_ROW), Exclusion("3414", NO_WEIGHT))
        assert exclusions_text(r["excluded"]) == "3417 (no row); 3414 (no weight)"

    def test_published_text(self):
        assert str(Exclusion("3417", "..")) == "3417 (..)"
        assert str(Exclusion("3417", "split")) == "3417 (split)"
        assert exclusions_text(()) == ""

    def test_text_only_in_the_published_copy(self, table):
        published = with_exclusions_as_text(table)
        assert list(published.columns) == list(table.columns)
        region = _pick(published, "neet_15_29", "region", "2023")
        assert region["excluded"] == "3417 (..)"
        assert _pick(published, "neet_15_29", "municipality", "2023", "3401")["excluded"] == ""
        assert _pick(table, "neet_15_29", "municipality", "2023", "3401")["excluded"] == ()
