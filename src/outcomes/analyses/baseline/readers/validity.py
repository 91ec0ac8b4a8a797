"""Cells of region codes that did not exist in their period: dense cubes, read as SSB and FHI mean them.

SSB's and FHI's JSON-stat responses are full cubes: every region code asked
for, in every period asked for. A code that did not exist in a year (old
Drammen 0602 after 2019, new Drammen 3005 before 2020, 3301 before 2024) has
a null value there with no status marker. Such a cell is not a missing
figure: the municipality's figure for that year is under its other code.
Read as "missing" (``..``), it would make every merged or renumbered
municipality missing in every year once codes are harmonised.

The rule (:func:`drop_codes_that_did_not_exist`): a cell is dropped before
harmonisation when

1. its value is null **and** it carries no status marker (``..``, ``.``,
   ``:`` and ``-`` keep their meaning, always), and
2. its code was not valid in any year of the cell's period.

Which years a code was valid:

* from the label, when the publisher wrote the validity there (SSB's
  PxWebApi 2: ``"0602": "Drammen (-2019)"``, ``"3005": "Drammen
  (2020-2023)"``, ``"0119": "Marker (1964-2019)"``; counties too:
  ``"04": "Hedmark (-2019)"``);
* otherwise, for a municipality code (four digits), from the
  municipality-code history (``outcomes/data/municipality_changes.csv``,
  read only): a code is valid
  until the year before its first change away, and from the year of the
  change that created it. The table cannot tell a new code from one that
  kept its number while absorbing others (1103 Stavanger in 2020), so when
  the file itself has a figure (a value) for the code before that year, the
  code is taken to have existed then.

Everything else stays missing: an unmarked null of a code that was valid, a
code the history does not know, a county without a validity in its label,
the country, a period label that is not a year. That errs on the safe side:
a merged figure with a missing part is shown as missing, never as a sum that
is too small.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping

import pandas as pd

from outcomes.analyses.baseline.municipalities import is_municipality_code, load_municipality_changes
from outcomes.analyses.baseline.readers.cells import Cells
from outcomes.analyses.baseline.readers.tidy import parse_period

#: First and last year a code was valid (``None``: open, before or after the years the history covers).
Interval = tuple[int | None, int | None]

_OUT, _IN = 0, 1
_LABEL_VALIDITY = re.compile(r"\((\d{4})?\s*-\s*(\d{4})?\)\s*$")


def label_validity(label: str | None) -> Interval | None:
    """The validity SSB writes after a region's name, or ``None`` when the label has none.

    ``"Drammen (-2019)"`` -> ``(None, 2019)``; ``"Halden (2020-2023)"`` ->
    ``(2020, 2023)``; ``"Drammen (2024-)"`` -> ``(2024, None)``; ``"Drammen"``
    -> ``None``.
    """
    match = _LABEL_VALIDITY.search(str(label or ""))
    if not match or not (match.group(1) or match.group(2)):
        return None
    first, last = match.groups()
    return (int(first) if first else None, int(last) if last else None)


def _intervals(events: list[tuple[int, int]]) -> list[Interval]:
    """Validity intervals from a code's changes, ``(year, _OUT | _IN)`` sorted by year (out before in)."""
    valid = events[0][1] == _OUT  # a code whose first change ends it existed before
    start: int | None = None
    intervals: list[Interval] = []
    for year, kind in events:
        if kind == _IN and not valid:
            start, valid = year, True
        elif kind == _OUT and valid:
            intervals.append((start, year - 1))
            valid = False
    if valid:
        intervals.append((start, None))
    return intervals


def history_validity(changes: pd.DataFrame) -> dict[str, list[Interval]]:
    """When each code of the municipality-code history was valid.

    Parameters
    ----------
    changes
        ``old_code``, ``new_code``, ``change_year`` (the first year
        ``new_code`` is valid), as :func:`~outcomes.analyses.baseline.municipalities.load_municipality_changes`.

    Returns
    -------
    dict[str, list[Interval]]
        Per code in the table, its validity intervals (years inclusive). A
        code that kept its number is not an edge of the table, so a code
        whose first change creates it is taken to start then (see the module
        note for how a file's own figures correct that).
    """
    events: dict[str, list[tuple[int, int]]] = {}
    for old, new, year in changes[["old_code", "new_code", "change_year"]].itertuples(index=False):
        if str(old) == str(new):
            continue
        events.setdefault(str(old), []).append((int(year), _OUT))
        events.setdefault(str(new), []).append((int(year), _IN))
    return {code: _intervals(sorted(evs)) for code, evs in events.items()}


def _overlaps(intervals: Iterable[Interval], start: int, end: int) -> bool:
    return any((a is None or a <= end) and (b is None or b >= start) for a, b in intervals)


def _validity_of(
    label: str | None, from_history: list[Interval] | None, first_figure: int | None
) -> list[Interval] | None:
    """A code's validity: its label's, else the history's (opened before when the file has earlier figures)."""
    labelled = label_validity(label)
    if labelled is not None:
        return [labelled]
    if not from_history:
        return None
    (start, end), *rest = from_history
    if start is not None and first_figure is not None and first_figure < start:
        return [(None, end), *rest]  # kept its number while absorbing others: it existed before
    return from_history


def _period_years(labels: Iterable[str]) -> dict[str, tuple[int, int] | None]:
    years: dict[str, tuple[int, int] | None] = {}
    for label in labels:
        try:
            years[label] = parse_period(label)
        except ValueError:
            years[label] = None  # not a year: left to the extraction, which names it
    return years


def _first_figures(
    frame: pd.DataFrame, geo: str, time: str, years: Mapping[str, tuple[int, int] | None]
) -> dict[str, int]:
    """Per code, the last year of its earliest period with a figure (a marker is no proof: ``.`` = not in use)."""
    figures = frame[frame["value"].notna()]
    last_year = {label: span[1] for label, span in years.items() if span is not None}
    ends = figures[time].map(last_year).dropna()
    first = ends.groupby(figures.loc[ends.index, geo]).min()
    return {str(code): int(year) for code, year in first.items()}


def drop_codes_that_did_not_exist(cells: Cells, changes: pd.DataFrame | None = None) -> Cells:
    """Leave out the unmarked nulls of municipality codes that did not exist in the cell's period.

    Parameters
    ----------
    cells
        A table as read (a dense JSON-stat cube or any other reader's cells).
    changes
        The municipality-code history; the shipped table by default.

    Returns
    -------
    Cells
        The same cells without those rows (the module note gives the rule);
        every other cell, marked or not, is kept as it was.
    """
    frame = cells.frame
    unmarked = frame["value"].isna() & (frame["status"] == "")
    if not unmarked.any():
        return cells
    history = history_validity(load_municipality_changes() if changes is None else changes)
    years = _period_years(frame[cells.time].unique())
    first_figure = _first_figures(frame, cells.geo, cells.time, years)
    labels = cells.labels.get(cells.geo, {})
    gone: set[tuple[str, str]] = set()
    for code, period in frame.loc[unmarked, [cells.geo, cells.time]].drop_duplicates().itertuples(index=False):
        span = years.get(period)
        if span is None:
            continue
        # The history covers municipalities; a county's validity is taken only from the publisher's label.
        known = history.get(code) if is_municipality_code(code) else None
        validity = _validity_of(labels.get(code), known, first_figure.get(code))
        if validity is not None and not _overlaps(validity, *span):
            gone.add((code, period))
    if not gone:
        return cells
    keys = pd.Series(list(zip(frame[cells.geo], frame[cells.time], strict=True)), index=frame.index)
    keep = ~(unmarked & keys.isin(gone))
    return dataclasses.replace(cells, frame=frame[keep].reset_index(drop=True))
