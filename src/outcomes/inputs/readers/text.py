"""Text files: one encoding for the whole file, decided from evidence, and the separator of a CSV.

Every text file the workbench reads (the analysts' CSV inputs through
:mod:`outcomes.inputs.readers.delimited`, SSB and FHI indicator exports through
:mod:`outcomes.analyses.baseline.readers`) is decoded by :func:`decode_text`, and
its separator found by :func:`detect_delimiter` (a header line known) or
:func:`find_header_line` (title lines may come before the header).
"""

from __future__ import annotations

import bisect
import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass

from outcomes.core.errors import InputError

#: Separators of the analysts' CSV files, in the order a tie is decided.
DELIMITERS = (";", ",", "\t", "|")
#: Separators of statistics exports (SSB), in the order they are tried.
EXPORT_DELIMITERS = (";", "\t", ",")

#: Lines named in an encoding error before the rest are only counted.
_LINES_SHOWN = 10
#: A byte that is not valid UTF-8, as ``bytes.decode("utf-8", "surrogateescape")`` gives it.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
#: A character that came from a valid multi-byte UTF-8 sequence (the byte-order mark too).
_UTF8_CHARACTER = re.compile("[^\x00-\x7f\udc80-\udcff]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Bytes that are no character in Windows-1252.
_UNDEFINED_IN_CP1252 = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_SAVE_AS_UTF8 = "(in Excel: Save as > 'CSV UTF-8 (comma delimited)')"


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


def _holds(lines: list[int]) -> str:
    return "holds" if len(lines) == 1 else "hold"


def _neither_encoding(text: str, file: str | None) -> InputError:
    """The error for bytes that are neither UTF-8 nor Windows-1252 (``text`` decoded with ``surrogateescape``)."""
    bad = [m.start() for m in _ESCAPED_BYTE.finditer(text)]
    undefined = [p for p in bad if ord(text[p]) - 0xDC00 in _UNDEFINED_IN_CP1252]
    lines = _line_numbers(text, undefined)
    return InputError(
        f"{_named_lines(lines)} {_holds(lines)} bytes that are neither UTF-8 nor "
        f"Windows-1252 ({_byte_examples(text, undefined)})",
        file=file,  # the message names every line
        expected="text saved as UTF-8 (or Windows-1252)",
        hint=f"The file may be in another encoding or damaged. Open it and save it as UTF-8 {_SAVE_AS_UTF8}.",
    )


def _mixed_encodings(text: str, bom: bool, first_utf8: int, file: str | None) -> InputError:
    """The error for a UTF-8 file (byte-order mark, or a UTF-8 letter at ``first_utf8``) with other bytes in it."""
    bad = [m.start() for m in _ESCAPED_BYTE.finditer(text)]
    lines = _line_numbers(text, bad)
    utf8_line = _line_numbers(text, [first_utf8])[0]
    also = (
        "while the file starts with a UTF-8 byte-order mark"
        if bom
        else f"while it also holds UTF-8 letters (first on line {utf8_line})"
    )
    return InputError(
        f"the file mixes two text encodings: {_named_lines(lines)} "
        f"{_holds(lines)} bytes that are not UTF-8 ({_byte_examples(text, bad)}), " + also,
        file=file,  # the message names every line
        expected="the whole file in one encoding, preferably UTF-8",
        hint=f"Correct the letters on those lines and save the file as UTF-8 {_SAVE_AS_UTF8}. "
        "The file is not read as Windows-1252 instead: its UTF-8 letters "
        "would then be published garbled (ø as Ã¸).",
    )


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
    if utf8 is not None:
        raise _mixed_encodings(text, bom, utf8.start(), file) from None
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise _neither_encoding(text, file) from None


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
    """The separator used in a CSV header line: the most frequent of ``; , tab |`` (``,`` when none)."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


@dataclass(frozen=True)
class HeaderLine:
    """Where the header of a statistics export is, found by :func:`find_header_line`.

    Attributes
    ----------
    index
        The header's position in the lines (0-based).
    delimiter
        The separator that splits it.
    title
        The first non-blank line before it, without surrounding quotes ("" when none).
    """

    index: int
    delimiter: str
    title: str


def find_header_line(
    lines: Sequence[str], delimiters: Sequence[str] = EXPORT_DELIMITERS, min_fields: int = 2
) -> HeaderLine | None:
    """The first non-blank line that a separator splits into ``min_fields`` or more fields.

    Statistics exports put title lines before the header (SSB's CSV starts with
    ``"08764: Personer, etter region"``); a quoted title is one field whatever
    separators it holds. Separators are tried in the order given.

    Returns
    -------
    HeaderLine or None
        ``None`` when no line splits.
    """
    title = ""
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        for delimiter in delimiters:
            if len(next(csv.reader([line], delimiter=delimiter))) >= min_fields:
                return HeaderLine(index, delimiter, title)
        title = title or line.strip().strip('"')
    return None
