"""SSB CSV exports (statbank "Lagre som CSV" / API ``csv``), read into :class:`~.cells.Cells`.

``;``, tab or ``,`` separated, title lines before the header allowed,
dimension cells written as codes or as ``"3401 Kongsvinger"``, time either as
a column (long) or as column headers (wide), decimal comma allowed.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from outcomes.analyses.baseline.readers.cells import Cells, read_indicator_text, table_from_filename
from outcomes.analyses.baseline.readers.tidy import UNREADABLE, normalise_region_code, parse_cell
from outcomes.core.errors import InputError
from outcomes.inputs.readers.text import find_header_line

#: Header labels of SSB's CSV export -> the dimension ids of its JSON-stat.
_CSV_HEADER_TO_ID = {
    "region": "Region",
    "år": "Tid",
    "tid": "Tid",
    "tidsperiode": "Tid",
    "kvartal": "Tid",
    "statistikkvariabel": "ContentsCode",
    "kjønn": "Kjonn",
    "alder": "Alder",
}

#: One cell read from the file: dimension codes, ``value``, ``status`` and the ``_line`` it came from.
_Record = dict[str, object]


def _split_code(cell: str) -> str:
    """``"3401 Kongsvinger"`` -> ``"3401"``; ``"Hele landet"`` -> ``"0"``; a bare code is kept."""
    cell = str(cell).strip()
    if cell.lower() == "hele landet":
        return "0"
    return cell.split(" ", 1)[0]


def _find_header(lines: list[str]) -> tuple[int | None, str, str]:
    """Index of the header line, its delimiter, and the first title line above it (``""`` if none)."""
    found = find_header_line(lines)  # the inputs layer's one detector of export headers
    return (None, ";", "") if found is None else (found.index, found.delimiter, found.title)


def _check_width(row: list[str], header: list[str], path: Path, line: int) -> None:
    if len(row) != len(header):
        raise InputError(
            f"Row has {len(row)} fields, the header has {len(header)}.",
            file=path,
            line=line,
            expected=f"{len(header)} fields",
        )


def _long_records(
    body: list[list[str]], header: list[str], ids: list[str], value_col: int, first_line: int, path: Path
) -> list[_Record]:
    """One record per row: dimension codes from every column but the value column."""
    dim_cols = [i for i in range(len(header)) if i != value_col]
    records: list[_Record] = []
    for n, row in enumerate(body, start=first_line):
        _check_width(row, header, path, n)
        rec: _Record = {ids[i]: _split_code(row[i]) if ids[i] != "Tid" else row[i].strip() for i in dim_cols}
        rec["value"], rec["status"] = parse_cell(row[value_col])
        rec["_line"] = n
        records.append(rec)
    return records


def _period_columns(header: list[str], ids: list[str]) -> dict[int, tuple[str, str]]:
    """Columns named by a period (``2023``, ``Andel 2021-2023``): position -> (period, text before it)."""
    period_cols = {}
    for i, h in enumerate(header):
        m = re.search(r"(\d{4}(?:\s*[_\-/]\s*\d{4})?)\s*$", h)
        if m and ids[i] not in ("Region",):
            period_cols[i] = (m.group(1).replace(" ", ""), h[: m.start()].strip())
    return period_cols


def _wide_records(
    body: list[list[str]], header: list[str], ids: list[str], header_at: int, path: Path
) -> list[_Record]:
    """One record per row and period column; text before the period names the statistic."""
    period_cols = _period_columns(header, ids)
    if not period_cols:
        raise InputError(
            "No value column and no period columns found.",
            file=path,
            line=header_at + 1,
            expected="a column 'value' (long) or columns named by period such as '2023' or '2021-2023' (wide)",
        )
    dim_cols = [i for i in range(len(header)) if i not in period_cols]
    records: list[_Record] = []
    for n, row in enumerate(body, start=header_at + 2):
        _check_width(row, header, path, n)
        base: _Record = {ids[i]: _split_code(row[i]) for i in dim_cols}
        for i, (period, prefix) in period_cols.items():
            rec = dict(base)
            rec["Tid"] = period
            if prefix and "ContentsCode" not in rec:
                rec["ContentsCode"] = _split_code(prefix)
            rec["value"], rec["status"] = parse_cell(row[i])
            rec["_line"] = n
            records.append(rec)
    return records


def _cells_frame(records: list[_Record], header_at: int, path: Path) -> pd.DataFrame:
    """The records as a frame of codes, ``value`` and ``status``; every cell readable, region and period present."""
    frame = pd.DataFrame(records)
    bad = frame[frame["status"] == UNREADABLE] if len(frame) else frame
    if len(bad):
        raise InputError(
            "A value is neither a number nor an SSB marker.",
            file=path,
            line=int(bad["_line"].iloc[0]),
            expected="a number, '.', '..' or ':'",
        )
    if "Region" not in frame.columns:
        raise InputError(
            "No region column.", file=path, line=header_at + 1, column="region", expected="a column 'region'"
        )
    if "Tid" not in frame.columns:
        raise InputError(
            "No period column.", file=path, line=header_at + 1, column="år", expected="a column 'år' or period headers"
        )
    frame = frame.drop(columns="_line")
    for col in frame.columns:
        if col not in ("value", "status"):
            frame[col] = frame[col].astype(str)
    frame["Region"] = frame["Region"].map(normalise_region_code)
    return frame


def read_ssb_csv(path: str | Path) -> Cells:
    """Read an SSB statbank/PxWebApi CSV export into cells.

    Parameters
    ----------
    path
        A ``.csv`` file exported from SSB, long (one value column named
        ``value``/``verdi``) or wide (periods as column headers, e.g.
        ``2021-2023`` or ``Andel 2023``). Dimension headers may be labels
        (``region``, ``år``, ``statistikkvariabel``) or codes (``Region``,
        ``Tid``, ``ContentsCode``). Dimension cells may be ``"3401 Kongsvinger"``
        (code and text): the code is kept.

    Returns
    -------
    Cells
        As :func:`~.jsonstat.read_jsonstat`. Publisher and table come from a
        title line such as ``"08764: ..."`` or the file name
        (``ssb_08764_...csv``).

    Raises
    ------
    InputError
        With the line and column when a value cannot be read or the region or
        period column is missing.
    """
    path = Path(path)
    lines = read_indicator_text(path).splitlines()
    header_at, delimiter, title = _find_header(lines)
    if header_at is None:
        raise InputError("No header line with two or more columns found.", file=path, expected="an SSB CSV export")
    rows = list(csv.reader(io.StringIO("\n".join(lines[header_at:])), delimiter=delimiter))
    header = [h.strip() for h in rows[0]]
    body = [r for r in rows[1:] if any(c.strip() for c in r)]
    ids = [_CSV_HEADER_TO_ID.get(h.lower(), h) for h in header]
    value_col = next((i for i, h in enumerate(header) if h.lower() in ("value", "verdi")), None)
    if value_col is not None:
        records = _long_records(body, header, ids, value_col, header_at + 2, path)
    else:
        records = _wide_records(body, header, ids, header_at, path)
    frame = _cells_frame(records, header_at, path)
    publisher, table = table_from_filename(path)
    m = re.match(r"^\s*(\d{4,5})\s*:", title)
    if m:
        table, publisher = m.group(1), publisher or "SSB"
    return Cells(
        frame=frame, path=str(path), publisher=publisher or "SSB", table=table, geo="Region", time="Tid", label=title
    )
