"""``.xlsx`` workbooks: the first (or a named) sheet as trimmed text, the line number the spreadsheet row.

Every row is read whatever size the workbook states for the sheet, and a
workbook that would expand beyond :data:`XLSX_MAX_UNCOMPRESSED` or
:data:`XLSX_MAX_RATIO` is refused before it is opened.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from outcomes.core import paths
from outcomes.core.errors import InputError
from outcomes.inputs.identity.national_id import mask_identity_numbers
from outcomes.inputs.readers.table import RawTable, clean_headers, read_input_bytes, text_frame

# Limits on what an .xlsx workbook may expand to. A workbook is a zip archive
# whose parts openpyxl expands into memory: a small file built to expand
# enormously (a "zip bomb", e.g. 4 MB that becomes 1 GB of sheet) runs for
# minutes with memory climbing. Real workbooks are far inside these limits: the
# demo follow-up records repeated to 100,000 rows give a 36 MB sheet stored at
# 11:1, and a sheet of 100,000 rows of zeros is stored at 16:1. The sizes are
# read from the zip's directory before anything is expanded, and Python's
# zipfile (which openpyxl uses) never expands a part beyond its recorded size.

#: Largest total size, in bytes, of all parts of an ``.xlsx`` file when expanded.
XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
#: Largest ratio of expanded to stored size of one part of an ``.xlsx`` file.
XLSX_MAX_RATIO = 100
#: The ratio is checked for parts that expand beyond this many bytes; smaller ones cannot harm.
XLSX_RATIO_CHECKED_ABOVE = 10 * 1024 * 1024
#: Largest number of parts in an ``.xlsx`` file (Excel writes a few dozen at most).
XLSX_MAX_PARTS = 10_000

_SAVED_BY_EXCEL = "an .xlsx file saved by Excel or LibreOffice"


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:,.0f} KB"


def _part_name(name: str) -> str:
    """A zip part's name fit for a message (it is chosen by whoever wrote the file)."""
    return re.sub(r"[^A-Za-z0-9_./\[\]-]", "?", name)[:80]


def check_workbook_size(content: bytes, shown: str) -> None:
    """Refuse an ``.xlsx`` file that would expand beyond the limits, before anything is expanded.

    Reads only the zip directory: the number of parts (:data:`XLSX_MAX_PARTS`),
    their total expanded size (:data:`XLSX_MAX_UNCOMPRESSED`) and the ratio of
    expanded to stored size of each part larger than
    :data:`XLSX_RATIO_CHECKED_ABOVE` (:data:`XLSX_MAX_RATIO`).

    Raises
    ------
    InputError
        When the file is not a zip archive, or breaks a limit (the message
        names the limit and what to do).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(
            f"the workbook cannot be opened ({exc.__class__.__name__}: it is not an .xlsx file, or it is damaged)",
            file=shown,
            expected=_SAVED_BY_EXCEL,
        ) from None
    hint = (
        "Check that this is the workbook you meant. If it is, save the sheet as CSV "
        "(in Excel: Save as > 'CSV UTF-8 (comma delimited)') and use the CSV file instead."
    )
    if len(parts) > XLSX_MAX_PARTS:
        raise InputError(
            f"the workbook holds {len(parts):,} parts, more than the limit of {XLSX_MAX_PARTS:,} for .xlsx files",
            file=shown,
            expected=f"an .xlsx workbook of at most {XLSX_MAX_PARTS:,} parts",
            hint=hint,
        )
    total = sum(part.file_size for part in parts)
    if total > XLSX_MAX_UNCOMPRESSED:
        raise InputError(
            f"the workbook would expand to {_mb(total)} when opened (it is {_mb(len(content))} on disk), "
            f"more than the limit of {_mb(XLSX_MAX_UNCOMPRESSED)} for .xlsx files",
            file=shown,
            expected=f"an .xlsx workbook that expands to at most {_mb(XLSX_MAX_UNCOMPRESSED)}",
            hint=hint,
        )
    for part in parts:
        if part.file_size > XLSX_RATIO_CHECKED_ABOVE and part.file_size > XLSX_MAX_RATIO * max(part.compress_size, 1):
            raise InputError(
                f"part '{_part_name(part.filename)}' of the workbook would expand "
                f"{part.file_size / max(part.compress_size, 1):,.0f} times when opened (from {_mb(part.compress_size)} to {_mb(part.file_size)}), more than the limit of "
                f"{XLSX_MAX_RATIO} times for .xlsx files; a workbook compressed this much is damaged or built to "
                "exhaust memory (a zip bomb)",
                file=shown,
                expected=f"an .xlsx workbook whose parts expand at most {XLSX_MAX_RATIO} times",
                hint=hint,
            )


def read_xlsx_text(path: Path, sheet: str | None = None, content: bytes | None = None) -> RawTable:
    """Read the first (or a named) sheet of an ``.xlsx`` workbook as text.

    The header is the first non-empty row; line numbers are spreadsheet rows.
    Numbers that are whole are written without a decimal part (``2019``, not
    ``2019.0``); dates as ``YYYY-MM-DD``. Every row and column in the sheet is
    read: the size a workbook states for a sheet (its ``<dimension>``, which
    some export tools write wrong) is not trusted, and when it was wrong the
    notes say so.

    Parameters
    ----------
    path
        The workbook; read here unless ``content`` is given, and named in messages.
    sheet
        The sheet's name; the first sheet when ``None``.
    content
        The file's bytes, already read (and hashed) by the caller.

    Raises
    ------
    InputError
        When the workbook is missing, too large when expanded (see
        :func:`check_workbook_size`), cannot be opened or read, has no such
        sheet, or the sheet is empty or has values in unnamed columns.
    """
    shown = paths.relative_to_root(path)
    raw = read_input_bytes(path) if content is None else content
    check_workbook_size(raw, shown)
    book = open_workbook(raw, shown)
    try:
        rows = _read_sheet(book, sheet, shown)
    except InputError:
        raise
    except Exception as exc:  # damaged sheet XML and the like
        raise InputError(
            f"the sheet cannot be read ({exc.__class__.__name__}: the workbook is damaged)",
            file=shown,
            expected=_SAVED_BY_EXCEL,
            hint="Open the workbook in Excel or LibreOffice and save it again.",
        ) from None
    finally:
        book.close()
    if rows.headers is None:
        raise InputError("the sheet is empty", file=shown, expected="a header row and data rows")
    notes = [f"sheet '{rows.title}'", *rows.size_notes()]
    if rows.blank:
        notes.append(f"{rows.blank} blank row(s) skipped")
    return RawTable(text_frame(rows.headers, rows.rows, rows.lines), shown, None, None, rows.blank, notes)


def open_workbook(content: bytes, shown: str) -> Any:
    """The workbook in ``content``, opened read-only with cell values (not formulas); close it after use.

    Raises
    ------
    InputError
        When openpyxl cannot open it (a damaged or misnamed file).
    """
    from openpyxl import load_workbook  # imported here: only spreadsheet users pay for it

    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(
            f"the workbook cannot be opened ({exc.__class__.__name__})", file=shown, expected=_SAVED_BY_EXCEL
        ) from None


@dataclass
class _SheetRows:
    """What :func:`_read_sheet` read from one sheet (``headers`` ``None`` when the sheet is empty)."""

    title: str
    headers: list[str] | None
    rows: list[list[str]]
    lines: list[int]
    blank: int
    extent: tuple[int, int]  # last row and last column with a value
    stated: tuple[str, int, int] | None  # the <dimension> the sheet states: range, rows, columns

    def size_notes(self) -> list[str]:
        """A note when the sheet holds values beyond the size it states."""
        if self.stated is None:
            return []
        from openpyxl.utils import get_column_letter

        stated, stated_rows, stated_columns = self.stated
        last_row, last_column = self.extent
        if last_row > stated_rows or last_column > stated_columns:
            return [
                f"the workbook states the sheet's size as {stated} but it holds values up to row {last_row}, "
                f"column {get_column_letter(last_column)}: every row was read"
            ]
        return []


def _read_sheet(book: Any, sheet: str | None, shown: str) -> _SheetRows:
    """Every row of the named (or first) sheet of an open workbook.

    Raises
    ------
    InputError
        When there is no such sheet, or a row has values in unnamed columns.
    """
    if sheet is not None and sheet not in book.sheetnames:
        raise InputError(
            f"the workbook has no sheet '{mask_identity_numbers(sheet, anywhere=True)}'",
            file=shown,
            # a sheet named with an identity number is refused later: its digits are not printed here either
            expected="one of " + ", ".join(mask_identity_numbers(name, anywhere=True) for name in book.sheetnames),
        )
    ws = book[sheet] if sheet else book.worksheets[0]
    # The size the sheet states (its <dimension> tag); openpyxl's read-only mode
    # would stop at it, silently dropping the rows and columns beyond.
    stated_rows, stated_columns = ws.max_row, ws.max_column
    stated = (ws.calculate_dimension(), stated_rows, stated_columns) if stated_rows and stated_columns else None
    ws.reset_dimensions()  # read every row and column the sheet holds
    with warnings.catch_warnings():
        # openpyxl warns with the cell's value (a number in a date format too large for a date:
        # an identity number, which the screen then refuses); nothing of a cell reaches the terminal.
        warnings.simplefilter("ignore")
        headers, rows, row_lines, blank, extent = _sheet_rows(ws, shown)
    return _SheetRows(ws.title, headers, rows, row_lines, blank, extent, stated)


def _sheet_rows(ws: Any, shown: str) -> tuple[list[str] | None, list[list[str]], list[int], int, tuple[int, int]]:
    """Header, data rows, their row numbers, blank rows and the extent (last row, last column with a value)."""
    headers: list[str] | None = None
    rows: list[list[str]] = []
    row_lines: list[int] = []
    blank = 0
    last_row = last_column = 0
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [_excel_text(v) for v in values]
        if not any(cells):
            if headers is not None:
                blank += 1
            continue
        last_row = number
        last_column = max(last_column, max(i for i, c in enumerate(cells, start=1) if c))
        if headers is None:
            while cells and not cells[-1]:
                cells.pop()
            headers = clean_headers(cells, shown, number)
            continue
        if len(cells) > len(headers) and any(cells[len(headers) :]):
            raise InputError(
                "the row has values in columns without a header",
                file=shown,
                line=number,
                expected=f"values only in the {len(headers)} named columns",
            )
        cells = (cells + [""] * len(headers))[: len(headers)]
        rows.append(cells)
        row_lines.append(number)
    return headers, rows, row_lines, blank, (last_row, last_column)


def _excel_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    return " ".join(str(value).split())
