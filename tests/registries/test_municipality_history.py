"""Every municipality code since 2016 reaches a 2024 code (issue 15, item 1).

The change table ``src/outcomes/data/municipality_changes.csv`` is checked
against FHI's public table of the same changes
(``tests/data/reference/fhi_csdata_norway_locations.csv``): which codes were
valid on 1 January of each year comes from FHI (``year_start <= year <=
year_end``), and every edge of ours must be an edge of FHI's and the other way
round. The script that rebuilds the table from SSB KLASS is run on a response in
KLASS's shape (``tests/data/recorded/klass_131_changes_2016_2024.json``).
"""

from __future__ import annotations

import importlib.util
import json
import math
from functools import cache
from types import ModuleType
from typing import Any

import pandas as pd
import pytest
import yaml

from outcomes.analyses.baseline.municipalities import (
    harmonise_municipality_codes,
    load_municipalities,
    load_municipality_changes,
    successor_codes,
)
from outcomes.core.errors import InputError
from outcomes.registries.municipality_changes import (
    change_table_from_klass,
    klass_code_changes,
    klass_response_from_change_table,
)
from tests.conftest import ROOT, TEST_DATA, tidy_row

FHI_TABLE = TEST_DATA / "reference" / "fhi_csdata_norway_locations.csv"
RECORDED_KLASS = TEST_DATA / "recorded" / "klass_131_changes_2016_2024.json"
SCRIPT = ROOT / "scripts" / "municipality_changes_from_klass.py"
DATA = ROOT / "src" / "outcomes" / "data"
CHANGES_YML = DATA / "municipality_changes.yml"

#: The dates the issue names: 1 January of each year.
YEARS = (2016, 2017, 2018, 2019, 2020, 2024)
#: Municipalities in Norway on 1 January (SSB's published counts).
COUNTS = {2016: 428, 2017: 426, 2018: 422, 2019: 422, 2020: 356, 2024: 357}

#: Edges that differ from FHI's table, with the reason. None do: every edge
#: 2017-2024 is the same in both. Keep the dicts so that a future difference is
#: written down here, with its explanation, rather than loosened in the test.
EDGES_ONLY_IN_OURS: dict[tuple[str, str, int], str] = {}
EDGES_ONLY_IN_FHI: dict[tuple[str, str, int], str] = {}
#: FHI's own conventions, which the reading of its table below undoes; they are
#: not differences in the edges.
FHI_CONVENTIONS = {
    "notmainland": "Svalbard and Jan Mayen are 'notmainland' codes (2111, 2121, 2131 -> 2100 in 2019, 2200): "
    "not municipalities in classification 131, not in the project's 357; left out.",
    "year_start 2023": "FHI lets its codes new in 2024 start in 2023 (KLASS: valid from 2024-01-01), so FHI "
    "shows both code versions in 2023; no year tested here is affected, and an edge's year is year_end + 1.",
    "weighting": "FHI weights the parts of a split (Tysfjord 0.5/0.5, Snillfjord 0.35/0.35/0.3); the project "
    "does not allocate a split municipality's figures, it reports them as not comparable.",
}


def fhi_table() -> pd.DataFrame:
    """FHI's table, municipalities only, codes as 4-digit strings and years as numbers."""
    fhi = pd.read_csv(FHI_TABLE, dtype=str)
    fhi = fhi[fhi["municip_code"].str.startswith("municip_nor")].copy()  # FHI_CONVENTIONS["notmainland"]
    fhi["code"] = fhi["municip_code"].str.removeprefix("municip_nor")
    fhi["code_end"] = fhi["municip_code_end"].str.removeprefix("municip_nor")
    fhi["start"] = fhi["year_start"].astype(int)
    fhi["end"] = pd.to_numeric(fhi["year_end"]).fillna(9999).astype(int)  # no year_end: still valid
    return fhi


FHI = fhi_table()
CHANGES = load_municipality_changes()
CODES_2024 = set(load_municipalities()["code"])


def valid_on_1_january(year: int) -> set[str]:
    """Codes FHI says were valid on 1 January of ``year``."""
    return set(FHI.loc[(FHI["start"] <= year) & (FHI["end"] >= year), "code"])


def fhi_edges() -> set[tuple[str, str, int]]:
    """FHI's edges that take effect 2016-2024: (code, the code it became, year_end + 1)."""
    moved = FHI[FHI["code_end"].notna() & FHI["end"].between(2015, 2023)]
    return {(c, e, y + 1) for c, e, y in zip(moved["code"], moved["code_end"], moved["end"], strict=True)}


def named_splits() -> dict[str, dict[str, Any]]:
    """The splits ``municipality_changes.yml`` names as not comparable, by code."""
    document = yaml.safe_load(CHANGES_YML.read_text(encoding="utf-8"))
    return {str(s["code"]): s for s in document["splits_not_comparable"]}


SPLITS = named_splits()


@cache
def successors(code: str, target_year: int = 2024) -> tuple[tuple[str, ...], bool]:
    found, split = successor_codes(code, target_year=target_year, changes=CHANGES)
    return tuple(found), split


@cache
def split_crossed(code: str) -> str | None:
    """The named split a code's path to 2024 runs into, if any (the code itself or its successor then)."""
    crossed = [s for s, about in SPLITS.items() if successors(code, int(str(about["year"])) - 1) == ((s,), False)]
    assert len(crossed) <= 1, f"{code} crosses several splits: {crossed}"
    return crossed[0] if crossed else None


class TestEveryCodeReaches2024:
    @pytest.mark.parametrize("year", YEARS)
    def test_fhi_counts_the_municipalities_ssb_counts(self, year):
        assert len(valid_on_1_january(year)) == COUNTS[year]

    def test_codes_valid_in_2024_are_the_projects_357(self):
        assert valid_on_1_january(2024) == CODES_2024

    @pytest.mark.parametrize("year", YEARS)
    def test_every_code_maps_to_one_2024_code_or_a_named_split(self, year):
        for code in sorted(valid_on_1_january(year)):
            targets, split = successors(code)
            assert set(targets) <= CODES_2024, f"{code} ({year}) ends in {targets}, not all valid in 2024"
            if not split:
                assert len(targets) == 1, f"{code} ({year}) -> {targets} without a split"
                assert split_crossed(code) is None
                continue
            through = split_crossed(code)
            assert through is not None, f"{code} ({year}) is split but crosses none of the named splits"
            # The named split's parts are exactly where the code ends up.
            assert targets == successors(through)[0], (code, through)
            assert [str(t).split()[0] for t in SPLITS[through]["into"]] == list(targets)

    def test_which_codes_are_not_comparable_in_2024(self):
        every_code = set().union(*(valid_on_1_january(y) for y in YEARS))
        not_comparable = {code: split_crossed(code) for code in every_code if successors(code)[1]}
        assert not_comparable == {
            "1850": "1850",  # Tysfjord 2020 -> Narvik + Hamarøy
            "1613": "5012",  # Snillfjord (Sør-Trøndelag), 5012 from 2018
            "5012": "5012",  # Snillfjord 2020 -> Heim + Hitra + Orkland
            "1504": "1507",  # Ålesund, Ørskog, Skodje, Haram, Sandøy merged in 2020 into 1507 ...
            "1523": "1507",
            "1529": "1507",
            "1534": "1507",
            "1546": "1507",
            "1507": "1507",  # ... which split in 2024 into 1508 Ålesund + 1580 Haram
        }


class TestTimingAgreesWithFhi:
    @pytest.mark.parametrize("year", YEARS)
    def test_a_valid_code_has_no_change_yet(self, year):
        # A code valid on 1 January has no edge that takes effect on or before that day ...
        early = CHANGES[CHANGES["old_code"].isin(valid_on_1_january(year)) & (CHANGES["change_year"] <= year)]
        assert early.empty
        # ... and every edge's old code was valid the year before it, its new code in its year.
        for year_of_change in sorted(set(CHANGES["change_year"])):
            edges = CHANGES[CHANGES["change_year"] == year_of_change]
            assert set(edges["old_code"]) <= valid_on_1_january(year_of_change - 1)
            assert set(edges["new_code"]) <= valid_on_1_january(year_of_change)

    @pytest.mark.parametrize(("start", "end"), list(zip(YEARS, YEARS[1:], strict=False)))
    def test_codes_of_one_year_become_exactly_the_codes_of_the_next(self, start, end):
        before, after = valid_on_1_january(start), valid_on_1_january(end)
        reached = {t for code in before for t in successors(code, end)[0]}
        assert reached == after


class TestEdgesAgreeWithFhi:
    def test_every_edge_is_fhis_and_every_fhi_edge_is_ours(self):
        ours = set(zip(CHANGES["old_code"], CHANGES["new_code"], CHANGES["change_year"], strict=True))
        theirs = fhi_edges()
        assert ours - theirs == set(EDGES_ONLY_IN_OURS)
        assert theirs - ours == set(EDGES_ONLY_IN_FHI)
        assert len(ours) == 485

    def test_splits_are_the_edges_fhi_weights(self):
        weighted = FHI[FHI["weighting"].notna() & FHI["end"].between(2015, 2023)]
        fhi_splits = {
            (c, e, y + 1) for c, e, y in zip(weighted["code"], weighted["code_end"], weighted["end"], strict=True)
        }
        split = CHANGES[CHANGES["kind"] == "split"]
        assert set(zip(split["old_code"], split["new_code"], split["change_year"], strict=True)) == fhi_splits

    def test_conventions_are_written_down(self):
        assert set(FHI_CONVENTIONS) == {"notmainland", "year_start 2023", "weighting"}
        notmainland = pd.read_csv(FHI_TABLE, dtype=str)["municip_code"].str.startswith("notmainland")
        assert notmainland.sum() == 5  # 2111, 2121, 2131, 2100, 2200
        # FHI's codes that start in 2023 are exactly the codes that are new on 1 January 2024.
        new_in_2024 = set(CHANGES.loc[CHANGES["change_year"] == 2024, "new_code"])
        assert set(FHI.loc[FHI["start"] == 2023, "code"]) == new_in_2024


class TestHandChecked:
    """Chains checked by hand against KLASS's change lists for 2018, 2020 and 2024."""

    def edges_of(self, code: str) -> set[tuple[str, int, str]]:
        rows = CHANGES[CHANGES["old_code"] == code]
        return set(zip(rows["new_code"], rows["change_year"], rows["kind"], strict=True))

    def test_trondheim_1601_5001(self):
        assert self.edges_of("1601") == {("5001", 2018, "renumbered")}
        # 2020: Trondheim keeps 5001 and absorbs 5030 Klæbu (1662 before 2018).
        assert self.edges_of("5030") == {("5001", 2020, "merged")} and self.edges_of("5001") == set()
        assert [successors("1601", y) for y in (2017, 2018, 2020, 2024)] == [
            (("1601",), False),
            (("5001",), False),
            (("5001",), False),
            (("5001",), False),
        ]
        assert successors("1662") == (("5001",), False)

    def test_holmestrand_and_hof_0715_then_3802_then_3903(self):
        assert self.edges_of("0702") == {("0715", 2018, "merged")}
        assert self.edges_of("0714") == {("0715", 2018, "merged")}
        # 2020: Sande (Vestfold) 0713 joins; 2024: Vestfold og Telemark splits back.
        assert self.edges_of("0715") == {("3802", 2020, "merged")} and self.edges_of("0713") == {
            ("3802", 2020, "merged")
        }
        assert self.edges_of("3802") == {("3903", 2024, "renumbered")}
        assert {code: successors(code) for code in ("0702", "0714", "0713", "0715", "3802")} == dict.fromkeys(
            ("0702", "0714", "0713", "0715", "3802"), (("3903",), False)
        )
        assert successors("0702", 2019) == (("0715",), False)

    def test_harstad_1903_5402_5503(self):
        assert self.edges_of("1903") == {("5402", 2020, "renumbered")}
        assert self.edges_of("5402") == {("5503", 2024, "renumbered")}
        assert successors("1903", 2020) == (("5402",), False) and successors("1903") == (("5503",), False)

    def test_baerum_0219_3024_3201(self):
        assert self.edges_of("0219") == {("3024", 2020, "renumbered")}
        assert successors("0219", 2020) == (("3024",), False) and successors("0219") == (("3201",), False)

    def test_sandefjord_2017_rindal_2019(self):
        assert {c: successors(c) for c in ("0706", "0719", "0720")} == dict.fromkeys(
            ("0706", "0719", "0720"), (("3907",), False)
        )
        assert successors("0706", 2016) == (("0706",), False) and successors("0706", 2017) == (("0710",), False)
        assert self.edges_of("1567") == {("5061", 2019, "renumbered")} and successors("1567") == (("5061",), False)

    def test_the_three_splits(self):
        assert successors("1850") == (("1806", "1875"), True)
        assert successors("1613", 2019) == (("5012",), False) and successors("1613") == (("5055", "5056", "5059"), True)
        assert successors("1534", 2020) == (("1507",), False) and successors("1534") == (("1508", "1580"), True)


class TestHarmoniseAcrossThreeVersions:
    def test_a_2017_2019_2024_series_lands_in_3903_summed(self, catalogue):
        # Holmestrand as reported in three code versions: 2017 (0702 Holmestrand,
        # 0714 Hof, 0713 Sande), 2019 (0715 Holmestrand, 0713 Sande), 2024 (3903).
        # Counts are people aged 15-29; NEET is persons / persons * 100.
        def row(code: str, year: int, population: float, neet: float) -> list[dict[str, object]]:
            base = {"region_code": code, "period": str(year), "period_start": year, "period_end": year}
            base |= {"status": "", "source": "", "source_file": f"{year}.csv"}
            return [
                {
                    **base,
                    "indicator": "population_15_29",
                    "value": population,
                    "numerator": math.nan,
                    "denominator": math.nan,
                },
                {
                    **base,
                    "indicator": "neet_15_29",
                    "value": neet / population * 100,
                    "numerator": neet,
                    "denominator": population,
                },
            ]

        tidy = pd.DataFrame(
            row("0702", 2017, 2000, 160)
            + row("0714", 2017, 600, 30)
            + row("0713", 2017, 1000, 70)
            + row("0715", 2019, 2700, 200)
            + row("0713", 2019, 1100, 90)
            + row("3903", 2024, 4000, 300)
        )
        out = harmonise_municipality_codes(tidy, catalogue.units())
        assert set(out["region_code"]) == {"3903"}
        # By hand: 2017: 2000 + 600 + 1000 = 3600 people, 160 + 30 + 70 = 260 NEET -> 7.22 %;
        # 2019: 2700 + 1100 = 3800 people, 200 + 90 = 290 NEET -> 7.63 %.
        assert tidy_row(out, "population_15_29", "3903", "2017")["value"] == 3600
        assert tidy_row(out, "neet_15_29", "3903", "2017")["value"] == pytest.approx(260 / 3600 * 100)
        assert tidy_row(out, "neet_15_29", "3903", "2017")["region_code_original"] == "0702+0713+0714"
        assert tidy_row(out, "neet_15_29", "3903", "2019")["value"] == pytest.approx(290 / 3800 * 100)
        assert tidy_row(out, "population_15_29", "3903", "2024")["value"] == 4000


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("municipality_changes_from_klass", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestRebuildFromKlass:
    def test_the_script_rebuilds_the_shipped_table_from_the_recorded_response(self, tmp_path, capsys):
        script = load_script()
        out = tmp_path / "municipality_changes.csv"
        assert script.main([str(RECORDED_KLASS), "--out", str(out)]) == 0
        shipped = ROOT / "src" / "outcomes" / "data" / "municipality_changes.csv"
        assert out.read_bytes() == shipped.read_bytes()
        assert "486 KLASS objects -> 485 edges" in capsys.readouterr().err

    def test_check_says_identical(self, capsys):
        assert load_script().main([str(RECORDED_KLASS), "--check"]) == 0
        assert "0 difference(s)" in capsys.readouterr().err

    def test_check_names_a_missing_and_a_changed_edge(self, tmp_path, capsys):
        response = json.loads(RECORDED_KLASS.read_text(encoding="utf-8"))
        response["codeChanges"] = [c for c in response["codeChanges"] if c["oldCode"] != "1567"]  # Rindal 2019
        for item in response["codeChanges"]:
            if item["oldCode"] == "1580" or (item["oldCode"], item["newCode"]) == ("1507", "1580"):
                item["newCode"] = "1508"  # as if Haram had not split out of Ålesund
        path = tmp_path / "klass.json"
        path.write_text(json.dumps(response), encoding="utf-8")
        assert load_script().main([str(path), "--check"]) == 1
        printed = capsys.readouterr().out
        assert "only in the shipped table: 1567 -> 5061 (2019)" in printed
        assert "only in the shipped table: 1507 -> 1580 (2024)" in printed
        assert "kind differs for 1507 -> 1508 (2024): KLASS 'renumbered', shipped 'split'" in printed

    def test_unusable_response_exits_2_with_the_reason(self, tmp_path, capsys):
        path = tmp_path / "klass.json"
        path.write_text('{"codes": []}', encoding="utf-8")
        assert load_script().main([str(path)]) == 2
        assert "no 'codeChanges' list" in capsys.readouterr().err


def klass(*items: tuple[str | None, str | None, str]) -> dict[str, list[dict[str, object]]]:
    """A KLASS response holding (oldCode, newCode, changeOccurred) objects."""
    return {
        "codeChanges": [
            {"oldCode": o, "oldName": f"name {o}", "newCode": n, "newName": f"name {n}", "changeOccurred": d}
            for o, n, d in items
        ]
    }


class TestChangeTableFromKlass:
    def test_kinds(self):
        table = change_table_from_klass(
            klass(
                ("0101", "3001", "2020-01-01"),  # renumbered
                ("0104", "3002", "2020-01-01"),  # merged with 0136
                ("0136", "3002", "2020-01-01"),
                ("5030", "5001", "2020-01-01"),  # merged: 5001 keeps its code (KLASS lists 5001 -> 5001)
                ("5001", "5001", "2020-01-01"),
                ("1507", "1508", "2024-01-01"),  # split
                ("1507", "1580", "2024-01-01"),
            )
        )
        kinds = dict(zip(table["old_code"] + ">" + table["new_code"], table["kind"], strict=True))
        assert kinds == {
            "0101>3001": "renumbered",
            "0104>3002": "merged",
            "0136>3002": "merged",
            "5030>5001": "merged",
            "1507>1508": "split",
            "1507>1580": "split",
        }
        assert list(table["change_year"]) == [2020, 2020, 2020, 2020, 2024, 2024]

    def test_renamings_and_codes_without_a_counterpart_are_not_edges(self):
        table = change_table_from_klass(
            klass(
                ("1841", "1841", "2017-01-01"),  # Fauske -> Fauske - Fuossko: a new name, same code
                (None, "1580", "2024-01-01"),  # a code that came into being
                ("1507", None, "2024-01-01"),  # a code that ceased to exist
                ("0706", "0710", "2017-01-01"),
                ("0706", "0710", "2017-01-01"),  # the same object twice (overlapping downloads)
            )
        )
        assert list(zip(table["old_code"], table["new_code"], table["kind"], strict=True)) == [
            ("0706", "0710", "renumbered")
        ]

    def test_the_response_shape_is_checked(self):
        with pytest.raises(InputError, match="no 'codeChanges' list"):
            change_table_from_klass({"codes": []})
        with pytest.raises(InputError, match="object 1 has oldCode '101'"):
            change_table_from_klass(klass(("101", "3001", "2020-01-01")))
        with pytest.raises(InputError, match="changeOccurred '01.01.2020'"):
            change_table_from_klass(klass(("0101", "3001", "01.01.2020")))

    def test_a_change_during_the_year_needs_a_decision(self):
        with pytest.raises(InputError, match="took effect on 2020-07-01, not on 1 January"):
            change_table_from_klass(klass(("0101", "3001", "2020-07-01")))

    def test_a_code_that_stays_while_part_of_it_moves_needs_a_decision(self):
        with pytest.raises(InputError, match="1853 keeps its code on 2020-01-01 while part of it goes to 5412"):
            change_table_from_klass(klass(("1853", "1853", "2020-01-01"), ("1853", "5412", "2020-01-01")))

    def test_klass_code_changes_keeps_every_object(self):
        raw = klass_code_changes(klass((None, "1580", "2024-01-01"), ("1507", "1508", "2024-01-01")))
        assert list(raw["old_code"].isna()) == [True, False] and str(raw["change_date"].iloc[1]) == "2024-01-01"

    def test_response_from_table_round_trips(self):
        response = klass_response_from_change_table(CHANGES)
        assert list(response["codeChanges"][0]) == [
            "oldCode",
            "oldName",
            "oldShortName",
            "newCode",
            "newName",
            "newShortName",
            "changeOccurred",
        ]
        pd.testing.assert_frame_equal(change_table_from_klass(response), CHANGES)
        assert response == json.loads(RECORDED_KLASS.read_text(encoding="utf-8"))


class TestOfficialNames:
    """The 2024 municipality list names each municipality as KLASS does (issue 15: Sami names)."""

    def test_names_agree_with_the_change_table(self) -> None:
        names = load_municipalities().set_index("code")["name"]
        changes = pd.read_csv(DATA / "municipality_changes.csv", dtype=str)
        latest = changes[changes["new_code"].isin(names.index)].drop_duplicates("new_code", keep="last")
        differ = {
            c: (names[c], n) for c, n in zip(latest["new_code"], latest["new_name"], strict=True) if names[c] != n
        }
        assert differ == {}

    @pytest.mark.parametrize(
        "code,name",
        [
            ("5041", "Snåase - Snåsa"),
            ("5610", "Kárášjohka - Karasjok"),
            ("5612", "Guovdageaidnu - Kautokeino"),
            ("5540", "Gáivuotna - Kåfjord - Kaivuono"),
            ("5628", "Deatnu - Tana"),
            ("3114", "Våler (Østfold)"),
        ],
    )
    def test_hand_checked_names(self, code: str, name: str) -> None:
        assert load_municipalities().set_index("code").loc[code, "name"] == name
