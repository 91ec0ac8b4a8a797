"""Integrity of inputs and caches (issue 13, items 2-5).

* Item 2: the result cache covers every file a result depends on, wherever it
  lies (status map, assumption registry, catalogue, national file), and the
  package version; an edited file that is now invalid is an error, never a
  cached answer.
* Item 4: each input is read once, and its hash is of the bytes parsed: a
  file that changes while it is read gives the old or the new figures, always
  with the matching hash, and no cache keeps wrong figures.
* Item 3: a workbook's stated sheet size (``<dimension>``) is not trusted, and
  workbooks that would expand too far are refused before they are opened.
* Item 5: the encoding is decided for the whole file from evidence; a UTF-8
  file with a few Windows-1252 bytes is an error naming the lines.

Commands run in-process through :func:`outcomes.cli.main` (argument parsing,
error handling and exit codes as on the command line); the corpus cases in
``tests/data/bad/`` run the same checks in a subprocess.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

import outcomes.inputs.intake as intake_module
from outcomes.cli import main
from outcomes.core import cache
from outcomes.core.config import load_config
from outcomes.core.errors import InputError
from outcomes.inputs import readers
from outcomes.inputs.intake import intake_file, processed_paths
from outcomes.inputs.readers import read_table, xlsx
from outcomes.registries.statuses import load_status_map
from tests.conftest import TEST_DATA

HEADER = "participant_id,department,followup_year,status"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``outcomes ARGS`` in this process: (exit code, stdout, stderr)."""
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def followup_json(capsys: pytest.CaptureFixture[str], *sets: str) -> dict:
    args = ["followup", "--json"]
    for item in sets:
        args += ["--set", item]
    code, out, err = run(capsys, *args)
    assert code == 0, err
    return json.loads(out)


def small_followup(rows: int) -> bytes:
    """``rows`` records in 2020, one department: all in work but the last, who is in education."""
    lines = [HEADER] + [f"P{i:03d},Drammen,2020,{'Arbeid' if i < rows - 1 else 'Utdanning'}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


SMALL = ("inputs.followup=data/raw/small.csv", "first_year=2020", "report_year=2020", "sections=[followup]")


# ----------------------------------------------------------------------------- item 2


class TestEditsBetweenRuns:
    """Edit the status map or the registry between runs: the next run has the new figures."""

    @pytest.mark.parametrize("where", ["config/status_map.yml", "maps/status_map.yml"])
    def test_status_map(self, project: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
        status_map = project / where
        status_map.parent.mkdir(exist_ok=True)
        status_map.write_text((project / "config" / "status_map.yml").read_text(encoding="utf-8"), encoding="utf-8")
        before = followup_json(capsys, f"status_map={where}")["headline"]["groups"]["work"]
        # 'tiltak' (a labour-market measure) now counts as work
        text = status_map.read_text(encoding="utf-8")
        text = text.replace("labels: [tiltak, ", "labels: [").replace("labels: [arbeid, ", "labels: [arbeid, tiltak, ")
        status_map.write_text(text, encoding="utf-8")
        after = followup_json(capsys, f"status_map={where}")["headline"]["groups"]["work"]
        assert after["count"] > before["count"]
        fresh = load_status_map(status_map)
        assert "tiltak" in {label.casefold() for label in fresh.statuses["work"].labels}
        # and an invalid status map is an error, not the cached answer
        status_map.write_text(text.replace("groups:", "grupper:"), encoding="utf-8")
        code, out, err = run(capsys, "followup", "--json", "--set", f"status_map={where}")
        assert code == 2 and out == ""
        assert where in err and "status map" in err and "Traceback" not in err

    @pytest.mark.parametrize("where", ["config/assumptions/demo.yml", "maps/registry.yml"])
    def test_assumption_registry(self, project: Path, capsys: pytest.CaptureFixture[str], where: str) -> None:
        registry = project / where
        registry.parent.mkdir(exist_ok=True)
        text = (project / "config" / "assumptions" / "demo.yml").read_text(encoding="utf-8")
        registry.write_text(text, encoding="utf-8")
        args = ("cba", "--json", "--draws", "200", "--set", f"costbenefit.assumptions={where}")
        code, out, err = run(capsys, *args)
        assert code == 0, err
        before = json.loads(out)
        # drop_off_work: the share of the additional youths in work lost each year, 0.10 -> 0.20
        edited, count = re.subn(r"(- id: drop_off_work\n(?:.*\n)*?    value: )0\.10\n", r"\g<1>0.20\n", text, count=1)
        assert count == 1
        registry.write_text(edited, encoding="utf-8")
        code, out, err = run(capsys, *args)
        assert code == 0, err
        after = json.loads(out)
        assert after["headline"]["bcr"] < before["headline"]["bcr"]
        assert after["registry"]["sha256"] == sha(registry.read_bytes()) != before["registry"]["sha256"]
        # an edited registry that is now invalid: an error naming it, never the cached answer
        registry.write_text(edited.replace("    value: 0.20\n", "    value: half\n", 1), encoding="utf-8")
        code, out, err = run(capsys, *args)
        assert code == 2 and out == ""
        assert Path(where).name in err and "Traceback" not in err


class TestCacheKey:
    """Every file a result is made from is in the key, wherever it lies, and so is the package version."""

    @pytest.mark.parametrize(
        "key", ["status_map", "costbenefit.assumptions", "baseline.catalogue", "baseline.national"]
    )
    def test_named_file_outside_config(self, project: Path, key: str) -> None:
        cfg = load_config()
        section, name = (key.split(".") + [""])[:2] if "." in key else (key, "")
        original = getattr(getattr(cfg, section), name) if name else getattr(cfg, section)
        moved = project / "elsewhere" / Path(original).name
        moved.parent.mkdir()
        moved.write_bytes(cfg.path(original).read_bytes())
        cfg = load_config(overrides={key: str(moved)})
        first = cache.fingerprint(cfg, "s", {})
        assert cache.fingerprint(cfg, "s", {}) == first
        moved.write_bytes(moved.read_bytes() + b"\n# edited\n")
        assert cache.fingerprint(cfg, "s", {}) != first
        moved.unlink()
        assert cache.fingerprint(cfg, "s", {}) != first  # missing counts too (its error comes when computing)

    def test_package_version(self, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        cfg = load_config()
        first = cache.fingerprint(cfg, "s", {})
        cache._package_fingerprint.cache_clear()
        monkeypatch.setattr(cache, "__version__", "999.0")
        try:
            assert cache.fingerprint(cfg, "s", {}) != first
        finally:
            cache._package_fingerprint.cache_clear()

    def test_last_years_bundle_still_in_the_key(self, project: Path) -> None:
        cfg = load_config()
        first = cache.fingerprint(cfg, "s", {})
        before = project / "reports" / cfg.programme.slug / str(cfg.report_year - 1)
        before.mkdir(parents=True)
        (before / "summary.json").write_text("{}", encoding="utf-8")
        assert cache.fingerprint(cfg, "s", {}) != first


# ----------------------------------------------------------------------------- item 4


class TestFileChangingWhileRead:
    """A file rewritten between being read and being parsed: old or new figures, always with their own hash."""

    def test_rewritten_between_read_and_parse(
        self, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = project / "data" / "raw" / "small.csv"
        old, new = small_followup(12), small_followup(13)
        path.write_bytes(old)
        real = intake_module.read_table
        rewritten: list[int] = []

        def rewriting(*args, **kwargs):  # type: ignore[no-untyped-def]
            if not rewritten:
                path.write_bytes(new)  # another program saves the file just now
                rewritten.append(1)
            return real(*args, **kwargs)

        monkeypatch.setattr(intake_module, "read_table", rewriting)
        first = followup_json(capsys, *SMALL)
        assert rewritten
        assert (first["input"]["sha256"], first["input"]["rows_read"]) == (sha(old), 12)
        monkeypatch.setattr(intake_module, "read_table", real)
        # the file now holds the new content: the new figures, under the new hash
        second = followup_json(capsys, *SMALL)
        assert (second["input"]["sha256"], second["input"]["rows_read"]) == (sha(new), 13)
        # back to the old content: the old figures (no cache kept the others under its hash)
        path.write_bytes(old)
        third = followup_json(capsys, *SMALL)
        assert (third["input"]["sha256"], third["input"]["rows_read"]) == (sha(old), 12)
        assert third["rates"] == first["rates"]
        manifest = json.loads(processed_paths("followup", "unginvest-demo")["manifest"].read_text(encoding="utf-8"))
        assert manifest["key"]["input_sha256"] == sha(old) and manifest["summary"]["rows_read"] == 12

    def test_result_not_cached_when_an_input_changed_during_the_computation(
        self, project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = project / "data" / "raw" / "small.csv"
        old, new = small_followup(12), small_followup(13)
        path.write_bytes(old)
        real = intake_module.intake_file

        def then_rewritten(*args, **kwargs):  # type: ignore[no-untyped-def]
            result = real(*args, **kwargs)
            path.write_bytes(new)  # saved after it was read, before the result is stored
            return result

        monkeypatch.setattr("outcomes.analyses.followup.results.intake_file", then_rewritten)
        first = followup_json(capsys, *SMALL)
        assert (first["input"]["sha256"], first["input"]["rows_read"]) == (sha(old), 12)
        assert not list(cache.cache_dir().glob("followup-*.pkl"))
        monkeypatch.setattr("outcomes.analyses.followup.results.intake_file", real)
        path.write_bytes(old)
        assert followup_json(capsys, *SMALL)["input"]["sha256"] == sha(old)
        assert len(list(cache.cache_dir().glob("followup-*.pkl"))) == 1

    def test_caller_passing_stale_intake_is_not_cached(self, project: Path) -> None:
        from outcomes.analyses.followup.results import followup_results, load_followup

        path = project / "data" / "raw" / "small.csv"
        path.write_bytes(small_followup(12))
        cfg = load_config(
            overrides={
                "inputs.followup": "data/raw/small.csv",
                "first_year": 2020,
                "report_year": 2020,
                "sections": ["followup"],
            }
        )
        loaded = load_followup(cfg)
        path.write_bytes(small_followup(13))  # changed after the runner read it
        assert followup_results(cfg, loaded).intake.rows_read == 12
        assert not list(cache.cache_dir().glob("followup-*.pkl"))
        assert followup_results(cfg).intake.rows_read == 13

    def test_swapped_by_another_program_during_many_reads(self, project: Path) -> None:
        """Another program replaces the file again and again while it is read: every answer matches its hash."""
        path = project / "data" / "raw" / "small.csv"
        contents = {12: small_followup(12), 13: small_followup(13)}
        expected = {sha(data): rows for rows, data in contents.items()}
        path.write_bytes(contents[12])
        status_map = load_status_map(project / "config" / "status_map.yml")
        stop = threading.Event()

        def swap() -> None:
            tmp = path.with_suffix(".tmp")
            turn = 0
            while not stop.is_set():
                turn += 1
                tmp.write_bytes(contents[12 + turn % 2])
                os.replace(tmp, path)

        swapper = threading.Thread(target=swap)
        swapper.start()
        try:
            for _ in range(150):
                result = intake_file(path, "followup", name="swapped", programme="t", status_map=status_map)
                assert expected[result.summary.sha256] == result.summary.rows_read == len(result.data)
        finally:
            stop.set()
            swapper.join()
        final = path.read_bytes()
        result = intake_file(path, "followup", name="swapped", programme="t", status_map=status_map)
        assert (result.summary.sha256, result.summary.rows_read) == (sha(final), expected[sha(final)])


class TestProcessedCache:
    def test_processed_table_changed_after_its_manifest_is_not_trusted(self, project: Path) -> None:
        path = project / "data" / "raw" / "small.csv"
        path.write_bytes(small_followup(12))
        status_map = load_status_map(project / "config" / "status_map.yml")
        intake_file(path, "followup", name="c", programme="t", status_map=status_map)
        assert intake_file(path, "followup", name="c", programme="t", status_map=status_map).from_cache
        table = processed_paths("c", "t")["data"]
        table.write_text(table.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
        again = intake_file(path, "followup", name="c", programme="t", status_map=status_map)
        assert not again.from_cache and len(again.data) == 12

    @pytest.mark.parametrize(
        "damage",
        [
            lambda table: table.replace(b"2020", b"20x0"),  # not a whole number where one is stored
            lambda table: table.replace(b",", b";"),  # columns run together
            lambda table: b"\x00\xff\xfe" + table[5:],  # not even text
            lambda table: b'"' + table,  # a quote that never ends
            lambda table: table[: len(table) // 2],  # cut off in the middle of a row
        ],
    )
    def test_processed_table_damaged_so_it_cannot_be_parsed_is_checked_again(
        self, project: Path, damage: Callable[[bytes], bytes]
    ) -> None:
        """The table is parsed while its hash is taken: however a damaged one fails, the input is checked again."""
        path = project / "data" / "raw" / "small.csv"
        path.write_bytes(small_followup(12))
        status_map = load_status_map(project / "config" / "status_map.yml")
        first = intake_file(path, "followup", name="c", programme="t", status_map=status_map)
        table = processed_paths("c", "t")["data"]
        table.write_bytes(damage(table.read_bytes()))
        again = intake_file(path, "followup", name="c", programme="t", status_map=status_map)
        assert not again.from_cache
        pd.testing.assert_frame_equal(first.data, again.data)

    def test_unreadable_file_is_a_clear_error(
        self, project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = project / "data" / "raw" / "small.csv"
        path.write_bytes(small_followup(12))
        real = Path.read_bytes

        def denied(self: Path) -> bytes:
            if self.name == "small.csv":
                raise PermissionError(13, "Permission denied")
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", denied)
        code, _, err = run(capsys, "validate", str(path))
        assert code == 2 and "small.csv" in err and "permission denied" in err and "internal error" not in err


# ----------------------------------------------------------------------------- item 3


def workbook(rows: list[list[object]], dimension: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if dimension is None:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data)
            target.writestr(info, data)
    return out.getvalue()


ROWS = [HEADER.split(",")] + [[f"P{i:02d}", "Drammen", 2020, "Arbeid"] for i in range(12)]


class TestWorkbookSize:
    @pytest.mark.parametrize("dimension", ["A1:D3", "A1:B13", "A1", "C5:D6"])
    def test_stated_size_not_trusted(self, tmp_path: Path, dimension: str) -> None:
        path = tmp_path / "f.xlsx"
        path.write_bytes(workbook(ROWS, dimension))
        table = read_table(path)
        assert table.rows_read == 12
        assert table.data.columns.tolist() == [*HEADER.split(","), "_line"]
        assert table.data["_line"].tolist() == list(range(2, 14))
        assert any(f"states the sheet's size as {dimension}" in n and "row 13, column D" in n for n in table.notes)
        assert table.notes[0] == "sheet 'Sheet'"

    def test_right_size_gets_no_note(self, tmp_path: Path) -> None:
        path = tmp_path / "f.xlsx"
        path.write_bytes(workbook(ROWS))
        assert read_table(path).notes == ["sheet 'Sheet'"]

    def test_wrong_size_through_the_cli(
        self, tmp_path: Path, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "f.xlsx"
        path.write_bytes(workbook(ROWS, "A1:D3"))
        code, out, err = run(capsys, "validate", str(path))
        assert code == 0, err
        assert "12 rows read, 12 accepted, 0 rejected" in out

    def test_expanded_size_limit(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = tmp_path / "f.xlsx"
        path.write_bytes(workbook(ROWS))
        monkeypatch.setattr(xlsx, "XLSX_MAX_UNCOMPRESSED", 10_000)
        with pytest.raises(InputError) as info:
            read_table(path)
        text = str(info.value)
        assert "f.xlsx" in text and "would expand to" in text and "limit of 10 KB" in text and "CSV" in text

    def test_compression_ratio_limit(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = tmp_path / "f.xlsx"
        path.write_bytes(workbook(ROWS + [["P99", "Drammen", 2020, "Arbeid"]] * 3000))
        monkeypatch.setattr(xlsx, "XLSX_RATIO_CHECKED_ABOVE", 20_000)  # the sheet, not the theme
        monkeypatch.setattr(xlsx, "XLSX_MAX_RATIO", 5)
        with pytest.raises(InputError) as info:
            read_table(path)
        text = str(info.value)
        assert "part 'xl/worksheets/sheet1.xml'" in text and "limit of 5 times" in text and "zip bomb" in text
        monkeypatch.setattr(xlsx, "XLSX_MAX_RATIO", 1000)
        assert read_table(path).rows_read == 3012

    def test_too_many_parts(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = tmp_path / "f.xlsx"
        path.write_bytes(workbook(ROWS))
        monkeypatch.setattr(xlsx, "XLSX_MAX_PARTS", 3)
        with pytest.raises(InputError, match="parts, more than the limit of 3"):
            read_table(path)

    def test_bomb_refused_before_openpyxl_opens_it(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        import openpyxl

        def never(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise AssertionError("opened")

        monkeypatch.setattr(openpyxl, "load_workbook", never)
        bomb = TEST_DATA / "bad" / "zip_bomb.xlsx"
        with pytest.raises(InputError, match="zip bomb"):
            read_table(bomb)

    def test_not_a_zip(self, tmp_path: Path) -> None:
        path = tmp_path / "f.xlsx"
        path.write_bytes(b"participant_id\nP1\n")
        with pytest.raises(InputError, match="cannot be opened"):
            read_table(path)


# ----------------------------------------------------------------------------- item 5


class TestEncodingEvidence:
    def test_utf8(self) -> None:
        assert readers.decode_text("Bærum".encode()) == ("Bærum", "utf-8")
        assert readers.decode_text(b"\xef\xbb\xbf" + "Bærum".encode()) == ("Bærum", "utf-8-sig")

    def test_consistent_windows_1252(self) -> None:
        assert readers.decode_text("Bærum\nØrland\r\nÅs – “x”".encode("cp1252")) == (
            "Bærum\nØrland\r\nÅs – “x”",
            "cp1252",
        )

    def test_mixed_names_every_line_and_never_guesses(self) -> None:
        raw = "a\nBærum\n".encode() + "Ørland\n".encode("cp1252") + b"ok\n" + "Ås\n".encode("cp1252")
        with pytest.raises(InputError) as info:
            readers.decode_text(raw, "f.csv")
        text = str(info.value)
        assert text.startswith("f.csv: the file mixes two text encodings: lines 3 and 5 hold bytes that are not UTF-8")
        assert "0xD8 ('Ø' in Windows-1252)" in text and "0xC5 ('Å' in Windows-1252)" in text
        assert "first on line 2" in text and "save the file as UTF-8" in text
        assert "Ørland" not in text  # the line's content is not echoed

    def test_many_lines_are_counted(self) -> None:
        raw = "Bærum\n".encode() + b"".join(f"x{i}\xe6\n".encode("latin-1") for i in range(25))
        with pytest.raises(InputError, match=r"lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 \(and 15 more lines\)"):
            readers.decode_text(raw)

    def test_bom_with_windows_1252_bytes(self) -> None:
        with pytest.raises(InputError, match="line 2 holds bytes that are not UTF-8.*byte-order mark"):
            readers.decode_text(b"\xef\xbb\xbfid\r\n\xe6\r\n")

    def test_byte_that_is_in_neither(self) -> None:
        with pytest.raises(
            InputError, match=r"line 2 holds bytes that are neither UTF-8 nor Windows-1252 \(byte 0x81\)"
        ):
            readers.decode_text(b"id\nDr\x81mmen\n", "f.csv")

    def test_lone_carriage_returns_count_as_line_breaks(self) -> None:
        with pytest.raises(InputError, match="line 3 holds"):
            readers.decode_text("Bærum\rx\r\xe6\r".encode("latin-1").replace(b"B\xe6", "Bæ".encode()))

    def test_csv_reader_refuses_mixed_file(self, tmp_path: Path) -> None:
        path = tmp_path / "f.csv"
        path.write_bytes(f"{HEADER}\nP1,Bærum,2020,Arbeid\n".encode() + "P2,Ørland,2020,Arbeid\n".encode("cp1252"))
        with pytest.raises(InputError, match="f.csv: the file mixes two text encodings: line 3 holds"):
            read_table(path)

    def test_indicator_files_use_the_same_rule(self, tmp_path: Path) -> None:
        from outcomes.analyses.baseline.readers.cells import read_indicator_text as _read_text

        path = tmp_path / "ssb.csv"
        path.write_bytes("Region;År\n3401 Kongsvinger;2020\n".encode("cp1252"))
        assert _read_text(path) == "Region;År\n3401 Kongsvinger;2020\n"
        path.write_bytes("Region;År\n".encode() + "0219 Bærum;2020\n".encode("cp1252"))
        with pytest.raises(InputError, match="mixes two text encodings: line 2"):
            _read_text(path)
