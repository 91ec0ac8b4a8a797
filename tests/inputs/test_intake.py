"""Intake: readers, contract checks, rejects, identity refusal and the row accounting."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from outcomes.analyses.followup.rates import followup_rates, select
from outcomes.core.errors import IdentityDataError, InputError
from outcomes.inputs import intake
from outcomes.inputs.contracts import load_contract
from outcomes.inputs.identity import find_identity_columns, is_national_id
from outcomes.inputs.intake import intake_file
from outcomes.inputs.readers import detect_delimiter, detect_encoding, read_table
from outcomes.registries.statuses import load_status_map
from tests.conftest import ROOT, write_followup

STATUS_MAP = ROOT / "config" / "status_map.yml"

# Valid numbers built by hand with the mod-11 weights (3 7 6 1 8 9 4 5 2 / 5 4 3 2 7 6 5 4 3 2):
# 150590123 -> k1: 3+35+0+5+72+0+4+10+6 = 135, 135 mod 11 = 3, k1 = 8; k2 = 7.
VALID_FNR = "15059012387"
VALID_DNUMBER = "55059012370"  # day 15 + 40
INVALID_FNR = "15059012388"  # second check digit wrong


@pytest.fixture(scope="module")
def status_map():
    return load_status_map(STATUS_MAP)


class TestIsNationalId:
    def test_valid_fnr_and_dnumber(self) -> None:
        assert is_national_id(VALID_FNR)
        assert is_national_id(VALID_DNUMBER)

    def test_invalid(self) -> None:
        assert not is_national_id(INVALID_FNR)
        assert not is_national_id("12345678901")
        assert not is_national_id("1505901238")  # 10 digits
        assert not is_national_id("UI12AB34")


class TestFindIdentityColumns:
    def test_value_column_found_without_echoing(self) -> None:
        frame = pd.DataFrame({"kode": ["A1", VALID_FNR], "x": ["1", "2"]})
        found = find_identity_columns(frame)
        assert [c for c, _ in found] == ["kode"]
        assert VALID_FNR not in found[0][1]

    @pytest.mark.parametrize("header", ["Navn", "Fornavn", "E-post", "email", "Telefon", "Adresse", "fnr"])
    def test_identifying_headers(self, header: str) -> None:
        assert find_identity_columns(pd.DataFrame({header: ["x"]}))

    @pytest.mark.parametrize("header", ["Avdeling", "department name", "Kommunenavn", "status"])
    def test_harmless_headers(self, header: str) -> None:
        assert not find_identity_columns(pd.DataFrame({header: ["x"]}))


class TestReaders:
    def test_detect_encoding(self) -> None:
        assert detect_encoding("ø".encode()) == "utf-8"
        assert detect_encoding(b"\xef\xbb\xbfa") == "utf-8-sig"
        assert detect_encoding("ø".encode("cp1252")) == "cp1252"

    def test_detect_delimiter(self) -> None:
        assert detect_delimiter("a;b;c") == ";"
        assert detect_delimiter("a,b") == ","
        assert detect_delimiter("a\tb") == "\t"

    def test_line_numbers_and_blank_rows(self, tmp_path: Path) -> None:
        path = tmp_path / "f.csv"
        path.write_text("id , avdeling\n\nA1,  X \n\nA2,Y\n\n\n", encoding="utf-8")
        table = read_table(path)
        assert table.data.columns.tolist() == ["id", "avdeling", "_line"]
        assert table.data["_line"].tolist() == [3, 5]
        assert table.data["avdeling"].tolist() == ["X", "Y"]
        assert table.blank_rows == 4

    def test_xlsx_named_sheet(self, tmp_path: Path) -> None:
        path = tmp_path / "f.xlsx"
        with pd.ExcelWriter(path) as writer:
            pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name="Forside", index=False)
            pd.DataFrame({"Deltaker_ID": ["A1"], "År": [2019]}).to_excel(writer, sheet_name="Data", index=False)
        table = read_table(path, sheet="Data")
        assert table.data["År"].tolist() == ["2019"] and table.data["_line"].tolist() == [2]
        with pytest.raises(InputError, match="no sheet 'Mangler'"):
            read_table(path, sheet="Mangler")


class TestIntakeFile:
    def test_accounting_and_rejects_file(self, project: Path, status_map) -> None:
        path = write_followup(
            project / "data" / "raw" / "f.csv",
            [
                ("A1", "Drammen", 2019, "Utdanning"),
                ("A2", "Drammen", 2019, "månen"),  # unknown label
                ("A3", "Drammen", 1985, "Arbeid"),  # too early
                ("A1", "Drammen", 2019, "Arbeid"),  # duplicate of line 2
                ("A5", "Drammen", "", "Arbeid"),  # missing year
                ("A6", "Kongsberg", 2020, " ARBEID "),  # ok: case and spaces
            ],
        )
        result = intake_file(path, "followup", name="f", programme="t", status_map=status_map)
        s = result.summary
        assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (6, 1, 5)
        assert s.rows_read == s.rows_accepted + s.rows_rejected
        rejects = pd.read_csv(project / "data" / "processed" / "rejects" / "f.csv")
        assert rejects["_line"].tolist() == [2, 3, 4, 5, 6]
        reason = dict(zip(rejects["_line"], rejects["reason"], strict=False))
        assert "status label is not in the status map" in reason[3] and "månen" in reason[3]
        assert "below the lowest allowed value 1990" in reason[4]
        assert "duplicate" in reason[5] and "line 2" in reason[5]
        assert "missing value" in reason[6]
        assert result.data["status"].tolist() == ["work"]

    def test_unmapped_label_names_label_line_and_map(self, project: Path, status_map) -> None:
        path = write_followup(
            project / "data" / "raw" / "f.csv", [("A1", "D", 2019, "Romfart"), ("A2", "D", 2019, "Romfart")]
        )
        result = intake_file(path, "followup", status_map=status_map, write=False)
        problems = result.problems
        assert problems["line"].tolist() == [2, 3]
        assert set(problems["value"]) == {"Romfart"}
        assert all("status_map.yml" in e for e in problems["expected"])

    def test_missing_required_column_is_unusable(self, project: Path, status_map) -> None:
        path = write_followup(project / "f.csv", [("A1", "D", 2019)], header="participant_id,department,followup_year")
        with pytest.raises(InputError) as info:
            intake_file(path, "followup", status_map=status_map)
        assert info.value.column == "status" and "f.csv" in str(info.value)
        assert info.value.exit_code == 2

    @pytest.mark.parametrize("number", [VALID_FNR, VALID_DNUMBER])
    def test_identity_numbers_refused_and_nothing_written(self, project: Path, status_map, number: str) -> None:
        path = write_followup(project / "f.csv", [(number, "D", 2019, "Arbeid")])
        with pytest.raises(IdentityDataError) as info:
            intake_file(path, "followup", name="idtest", programme="t", status_map=status_map)
        assert number not in str(info.value)
        assert info.value.column == "participant_id"
        assert not (project / "data" / "processed" / "t" / "idtest.csv").exists()

    def test_name_column_refused(self, project: Path, status_map) -> None:
        path = write_followup(
            project / "f.csv",
            [("A1", "D", 2019, "Arbeid", "Kari")],
            header="participant_id,department,followup_year,status,Fornavn",
        )
        with pytest.raises(IdentityDataError, match="Fornavn"):
            intake_file(path, "followup", status_map=status_map)

    def test_windows_export_gives_same_rates(self, project: Path, status_map) -> None:
        """A semicolon, decimal-comma, Windows-1252 export of the demo data gives the same rates."""
        original = project / "data" / "raw" / "demo" / "followup.csv"
        demo = pd.read_csv(original, dtype=str)
        demo.columns = ["Deltaker-ID", "Avdeling", "Oppfølgingsår", "Situasjon", "Sluttår", "Kjønn", "Fødselsår"]
        demo["Oppfølgingsår"] = demo["Oppfølgingsår"] + ",0"  # decimal comma on a whole number
        export = project / "data" / "raw" / "export.csv"
        text = demo.to_csv(sep=";", index=False, lineterminator="\r\n") + "\r\n;;;;;;\r\n"
        export.write_bytes(text.encode("cp1252"))
        a = intake_file(original, "followup", name="a", status_map=status_map, write=False)
        b = intake_file(export, "followup", name="b", status_map=status_map, write=False)
        assert b.summary.encoding == "cp1252" and b.summary.delimiter == ";"
        assert b.summary.rows_rejected == 0 and a.summary.rows_accepted == b.summary.rows_accepted
        groups = status_map.group_members()
        pd.testing.assert_frame_equal(select(followup_rates(a.data, groups)), select(followup_rates(b.data, groups)))

    def test_same_input_gives_byte_identical_processed_files(self, project: Path, status_map) -> None:
        path = project / "data" / "raw" / "demo" / "followup.csv"
        intake_file(path, "followup", name="followup", programme="t", status_map=status_map, use_cache=False)
        first = {p.name: p.read_bytes() for p in (project / "data" / "processed" / "t").iterdir()}
        intake_file(path, "followup", name="followup", programme="t", status_map=status_map, use_cache=False)
        second = {p.name: p.read_bytes() for p in (project / "data" / "processed" / "t").iterdir()}
        assert first == second and set(first) == {"followup.csv", "followup.manifest.json"}

    def test_cache_reused_only_when_input_unchanged(self, project: Path, status_map) -> None:
        path = write_followup(project / "f.csv", [("A1", "D", 2019, "Arbeid")])
        first = intake_file(path, "followup", name="c", programme="t", status_map=status_map)
        again = intake_file(path, "followup", name="c", programme="t", status_map=status_map)
        assert not first.from_cache and again.from_cache
        pd.testing.assert_frame_equal(first.data, again.data)
        write_followup(path, [("A1", "D", 2019, "Utdanning")])
        changed = intake_file(path, "followup", name="c", programme="t", status_map=status_map)
        assert not changed.from_cache and changed.data["status"].tolist() == ["education"]

    @pytest.mark.parametrize(
        ("file", "kind"),
        [
            ("demo/followup.csv", "followup"),
            ("demo/costs.csv", "costs"),
            ("demo/participants/profile.csv", "profile"),
            ("demo/participants/survey.csv", "survey"),
            ("quoted", "followup"),
            ("text like numbers", "followup"),
            ("whole numbers missing", "followup"),
        ],
    )
    def test_a_table_read_back_from_the_cache_is_the_table_checked(
        self, project: Path, status_map, file: str, kind: str
    ) -> None:
        """The processed file read back gives the very table the checks gave: types, missing values, quoted cells."""
        path = project / "data" / "raw" / file
        if file == "quoted":  # a comma and a line break inside cells, and a year left out
            path.write_text(
                "participant_id,department,followup_year,status,exit_year\n"
                'A1,"Avd, 1",2019,Arbeid,2018\nA2,"Avd\n2",2020,Utdanning,\nA3,Avd 3,2021,Arbeid,2020\n',
                encoding="utf-8",
            )
        if file == "text like numbers":  # text a parser might take for numbers, truth values or missing values
            path.write_text(
                "participant_id,department,followup_year,status\n"
                "007,NA,2019,Arbeid\n0.10,True,2020,Utdanning\n1e5,null,2021,Arbeid\n-0,nan,2021,Utdanning\n",
                encoding="utf-8",
            )
        if file == "whole numbers missing":  # no quotes: Arrow reads the years as numbers, a missing one too
            path.write_text(
                "participant_id,department,followup_year,status,exit_year,birth_year\n"
                "A1,Avd 1,2019,Arbeid,2018,\nA2,Avd 2,2020,Utdanning,,2001\nA3,,2021,Arbeid,2020,1999\n",
                encoding="utf-8",
            )
        first = intake_file(path, kind, name="c", programme="t", status_map=status_map)
        read_by_arrow = []
        real = intake._read_processed_arrow

        def spy(raw: bytes, kind: str) -> pd.DataFrame | None:
            typed = real(raw, kind)
            read_by_arrow.append(typed is not None)
            return typed

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(intake, "_read_processed_arrow", spy)
            again = intake_file(path, kind, name="c", programme="t", status_map=status_map)
        assert not first.from_cache and again.from_cache and len(again.data) == first.summary.rows_accepted > 0
        pd.testing.assert_frame_equal(first.data, again.data)
        # Every table but the quoted one is read by Arrow (a whole number it cannot read would send it to pandas).
        assert read_by_arrow == ([] if file == "quoted" else [True])


class TestContract:
    def test_followup_contract_columns(self) -> None:
        contract = load_contract("followup")
        assert contract.required_columns() == ["participant_id", "department", "followup_year", "status"]
        assert contract.unique == ["participant_id", "followup_year"]
