"""Read the files analysts bring, as they are, into text tables with line numbers.

Readers do not judge the data (that is :mod:`outcomes.inputs.validation`); they get
every cell out as text, trimmed, with the number of the line in the file it came
from, so every later message can point at the file, line and column.

Handled: CSV separated by ``,``, ``;`` or tabs; UTF-8, UTF-8 with BOM and
Windows-1252 (decided for the whole file from evidence, and said in the notes;
a file that mixes them is refused, naming the lines); blank rows (skipped and
counted, not data); surrounding spaces in headers and values; ``.xlsx`` (first
sheet or a named one), where the line number is the spreadsheet row: every row
is read whatever size the workbook states for the sheet, and a workbook that
would expand beyond :data:`XLSX_MAX_UNCOMPRESSED` or :data:`XLSX_MAX_RATIO`
is refused before it is opened.

Each file is read into memory once (:func:`read_input_bytes`); callers that
record a hash take it of those bytes and pass them to :func:`read_table`, so the
hash is always of the content that was parsed.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from outcomes.core import paths
from outcomes.core.errors import InputError
from outcomes.inputs.identity import contains_national_id

#: Column in a read table holding the line number in the source file.
LINE = "_line"

_DELIMITERS = (";", ",", "\t", "|")

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

#: Lines named in an encoding error before the rest are only counted.
_LINES_SHOWN = 10
#: A byte that is not valid UTF-8, as ``bytes.decode("utf-8", "surrogateescape")`` gives it.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
#: A character that came from a valid multi-byte UTF-8 sequence (the byte-order mark too).
_UTF8_CHARACTER = re.compile("[^\x00-\x7f\udc80-\udcff]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


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


def read_input_bytes(path: Path) -> bytes:
    """The bytes of an input file, read once.

    Raises
    ------
    InputError
        When the file is missing, is a folder, or cannot be read (permissions,
        a device error); the message names the file and what to check.
    """
    shown = paths.relative_to_root(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=shown, hint="Check the path in the configuration.") from None
    except IsADirectoryError:
        raise InputError(
            "this is a folder, not a file",
            file=shown,
            expected="a CSV file or an .xlsx workbook",
            hint="Check the path in the configuration.",
        ) from None
    except PermissionError:
        raise InputError(
            "the file cannot be read (permission denied)",
            file=shown,
            hint="Check that your user may read the file, or copy it to data/raw/.",
        ) from None
    except OSError as exc:
        raise InputError(
            f"the file cannot be read ({exc.strerror or exc.__class__.__name__})",
            file=shown,
            hint="Check that the file is reachable (a network drive?) and try again.",
        ) from None


def _line_numbers(text: str, positions: list[int]) -> list[int]:
    """The (1-based) line of each position in ``text``, lines ended by ``\\r\\n``, ``\\r`` or ``\\n``."""
    starts = [m.end() for m in _LINE_BREAK.finditer(text)]
    return sorted({bisect.bisect_right(starts, p) + 1 for p in positions})


def _named_lines(lines: list[int]) -> str:
    """``line 3`` / ``lines 3, 7 and 9`` / ``lines 3, 7, ... (and 12 more lines)``."""
    if len(lines) == 1:
        return f"line {lines[0]}"
    shown = lines[:_LINES_SHOWN]
    more = len(lines) - len(shown)
    if more:
        return "lines " + ", ".join(map(str, shown)) + f" (and {more} more lines)"
    return "lines " + ", ".join(map(str, shown[:-1])) + f" and {shown[-1]}"


def _byte_examples(text: str, positions: list[int], limit: int = 3) -> str:
    """The first few distinct bad bytes, each with what it is in Windows-1252 when it is something there."""
    found: list[str] = []
    for position in positions:
        byte = ord(text[position]) - 0xDC00
        try:
            meaning = f" ('{bytes([byte]).decode('cp1252')}' in Windows-1252)"
        except UnicodeDecodeError:
            meaning = ""
        example = f"byte 0x{byte:02X}{meaning}"
        if example not in found:
            found.append(example)
        if len(found) == limit:
            break
    return ", ".join(found)


def decode_text(raw: bytes, file: str | None = None) -> tuple[str, str]:
    """Decode a text file's bytes, one encoding for the whole file, decided from evidence.

    * Valid UTF-8 (with or without a byte-order mark) is UTF-8.
    * Bytes that are not valid UTF-8, in a file without any sign of UTF-8 (no
      byte-order mark, no valid multi-byte sequence such as ``ø`` written as
      UTF-8), are Windows-1252, what Norwegian Excel writes, if every byte is
      a character there.
    * Anything else is refused: a UTF-8 file with a few Windows-1252 bytes
      (one line pasted from another file) read as Windows-1252 would publish
      every UTF-8 letter garbled ("BÃ¦rum"), and read as UTF-8 would lose the
      other letters.

    Parameters
    ----------
    raw
        The file's bytes.
    file
        The file as shown to users, for the messages.

    Returns
    -------
    tuple of (str, str)
        The text and the encoding: ``utf-8-sig``, ``utf-8`` or ``cp1252``.

    Raises
    ------
    InputError
        A file that mixes encodings, or holds bytes that are neither UTF-8 nor
        Windows-1252; the message names the lines and the bytes.
    """
    bom = raw.startswith(b"\xef\xbb\xbf")
    encoding = "utf-8-sig" if bom else "utf-8"
    try:
        return raw.decode(encoding), encoding
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", errors="surrogateescape")  # each byte that is not UTF-8 kept as U+DC80-U+DCFF
    utf8 = _UTF8_CHARACTER.search(text)
    if utf8 is None:
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            bad = [m.start() for m in _ESCAPED_BYTE.finditer(text)]
            undefined = [p for p in bad if ord(text[p]) - 0xDC00 in (0x81, 0x8D, 0x8F, 0x90, 0x9D)]
            lines = _line_numbers(text, undefined)
            raise InputError(
                f"{_named_lines(lines)} {'holds' if len(lines) == 1 else 'hold'} bytes that are neither UTF-8 nor "
                f"Windows-1252 ({_byte_examples(text, undefined)})",
                file=file,  # the message names every line
                expected="text saved as UTF-8 (or Windows-1252)",
                hint="The file may be in another encoding or damaged. Open it and save it as UTF-8 "
                "(in Excel: Save as > 'CSV UTF-8 (comma delimited)').",
            ) from None
    bad = [m.start() for m in _ESCAPED_BYTE.finditer(text)]
    lines = _line_numbers(text, bad)
    utf8_line = _line_numbers(text, [utf8.start()])[0]
    raise InputError(
        f"the file mixes two text encodings: {_named_lines(lines)} "
        f"{'holds' if len(lines) == 1 else 'hold'} bytes that are not UTF-8 ({_byte_examples(text, bad)}), "
        + (
            "while the file starts with a UTF-8 byte-order mark"
            if bom
            else f"while it also holds UTF-8 letters (first on line {utf8_line})"
        ),
        file=file,  # the message names every line
        expected="the whole file in one encoding, preferably UTF-8",
        hint="Correct the letters on those lines and save the file as UTF-8 (in Excel: Save as > "
        "'CSV UTF-8 (comma delimited)'). The file is not read as Windows-1252 instead: its UTF-8 letters "
        "would then be published garbled (ø as Ã¸).",
    ) from None


def detect_encoding(raw: bytes, file: str | None = None) -> str:
    """Name the text encoding of a file's bytes: ``utf-8-sig``, ``utf-8`` or ``cp1252``.

    See :func:`decode_text`, which decides it (and refuses mixed encodings).

    Raises
    ------
    InputError
        As :func:`decode_text`.
    """
    return decode_text(raw, file)[1]


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
                f"the header names column '{shown}' twice",
                file=file,
                line=line,
                column=shown,
                expected="each column named once",
            )
        seen.add(name.casefold())
    return cleaned


def _frame(headers: list[str], rows: list[list[str]], lines: list[int]) -> pd.DataFrame:
    frame = (
        pd.DataFrame(rows, columns=headers, dtype="string")
        if rows
        else pd.DataFrame({h: pd.Series(dtype="string") for h in headers})
    )
    frame = frame.fillna("")
    frame[LINE] = pd.Series(lines, dtype="int64")
    return frame


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


def _read_csv_text(path: Path, fast: bool, content: bytes | None = None) -> RawTable:
    """:func:`read_csv_text`, with the fast reader allowed or not (tests compare both)."""
    shown = paths.relative_to_root(path)
    raw = read_input_bytes(path) if content is None else content
    if not raw.strip(b"\xef\xbb\xbf \t\r\n"):
        raise InputError("the file is empty", file=shown, expected="a header row and data rows")
    if b"\x00" in raw[:4096]:
        raise InputError(
            "the file is not text (binary content, or UTF-16)",
            file=shown,
            expected="CSV saved as UTF-8 or Windows-1252, or an .xlsx workbook",
        )
    text, encoding = decode_text(raw, shown)
    del raw
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
                extra = cells[len(headers) :]
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
            'a quote (") opened on this line is never closed, so the rest of the file would be read as one value',
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
    data = {name: pd.array(cells, dtype="string") for name, cells in zip(headers, columns, strict=False)}
    frame = pd.DataFrame(data)
    frame[LINE] = pd.Series(row_lines, dtype="int64")
    return frame, len(blank_rows)


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
            expected="an .xlsx file saved by Excel or LibreOffice",
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
    from openpyxl import load_workbook  # imported here: only spreadsheet users pay for it
    from openpyxl.utils import get_column_letter

    shown = paths.relative_to_root(path)
    raw = read_input_bytes(path) if content is None else content
    check_workbook_size(raw, shown)
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(
            f"the workbook cannot be opened ({exc.__class__.__name__})",
            file=shown,
            expected="an .xlsx file saved by Excel or LibreOffice",
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError(
                f"the workbook has no sheet '{sheet}'", file=shown, expected="one of " + ", ".join(book.sheetnames)
            )
        ws = book[sheet] if sheet else book.worksheets[0]
        # The size the sheet states (its <dimension> tag); openpyxl's read-only mode
        # would stop at it, silently dropping the rows and columns beyond.
        stated_rows, stated_columns = ws.max_row, ws.max_column
        stated = ws.calculate_dimension() if stated_rows and stated_columns else None
        ws.reset_dimensions()  # read every row and column the sheet holds
        headers, rows, row_lines, blank, extent = _sheet_rows(ws, shown)
    except InputError:
        raise
    except Exception as exc:  # damaged sheet XML and the like
        raise InputError(
            f"the sheet cannot be read ({exc.__class__.__name__}: the workbook is damaged)",
            file=shown,
            expected="an .xlsx file saved by Excel or LibreOffice",
            hint="Open the workbook in Excel or LibreOffice and save it again.",
        ) from None
    finally:
        book.close()
    if headers is None:
        raise InputError("the sheet is empty", file=shown, expected="a header row and data rows")
    notes = [f"sheet '{ws.title}'"]
    last_row, last_column = extent
    if stated is not None and (last_row > stated_rows or last_column > stated_columns):
        notes.append(
            f"the workbook states the sheet's size as {stated} but it holds values up to row {last_row}, "
            f"column {get_column_letter(last_column)}: every row was read"
        )
    if blank:
        notes.append(f"{blank} blank row(s) skipped")
    return RawTable(_frame(headers, rows, row_lines), shown, None, None, blank, notes)


def _sheet_rows(ws: object, shown: str) -> tuple[list[str] | None, list[list[str]], list[int], int, tuple[int, int]]:
    """Header, data rows, their row numbers, blank rows and the extent (last row, last column with a value)."""
    headers: list[str] | None = None
    rows: list[list[str]] = []
    row_lines: list[int] = []
    blank = 0
    last_row = last_column = 0
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):  # type: ignore[attr-defined]
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
            headers = _clean_headers(cells, shown, number)
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
        return value.strftime("%Y-%m-%d")  # type: ignore[union-attr]
    return " ".join(str(value).split())


def read_table(path: str | Path, sheet: str | None = None, *, content: bytes | None = None) -> RawTable:
    """Read a CSV or ``.xlsx`` input file as text with line numbers.

    Parameters
    ----------
    path
        File path, relative to the project root unless absolute.
    sheet
        Sheet name for workbooks; the first sheet when ``None``.
    content
        The file's bytes when the caller has read them already (to hash
        exactly what is parsed, see :func:`read_input_bytes`); otherwise the
        file is read here, once.

    Raises
    ------
    InputError
        When the file cannot be used at all.
    """
    file = paths.resolve(path)
    suffix = file.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_text(file, sheet, content)
    if suffix == ".xls":
        raise InputError(
            "old Excel .xls files are not read",
            file=paths.relative_to_root(file),
            expected="an .xlsx workbook or a CSV file",
            hint="Save the sheet as .xlsx or CSV.",
        )
    return read_csv_text(file, content)
