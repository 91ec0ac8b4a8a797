"""The quickest CSV reader: Arrow's, for files whose physical lines are their records.

:func:`read_records_arrow` reads a file that needs no care (no quotes, lines
ended by ``\\n`` or ``\\r\\n``, every row as wide as the header, empty lines
among the rows but empty ones) with ``pyarrow.csv`` straight from its bytes into Arrow-backed
``string`` columns, trimmed and with blank rows dropped by Arrow compute. It
gives exactly what :func:`~outcomes.inputs.readers.delimited._read_records`
gives, or ``None``: then the other readers decide, and word any error.
"""

from __future__ import annotations

import codecs
import csv
import os
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from outcomes.inputs.columnar import (
    WHITESPACE,
    cell_lengths,
    factorize_text,
    map_in_threads,
    may_have_edge_space,
    mostly_distinct,
)
from outcomes.inputs.readers.table import LINE, NEEDS_CARE, clean_headers, text_frame
from outcomes.inputs.readers.text import detect_delimiter

#: Memory for large columns and scratch work: the system's allocator hands freed
#: memory back, where Arrow's default one keeps it for the process (and the peak grows).
SCRATCH = pa.system_memory_pool()

#: :data:`~outcomes.inputs.readers.table.NEEDS_CARE` as UTF-8 bytes: the ASCII ones looked for in
#: the whole file, the others (a byte-order mark included) after the one that may start it.
_NOT_ARROW = tuple(c.encode() for c in NEEDS_CARE if c.isascii())
_NOT_ARROW_UTF8 = tuple(c.encode() for c in NEEDS_CARE if not c.isascii())


#: The body of a large file is read in parts, at most this many (one per core, up
#: to four), each at least :data:`PART_BYTES` long, in threads of our own
#: (:func:`~outcomes.inputs.columnar.map_in_threads`).
MAX_PARTS = min(4, os.cpu_count() or 1)
PART_BYTES = 4 << 20


def _parts(body: memoryview) -> list[memoryview]:
    """``body`` cut after line breaks into :data:`MAX_PARTS` parts for a large body, else the body itself."""
    count = min(MAX_PARTS, len(body) // PART_BYTES)
    cuts = [0]
    for i in range(1, max(count, 1)):
        cut = _after_line_break(body, len(body) * i // count)
        if cut is None:
            break
        cuts.append(cut)
    cuts.append(len(body))
    return [body[start:end] for start, end in zip(cuts, cuts[1:], strict=False)]


def parsed_in_parts(body: memoryview, parse: Callable[[memoryview], pa.Table]) -> pa.Table:
    """``parse`` of ``body``, a large body cut into parts after line breaks (:func:`_parts`) and parsed side by side.

    ``parse`` reads whole lines in the calling thread (Arrow's ``use_threads=False``):
    the threads are our own (:func:`~outcomes.inputs.columnar.map_in_threads`),
    so no Arrow thread pool is left alive at exit, where it can abort the interpreter.
    """
    parts = _parts(body)
    if len(parts) == 1:
        return parse(body)
    return pa.concat_tables(map_in_threads(parse, parts))


def _after_line_break(body: memoryview, start: int) -> int | None:
    """Where the line after the first ``\\n`` at or after ``start`` begins (``None``: no further line)."""
    window = 1 << 16
    while start < len(body):
        found = bytes(body[start : start + window]).find(b"\n")
        if found >= 0:
            cut = start + found + 1
            return cut if cut < len(body) else None
        start += window
    return None


def _valid_utf8(data: bytes) -> bool:
    """Whether ``data`` (not all ASCII) decodes as UTF-8, as ``bytes.decode`` judges it, a megabyte at a time.

    No copy of the text is kept. ASCII, which is UTF-8, is told apart before
    (``bytes.isascii``, without making text of the bytes).
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), 1 << 20):
            decoder.decode(view[start : start + (1 << 20)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _header(data: bytes, start: int, shown: str) -> tuple[list[str], int, str] | None:
    """The header as the careful reader finds it, its line number and the separator (``None``: all lines blank).

    The separator is :func:`~outcomes.inputs.readers.text.detect_delimiter` of the first
    line that is not blank, and the header the first line with a cell that is not.
    """
    delimiter = None
    number = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        line = bytes(data[start:end]).decode("utf-8").removesuffix("\r")
        number += 1
        start = end + 1
        if delimiter is None and line.strip():
            delimiter = detect_delimiter(line)
        if delimiter is not None:
            cells = line.split(delimiter)  # no quotes in the file: csv splits the same way
            if any(cell.strip() for cell in cells):
                return clean_headers(cells, shown, number), number, delimiter
    return None


def _body(data: bytes, offset: int, header_line: int) -> tuple[memoryview, int]:
    """The bytes after the header line without the line breaks that end the file, and the blank lines among those."""
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


def _needs_care(data: bytes, start: int, all_ascii: bool) -> bool:
    """Whether ``data[start:]`` holds a byte of :data:`_NOT_ARROW` (or of ``_NOT_ARROW_UTF8``), or a lone ``\\r``.

    ``all_ascii``: whether every byte of ``data`` is ASCII (then none of ``_NOT_ARROW_UTF8`` can be there).
    """
    # One scan per byte (memchr) is far quicker than one regular expression over the file.
    if any(b in data for b in _NOT_ARROW):
        return True
    if not all_ascii and any(data.find(b, start) >= 0 for b in _NOT_ARROW_UTF8):
        return True
    return b"\r" in data and data.count(b"\r") != data.count(b"\r\n")


def read_records_arrow(data: bytes, shown: str) -> tuple[pd.DataFrame, int, str, str] | None:
    """The records of a CSV with Arrow's reader: (table with :data:`LINE`, blank rows, encoding, separator), or ``None``.

    Parameters
    ----------
    data
        The file's bytes.
    shown
        The file as messages name it.

    Returns
    -------
    tuple or None
        ``None`` when the file needs another reader: not UTF-8, quotes or odd
        line breaks, a row narrower or wider than the header (a line of spaces
        too), a cell too long for the ``csv`` module, or anything Arrow stumbles on.
    """
    bom = data.startswith(b"\xef\xbb\xbf")
    all_ascii = data.isascii()
    if _needs_care(data, 3 if bom else 0, all_ascii) or not (all_ascii or _valid_utf8(data)):
        return None
    found = _header(data, 3 if bom else 0, shown)
    if found is None:
        return None
    headers, header_line, delimiter = found
    body, blank = _body(data, 3 if bom else 0, header_line)
    encoding = "utf-8-sig" if bom else "utf-8"
    if not len(body):
        return text_frame(headers, [], []), blank, encoding, delimiter
    names = [f"c{i}" for i in range(len(headers))]
    try:
        table = parsed_in_parts(body, lambda part: _read_part(part, names, delimiter))
    except (pa.ArrowInvalid, ValueError):  # rows of another width, and anything else: the other readers decide
        return None
    prepared = map_in_threads(_prepared, table.columns)
    del table
    if any(longest > csv.field_size_limit() for _, longest, _ in prepared):
        return None  # a cell the csv module refuses (it counts characters, never more than bytes): let it say so
    columns = [column for column, _, _ in prepared]
    lines = np.arange(header_line + 1, header_line + 1 + len(columns[0]), dtype="int64")
    may_be_blank = all(may_be_empty for _, _, may_be_empty in prepared)
    blank_rows = _blank_rows(columns) if may_be_blank else np.zeros(len(lines), dtype=bool)
    dropped = int(blank_rows.sum())
    if dropped:
        keep = pa.array(~blank_rows)
        columns = [column.filter(keep) for column in columns]
        lines = lines[~blank_rows]
    frame = pd.DataFrame(
        {name: pd.arrays.ArrowStringArray(column) for name, column in zip(headers, columns, strict=True)}
    )
    frame[LINE] = lines
    return frame, blank + dropped, encoding, delimiter


def _blank_rows(columns: list[pa.ChunkedArray]) -> np.ndarray:
    """Which rows have every cell empty."""
    blank = pc.equal(pc.binary_length(columns[0]), 0)
    for column in columns[1:]:
        blank = pc.and_(blank, pc.equal(pc.binary_length(column), 0))
    return np.asarray(blank.to_numpy(zero_copy_only=False), dtype=bool)


def _read_part(part: memoryview, names: list[str], delimiter: str) -> pa.Table:
    """Whole lines of the body as text columns named ``names``, parsed in the calling thread.

    Read as bytes and then seen as text without a second look: the whole file
    is valid UTF-8 (:func:`_valid_utf8`, before any part is read), and cells end
    at an ASCII separator or line break, never inside a character.
    """
    table = pacsv.read_csv(
        pa.py_buffer(part),
        read_options=pacsv.ReadOptions(column_names=names, use_threads=False),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, quote_char=False, escape_char=False, ignore_empty_lines=False
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.large_binary()), strings_can_be_null=False, null_values=[]
        ),
        memory_pool=SCRATCH,
    )
    text = pa.large_string()
    return pa.table(
        {
            name: pa.chunked_array([chunk.view(text) for chunk in column.chunks], type=text)
            for name, column in zip(names, table.columns, strict=True)
        }
    )


def _prepared(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, int, bool]:
    """(the cells trimmed, the longest cell in bytes before, whether a cell may be empty once trimmed).

    Cells lose the white space ``str.strip()`` takes off; the column itself is
    kept when none has any (most columns: one copy of them in memory, not two).
    A column of few values is taken apart into them first (and kept for the
    checks that follow, in the intake), and only those are looked at.
    """
    column = column.fill_null("") if column.null_count else column
    looked_at = column
    if not mostly_distinct(column):
        _, distinct = factorize_text(pd.Series(pd.arrays.ArrowStringArray(column)))
        looked_at = pa.chunked_array(distinct.array.__arrow_array__())
    lengths = [cell_lengths(chunk) for chunk in looked_at.chunks if len(chunk)]
    longest = max((int(length.max()) for length in lengths), default=0)
    if not any(may_have_edge_space(chunk) for chunk in looked_at.chunks):
        return column, longest, any(bool((length == 0).any()) for length in lengths)
    return pc.utf8_trim(column, characters=WHITESPACE, memory_pool=SCRATCH), longest, True
