"""Pick one catalogue indicator out of a downloaded table's cells, as tidy rows.

The catalogue entry's ``extract`` says which cells are the value, the
numerator and the denominator; without a published value the value is
rebuilt as numerator / denominator times the unit's multiplier.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from outcomes.analyses.baseline.readers.cells import Cells
from outcomes.analyses.baseline.readers.tidy import TIDY_COLUMNS, finish_tidy, normalise_region_code, parse_period
from outcomes.core.errors import InputError
from outcomes.registries.indicator_catalogue import Indicator

_PARTS = ("value", "numerator", "denominator")

#: One publisher's footnote per row: the indicator, the region and period it concerns (``""`` = all of them).
NOTE_COLUMNS = ["indicator", "region_code", "period", "note", "mandatory", "source_file"]

#: One symbol of a publisher's flag list per row, with its meaning in the publisher's words.
FLAG_COLUMNS = ["indicator", "status", "meaning", "source_file"]


def _select(frame: pd.DataFrame, selection: dict[str, str | list[str]] | None, cells: Cells) -> pd.DataFrame:
    if not selection:
        return frame
    mask = pd.Series(True, index=frame.index)
    for dim, wanted in selection.items():
        if dim not in frame.columns:
            raise InputError(
                f"Dimension {dim!r} is not in this table.",
                file=cells.path,
                column=dim,
                expected=f"one of {', '.join(c for c in frame.columns if c not in ('value', 'status'))}",
                hint="Check `extract` for this table in config/indicators.yml.",
            )
        allowed = [wanted] if isinstance(wanted, str) else list(wanted)
        mask &= frame[dim].isin(allowed)
    return frame[mask]


def _combine(group: pd.DataFrame) -> pd.Series:
    """The sum of several cells; a sum with a missing part would be too small, so it is missing instead."""
    marked = [s for s in group["status"] if s]
    if marked or group["value"].isna().any():
        return pd.Series({"value": np.nan, "status": sorted(marked)[0] if marked else ".."})
    return pd.Series({"value": float(group["value"].sum()), "status": ""})


def _one_per_region_period(part: pd.DataFrame, cells: Cells, indicator: Indicator, what: str) -> pd.DataFrame:
    keys = [cells.geo, cells.time]
    if part.empty:
        raise InputError(
            f"No cells for {indicator.id} ({what}) in this table.",
            file=cells.path,
            expected=f"the codes in `extract` of {indicator.id} in config/indicators.yml",
        )
    sizes = part.groupby(keys).size()
    if (sizes > 1).any() and not indicator.extract.sum_over:
        varying = [c for c in part.columns if c not in (*keys, "value", "status") and part[c].nunique() > 1]
        raise InputError(
            f"Several cells per region and period for {indicator.id} ({what}); dimension(s) {', '.join(varying)} vary.",
            file=cells.path,
            column=", ".join(varying) or None,
            expected="one cell per region and period",
            hint="Add those dimensions to `extract.filter`, or list them in `extract.sum_over`.",
        )
    out = part.groupby(keys, sort=True)[["value", "status"]].apply(_combine).reset_index()
    out.loc[out["value"].isna() & (out["status"] == ""), "status"] = ".."
    return out.rename(columns={cells.geo: "region_code", cells.time: "period"})


def _parts(cells: Cells, indicator: Indicator) -> dict[str, pd.DataFrame]:
    """Value, numerator and denominator cells the catalogue names, one per region and period each."""
    ex = indicator.extract
    base = _select(cells.frame, ex.filter, cells)
    parts: dict[str, pd.DataFrame] = {}
    for what, selection in (("value", ex.value), ("numerator", ex.numerator), ("denominator", ex.denominator)):
        if selection is None and not (what == "value" and indicator.unit == "count" and ex.numerator is None):
            continue
        parts[what] = _one_per_region_period(_select(base, selection, cells), cells, indicator, what)
    return parts


def _joined(parts: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The parts side by side (``value``, ``numerator``, ``denominator`` and a ``status_*`` for each)."""
    keys = ["region_code", "period"]
    frame: pd.DataFrame | None = None
    for what, part in parts.items():
        renamed = part.rename(columns={"value": what, "status": f"status_{what}"})
        frame = renamed if frame is None else frame.merge(renamed, on=keys, how="outer")
    if frame is None:  # the catalogue guarantees at least one part
        raise AssertionError("an indicator without value, numerator or denominator")
    for what in _PARTS:
        if what not in frame.columns:
            frame[what] = np.nan
            frame[f"status_{what}"] = ""
        frame[f"status_{what}"] = frame[f"status_{what}"].fillna("..")
    return frame


def _rebuild_value(frame: pd.DataFrame, multiplier: float) -> None:
    """Value = numerator / denominator * multiplier where both are usable; else missing with a part's marker."""
    ok = frame["numerator"].notna() & frame["denominator"].notna() & (frame["denominator"] > 0)
    frame["value"] = np.where(ok, frame["numerator"] / frame["denominator"].where(ok, 1.0) * multiplier, np.nan)
    status = np.where(frame["status_numerator"] != "", frame["status_numerator"], frame["status_denominator"])
    frame["status_value"] = np.where(ok, "", np.where(status == "", "..", status))


def _period_or_error(label: str, cells: Cells) -> tuple[int, int]:
    try:
        return parse_period(label)
    except ValueError as exc:
        raise InputError(
            str(exc), file=cells.path, column=cells.time, expected="years such as 2023, 2021_2023 or 2018-2024"
        ) from exc


def extract_indicator(cells: Cells, indicator: Indicator) -> pd.DataFrame:
    """Pick one indicator's values, numerators and denominators out of a table.

    Parameters
    ----------
    cells
        A table read by :func:`~.jsonstat.read_jsonstat` or :func:`~.ssb_csv.read_ssb_csv`.
    indicator
        Catalogue entry; its ``extract`` says which cells are the value, the
        numerator and the denominator.

    Returns
    -------
    pandas.DataFrame
        Tidy rows (:data:`~.tidy.TIDY_COLUMNS`). Without a published value,
        value = numerator / denominator * 100 (percent) or * 1,000 (per
        1,000), and missing if either part is. ``status`` is the value's
        marker, or the marker of the part that made a computed value missing.

    Raises
    ------
    InputError
        If a dimension or code in ``extract`` is not in the table.
    """
    parts = _parts(cells, indicator)
    frame = _joined(parts)
    if "value" not in parts:
        _rebuild_value(frame, indicator.multiplier or 1.0)
    frame["status"] = frame["status_value"]
    frame["indicator"] = indicator.id
    frame["region_code_original"] = frame["region_code"]
    periods = frame["period"].map(lambda p: _period_or_error(p, cells))
    frame["period_start"] = [p[0] for p in periods]
    frame["period_end"] = [p[1] for p in periods]
    frame["source"] = indicator.source_label
    frame["source_file"] = cells.path
    return finish_tidy(frame[TIDY_COLUMNS])


def _used_cells(cells: Cells, indicator: Indicator) -> pd.DataFrame:
    """Every cell the indicator's value, numerator or denominator is taken from."""
    ex = indicator.extract
    base = _select(cells.frame, ex.filter, cells)
    chosen = [_select(base, sel, cells) for sel in (ex.value, ex.numerator, ex.denominator) if sel is not None]
    return pd.concat(chosen) if chosen else base


def indicator_notes(cells: Cells, indicator: Indicator) -> pd.DataFrame:
    """The publisher's footnotes that concern one indicator's figures.

    Parameters
    ----------
    cells
        The table, with its ``notes``.
    indicator
        Catalogue entry; its ``extract`` says which cells are its figures.

    Returns
    -------
    pandas.DataFrame
        :data:`NOTE_COLUMNS`. A note on the table or on a whole dimension
        concerns every figure (``region_code`` and ``period`` ``""``); a note
        on a category concerns the figures taken from it: a region
        (``region_code``, as read: harmonised later), a period (``period``),
        or, for any other dimension, every figure when the indicator uses
        that category and none when it does not.
    """
    used = _used_cells(cells, indicator) if cells.notes else cells.frame.iloc[:0]
    rows = []
    for note in cells.notes:
        region, period = "", ""
        if note.dimension is not None and note.code is not None:
            code = normalise_region_code(note.code) if note.dimension == cells.geo else note.code
            if note.dimension not in used.columns or code not in set(used[note.dimension]):
                continue  # a category the indicator's figures do not come from
            if note.dimension == cells.geo:
                region = code
            elif note.dimension == cells.time:
                period = code
        rows.append((indicator.id, region, period, note.text, note.mandatory, cells.path))
    return pd.DataFrame(rows, columns=NOTE_COLUMNS).drop_duplicates(ignore_index=True)


def indicator_flags(cells: Cells, indicator: Indicator) -> pd.DataFrame:
    """The publisher's explanation of each status symbol, for one indicator (:data:`FLAG_COLUMNS`)."""
    rows = [(indicator.id, symbol, meaning, cells.path) for symbol, meaning in cells.flags.items()]
    return pd.DataFrame(rows, columns=FLAG_COLUMNS)
