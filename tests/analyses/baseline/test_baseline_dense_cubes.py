"""Dense JSON-stat cubes as SSB and FHI write them (outcomes.analyses.baseline.readers.validity).

The cube is made here in the shape SSB returns for table 13556 (PxWebApi 2,
json-stat2) over 2016-2024: every region code in every year, with a null and
no status marker where a code did not exist (old Drammen 0602, Nedre Eiker
0625 and Svelvik 0711 after 2019; 3005 Drammen before 2020 and after 2023;
3301 Drammen before 2024; Kongsvinger 0402 after 2019 and 3401 before 2020).
The same figures written sparsely (one file per code version, only the codes
valid in its years) must give the same harmonised table.
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pandas as pd
import pytest

from outcomes.analyses.baseline.municipalities import harmonise_municipality_codes, load_municipality_changes
from outcomes.analyses.baseline.readers import (
    Cells,
    drop_codes_that_did_not_exist,
    extract_indicator,
    load_indicators,
    read_jsonstat,
)
from outcomes.analyses.baseline.readers.validity import history_validity, label_validity
from tests.conftest import tidy_row

YEARS = list(range(2016, 2025))
#: Code -> (first year, last year, SSB's label).
CODES = {
    "0402": (2016, 2019, "Kongsvinger (-2019)"),
    "0602": (2016, 2019, "Drammen (-2019)"),
    "0625": (2016, 2019, "Nedre Eiker (-2019)"),
    "0711": (2016, 2019, "Svelvik (-2019)"),
    "3005": (2020, 2023, "Drammen (2020-2023)"),
    "3301": (2024, 2024, "Drammen"),
    "3401": (2020, 2024, "Kongsvinger"),
    "0": (2016, 2024, "Hele landet"),
}
#: (code, year) -> (NEET residents, all residents 15-29), for the years the code existed.
COUNTS = {
    **{("0602", y): (1200 + y - 2016, 10000) for y in range(2016, 2020)},
    **{("0625", y): (300, 4000) for y in range(2016, 2020)},
    **{("0711", y): (50, 1000) for y in range(2016, 2020)},
    **{("3005", y): (1600 + y - 2020, 15500) for y in range(2020, 2024)},
    ("3301", 2024): (1700, 16000),
    **{("0402", y): (400, 3000) for y in range(2016, 2020)},
    **{("3401", y): (410 + y - 2020, 3050) for y in range(2020, 2025)},
    **{("0", y): (90000, 1000000) for y in YEARS},
}
#: Cells published with a status marker: (code, year) -> marker (value null). 0625's NEET count and share
#: in 2018 are suppressed; 3401 in 2022 is a null without a marker although the code existed (a missing figure).
MARKED = {("0625", 2018): ":"}
UNMARKED_BUT_VALID = {("3401", 2022)}


def _cell(code: str, year: int, status: str, contents: str) -> tuple[float | None, str]:
    """One cell of the cube: its value and its status marker."""
    if (code, year) not in COUNTS or ((code, year) in UNMARKED_BUT_VALID and status == "NEET"):
        return None, ""
    neet, total = COUNTS[code, year]
    if (code, year) in MARKED and status == "NEET":
        return None, MARKED[code, year]
    count = neet if status == "NEET" else total
    return (count if contents == "Bosatte" else round(count / total * 100, 1)), ""


def cube(codes: list[str], years: list[int], *, suffixes: bool) -> dict:
    """A json-stat2 dataset for 13556 in SSB's shape: Region x Kjonn x Alder x status x contents x Tid."""
    dims = {
        "Region": codes,
        "Kjonn": ["0"],
        "Alder": ["15-29"],
        "HovArbStyrkStatus": ["NEET", "TOT3"],
        "ContentsCode": ["Bosatte", "BosatteProsent"],
        "Tid": [str(y) for y in years],
    }
    values: list[float | None] = []
    status: dict[str, str] = {}
    for i, (code, _, _, st, contents, year) in enumerate(itertools.product(*dims.values())):
        value, marker = _cell(code, int(year), st, contents)
        values.append(value)
        if marker:
            status[str(i)] = marker
    labels = {c: CODES[c][2] if suffixes else CODES[c][2].split(" (")[0] for c in codes}
    dimension = {
        d: {"label": d.lower(), "category": {"index": {c: i for i, c in enumerate(cs)}, "label": {c: c for c in cs}}}
        for d, cs in dims.items()
    }
    dimension["Region"]["category"]["label"] = labels
    return {
        "version": "2.0",
        "class": "dataset",
        "label": "13556: Personer 15-29 år, etter region, prioritert arbeidsstyrkestatus, statistikkvariabel og år",
        "source": "Statistisk sentralbyrå",
        "updated": "2025-06-10T06:00:00Z",
        "id": list(dims),
        "size": [len(v) for v in dims.values()],
        "dimension": dimension,
        "value": values,
        "status": status,
        "role": {"time": ["Tid"], "geo": ["Region"], "metric": ["ContentsCode"]},
        "extension": {"px": {"tableid": "13556", "decimals": 1}},
    }


def write(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def dense_file(folder: Path, *, suffixes: bool) -> Path:
    return write(folder / "ssb_13556_dense.json", cube(list(CODES), YEARS, suffixes=suffixes))


def sparse_files(folder: Path) -> list[Path]:
    """The same figures, one file per code version with only the codes valid in its years."""
    versions = [
        (["0402", "0602", "0625", "0711", "0"], range(2016, 2020)),
        (["3005", "3401", "0"], range(2020, 2024)),
        (["3301", "3401", "0"], range(2024, 2025)),
    ]
    return [
        write(folder / f"ssb_13556_{years[0]}_{years[-1]}.json", cube(codes, list(years), suffixes=True))
        for codes, years in versions
    ]


COMPARED = ["indicator", "region_code", "region_code_original", "period", "value", "numerator", "denominator", "status"]


@pytest.fixture(params=[True, False], ids=["labels-with-validity", "plain-labels"])
def dense_and_sparse(request, tmp_path, catalogue) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Harmonised tidy tables from the dense cube (validity from labels, or from the code history) and the sparse files."""
    (tmp_path / "dense").mkdir()
    (tmp_path / "sparse").mkdir()
    dense = load_indicators([dense_file(tmp_path / "dense", suffixes=request.param)], catalogue)
    sparse = load_indicators(sparse_files(tmp_path / "sparse"), catalogue)
    return dense, sparse


class TestDenseCube:
    def test_same_harmonised_figures_as_the_sparse_files(self, dense_and_sparse):
        dense, sparse = dense_and_sparse
        pd.testing.assert_frame_equal(dense[COMPARED], sparse[COMPARED])

    def test_merged_drammen_summed_by_hand(self, dense_and_sparse):
        dense, _ = dense_and_sparse
        row = tidy_row(dense, "neet_15_29", "3301", "2019")
        # 0602 Drammen 1203 of 10000, 0625 Nedre Eiker 300 of 4000, 0711 Svelvik 50 of 1000 (2019).
        assert row["numerator"] == 1203 + 300 + 50 == 1553
        assert row["denominator"] == 10000 + 4000 + 1000 == 15000
        assert math.isclose(row["value"], 1553 / 15000 * 100)  # 10.353 %, rebuilt from the counts
        assert (row["status"], row["region_code_original"]) == ("", "0602+0625+0711")

    def test_every_drammen_and_kongsvinger_year_has_a_figure(self, dense_and_sparse):
        dense, _ = dense_and_sparse
        neet = dense[dense["indicator"] == "neet_15_29"]
        drammen = neet[neet["region_code"] == "3301"].set_index("period")
        assert list(drammen.index) == [str(y) for y in YEARS]
        assert drammen["value"].isna().tolist() == [y == 2018 for y in YEARS]  # 2018 suppressed, see below
        assert drammen.loc[["2020", "2023"], "numerator"].tolist() == [1600, 1603]  # 3005, renumbered
        assert drammen.loc["2024", "numerator"] == 1700
        kongsvinger = neet[neet["region_code"] == "3401"].set_index("period")
        assert kongsvinger.loc["2024", "numerator"] == 414 and kongsvinger.loc["2019", "numerator"] == 400

    def test_marked_cells_keep_their_meaning(self, dense_and_sparse):
        dense, _ = dense_and_sparse
        # 0625's count was suppressed (:) in 2018: the merged figure is missing for that reason, not summed short.
        row = tidy_row(dense, "neet_15_29", "3301", "2018")
        assert math.isnan(row["value"]) and row["status"] == ":"

    def test_an_unmarked_null_of_a_code_that_existed_is_missing(self, dense_and_sparse):
        dense, _ = dense_and_sparse
        row = tidy_row(dense, "neet_15_29", "3401", "2022")
        assert math.isnan(row["numerator"]) and row["status"] == ".."

    def test_without_the_rule_every_merged_year_would_be_missing(self, tmp_path, catalogue):
        # The bug of issue 15: every null read as "..", so 3301 is missing in 2019 and 2020.
        cells = read_jsonstat(dense_file(tmp_path, suffixes=True))
        tidy = extract_indicator(cells, catalogue.get("neet_15_29"))
        naive = harmonise_municipality_codes(tidy, catalogue.units())
        assert naive[(naive["region_code"] == "3301") & naive["period"].isin(["2019", "2020"])]["value"].isna().all()


class TestMarkers:
    def test_ssb_dash_is_a_true_zero_and_other_markers_stay_missing(self, tmp_path):
        data = cube(["3401"], [2024], suffixes=True)
        data["value"][:4] = [None, None, None, None]
        data["status"] = {"0": "-", "1": "-", "2": ".", "3": ".."}
        frame = read_jsonstat(write(tmp_path / "ssb_13556.json", data)).frame
        assert frame["value"].tolist()[:2] == [0.0, 0.0] and frame["status"].tolist() == ["", "", ".", ".."]


class TestValidityRule:
    def test_label_suffixes(self):
        assert label_validity("Drammen (-2019)") == (None, 2019)
        assert label_validity("Halden (2020-2023)") == (2020, 2023)
        assert label_validity("Marker (1964-2019)") == (1964, 2019)
        assert label_validity("Nes (Akershus) (-2019)") == (None, 2019)
        assert label_validity("Drammen (2024-)") == (2024, None)
        assert label_validity("Drammen") is None and label_validity("15-29 år") is None

    def test_history_of_renumbered_merged_and_kept_codes(self):
        changes = load_municipality_changes()
        validity = history_validity(changes)
        assert validity["0602"] == [(None, 2019)]
        assert validity["3005"] == [(2020, 2023)]
        assert validity["3301"] == [(2024, None)]
        assert validity["0715"] == [(2018, 2019)]  # Holmestrand: new in 2018, 3802 from 2020
        assert validity["5001"] == [(2018, None)]  # Trondheim: renumbered 2018, absorbed Klæbu 2020
        # Stavanger kept 1103 while absorbing Finnøy and Rennesøy in 2020: the history alone starts it then;
        # a file with its 2019 figure corrects that (test_a_code_that_kept_its_number_is_not_dropped).
        assert validity["1103"] == [(2020, None)]
        assert "0301" not in validity  # Oslo never changed: valid in every year, its nulls stay missing

    def test_a_code_that_kept_its_number_is_not_dropped(self):
        # 1103 Stavanger absorbed 1141 Finnøy in 2020 and kept its number: the history alone would start it
        # in 2020; the file's own 2019 figure shows it existed, so its unmarked null in 2018 stays (missing).
        cells = stavanger({"2018": None, "2019": 5.0, "2020": 7.0})
        assert drop_codes_that_did_not_exist(cells, KEPT_NUMBER).frame["Tid"].tolist() == ["2018", "2019", "2020"]

    def test_a_new_code_before_its_first_year_is_dropped(self):
        cells = stavanger({"2018": None, "2019": None, "2020": 7.0})
        assert drop_codes_that_did_not_exist(cells, KEPT_NUMBER).frame["Tid"].tolist() == ["2020"]

    def test_a_marked_null_is_never_dropped(self):
        cells = stavanger({"2018": None, "2019": None, "2020": 7.0}, status={"2018": ".."})
        assert drop_codes_that_did_not_exist(cells, KEPT_NUMBER).frame["Tid"].tolist() == ["2018", "2020"]

    def test_a_label_with_validity_wins_over_the_history(self):
        cells = stavanger({"2018": None, "2019": None, "2020": 7.0}, label="Stavanger")
        # No suffix: the history decides (dropped). With SSB's "(2019-)" the 2019 null is a missing figure.
        labelled = stavanger({"2018": None, "2019": None, "2020": 7.0}, label="Stavanger (2019-)")
        assert drop_codes_that_did_not_exist(cells, KEPT_NUMBER).frame["Tid"].tolist() == ["2020"]
        assert drop_codes_that_did_not_exist(labelled, KEPT_NUMBER).frame["Tid"].tolist() == ["2019", "2020"]

    def test_a_county_only_by_its_label(self):
        old_county = stavanger({"2019": 4.0, "2020": None}, label="Hedmark (-2019)").frame.assign(Region="04")
        cells = Cells(
            old_county, "x.json", "SSB", "13556", "Region", "Tid", labels={"Region": {"04": "Hedmark (-2019)"}}
        )
        assert drop_codes_that_did_not_exist(cells, KEPT_NUMBER).frame["Tid"].tolist() == ["2019"]
        plain = Cells(old_county, "x.json", "SSB", "13556", "Region", "Tid", labels={"Region": {"04": "Hedmark"}})
        assert drop_codes_that_did_not_exist(plain, KEPT_NUMBER).frame["Tid"].tolist() == ["2019", "2020"]


KEPT_NUMBER = pd.DataFrame({"old_code": ["1141"], "new_code": ["1103"], "change_year": [2020], "kind": ["merged"]})


def stavanger(values: dict[str, float | None], *, status: dict[str, str] | None = None, label: str = "Stavanger"):
    """Cells of one code, 1103, over three years."""
    frame = pd.DataFrame(
        {
            "Region": "1103",
            "Tid": list(values),
            "value": [float("nan") if v is None else v for v in values.values()],
            "status": [(status or {}).get(y, "") for y in values],
        }
    )
    return Cells(frame, "x.json", "SSB", "13556", "Region", "Tid", labels={"Region": {"1103": label}})
