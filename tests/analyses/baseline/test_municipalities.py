"""Municipality code harmonisation (outcomes.analyses.baseline.municipalities)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from outcomes.analyses.baseline.municipalities import (
    harmonise_municipality_codes,
    load_municipalities,
    load_municipality_changes,
    region_names,
    successor_codes,
)
from outcomes.analyses.baseline.readers import read_tidy_csv
from outcomes.core.errors import InputError
from tests.conftest import TEST_DATA, tidy_row

DATA = TEST_DATA / "indicators"


@pytest.fixture(scope="module")
def drammen(catalogue):
    return read_tidy_csv(DATA / "drammen_2019_tidy.csv", catalogue)


class TestLoadMunicipalities:
    def test_357_municipalities_in_15_counties(self):
        m = load_municipalities()
        assert len(m) == 357 and m["code"].is_unique
        assert m["county_code"].nunique() == 15

    def test_kongsvingerregionen_codes(self):
        names = region_names()
        assert [names[c] for c in ("3401", "3414", "3415", "3416", "3417", "3418", "34")] == [
            "Kongsvinger",
            "Nord-Odal",
            "Sør-Odal",
            "Eidskog",
            "Grue",
            "Åsnes",
            "Innlandet",
        ]


class TestLoadMunicipalityChanges:
    def test_documented_rows(self):
        c = load_municipality_changes()
        rows = {(r.old_code, r.new_code, r.change_year) for r in c.itertuples()}
        # data.md §3: Drammen 0602 (+0625, 0711) -> 3005 -> 3301; Nes -> Nesbyen 0616 -> 3040 -> 3322
        assert {("0602", "3005", 2020), ("0625", "3005", 2020), ("0711", "3005", 2020), ("3005", "3301", 2024)} <= rows
        assert {("0616", "3040", 2020), ("3040", "3322", 2024), ("0402", "3401", 2020)} <= rows


class TestSuccessorCodes:
    def test_chain_through_two_reforms(self):
        assert successor_codes("0602") == (["3301"], False)
        assert successor_codes("0602", target_year=2020) == (["3005"], False)
        assert successor_codes("0402") == (["3401"], False)

    def test_split(self):
        assert successor_codes("1507") == (["1508", "1580"], True)


class TestHarmoniseMunicipalityCodes:
    def test_drammen_2019_codes_land_in_3301_summed(self, drammen, catalogue):
        out = harmonise_municipality_codes(drammen, catalogue.units())
        neet = tidy_row(out, "neet_15_29", "3301", "2019")
        # By hand: (1520 + 520 + 80) / (16000 + 5000 + 1000) * 100 = 2120 / 22000 * 100
        assert neet["numerator"] == 2120.0
        assert neet["denominator"] == 22000.0
        assert neet["value"] == pytest.approx(2120 / 22000 * 100)
        # The average of the three rates would be (9.5 + 10.4 + 8.0) / 3 = 9.3: not what we want.
        assert neet["value"] != pytest.approx((9.5 + 10.4 + 8.0) / 3)
        assert neet["region_code_original"] == "0602+0625+0711"
        pop = tidy_row(out, "population_15_29", "3301", "2019")
        assert pop["value"] == 16000 + 5000 + 1000

    def test_one_to_one_keeps_value_and_original_code(self, drammen, catalogue):
        out = harmonise_municipality_codes(drammen, catalogue.units())
        r = tidy_row(out, "neet_15_29", "3303", "2019")  # Kongsberg 0604 -> 3006 -> 3303
        assert (r["value"], r["region_code_original"]) == (9.0, "0604")

    def test_suppressed_part_makes_merged_value_missing(self, drammen, catalogue):
        out = harmonise_municipality_codes(drammen, catalogue.units())
        r = tidy_row(out, "neet_15_29", "3301", "2018")
        assert math.isnan(r["value"]) and r["status"] == ".."

    def test_target_year_2020(self, drammen, catalogue):
        out = harmonise_municipality_codes(drammen, catalogue.units(), target_year=2020)
        assert tidy_row(out, "neet_15_29", "3005", "2019")["denominator"] == 22000.0

    def test_split_becomes_missing(self, catalogue):
        tidy = pd.DataFrame(
            [
                {
                    "indicator": "population_15_29",
                    "region_code": "1507",
                    "period": "2023",
                    "period_start": 2023,
                    "period_end": 2023,
                    "value": 12000.0,
                    "numerator": float("nan"),
                    "denominator": float("nan"),
                    "status": "",
                    "source": "",
                    "source_file": "x.csv",
                }
            ]
        )
        out = harmonise_municipality_codes(tidy, catalogue.units())
        assert sorted(out["region_code"]) == ["1508", "1580"]
        assert out["value"].isna().all() and set(out["status"]) == {"split"}

    def test_rate_without_counts_is_not_averaged(self, catalogue):
        base = {
            "indicator": "low_income_children",
            "period": "2019",
            "period_start": 2019,
            "period_end": 2019,
            "numerator": float("nan"),
            "denominator": float("nan"),
            "status": "",
            "source": "",
            "source_file": "x.csv",
        }
        tidy = pd.DataFrame(
            [{**base, "region_code": "0602", "value": 12.0}, {**base, "region_code": "0625", "value": 10.0}]
        )
        r = harmonise_municipality_codes(tidy, catalogue.units()).iloc[0]
        assert math.isnan(r["value"]) and r["status"] == "merged_without_counts"

    def test_county_and_country_pass_through(self, catalogue):
        tidy = pd.DataFrame(
            [
                {
                    "indicator": "neet_15_29",
                    "region_code": c,
                    "period": "2023",
                    "period_start": 2023,
                    "period_end": 2023,
                    "value": 10.0,
                    "numerator": 1.0,
                    "denominator": 10.0,
                    "status": "",
                    "source": "",
                    "source_file": "x",
                }
                for c in ("34", "0")
            ]
        )
        assert sorted(harmonise_municipality_codes(tidy, catalogue.units())["region_code"]) == ["0", "34"]

    def test_unknown_old_code_is_an_error_not_a_silent_mismatch(self, catalogue):
        # 1723 Mosvik merged into 1756 Inderøy in 2012, before the table starts (2016).
        tidy = pd.DataFrame(
            [
                {
                    "indicator": "neet_15_29",
                    "region_code": "1723",
                    "period": "2011",
                    "period_start": 2011,
                    "period_end": 2011,
                    "value": 10.0,
                    "numerator": 1.0,
                    "denominator": 10.0,
                    "status": "",
                    "source": "",
                    "source_file": "mosvik.csv",
                }
            ]
        )
        with pytest.raises(InputError, match="1723") as err:
            harmonise_municipality_codes(tidy, catalogue.units())
        assert err.value.file == "mosvik.csv"
