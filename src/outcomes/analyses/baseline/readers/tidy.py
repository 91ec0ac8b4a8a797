"""The common tidy table every indicator reader returns, and the cell rules they share.

The tidy table (:data:`TIDY_COLUMNS`) has one row per indicator, region and
period; ``period`` is the label as published (``2023``, ``2021_2023``,
``2018-2024``) and ``period_start``/``period_end`` are the years it spans.

SSB/FHI markers ``.`` (not applicable), ``..`` (missing) and ``:``
(confidential/anonymised) are kept in ``status``; the value is NaN, never 0.
A blank cell without a marker gets ``..``. SSB's ``-`` means a true zero
("null") and is read as 0.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from outcomes.core.numbers import parse_number

#: The period and value of one figure, as read and as carried into the baseline table.
FIGURE_COLUMNS: list[str] = [
    "period",
    "period_start",
    "period_end",
    "value",
    "numerator",
    "denominator",
    "status",
]

TIDY_COLUMNS: list[str] = [
    "indicator",
    "region_code",
    "region_code_original",
    *FIGURE_COLUMNS,
    "source",
    "source_file",
]

#: Markers used by SSB and FHI, and what they mean (for footnotes).
STATUS_MARKERS: dict[str, str] = {
    ".": "not applicable / not possible to report",
    "..": "missing (data not available)",
    ":": "confidential / anonymised (too few respondents)",
}

#: SSB's symbol for a true zero ("null"): read as 0, never as a missing figure.
TRUE_ZERO = "-"

#: What :func:`parse_cell` returns as the marker of a cell that is neither a number nor a marker.
UNREADABLE = "?"

_PERIOD_RE = re.compile(r"^\s*(\d{4})\s*(?:[_\-/]\s*(\d{4}))?\s*$")
_TEXT_COLUMNS = ("indicator", "region_code", "region_code_original", "period", "status", "source", "source_file")


def parse_period(label: str) -> tuple[int, int]:
    """Years spanned by a published period label.

    Parameters
    ----------
    label
        ``"2023"``, ``"2021_2023"`` (FHI), ``"2018-2024"`` (SSB cohorts) or
        ``"2017/2018"`` (school years).

    Returns
    -------
    tuple[int, int]
        First and last year; a single year gives ``(2023, 2023)``.

    Raises
    ------
    ValueError
        If the label is not one of those forms, or ends before it starts.
    """
    match = _PERIOD_RE.match(str(label))
    if not match:
        raise ValueError(f"not a year or a year range: {label!r}")
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if end < start:
        raise ValueError(f"period ends before it starts: {label!r}")
    return start, end


def parse_cell(text: str) -> tuple[float, str]:
    """A CSV cell as a number and a status marker.

    Parameters
    ----------
    text
        The cell as written: ``"14,1"``, ``"1 234"``, ``".."``, ``""`` or ``"-"``.

    Returns
    -------
    tuple[float, str]
        ``(value, "")`` for a number (decimal comma and spaces allowed;
        SSB's ``-`` is a true 0), ``(nan, marker)`` for ``.``, ``..`` or ``:``,
        ``(nan, "..")`` for a blank cell and ``(nan, UNREADABLE)`` for
        anything else (the caller says where).
    """
    text = str(text).strip()
    if text in STATUS_MARKERS:
        return np.nan, text
    if text == "":
        return np.nan, ".."
    if text == TRUE_ZERO:  # SSB: a true zero ("null"), not a suppression
        return 0.0, ""
    value = parse_number(text)  # the project's one reader of written numbers (core.numbers)
    return (np.nan, UNREADABLE) if value is None else (value, "")


def normalise_region_code(code: str) -> str:
    """``K-3401`` -> ``3401``, ``F-34`` -> ``34`` (PxWebApi v1 aggregation codes); other codes are trimmed."""
    return re.sub(r"^[KF]-", "", str(code).strip())


def finish_tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Stable dtypes and order for every tidy table.

    Parameters
    ----------
    frame
        Rows with at least :data:`TIDY_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        A copy: text columns as ``str`` (missing as ``""``), years as
        ``int64``, ``value``/``numerator``/``denominator`` as ``float64``,
        sorted by indicator, region, period end and period label.
    """
    frame = frame.copy()
    for col in _TEXT_COLUMNS:
        frame[col] = frame[col].fillna("").astype(str)
    for col in ("period_start", "period_end"):
        frame[col] = frame[col].astype("int64")
    for col in ("value", "numerator", "denominator"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame.sort_values(["indicator", "region_code", "period_end", "period"], kind="stable").reset_index(drop=True)


def empty_tidy() -> pd.DataFrame:
    """A tidy table without rows, with the dtypes of :func:`finish_tidy`."""
    return finish_tidy(pd.DataFrame(columns=TIDY_COLUMNS))
