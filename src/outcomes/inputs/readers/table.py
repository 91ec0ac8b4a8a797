"""What every reader gives: a table of trimmed text cells with the line each row came from.

:class:`RawTable` is the readers' result; :func:`read_input_bytes` reads a file
once (callers hash those bytes and parse the same bytes); :func:`clean_headers`
and :func:`text_frame` are the steps the CSV and ``.xlsx`` readers share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from outcomes.core import paths
from outcomes.core.errors import InputError
from outcomes.inputs.identity.names import holds_full_name
from outcomes.inputs.identity.national_id import contains_national_id

#: Characters that make the quick CSV readers step aside for the careful one: quotes (a
#: record may then span lines, and quotes are taken off), the line breaks
#: ``str.splitlines`` knows besides ``\n`` and ``\r\n``, NUL, and the byte-order mark
#: (which pandas drops at the start of its input).
NEEDS_CARE = ('"', "\x00", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\ufeff")

#: Column in a read table holding the line number in the source file.
LINE = "_line"


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


def clean_headers(headers: list[str], file: str, line: int) -> list[str]:
    """The header cells trimmed (inner spaces collapsed, byte-order marks dropped).

    Raises
    ------
    InputError
        When a column has no name or two columns have the same name (case
        ignored); a header that is an identity number is named by its position.
    """
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
            identifies = contains_national_id(name, anywhere=True) or holds_full_name(name)
            shown = f"column {position}" if identifies else name  # never repeat a number or a name
            raise InputError(
                f"the header names column '{shown}' twice",
                file=file,
                line=line,
                column=shown,
                expected="each column named once",
            )
        seen.add(name.casefold())
    return cleaned


def text_frame(headers: list[str], rows: list[list[str]], lines: list[int]) -> pd.DataFrame:
    """The rows as a table of ``string`` cells ("" for missing), with their line numbers in :data:`LINE`."""
    frame = (
        pd.DataFrame(rows, columns=headers, dtype="string")
        if rows
        else pd.DataFrame({h: pd.Series(dtype="string") for h in headers})
    )
    frame = frame.fillna("")
    frame[LINE] = pd.Series(lines, dtype="int64")
    return frame
