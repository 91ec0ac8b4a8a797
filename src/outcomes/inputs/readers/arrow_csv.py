"""The quickest CSV reader: Arrow's, for files whose physical lines are their records.

:func:`read_records_arrow` reads a file that needs no care (no quotes, lines
ended by ``\\n`` or ``\\r\\n``, every row as wide as the header, empty lines
among the rows but empty ones) with ``pyarrow.csv`` straight from its bytes into Arrow-backed
``string`` columns, trimmed and with blank rows dropped by Arrow compute. It
gives exactly what :func:`~outcomes.inputs.readers.delimited._read_records`
gives, or ``None``: then the other readers decide, and word any error.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from outcomes.inputs.readers.table import LINE, clean_headers, text_frame

#: What ``str.strip()`` takes off: every character Python counts as white space.
_WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())

#: Bytes (as UTF-8) that send a file to the other readers: quotes (a record may span
#: lines), NUL, the line breaks ``str.splitlines`` knows besides ``\n`` and ``\r\n``,
#: and the byte-order mark; the same as the pandas reader's ``_NOT_FAST``.
_NOT_ARROW = (b'"', b"\x00", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e")
_NOT_ARROW_UTF8 = (b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9", b"\xef\xbb\xbf")


def iter_lines(text: str) -> Iterator[str]:
    """The physical lines of ``text`` (ended by ``\\n`` or ``\\r\\n``), one at a time."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end].removesuffix("\r")
        start = end + 1


def _header(text: str, delimiter: str, shown: str) -> tuple[list[str], int] | None:
    """The header as the careful reader finds it (first line with a non-blank cell) and its line number."""
    for number, line in enumerate(iter_lines(text), start=1):
        cells = line.split(delimiter)  # no quotes in the file: csv splits the same way
        if any(cell.strip() for cell in cells):
            return clean_headers(cells, shown, number), number
    return None


def _body(data: bytes, header_line: int) -> tuple[memoryview, int]:
    """The bytes after the header line without the line breaks that end the file, and the blank lines among those."""
    offset = 0
    for _ in range(header_line):
        found = data.find(b"\n", offset)
        offset = len(data) if found < 0 else found + 1
    end = len(data)
    breaks = 0
    while end > offset and data[end - 1 : end] == b"\n":
        end -= 2 if data[end - 2 : end] == b"\r\n" and end - 2 >= offset else 1
        breaks += 1
    # The first break ends the last row (when there is one); each further one is a blank line.
    return memoryview(data)[offset:end], breaks - 1 if end > offset and breaks else breaks


def _needs_care(data: bytes) -> bool:
    """Whether ``data`` holds a byte of :data:`_NOT_ARROW` (or of ``_NOT_ARROW_UTF8``), or a lone ``\\r``."""
    # One scan per byte (memchr) is far quicker than one regular expression over the file.
    if any(b in data for b in _NOT_ARROW) or (not data.isascii() and any(b in data for b in _NOT_ARROW_UTF8)):
        return True
    return b"\r" in data and data.count(b"\r") != data.count(b"\r\n")


def read_records_arrow(data: bytes, text: str, delimiter: str, shown: str) -> tuple[pd.DataFrame, int] | None:
    """The records of a CSV with Arrow's reader: (table with :data:`LINE`, blank rows), or ``None``.

    Parameters
    ----------
    data
        The file as UTF-8 bytes, without a byte-order mark.
    text
        The same, decoded (the header is read from it).
    delimiter, shown
        The separator, and the file as messages name it.

    Returns
    -------
    tuple or None
        ``None`` when the file needs another reader: quotes or odd line breaks,
        a row narrower or wider than the header (a line of spaces too),
        a cell too long for the ``csv`` module, or anything Arrow stumbles on.
    """
    if _needs_care(data):
        return None
    found = _header(text, delimiter, shown)
    if found is None:
        return None
    headers, header_line = found
    body, blank = _body(data, header_line)
    if not len(body):
        return text_frame(headers, [], []), blank
    names = [f"c{i}" for i in range(len(headers))]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, quote_char=False, escape_char=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, null_values=[]
            ),
        )
    except (pa.ArrowInvalid, ValueError):  # rows of another width, and anything else: the other readers decide
        return None
    limit = csv.field_size_limit()
    if any((pc.max(pc.binary_length(column)).as_py() or 0) > limit for column in table.columns):
        return None  # a cell the csv module refuses (it counts characters, never more than bytes): let it say so
    columns = [pc.utf8_trim(table.column(i).fill_null(""), characters=_WHITESPACE) for i in range(len(names))]
    blank_rows = pc.equal(pc.binary_length(columns[0]), 0)
    for column in columns[1:]:
        blank_rows = pc.and_(blank_rows, pc.equal(pc.binary_length(column), 0))
    lines = np.arange(header_line + 1, header_line + 1 + table.num_rows, dtype="int64")
    dropped = pc.sum(blank_rows).as_py() or 0
    if dropped:
        keep = pc.invert(blank_rows)
        columns = [column.filter(keep) for column in columns]
        lines = lines[~blank_rows.to_numpy(zero_copy_only=False)]
    frame = pd.DataFrame(
        {name: pd.arrays.ArrowStringArray(column) for name, column in zip(headers, columns, strict=True)}
    )
    frame[LINE] = lines
    return frame, blank + dropped
