"""A tidy indicator CSV, for figures typed in by hand or from sources other than SSB and FHI.

Columns ``indicator, region_code, period, value[, numerator, denominator,
status, source]``, comma separated, UTF-8; read straight into the tidy table
(:data:`~.tidy.TIDY_COLUMNS`).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from outcomes.analyses.baseline.readers.cells import read_indicator_text
from outcomes.analyses.baseline.readers.tidy import (
    TIDY_COLUMNS,
    UNREADABLE,
    finish_tidy,
    normalise_region_code,
    parse_cell,
    parse_period,
)
from outcomes.core.errors import InputError
from outcomes.registries.indicator_catalogue import IndicatorCatalogue

_REQUIRED = ["indicator", "region_code", "period", "value"]


def is_tidy_csv(path: Path) -> bool:
    """True for a ``.csv`` whose first line names an ``indicator`` column (a tidy file, not an SSB export)."""
    if path.suffix.lower() != ".csv":
        return False
    first = read_indicator_text(path).splitlines()[:1]
    return bool(first) and "indicator" in [c.strip() for c in first[0].split(",")]


def _count(rec: dict[str, str], col: str, path: Path, line: int) -> float:
    """A numerator or denominator cell as a number (NaN when blank or a marker)."""
    value, marker = parse_cell(rec.get(col, ""))
    if marker == UNREADABLE:
        raise InputError(
            f"{col} {rec[col]!r} is not a number.", file=path, line=line, column=col, expected="a number or blank"
        )
    return value


def _tidy_row(rec: dict[str, str], path: Path, line: int, known: set[str] | None) -> dict[str, object]:
    """One line of the file as a tidy row, checked cell by cell."""
    if known is not None and rec["indicator"] not in known:
        raise InputError(
            f"Unknown indicator {rec['indicator']!r}.",
            file=path,
            line=line,
            column="indicator",
            expected=", ".join(sorted(known)),
        )
    try:
        start, end = parse_period(rec["period"])
    except ValueError as exc:
        raise InputError(
            str(exc), file=path, line=line, column="period", expected="2023, 2021_2023 or 2018-2024"
        ) from exc
    value, marker = parse_cell(rec["value"])
    if marker == UNREADABLE:
        raise InputError(
            f"Value {rec['value']!r} is not a number.",
            file=path,
            line=line,
            column="value",
            expected="a number or a marker",
        )
    status = (rec.get("status") or "").strip() or marker
    if status and pd.notna(value):
        # A marked value is not a value: the marker wins, so a suppressed
        # figure can never slip into an aggregate.
        value = np.nan
    return {
        "indicator": rec["indicator"],
        "region_code": normalise_region_code(rec["region_code"]),
        "region_code_original": normalise_region_code(rec["region_code"]),
        "period": str(rec["period"]).strip(),
        "period_start": start,
        "period_end": end,
        "value": value,
        "numerator": _count(rec, "numerator", path, line),
        "denominator": _count(rec, "denominator", path, line),
        "status": status,
        "source": rec.get("source", "") or "",
        "source_file": str(path),
    }


def read_tidy_csv(path: str | Path, catalogue: IndicatorCatalogue | None = None) -> pd.DataFrame:
    """Read a tidy indicator CSV (comma separated, UTF-8).

    Parameters
    ----------
    path
        Columns ``indicator, region_code, period, value`` and optionally
        ``numerator, denominator, status, source``. ``value`` may be blank or a
        marker (``..``) when missing; ``status`` holds the marker otherwise.
        Values in the indicator's unit (percent, per 1,000 or count);
        numerators and denominators are counts (persons).
    catalogue
        If given, indicator ids are checked against it.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~.tidy.TIDY_COLUMNS`, sorted.

    Raises
    ------
    InputError
        Naming the line and column of the first unusable cell.
    """
    path = Path(path)
    frame = pd.read_csv(io.StringIO(read_indicator_text(path)), dtype=str, keep_default_na=False)
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise InputError(
            f"Missing column(s) {', '.join(missing)}; found {', '.join(frame.columns)}.",
            file=path,
            line=1,
            expected="indicator, region_code, period, value[, numerator, denominator, status]",
        )
    known = set(catalogue.ids()) if catalogue is not None else None
    # Every cell was read as text (dtype=str, no NA conversion): line i of the body is line i + 2 of the file.
    records = [{str(k): str(v) for k, v in rec.items()} for rec in frame.to_dict("records")]
    rows = [_tidy_row(rec, path, i + 2, known) for i, rec in enumerate(records)]
    return finish_tidy(pd.DataFrame(rows, columns=TIDY_COLUMNS))
