"""The consumer price index from SSB's own file (table 03014) into the price index file the workbench reads.

``outcomes fetch ssb 03014 --update-prices`` downloads the annual average
KPI (``Konsumgrp=TOTAL``, ``ContentsCode=KpiAar``, 2015 = 100; a national
series, read with region ``0``) and writes it into
``outcomes/data/price_indices.csv``, the file
:func:`outcomes.analyses.costbenefit.prices.load_price_indices` reads by
default (or another file in the same format). The format is that file's:
one row per year, columns ``year, g_from_1_may, g_yearly_average,
g_yearly_average_status, kpi, kpi_status``; only ``kpi`` and ``kpi_status``
are written:

* a year in both files gets SSB's level (one decimal) and status
  ``checked`` (2015, the reference year, keeps ``base``);
* a year the SSB file does not publish (missing, or not yet there) keeps its
  row as it was, e.g. a ``forecast``;
* a year after the file's last row is not added: it has no G yet, and a row
  without G would break the G series. It is reported so it can be added by
  hand with its G.

The file is refused when its reference year is not 2015 = 100 (SSB moved its
newer KPI tables to 2025 = 100): levels on another base are not rescaled
silently.
"""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from outcomes.analyses.baseline.readers import Cells, read_jsonstat
from outcomes.core.errors import InputError

#: SSB's table of the annual consumer price index, and the cells the workbench uses from it.
KPI_TABLE = "03014"
KPI_SELECTION: dict[str, list[str]] = {"Konsumgrp": ["TOTAL"], "ContentsCode": ["KpiAar"], "Tid": ["*"]}
#: Reference year of the index (= 100) in SSB 03014 and in ``price_indices.csv``.
KPI_BASE_YEAR = 2015

_COLUMNS = ("year", "kpi", "kpi_status")


def price_indices_path() -> Path:
    """The price index file :func:`~outcomes.analyses.costbenefit.prices.load_price_indices` reads by default."""
    return Path(str(resources.files("outcomes") / "data" / "price_indices.csv"))


def _only(frame: pd.DataFrame, dim: str, code: str, path: str) -> pd.DataFrame:
    """The cells of one code of a dimension (all cells when the file has no such dimension)."""
    if dim not in frame.columns:
        return frame
    if code not in set(frame[dim]):
        raise InputError(
            f"The file has no {dim} code {code!r}.",
            file=path,
            column=dim,
            expected=f"one of {', '.join(sorted(set(frame[dim])))}",
            hint=f"Fetch SSB {KPI_TABLE} with {dim}={code}.",
        )
    return frame[frame[dim] == code]


def kpi_from_cells(cells: Cells, *, group: str = "TOTAL", contents: str = "KpiAar") -> pd.Series:
    """The annual consumer price index in an SSB 03014 file (2015 = 100).

    Parameters
    ----------
    cells
        :func:`~outcomes.analyses.baseline.readers.read_jsonstat` of the file.
    group, contents
        The ``Konsumgrp`` and ``ContentsCode`` codes of the all-items annual average.

    Returns
    -------
    pandas.Series
        Index level (2015 = 100) by year (int), years SSB marks as missing left out.

    Raises
    ------
    InputError
        If the codes are not in the file, the periods are not years, or the
        reference year is not 2015 = 100.
    """
    frame = _only(_only(cells.frame, "Konsumgrp", group, cells.path), "ContentsCode", contents, cells.path)
    years = frame[cells.time].astype(str)
    if not years.str.fullmatch(r"\d{4}").all():
        raise InputError(
            "The periods are not years.", file=cells.path, column=cells.time, expected="annual averages (2024)"
        )
    series = pd.Series(frame["value"].to_numpy(), index=years.astype(int).to_numpy()).dropna().sort_index()
    base = series.get(KPI_BASE_YEAR)
    said_2015 = "2015=100" in (cells.label + " ".join(cells.labels.get("ContentsCode", {}).values())).replace(" ", "")
    if (base is None and not said_2015) or (base is not None and not math.isclose(base, 100.0, abs_tol=0.05)):
        raise InputError(
            f"The index is not on the base {KPI_BASE_YEAR} = 100 (2015 is {base}).",
            file=cells.path,
            expected=f"SSB {KPI_TABLE}, annual average, {KPI_BASE_YEAR} = 100, with {KPI_BASE_YEAR} among the years",
            hint="price_indices.csv is on 2015 = 100; levels on another base are not rescaled here.",
        )
    return series


@dataclass(frozen=True)
class KpiUpdate:
    """What an update changed: ``changed`` (year, old, new), ``confirmed`` years, ``not_added`` years after the file."""

    path: Path
    changed: list[tuple[int, str, str]]
    confirmed: list[int]
    not_added: list[int]

    def report(self) -> str:
        """One line per kind of change, for the command line."""
        lines = [f"updated {self.path}: KPI for {len(self.changed) + len(self.confirmed)} years from SSB {KPI_TABLE}"]
        lines += [f"  {year}: {old} -> {new}" for year, old, new in self.changed]
        if self.not_added:
            years = ", ".join(map(str, self.not_added))
            lines.append(f"  not added (no G in the file yet): {years}; add the rows with G by hand")
        return "\n".join(lines)


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(tmp, path)


def update_price_indices(kpi: pd.Series, path: str | Path | None = None) -> KpiUpdate:
    """Write SSB's KPI levels into the price index file (see the module note for the rules).

    Parameters
    ----------
    kpi
        Index level (2015 = 100) by year, from :func:`kpi_from_cells`.
    path
        The price index file; the packaged one (:func:`price_indices_path`) when ``None``.

    Returns
    -------
    KpiUpdate

    Raises
    ------
    InputError
        If the file is missing or lacks the year or KPI columns.
    """
    path = Path(path) if path is not None else price_indices_path()
    if not path.is_file():
        raise InputError("Price index file not found.", file=path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = list(rows[0]) if rows else []
    if not set(_COLUMNS) <= set(header):
        raise InputError("Not a price index file.", file=path, expected=f"the columns {', '.join(_COLUMNS)}")
    levels = {int(str(y)): f"{float(v):.1f}" for y, v in kpi.items()}
    changed, confirmed = [], []
    for row in rows:
        year = int(row["year"])
        if year not in levels:
            continue
        if row["kpi"] != levels[year]:
            changed.append((year, row["kpi"], levels[year]))
        else:
            confirmed.append(year)
        row["kpi"] = levels[year]
        row["kpi_status"] = "base" if year == KPI_BASE_YEAR else "checked"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    _write_atomically(path, out.getvalue())
    last = max(int(r["year"]) for r in rows)
    return KpiUpdate(path, changed, confirmed, sorted(y for y in levels if y > last))


def update_price_indices_from_file(ssb_file: str | Path, path: str | Path | None = None) -> KpiUpdate:
    """:func:`update_price_indices` with the KPI of a saved SSB 03014 file (JSON-stat 2.0)."""
    return update_price_indices(kpi_from_cells(read_jsonstat(ssb_file)), path)
