"""One downloaded SSB/FHI table as cells, before any indicator is picked out of it.

The JSON-stat reader (:mod:`.jsonstat`) and the SSB CSV reader
(:mod:`.ssb_csv`) both return :class:`Cells`; :mod:`.extract` turns cells into
tidy indicator rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from outcomes.analyses.baseline.readers.notes import SourceNote
from outcomes.core.errors import InputError
from outcomes.inputs.readers import decode_text


@dataclass(frozen=True)
class Cells:
    """One downloaded table as cells: one row per combination of categories.

    ``frame`` has one column per dimension (category codes as strings), plus
    ``value`` (float, NaN when missing) and ``status`` (marker or ``""``).
    ``geo`` and ``time`` name the dimensions holding regions and periods;
    ``publisher`` (``SSB``, ``FHI``) and ``table`` (e.g. ``"13556"``) say which
    published table it is, ``None`` when that cannot be told. ``notes`` are the
    publisher's footnotes (dataset, dimension and category notes) and
    ``flags`` what each status symbol means in the publisher's words (FHI's
    flag list), both empty when the file has none.
    """

    frame: pd.DataFrame
    path: str
    publisher: str | None
    table: str | None
    geo: str
    time: str
    label: str = ""
    updated: str | None = None
    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: tuple[SourceNote, ...] = ()
    flags: dict[str, str] = field(default_factory=dict)


def read_indicator_text(path: Path) -> str:
    """The text of a downloaded CSV file, decoded by the workbench's one encoding rule.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    str
        The decoded text.

    Raises
    ------
    InputError
        If the file is missing or mixes encodings.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError("File not found.", file=path) from exc
    # SSB exports have been both UTF-8 (with BOM) and Windows-1252: one encoding for the whole file, from evidence.
    return decode_text(raw, str(path))[0]


def table_from_filename(path: Path) -> tuple[str | None, str | None]:
    """Publisher and table number from a file name such as ``ssb_13556_neet.json`` (``None`` when absent)."""
    m = re.search(r"(?i)(ssb|fhi|nav)[_\-]?(\d{2,5})", path.name)
    if not m:
        return None, None
    return m.group(1).upper(), m.group(2)
