"""The bundle's downloads: each published table as a plain CSV file, and all of them in one Excel workbook.

Two readers, two formats:

- ``downloads/<section>_<table>.csv``: comma-separated, decimal point, UTF-8
  without a byte-order mark, numbers unrounded, in every report language. For
  scripts and statistics programs, and what the disclosure auditor
  (:mod:`outcomes.sdc.bundle`) reads; the same bytes in a bokmål and an
  English bundle.
- ``downloads/<programme>-<year>.xlsx``: the same tables, one sheet each, with
  a first sheet listing them. Excel stores numbers as numbers, so Norwegian
  Excel shows decimal commas and opens every column as it should, whatever the
  computer's list separator (a CSV file opens in one column in Norwegian
  Excel, which expects semicolons). The workbook is written byte for byte the
  same from the same results (fixed dates), like the rest of the bundle.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Iterable
from typing import Any

import pandas as pd

from outcomes.core.csvtext import csv_text as plain_csv_text
from outcomes.core.i18n import Translator
from outcomes.core.safety import safe_for_csv

#: Excel's limit on the length of a sheet name.
_SHEET_NAME_MAX = 31
#: The time stamp written into the workbook's properties and zip entries, so a rerun gives the same bytes.
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)
_FIXED_ISO = "2000-01-01T00:00:00Z"
#: Columns holding kroner are shown with a thousands separator (Excel puts in the computer's own).
_MONEY_FORMAT = "#,##0"


def is_table(value: object) -> bool:
    """Whether a value of a section's JSON view is a table (a non-empty list of records)."""
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def published_tables(sections: dict[str, dict[str, Any]]) -> dict[str, pd.DataFrame]:
    """Every table the sections publish, as ``{"<section>_<key>": frame}`` in section order."""
    return {
        f"{name}_{key}": pd.DataFrame(value)
        for name, data in sections.items()
        for key, value in data.items()
        if is_table(value)
    }


def csv_text(frame: pd.DataFrame) -> str:
    """A table as plain CSV: comma, decimal point, ``\\n`` line ends, no index, no cell that can start a formula."""
    return plain_csv_text(safe_for_csv(frame))


def table_title(name: str, t: Translator) -> str:
    """What a download holds, in the report language (``downloads.<name>``; its file name when there is no label)."""
    key = f"downloads.{name}"
    return t(key) if t.has(key) else f"{name}.csv"


def workbook_name(slug: str, year: int) -> str:
    """The workbook's file name in ``downloads/``: programme and year, so a reader's copies do not overwrite."""
    return f"{slug}-{year}.xlsx"


def sheet_names(names: Iterable[str]) -> dict[str, str]:
    """A sheet name for each table: its name cut to Excel's 31 characters, numbered where two would clash."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        base = re.sub(r"[\[\]:*?/\\]", "_", name)[:_SHEET_NAME_MAX]
        sheet, n = base, 1
        while sheet.lower() in used:
            n += 1
            suffix = f"~{n}"
            sheet = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
        used.add(sheet.lower())
        out[name] = sheet
    return out


def _cell_value(value: Any) -> Any:
    """A value as openpyxl writes it: plain Python numbers, ``None`` for a missing value, other objects as text.

    A list or mapping in a cell (e.g. an input's notes) is written as the CSV file writes it (``str``).
    """
    if isinstance(value, list | tuple | dict | set):
        return str(value)
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _cell_value(value.item())
    return value


def _write_sheet(sheet: Any, frame: pd.DataFrame) -> None:
    """One table on one sheet: bold header row, frozen, filter on; money columns with a thousands separator."""
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    safe = safe_for_csv(frame)
    sheet.append([str(c) for c in safe.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    money = [str(column).endswith("_nok") for column in safe.columns]
    widths = [len(str(column)) for column in safe.columns]
    for number, row in enumerate(safe.itertuples(index=False)):
        cells = []
        for index, value in enumerate(row):
            cell = Cell(sheet, value=_cell_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text: a cell starting with "=" is never a formula
            elif money[index] and isinstance(cell.value, float | int):
                cell.number_format = _MONEY_FORMAT
            if number < 200 and cell.value is not None:
                widths[index] = max(widths[index], len(str(cell.value)))
            cells.append(cell)
        sheet.append(cells)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def workbook_bytes(tables: dict[str, pd.DataFrame], t: Translator, title: str) -> bytes:
    """All tables in one ``.xlsx`` workbook: a contents sheet first, then one sheet per table.

    Parameters
    ----------
    tables
        ``{name: frame}`` as :func:`published_tables` gives them.
    t
        The report language (the contents sheet's text).
    title
        The report's title, on top of the contents sheet.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    contents = book.active
    contents.title = t("downloads.contents_sheet")[:_SHEET_NAME_MAX]
    contents.append([title])
    contents["A1"].font = Font(bold=True, size=13)
    contents.append([t("downloads.contents_note")])
    contents.append([])
    contents.append([t("downloads.col_sheet"), t("downloads.col_table"), t("downloads.col_csv")])
    for cell in contents[4]:
        cell.font = Font(bold=True)
    names = sheet_names(tables)
    for name, frame in tables.items():
        contents.append([names[name], table_title(name, t), f"{name}.csv"])
        _write_sheet(book.create_sheet(names[name]), frame)
    for column, width in (("A", 34), ("B", 70), ("C", 40)):
        contents.column_dimensions[column].width = width
    book.properties.creator = "outcomes"
    buffer = io.BytesIO()
    book.save(buffer)
    return _repacked(buffer.getvalue())


def _repacked(xlsx: bytes) -> bytes:
    """The workbook with fixed dates in its properties and zip entries (openpyxl writes the time of saving)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", _FIXED_ISO, data.decode("utf-8"))
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(entry.filename, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    return out.getvalue()
