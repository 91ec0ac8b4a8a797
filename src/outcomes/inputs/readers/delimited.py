"""CSV files: every cell as trimmed text, with the number of the line it starts on.

Separated by ``,``, ``;``, tabs or ``|`` (:func:`~outcomes.inputs.readers.text.detect_delimiter`),
in UTF-8, UTF-8 with BOM or Windows-1252 (:func:`~outcomes.inputs.readers.text.decode_text`).
Blank rows are skipped and counted. A UTF-8 file whose physical lines are its
records, each as wide as the header, is read with Arrow's reader into
Arrow-backed columns (:mod:`~outcomes.inputs.readers.arrow_csv`); another file
whose lines are its records with pandas' C parser (:func:`_read_records_fast`);
any other file, and any file those stumble on, with Python's ``csv`` module
(:func:`_read_records`), which words every error. All give the same table.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from outcomes.core import paths
from outcomes.core.errors import InputError
from outcomes.inputs.readers.arrow_csv import read_records_arrow
from outcomes.inputs.readers.table import LINE, NEEDS_CARE, RawTable, clean_headers, read_input_bytes, text_frame
from outcomes.inputs.readers.text import decode_text, detect_delimiter

#: Any byte that is not part of a byte-order mark, a space, a tab or a line break.
_NOT_BLANK = re.compile(rb"[^\xef\xbb\xbf \t\r\n]")
_SEPARATOR_NAMES = {"\t": "tab", ";": "semicolon", ",": "comma", "|": "pipe"}


def read_csv_text(path: Path, content: bytes | None = None) -> RawTable:
    """Read a CSV file cell by cell, detecting encoding and separator.

    Parameters
    ----------
    path
        The file; read here unless ``content`` is given, and named in messages.
    content
        The file's bytes, already read (and hashed) by the caller.

    Raises
    ------
    InputError
        When the file is missing, empty, not text, mixes encodings, has no
        header, or a row has more cells than the header.
    """
    return _read_csv_text(path, fast=True, content=content)


def _read_csv_text(path: Path, fast: bool, content: bytes | None = None, *, arrow: bool = True) -> RawTable:
    """:func:`read_csv_text`, with the fast readers allowed or not (tests compare them).

    ``fast`` allows the quick readers at all; ``arrow`` Arrow's, tried before pandas' C parser.
    """
    shown = paths.relative_to_root(path)
    raw = read_input_bytes(path) if content is None else content
    if _NOT_BLANK.search(raw) is None:
        raise InputError("the file is empty", file=shown, expected="a header row and data rows")
    if b"\x00" in raw[:4096]:
        raise InputError(
            "the file is not text (binary content, or UTF-16)",
            file=shown,
            expected="CSV saved as UTF-8 or Windows-1252, or an .xlsx workbook",
        )
    quick = read_records_arrow(raw, shown) if fast and arrow else None
    if quick is not None:
        frame, blank, encoding, delimiter = quick
        notes = [f"encoding {encoding}", "separator " + _SEPARATOR_NAMES[delimiter]]
        return _raw_table((frame, blank), shown, encoding, delimiter, notes)
    text, encoding = decode_text(raw, shown)
    del raw
    notes = [f"encoding {encoding}" + (" (Windows-1252, converted to UTF-8)" if encoding == "cp1252" else "")]
    lines = text.splitlines()
    header_index = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if header_index is None:  # only spaces and line or page breaks
        raise InputError("the file is empty", file=shown, expected="a header row and data rows")
    delimiter = detect_delimiter(lines[header_index])
    notes.append("separator " + _SEPARATOR_NAMES[delimiter])

    read = _read_records_fast(text, lines, delimiter, shown) if fast else None
    del lines
    return _raw_table(
        read if read is not None else _read_records(text, delimiter, shown), shown, encoding, delimiter, notes
    )


def _raw_table(read: tuple[pd.DataFrame, int], shown: str, encoding: str, delimiter: str, notes: list[str]) -> RawTable:
    """The reader's result, with the note on blank rows."""
    frame, blank = read
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
                headers = clean_headers(record, shown, start)
                continue
            rows.append(_fit_to_header(record, headers, delimiter, shown, start))
            row_lines.append(start)
    except csv.Error as exc:
        raise InputError(f"the CSV cannot be parsed ({exc})", file=shown, line=reader.line_num) from None
    last_start = (row_lines[-1] if row_lines else header_line) if headers is not None else 0
    if last_start and _unclosed_quote(text, last_start, delimiter):
        # Without this, everything after a stray opening quote becomes one cell of
        # one row, and the rows after it silently vanish from the count.
        raise InputError(
            'a quote (") opened on this line is never closed, so the rest of the file would be read as one value',
            file=shown,
            line=last_start,
            expected="quotes in pairs around a value",
            hint="Remove the stray quote or close it, then save the file again.",
        )
    if headers is None:
        raise InputError("the file has no header row", file=shown)
    return text_frame(headers, rows, row_lines), blank


def _fit_to_header(record: list[str], headers: list[str], delimiter: str, shown: str, line: int) -> list[str]:
    """The record's cells trimmed, padded with "" to the header's width.

    Raises
    ------
    InputError
        When the record has values beyond the header's columns.
    """
    cells = [cell.strip() for cell in record]
    if len(cells) > len(headers) and any(cells[len(headers) :]):
        raise InputError(
            f"the row has {len(cells)} cells but the header has {len(headers)}",
            file=shown,
            line=line,
            expected=f"{len(headers)} cells separated by '{delimiter}'",
            hint="A value may contain the separator without quotes, or a decimal comma in a comma-separated file.",
        )
    return (cells + [""] * len(headers))[: len(headers)]


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
    if any(c in text for c in NEEDS_CARE) or text.count("\r") != text.count("\r\n"):
        return None
    if max(map(len, lines)) > csv.field_size_limit():
        return None  # csv refuses a cell that long; let it say so
    found = _first_header(lines, delimiter, shown)
    if found is None:
        return None
    headers, header_line = found
    columns = _parse_columns(text, header_line, delimiter, (len(lines) - header_line + 1, len(headers)))
    if columns is None:
        return None
    columns, row_lines, blank = _without_blank_rows(columns, header_line + 1)
    if not len(row_lines):
        return text_frame(headers, [], []), blank
    data = {name: pd.array(cells, dtype="string") for name, cells in zip(headers, columns, strict=False)}
    frame = pd.DataFrame(data)
    frame[LINE] = pd.Series(row_lines, dtype="int64")
    return frame, blank


def _first_header(lines: list[str], delimiter: str, shown: str) -> tuple[list[str], int] | None:
    """The header exactly as :func:`_read_records` finds it, and its line (``None``: all lines blank)."""
    reader = csv.reader(iter(lines), delimiter=delimiter)  # here the lines are the physical lines
    previous_end = 0
    for record in reader:
        start = previous_end + 1
        previous_end = reader.line_num
        if any(cell.strip() for cell in record):
            return clean_headers(record, shown, start), start
    return None


def _parse_columns(text: str, header_line: int, delimiter: str, shape: tuple[int, int]) -> list[np.ndarray] | None:
    """The trimmed cells below the header, column by column, or ``None`` when pandas' table is not of ``shape``.

    ``shape`` is (rows from the header line on, columns in the header).
    """
    offset = 0
    for _ in range(header_line - 1):
        offset = text.index("\n", offset) + 1
    try:
        # Read from the header line on: its cells fix the number of columns, so a
        # row with more cells is a parser error rather than a silently moved column.
        parsed = pd.read_csv(
            io.BytesIO(text[offset:].encode("utf-8")),
            encoding="utf-8",
            sep=delimiter,
            header=None,
            dtype=str,
            na_filter=False,
            keep_default_na=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_NONE,
            engine="c",
        )
    except Exception:  # noqa: BLE001 - any doubt: the careful reader decides
        return None
    if parsed.shape != shape:
        return None
    return [
        np.asarray([cell.strip() for cell in parsed[c].to_numpy(dtype=object)[1:].tolist()], dtype=object)
        for c in parsed.columns
    ]


def _without_blank_rows(columns: list[np.ndarray], first_line: int) -> tuple[list[np.ndarray], np.ndarray, int]:
    """The columns without wholly blank rows, the line of each row kept, and the number of rows dropped."""
    count = len(columns[0])
    blank_rows = np.arange(count)
    for cells in columns:  # a row is blank when every cell is empty; few rows ever are
        if not len(blank_rows):
            break
        blank_rows = blank_rows[cells[blank_rows] == ""]
    row_lines = np.arange(first_line, first_line + count, dtype="int64")
    if len(blank_rows):
        keep = np.ones(count, dtype=bool)
        keep[blank_rows] = False
        row_lines = row_lines[keep]
        columns = [cells[keep] for cells in columns]
    return columns, row_lines, len(blank_rows)


def _unclosed_quote(text: str, start: int, delimiter: str) -> bool:
    """Whether the record starting on line ``start`` runs to the end inside an open quote."""
    physical = io.StringIO(text, newline="").readlines()
    rest = "".join(physical[start - 1 :])
    try:
        for _ in csv.reader(io.StringIO(rest, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False
