"""The publishers' notes and FHI's flag list, from the file to the footnotes of the baseline tables.

Files are the recorded responses of tests/data/recorded/ with notes added in
the places SSB's PxWebApi 2 writes them (dataset ``note`` with
``extension.noteMandatory``, ``category.note`` per code); the flag list is in
the shape of FHI's ``/flag`` endpoint.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from outcomes.analyses.baseline.footnotes import flag_meanings, status_footnotes
from outcomes.analyses.baseline.labels import source_note_lines, status_reason
from outcomes.analyses.baseline.readers import load_indicator_data, read_flag_list, read_jsonstat
from outcomes.analyses.baseline.readers.notes import dataset_notes, note_text
from outcomes.analyses.baseline.region import baseline_table
from outcomes.analyses.baseline.views import theme_view, trend_view
from outcomes.core.errors import InputError
from outcomes.core.i18n import Translator
from tests.analyses.baseline.test_baseline_views import _results
from tests.conftest import TEST_DATA, tidy_row

RECORDED = TEST_DATA / "recorded"
PRELIMINARY = "Tallene for 2023 er foreløpige."


def ssb_with_notes(folder: Path) -> Path:
    """SSB 13556 (recorded) with a table note, a period note, a municipality note and a note on an unused age."""
    data = json.loads((RECORDED / "ssb_v2_13556_data.json").read_text(encoding="utf-8"))
    data["note"] = [PRELIMINARY, "[Om statistikken](https://www.ssb.no/arbeid-og-lonn/sysselsetting)"]
    data["extension"]["noteMandatory"] = {"0": True}
    dims = data["dimension"]
    dims["Tid"]["category"]["note"] = {"2023": ["Foreløpige tall"]}
    dims["Region"]["category"]["note"] = {"3414": ["Nord-Odal: tallene er rettet 1. juli."]}
    dims["Alder"]["category"]["note"] = {"30-61": ["Gjelder ikke 15-29 år."]}
    path = folder / "ssb_13556_neet.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def fhi_with_flags(folder: Path) -> Path:
    """FHI 360 (recorded) with a symbol only FHI's flag list explains, and that list saved beside it."""
    data = json.loads((RECORDED / "fhi_nokkel_360_data.json").read_text(encoding="utf-8"))
    # GEO x AAR x MEASURE_TYPE (TELLER, RATE): cells 2 and 3 are 3401 in 2021_2023.
    data["value"][2], data["value"][3] = None, "..."
    data["status"] = {"2": "..."}
    path = folder / "fhi_360_vgs.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    shutil.copy(RECORDED / "fhi_nokkel_360_flags.json", folder / "fhi_360_vgs.flags.json")
    return path


class TestReadNotes:
    def test_notes_where_ssb_writes_them(self, tmp_path):
        notes = dataset_notes(json.loads(ssb_with_notes(tmp_path).read_text()))
        assert [(n.dimension, n.code, n.mandatory) for n in notes] == [
            (None, None, True),
            (None, None, False),
            ("Region", "3414", False),
            ("Alder", "30-61", False),
            ("Tid", "2023", False),
        ]  # the table's notes, then each dimension's in the order of `id`
        assert notes[1].text == "Om statistikken (https://www.ssb.no/arbeid-og-lonn/sysselsetting)"

    def test_markdown_links_and_whitespace(self):
        assert (
            note_text(" See [the list](https://ssb.no/x)\n of changes ") == "See the list (https://ssb.no/x) of changes"
        )

    def test_notes_per_indicator_and_cell(self, tmp_path, catalogue):
        notes = load_indicator_data([ssb_with_notes(tmp_path)], catalogue).notes
        neet = notes[notes["indicator"] == "neet_15_29"]
        assert neet[["region_code", "period", "note"]].values.tolist() == [
            ["", "", PRELIMINARY],
            ["", "", "Om statistikken (https://www.ssb.no/arbeid-og-lonn/sysselsetting)"],
            ["3414", "", "Nord-Odal: tallene er rettet 1. juli."],
            ["", "2023", "Foreløpige tall"],
        ]  # the note on ages 30-61 does not concern a figure taken from ages 15-29
        assert neet["mandatory"].tolist() == [True, False, False, False]


class TestFlags:
    def test_flag_list_as_fhi_returns_it(self):
        flags = read_flag_list(RECORDED / "fhi_nokkel_360_flags.json")
        assert flags[":"] == "Anonymisert, for få tilfeller til å vise tallet" and len(flags) == 3

    def test_a_flag_list_without_symbols_is_refused(self, tmp_path):
        (tmp_path / "x.flags.json").write_text('[{"name": "x"}]')
        with pytest.raises(InputError, match="No symbol"):
            read_flag_list(tmp_path / "x.flags.json")

    def test_symbols_of_the_list_are_markers(self, tmp_path):
        cells = read_jsonstat(fhi_with_flags(tmp_path))
        row = cells.frame[(cells.frame["GEO"] == "3401") & (cells.frame["AAR"] == "2021_2023")]
        assert row["status"].tolist() == ["...", "..."] and row["value"].isna().all()
        assert cells.flags["..."].startswith("Tallet kan ikke beregnes")

    def test_without_the_list_an_unknown_symbol_in_the_values_is_an_error(self, tmp_path):
        path = fhi_with_flags(tmp_path)
        (tmp_path / "fhi_360_vgs.flags.json").unlink()
        with pytest.raises(InputError, match="not a number"):
            read_jsonstat(path)

    def test_flag_list_is_not_an_indicator_file_and_explains_the_footnote(self, tmp_path, catalogue):
        fhi_with_flags(tmp_path)
        data = load_indicator_data(tmp_path, catalogue)  # the folder: the .flags.json beside it is not read as data
        assert tidy_row(data.tidy, "vgs_completion", "3401", "2021_2023")["status"] == "..."
        table = baseline_table(
            data.tidy, catalogue, region_municipalities=["3401", "3414"], county_code="34", region_name="R"
        )
        notes = status_footnotes(table, flag_meanings(data.flags))
        meaning = notes[(notes["region_code"] == "3401") & (notes["status"] == "...")]["meaning"]
        assert meaning.tolist() == ["Tallet kan ikke beregnes fordi kommunen er slått sammen i perioden"]
        # Known markers keep the workbench's standard wording.
        assert status_reason(":", Translator("en")).startswith("“:” means")
        assert status_reason("...", Translator("en"), meaning.iloc[0]) == f"«...»: {meaning.iloc[0]}"


class TestNotesInTables:
    @pytest.fixture
    def results(self, tmp_path, catalogue):
        data = load_indicator_data([ssb_with_notes(tmp_path)], catalogue)
        return _results(data.tidy, catalogue, source_notes=data.notes)

    def test_theme_table_footnotes_carry_the_notes_on_cells_shown(self, results):
        t = Translator("en")
        notes = theme_view(results, "work_and_exclusion", t).footnotes
        start = notes.index("Notes from the publishers of the figures:")
        title = "Young people 15–29 not in employment, education or training (NEET)"
        assert notes[start + 1 : start + 4] == [
            f"{title}: {PRELIMINARY}",
            f"{title}: Om statistikken (https://www.ssb.no/arbeid-og-lonn/sysselsetting)",
            f"{title} (2023): Foreløpige tall",
        ]  # 3414 Nord-Odal is not one of the table's municipalities: its note is not shown

    def test_a_note_on_a_municipality_shown_names_it(self, results):
        t = Translator("nb")
        lines = source_note_lines(results, ["neet_15_29"], t, {("neet_15_29", "3414", "2023")})
        assert lines[0] == "Merknader fra dem som publiserer tallene:"
        assert any(line.endswith("(3414): Nord-Odal: tallene er rettet 1. juli.") for line in lines)

    def test_trend_table_lists_every_note(self, results):
        notes = trend_view(results, Translator("en"), ["neet_15_29"]).footnotes
        assert sum("Foreløpige tall" in n for n in notes) == 1

    def test_an_indicator_without_notes_gets_no_lines(self, results):
        assert source_note_lines(results, ["vgs_completion"], Translator("en")) == []


def test_values_untouched_by_notes(tmp_path, catalogue):
    plain = load_indicator_data([RECORDED / "ssb_v2_13556_data.json"], catalogue).tidy
    noted = load_indicator_data([ssb_with_notes(tmp_path)], catalogue).tidy
    columns = ["indicator", "region_code", "period", "value", "numerator", "denominator", "status"]
    pd.testing.assert_frame_equal(plain[columns], noted[columns])
    assert not math.isnan(tidy_row(noted, "neet_15_29", "3401", "2023")["value"])
