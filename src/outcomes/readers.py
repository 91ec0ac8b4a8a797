"""Read the files analysts bring, as they are, into text tables with line numbers.

Readers do not judge the data (that is :mod:`outcomes.validation`); they get
every cell out as text, trimmed, with the number of the line in the file it came
from, so every later message can point at the file, line and column.

Handled: CSV separated by ``,``, ``;`` or tabs; UTF-8, UTF-8 with BOM and
Windows-1252 (detected, and said in the notes); blank rows (skipped and
counted, not data); surrounding spaces in headers and values; ``.xlsx`` (first
sheet or a named one), where the line number is the spreadsheet row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import paths
from .errors import InputError
from .identity import contains_national_id

#: Column in a read table holding the line number in the source file.
LINE = "_line"

_DELIMITERS = (";", ",", "\t", "|")


@dataclass(frozen=True)
class RawTable:
    """A file read as text.

    Attributes
    ----------
    data
        One row per data row, every cell a trimmed string ("" when empty),
        columns as in the header (trimmed), plus :data:`LINE`.
    file
        The path as shown to users (relative to the project root when inside it).
    encoding, delimiter
        What was detected (``None`` for spreadsheets).
    blank_rows
        Number of wholly blank rows skipped.
    notes
        Plain-language notes on what was detected, for the log and report.
    """

    data: pd.DataFrame
    file: str
    encoding: str | None
    delimiter: str | None
    blank_rows: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        """Number of data rows (blank rows not counted)."""
        return len(self.data)


def detect_encoding(raw: bytes) -> str:
    """Name the text encoding of a file's bytes.

    UTF-8 with a byte-order mark gives ``utf-8-sig``; bytes that decode as
    UTF-8 give ``utf-8``; anything else is taken as ``cp1252`` (Windows-1252,
    what Norwegian Excel writes), which can decode any byte except five
    unused ones.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def detect_delimiter(header_line: str) -> str:
    """The separator used in a CSV header line: the most frequent of ``; , tab |``."""
    counts = {d: header_line.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _clean_headers(headers: list[str], file: str, line: int) -> list[str]:
    cleaned = [" ".join(str(h).replace("\ufeff", "").split()) for h in headers]
    for position, name in enumerate(cleaned, start=1):
        if not name:
            raise InputError(
                f"column {position} of the header has no name (a merged or empty header cell?)",
                file=file,
                line=line,
                expected="one header row with a name in every column",
                hint="Unmerge header cells and remove empty columns.",
            )
    seen: set[str] = set()
    for position, name in enumerate(cleaned, start=1):
        if name.casefold() in seen:
            # a header that is an identity number (no header row) is named by position only
            shown = f"column {position}" if contains_national_id(name, anywhere=True) else name
            raise InputError(
                f"the header names column '{shown}' twice", file=file, line=line, column=shown,
                expected="each column named once",
            )
        seen.add(name.casefold())
    return cleaned


def _frame(headers: list[str], rows: list[list[str]], lines: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=headers, dtype="string") if rows else pd.DataFrame(
        {h: pd.Series(dtype="string") for h in headers}
    )
    frame = frame.fillna("")
    frame[LINE] = pd.Series(lines, dtype="int64")
    return frame


def read_csv_text(path: Path) -> RawTable:
    """Read a CSV file cell by cell, detecting encoding and separator.

    Raises
    ------
    InputError
        When the file is missing, empty, has no header, or a row has more
        cells than the header.
    """
    return _read_csv_text(path, fast=True)


def _read_csv_text(path: Path, fast: bool) -> RawTable:
    """:func:`read_csv_text`, with the fast reader allowed or not (tests compare both)."""
    shown = paths.relative_to_root(path)
    if not path.is_file():
        raise InputError("file not found", file=shown, hint="Check the path in the configuration.")
    raw = path.read_bytes()
    if not raw.strip(b"\xef\xbb\xbf \t\r\n"):
        raise InputError("the file is empty", file=shown, expected="a header row and data rows")
    if b"\x00" in raw[:4096]:
        raise InputError(
            "the file is not text (binary content, or UTF-16)",
            file=shown,
            expected="CSV saved as UTF-8 or Windows-1252, or an .xlsx workbook",
        )
    encoding = detect_encoding(raw)
    text = raw.decode(encoding, errors="strict") if encoding != "cp1252" else raw.decode("cp1252", errors="replace")
    notes = [f"encoding {encoding}" + (" (Windows-1252, converted to UTF-8)" if encoding == "cp1252" else "")]
    lines = text.splitlines()
    header_index = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if header_index is None:  # only spaces and line or page breaks
        raise InputError("the file is empty", file=shown, expected="a header row and data rows")
    delimiter = detect_delimiter(lines[header_index])
    notes.append("separator " + {"\t": "tab", ";": "semicolon", ",": "comma", "|": "pipe"}[delimiter])

    read = _read_records_fast(text, lines, delimiter, shown) if fast else None
    del lines
    frame, blank = read if read is not None else _read_records(text, delimiter, shown)
    if blank:
        notes.append(f"{blank} blank row(s) skipped")
    return RawTable(frame, shown, encoding, delimiter, blank, notes)


def _read_records(text: str, delimiter: str, shown: str) -> tuple[pd.DataFrame, int]:
    """Records of a CSV text with Python's ``csv`` module: (table with :data:`LINE`, blank rows).

    Handles everything (quotes, line breaks inside quoted values, stray quotes,
    rows with more cells than the header) and words every error.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    header_line = 0
    rows: list[list[str]] = []
    row_lines: list[int] = []
    blank = 0
    previous_end = 0
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in record):
                if headers is not None:
                    blank += 1
                continue
            if headers is None:
                header_line = start
                headers = _clean_headers(record, shown, start)
                continue
            cells = [cell.strip() for cell in record]
            if len(cells) > len(headers):
                extra = cells[len(headers):]
                if any(extra):
                    raise InputError(
                        f"the row has {len(cells)} cells but the header has {len(headers)}",
                        file=shown,
                        line=start,
                        expected=f"{len(headers)} cells separated by '{delimiter}'",
                        hint="A value may contain the separator without quotes, or a decimal comma in a comma-separated file.",
                    )
                cells = cells[: len(headers)]
            cells += [""] * (len(headers) - len(cells))
            rows.append(cells)
            row_lines.append(start)
    except csv.Error as exc:
        raise InputError(f"the CSV cannot be parsed ({exc})", file=shown, line=reader.line_num) from None
    last_start = (row_lines[-1] if row_lines else header_line) if headers is not None else 0
    if last_start and _unclosed_quote(text, last_start, delimiter):
        # Without this, everything after a stray opening quote becomes one cell of
        # one row, and the rows after it silently vanish from the count.
        raise InputError(
            "a quote (\") opened on this line is never closed, so the rest of the file would be read as one value",
            file=shown,
            line=last_start,
            expected="quotes in pairs around a value",
            hint="Remove the stray quote or close it, then save the file again.",
        )
    if headers is None:
        raise InputError("the file has no header row", file=shown)
    return _frame(headers, rows, row_lines), blank


#: Characters that make :func:`_read_records_fast` step aside: quotes (a record may
#: then span lines, and quotes are taken off), the line breaks ``str.splitlines``
#: knows besides ``\n`` and ``\r\n``, NUL, and the byte-order mark (which pandas
#: drops at the start of its input).
_NOT_FAST = ('"', "\x00", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\ufeff")


def _read_records_fast(text: str, lines: list[str], delimiter: str, shown: str) -> tuple[pd.DataFrame, int] | None:
    """:func:`_read_records` with pandas' C parser, or ``None`` when it cannot give the same result.

    It applies when every physical line is one record: no quote anywhere, lines
    ended by ``\n`` or ``\r\n`` only (``lines`` are then exactly the physical
    lines), no cell longer than the ``csv`` module allows, and no row with more
    cells than the header. Any other file, and any parser error, is left to
    :func:`_read_records`, which words the errors. Cells are trimmed and padded,
    wholly blank rows after the header skipped and counted, and each row keeps
    the number of its line, exactly as there.
    """
    if any(c in text for c in _NOT_FAST) or text.count("\r") != text.count("\r\n"):
        return None
    if max(map(len, lines)) > csv.field_size_limit():
        return None  # csv refuses a cell that long; let it say so
    reader = csv.reader(iter(lines), delimiter=delimiter)  # here the lines are the physical lines
    headers: list[str] | None = None
    header_line = 0
    previous_end = 0
    for record in reader:  # the header exactly as _read_records finds it
        start = previous_end + 1
        previous_end = reader.line_num
        if any(cell.strip() for cell in record):
            header_line = start
            headers = _clean_headers(record, shown, start)
            break
    if headers is None:
        return None
    offset = 0
    for _ in range(header_line - 1):
        offset = text.index("\n", offset) + 1
    try:
        # Read from the header line on: its cells fix the number of columns, so a
        # row with more cells is a parser error rather than a silently moved column.
        parsed = pd.read_csv(
            io.BytesIO(text[offset:].encode("utf-8")), encoding="utf-8", sep=delimiter, header=None, dtype=str, na_filter=False,
            keep_default_na=False, skip_blank_lines=False, quoting=csv.QUOTE_NONE, engine="c",
        )
    except Exception:  # noqa: BLE001 - any doubt: the careful reader decides
        return None
    if parsed.shape != (len(lines) - header_line + 1, len(headers)):
        return None
    columns = [
        np.asarray([cell.strip() for cell in parsed[c].to_numpy(dtype=object)[1:].tolist()], dtype=object)
        for c in parsed.columns
    ]
    del parsed
    count = len(columns[0])
    blank_rows = np.arange(count)
    for cells in columns:  # a row is blank when every cell is empty; few rows ever are
        if not len(blank_rows):
            break
        blank_rows = blank_rows[cells[blank_rows] == ""]
    row_lines = np.arange(header_line + 1, header_line + 1 + count, dtype="int64")
    if len(blank_rows):
        keep = np.ones(count, dtype=bool)
        keep[blank_rows] = False
        row_lines = row_lines[keep]
        columns = [cells[keep] for cells in columns]
    if not len(row_lines):
        return _frame(headers, [], []), len(blank_rows)
    data = {name: pd.array(cells, dtype="string") for name, cells in zip(headers, columns)}
    frame = pd.DataFrame(data)
    frame[LINE] = pd.Series(row_lines, dtype="int64")
    return frame, len(blank_rows)


def _unclosed_quote(text: str, start: int, delimiter: str) -> bool:
    """Whether the record starting on line ``start`` runs to the end inside an open quote."""
    physical = io.StringIO(text, newline="").readlines()
    rest = "".join(physical[start - 1:])
    try:
        for _ in csv.reader(io.StringIO(rest, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def read_xlsx_text(path: Path, sheet: str | None = None) -> RawTable:
    """Read the first (or a named) sheet of an ``.xlsx`` workbook as text.

    The header is the first non-empty row; line numbers are spreadsheet rows.
    Numbers that are whole are written without a decimal part (``2019``, not
    ``2019.0``); dates as ``YYYY-MM-DD``.
    """
    from openpyxl import load_workbook  # imported here: only spreadsheet users pay for it

    shown = paths.relative_to_root(path)
    if not path.is_file():
        raise InputError("file not found", file=shown, hint="Check the path in the configuration.")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(
            f"the workbook cannot be opened ({exc.__class__.__name__})",
            file=shown,
            expected="an .xlsx file saved by Excel or LibreOffice",
        ) from None
    if sheet is not None and sheet not in book.sheetnames:
        raise InputError(
            f"the workbook has no sheet '{sheet}'", file=shown, expected="one of " + ", ".join(book.sheetnames)
        )
    ws = book[sheet] if sheet else book.worksheets[0]
    headers: list[str] | None = None
    rows: list[list[str]] = []
    row_lines: list[int] = []
    blank = 0
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [_excel_text(v) for v in values]
        if not any(cells):
            if headers is not None:
                blank += 1
            continue
        if headers is None:
            while cells and not cells[-1]:
                cells.pop()
            headers = _clean_headers(cells, shown, number)
            continue
        if len(cells) > len(headers) and any(cells[len(headers):]):
            raise InputError(
                "the row has values in columns without a header", file=shown, line=number,
                expected=f"values only in the {len(headers)} named columns",
            )
        cells = (cells + [""] * len(headers))[: len(headers)]
        rows.append(cells)
        row_lines.append(number)
    book.close()
    if headers is None:
        raise InputError("the sheet is empty", file=shown, expected="a header row and data rows")
    notes = [f"sheet '{ws.title}'"]
    if blank:
        notes.append(f"{blank} blank row(s) skipped")
    return RawTable(_frame(headers, rows, row_lines), shown, None, None, blank, notes)


def _excel_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")  # type: ignore[union-attr]
    return " ".join(str(value).split())


def read_table(path: str | Path, sheet: str | None = None) -> RawTable:
    """Read a CSV or ``.xlsx`` input file as text with line numbers.

    Parameters
    ----------
    path
        File path, relative to the project root unless absolute.
    sheet
        Sheet name for workbooks; the first sheet when ``None``.

    Raises
    ------
    InputError
        When the file cannot be used at all.
    """
    file = paths.resolve(path)
    suffix = file.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_text(file, sheet)
    if suffix == ".xls":
        raise InputError(
            "old Excel .xls files are not read", file=paths.relative_to_root(file),
            expected="an .xlsx workbook or a CSV file", hint="Save the sheet as .xlsx or CSV.",
        )
    return read_csv_text(file)
