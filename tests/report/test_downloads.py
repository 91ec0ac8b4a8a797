"""Downloads: plain CSV files for scripts and the disclosure audit, and one Excel workbook for people."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from outcomes.core.i18n import Translator, catalogue
from outcomes.report.downloads import (
    csv_text,
    published_tables,
    sheet_names,
    table_title,
    workbook_bytes,
)

WORKBOOK = "unginvest-demo-2020.xlsx"


@pytest.fixture(scope="module")
def bundle(demo_build: tuple[Path, Path]) -> Path:
    return demo_build[1]


def same(cell: object, text: str) -> bool:
    """A workbook cell against the CSV file's text for it: missing for empty, numbers to 1e-9, text as written."""
    if cell is None:
        return text == ""
    if isinstance(cell, bool):
        return str(cell) == text
    if isinstance(cell, int | float):
        return text != "" and math.isclose(cell, float(text), rel_tol=1e-12, abs_tol=1e-9)
    return str(cell) == text


class TestWorkbookInTheDemoBundle:
    def test_one_sheet_per_csv_with_the_same_cells(self, bundle: Path) -> None:
        book = load_workbook(bundle / "downloads" / WORKBOOK)
        contents = book.worksheets[0]
        listed = {row[2]: row[0] for row in contents.iter_rows(min_row=5, values_only=True)}
        csvs = sorted((bundle / "downloads").glob("*.csv"))
        assert sorted(listed) == [p.name for p in csvs]
        assert len(book.worksheets) == len(csvs) + 1
        for path in csvs:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            rows = list(book[listed[path.name]].iter_rows(values_only=True))
            assert list(rows[0]) == list(frame.columns), path.name
            assert len(rows) - 1 == len(frame), path.name
            for got, want in zip(rows[1:], frame.itertuples(index=False), strict=True):
                assert all(same(g, w) for g, w in zip(got, want, strict=True)), (path.name, got, want)

    def test_numbers_are_numbers_and_money_has_thousands(self, bundle: Path) -> None:
        book = load_workbook(bundle / "downloads" / WORKBOOK)
        sheet = book["costbenefit_payers"]
        header = [c.value for c in sheet[1]]
        npv = sheet.cell(row=3, column=header.index("npv_nok") + 1)
        assert isinstance(npv.value, float) and npv.number_format == "#,##0"
        assert sheet.freeze_panes == "A2"

    def test_csv_files_stay_plain(self, bundle: Path) -> None:
        raw = (bundle / "downloads" / "costbenefit_perspectives.csv").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and b";" not in raw.splitlines()[0]
        assert raw.splitlines()[0].startswith(b"perspective,pv_benefits_nok,")
        society = raw.splitlines()[1].split(b",")
        assert society[0] == b"society" and re.fullmatch(rb"\d+\.\d{4,}", society[1])  # decimal point, unrounded

    def test_every_download_has_a_title_in_both_languages(self, bundle: Path) -> None:
        for path in (bundle / "downloads").glob("*.csv"):
            for lang in ("nb", "en"):
                assert f"downloads.{path.stem}" in catalogue(lang), (lang, path.name)


class TestWorkbook:
    TABLES = {
        "followup_rates": pd.DataFrame({"year": [2019, 2020], "share": [0.5, float("nan")], "cost_nok": [1e6, 2.5]}),
        "x_text": pd.DataFrame({"label": ['=HYPERLINK("http://x")', "plain"], "notes": [["a", "b"], {"k": 1}]}),
    }

    def test_same_bytes_every_time(self) -> None:
        t = Translator("nb")
        assert workbook_bytes(self.TABLES, t, "Tittel") == workbook_bytes(self.TABLES, t, "Tittel")

    def test_text_that_looks_like_a_formula_stays_text(self) -> None:
        book = load_workbook(io.BytesIO(workbook_bytes(self.TABLES, Translator("en"), "Title")))
        cell = book["x_text"]["A2"]
        assert cell.data_type == "s" and str(cell.value).startswith("'=")  # neutralised as in the CSV file
        assert book["x_text"]["B2"].value == "['a', 'b']"
        assert book["followup_rates"]["B3"].value is None
        assert book.worksheets[0].title == "Contents"

    def test_csv_neutralises_formulas_as_the_workbook_does(self) -> None:
        text = csv_text(self.TABLES["x_text"])
        assert text.splitlines()[1].startswith("\"'=HYPERLINK")

    def test_sheet_names_fit_excel(self) -> None:
        names = sheet_names(["baseline_deviance_municipalities", "baseline_deviance_municipalities_x", "a/b"])
        assert all(len(n) <= 31 for n in names.values())
        assert len(set(names.values())) == 3 and names["a/b"] == "a_b"

    def test_published_tables_and_titles(self) -> None:
        sections = {"followup": {"rates": [{"a": 1}], "headline": {"x": 1}, "years": [2019, 2020]}}
        assert list(published_tables(sections)) == ["followup_rates"]
        assert table_title("followup_rates", Translator("en")).startswith("Follow-up")
        assert table_title("new_table", Translator("en")) == "new_table.csv"
