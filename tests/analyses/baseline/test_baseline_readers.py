"""Readers for SSB/FHI JSON-stat, SSB CSV and tidy CSV (outcomes.analyses.baseline.readers).

Fixtures in tests/data/indicators/ are small files in the published shapes with
values chosen so the expected numbers can be written down by hand here.
"""

from __future__ import annotations

import json
import math

import pytest

from outcomes.analyses.baseline.readers import (
    TIDY_COLUMNS,
    extract_indicator,
    indicator_files,
    parse_period,
    read_indicator_file,
    read_indicator_files,
    read_jsonstat,
    read_ssb_csv,
    read_tidy_csv,
)
from outcomes.analyses.baseline.readers.tidy import UNREADABLE, normalise_region_code, parse_cell
from outcomes.analyses.baseline.readers.tidy_csv import is_tidy_csv
from outcomes.core.errors import InputError
from tests.conftest import TEST_DATA, tidy_row

DATA = TEST_DATA / "indicators"


class TestParsePeriod:
    @pytest.mark.parametrize(
        ("label", "expected"),
        [("2023", (2023, 2023)), ("2021_2023", (2021, 2023)), ("2018-2024", (2018, 2024)), ("2017/2018", (2017, 2018))],
    )
    def test_forms(self, label, expected):
        assert parse_period(label) == expected

    @pytest.mark.parametrize("label", ["2023K4", "abc", "2024-2020", ""])
    def test_rejects(self, label):
        with pytest.raises(ValueError):
            parse_period(label)


class TestReadJsonstat:
    def test_ssb_v2_values_in_row_major_order(self):
        cells = read_jsonstat(DATA / "ssb_13556_v2.json")
        f = cells.frame
        assert (cells.publisher, cells.table, cells.geo, cells.time) == ("SSB", "13556", "Region", "Tid")
        # The last dimension (Tid) varies fastest: 3414, NEET, Bosatte, 2023 is 110.
        hit = f[
            (f.Region == "3414") & (f.HovArbStyrkStatus == "NEET") & (f.ContentsCode == "Bosatte") & (f.Tid == "2023")
        ]
        assert hit["value"].tolist() == [110.0]

    def test_status_marker_kept_value_never_zero(self):
        f = read_jsonstat(DATA / "ssb_13556_v2.json").frame
        grue = f[(f.Region == "3417") & (f.HovArbStyrkStatus == "NEET") & (f.Tid == "2023")]
        assert grue["status"].tolist() == ["..", ".."]
        assert grue["value"].isna().all()

    def test_v1_region_prefixes_stripped_and_table_from_label(self):
        cells = read_jsonstat(DATA / "ssb_13563_v1.json")
        assert sorted(cells.frame["Region"].unique()) == ["34", "3401", "3414", "3417"]
        assert cells.table == "13563"

    def test_fhi_list_index_null_role_and_marker_in_values(self):
        cells = read_jsonstat(DATA / "fhi_360_vgs.json")
        assert (cells.publisher, cells.geo, cells.time) == ("FHI", "GEO", "AAR")
        f = cells.frame
        grue = f[(f.GEO == "3417") & (f.AAR == "2021_2023")]
        assert grue["status"].tolist() == [":", ":"]
        assert grue["value"].isna().all()
        ok = f[(f.GEO == "3401") & (f.AAR == "2021_2023") & (f.MEASURE_TYPE == "RATE")]
        assert ok["value"].tolist() == [74.0] and ok["status"].tolist() == [""]

    def test_size_mismatch_names_the_file(self, tmp_path):
        data = json.loads((DATA / "ssb_13556_v2.json").read_text(encoding="utf-8"))
        data["value"] = data["value"][:-1]
        bad = tmp_path / "ssb_13556_bad.json"
        bad.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(InputError, match="ssb_13556_bad.json") as err:
            read_jsonstat(bad)
        assert "39 entries" in str(err.value)

    def test_jsonstat_1_wrapper(self, tmp_path):
        data = json.loads((DATA / "ssb_13563_v1.json").read_text(encoding="utf-8"))
        dims = dict(data["dimension"])
        dims.update(id=data["id"], size=data["size"], role=data["role"])
        old = {"dataset": {"dimension": dims, "value": data["value"], "label": data["label"], "source": data["source"]}}
        path = tmp_path / "old.json"
        path.write_text(json.dumps(old), encoding="utf-8")
        assert len(read_jsonstat(path).frame) == 16


class TestReadSsbCsv:
    def test_wide_semicolon_decimal_comma_with_title(self):
        cells = read_ssb_csv(DATA / "ssb_08764_lowinc.csv")
        assert (cells.publisher, cells.table) == ("SSB", "08764")
        f = cells.frame
        assert f[(f.Region == "3401") & (f.Tid == "2021-2023")]["value"].tolist() == [13.5]
        assert f[(f.Region == "0") & (f.Tid == "2021-2023")]["value"].tolist() == [11.0]
        grue = f[(f.Region == "3417") & (f.Tid == "2020-2022")]
        assert grue["status"].tolist() == [".."] and grue["value"].isna().all()
        assert set(f["ContentsCode"]) == {"EUskala60"}

    def test_bad_value_names_line(self, tmp_path):
        text = (DATA / "ssb_08764_lowinc.csv").read_text(encoding="utf-8").replace("12,1", "twelve")
        path = tmp_path / "ssb_08764_x.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(InputError) as err:
            read_ssb_csv(path)
        assert err.value.line == 5  # title, blank, header, Kongsvinger, Nord-Odal

    def test_windows_1252(self, tmp_path):
        path = tmp_path / "ssb_08764_cp.csv"
        path.write_bytes((DATA / "ssb_08764_lowinc.csv").read_text(encoding="utf-8").encode("cp1252"))
        assert read_ssb_csv(path).table == "08764"


class TestReadTidyCsv:
    def test_marker_in_value_column(self, catalogue):
        t = read_tidy_csv(DATA / "drammen_2019_tidy.csv", catalogue)
        assert list(t.columns) == TIDY_COLUMNS
        r = tidy_row(t, "neet_15_29", "0602", "2018")
        assert math.isnan(r["value"]) and r["status"] == ".."

    def test_bad_period_names_line_and_column(self, tmp_path):
        path = tmp_path / "t.csv"
        path.write_text(
            "indicator,region_code,period,value\nneet_15_29,3401,2023,12.0\nneet_15_29,3401,23Q4,12.0\n",
            encoding="utf-8",
        )
        with pytest.raises(InputError) as err:
            read_tidy_csv(path)
        assert (err.value.line, err.value.column) == (3, "period")

    def test_missing_column(self, tmp_path):
        path = tmp_path / "t.csv"
        path.write_text("indicator,region,period,value\n", encoding="utf-8")
        with pytest.raises(InputError, match="region_code"):
            read_tidy_csv(path)


class TestExtractIndicator:
    def test_value_computed_from_counts_when_not_published(self, catalogue):
        cells = read_jsonstat(DATA / "ssb_13563_v1.json")
        t = extract_indicator(cells, catalogue.get("aap_uforetrygd_15_29"))
        r = tidy_row(t, "aap_uforetrygd_15_29", "3401", "2022")
        assert r["value"] == pytest.approx(120 / 3000 * 100)
        assert (r["numerator"], r["denominator"]) == (120.0, 3000.0)

    def test_published_value_with_counts_beside_it(self, catalogue):
        t = extract_indicator(read_jsonstat(DATA / "ssb_13556_v2.json"), catalogue.get("neet_15_29"))
        r = tidy_row(t, "neet_15_29", "3401", "2023")
        assert (r["value"], r["numerator"], r["denominator"]) == (12.7, 380.0, 2990.0)
        grue = tidy_row(t, "neet_15_29", "3417", "2023")
        assert math.isnan(grue["value"]) and grue["status"] == ".." and grue["denominator"] == 480.0

    def test_unknown_dimension_is_explained(self, catalogue):
        cells = read_jsonstat(DATA / "fhi_360_vgs.json")
        with pytest.raises(InputError, match="Dimension 'Alder' is not in this table"):
            extract_indicator(cells, catalogue.get("neet_15_29"))


class TestReadIndicatorFile:
    def test_recognises_table_and_periods(self, catalogue):
        t = read_indicator_file(DATA / "fhi_360_vgs.json", catalogue)
        r = tidy_row(t, "vgs_completion", "3414", "2021_2023")
        assert (r["value"], r["numerator"], r["period_start"], r["period_end"]) == (70.0, 72.0, 2021, 2023)
        assert r["source"] == "FHI 360"

    def test_unrecognised_file(self, tmp_path, catalogue):
        data = json.loads((DATA / "fhi_360_vgs.json").read_text(encoding="utf-8"))
        data["source"] = ""
        path = tmp_path / "download.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(InputError, match="Cannot tell which"):
            read_indicator_file(path, catalogue)


class TestReadIndicatorFiles:
    def test_all_fixture_shapes_together(self, catalogue):
        files = sorted(p for p in DATA.glob("*") if p.suffix in (".json", ".csv") and "drammen" not in p.name)
        t = read_indicator_files(files, catalogue)
        assert set(t["indicator"]) >= {"neet_15_29", "aap_uforetrygd_15_29", "vgs_completion", "low_income_children"}
        assert t["value"].dtype == "float64" and t["period_end"].dtype == "int64"

    def test_conflicting_duplicates_refused(self, tmp_path, catalogue):
        a = tmp_path / "a.csv"
        b = tmp_path / "b.csv"
        a.write_text("indicator,region_code,period,value\nneet_15_29,3401,2023,12.0\n", encoding="utf-8")
        b.write_text("indicator,region_code,period,value\nneet_15_29,3401,2023,12.5\n", encoding="utf-8")
        with pytest.raises(InputError, match="Different values"):
            read_indicator_files([a, b], catalogue)
        assert len(read_indicator_files([a, a], catalogue)) == 1


class TestLoadIndicators:
    def test_folder_read_and_codes_harmonised(self, catalogue):
        from outcomes.analyses.baseline.readers import load_indicators

        t = load_indicators(DATA, catalogue)  # includes drammen_2019_tidy.csv with 2019 codes
        r = tidy_row(t, "neet_15_29", "3301", "2019")
        assert r["value"] == pytest.approx(2120 / 22000 * 100) and r["region_code_original"] == "0602+0625+0711"
        assert list(t.columns) == TIDY_COLUMNS

    def test_missing_folder(self, tmp_path, catalogue):
        from outcomes.analyses.baseline.readers import load_indicators

        with pytest.raises(InputError, match="not found"):
            load_indicators(tmp_path / "nope", catalogue)


class TestIndicatorFiles:
    def test_only_json_and_csv_sorted(self, tmp_path):
        for name in ("b.csv", "a.JSON", "notes.txt", "c.json"):
            (tmp_path / name).write_text("{}", encoding="utf-8")
        assert [p.name for p in indicator_files(tmp_path)] == ["a.JSON", "b.csv", "c.json"]

    def test_empty_folder(self, tmp_path):
        with pytest.raises(InputError, match="No .json or .csv files"):
            indicator_files(tmp_path)


class TestParseCell:
    @pytest.mark.parametrize(
        ("text", "value", "status"),
        [
            ("14,1", 14.1, ""),
            ("1\u00a0234", 1234.0, ""),
            (" 7 512 ", 7512.0, ""),
            ("-", 0.0, ""),  # SSB: a true zero
        ],
    )
    def test_numbers(self, text, value, status):
        assert parse_cell(text) == (value, status)

    @pytest.mark.parametrize(
        ("text", "status"), [("..", ".."), (":", ":"), (".", "."), ("", ".."), ("n/a", UNREADABLE)]
    )
    def test_markers_are_missing_never_zero(self, text, status):
        value, marker = parse_cell(text)
        assert math.isnan(value) and marker == status


class TestNormaliseRegionCode:
    @pytest.mark.parametrize(("code", "expected"), [("K-3401", "3401"), ("F-34", "34"), (" 0 ", "0"), ("3401", "3401")])
    def test_prefixes(self, code, expected):
        assert normalise_region_code(code) == expected


class TestIsTidyCsv:
    def test_header_names_indicator(self, tmp_path):
        tidy = tmp_path / "t.csv"
        tidy.write_text("indicator,region_code,period,value\n", encoding="utf-8")
        ssb = tmp_path / "s.csv"
        ssb.write_text("region;år;value\n", encoding="utf-8")
        assert is_tidy_csv(tidy) and not is_tidy_csv(ssb) and not is_tidy_csv(tmp_path / "t.json")
