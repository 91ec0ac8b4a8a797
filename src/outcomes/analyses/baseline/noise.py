"""Whether a change since the null point is larger than the indicator's own noise.

A change of a few tenths of a point is often what a rate does from one year
to the next by chance. A change is called better or worse only when a 95%
interval of the change leaves out 0; the interval comes from

* the counts, where both figures have a numerator and a denominator (a share
  of persons): Newcombe's interval of the difference of two proportions
  (:func:`outcomes.core.stats.difference_interval`), scaled to the
  indicator's unit; otherwise
* the area's own year-to-year spread: the root mean square of the changes
  between consecutive non-overlapping periods of its series (at least
  :data:`MIN_CHANGES` of them), ``change +/- 1.96 * spread``. Under a level
  with independent noise of SD s, a change between any two periods and a
  change between two consecutive ones have the same SD (s * sqrt(2)), so the
  spread of the consecutive changes is the noise of the change; a steady
  trend makes the spread larger, so a single step of it is not called a
  change but several steps are.

Periods that share years (2021-2023 and 2022-2024) are not compared at all:
their difference is mostly the years they do not share, divided by three.
Pure functions; units are the indicator's (percentage points for percent).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from outcomes.core.stats import Z95, difference_interval

#: Fewest year-to-year changes an area's series needs before its spread is used as the noise.
MIN_CHANGES = 3

#: How a share in persons is scaled to each unit (units not listed have no interval from counts).
UNIT_SCALE = {"percent": 100.0, "per_1000": 1000.0}

#: Where the interval of a change came from.
BASIS_COUNTS = "counts"
BASIS_SPREAD = "spread"
BASIS_NONE = ""


def periods_overlap(start_1: int, end_1: int, start_2: int, end_2: int) -> bool:
    """Whether two periods (first and last year, inclusive) share a year, e.g. 2021-2023 and 2022-2024."""
    return int(start_1) <= int(end_2) and int(start_2) <= int(end_1)


def year_to_year_spread(starts: Sequence[int], ends: Sequence[int], values: Sequence[float]) -> float:
    """Root mean square of the changes between consecutive non-overlapping periods of one series.

    Parameters
    ----------
    starts, ends
        First and last year of each period, in any order.
    values
        The area's value for each period (indicator unit; NaN = missing).

    Returns
    -------
    float
        The spread in the indicator's unit, or NaN when the series has fewer
        than :data:`MIN_CHANGES` changes. From the latest period backwards,
        each step takes the latest period ending before the current one
        starts, so three-year periods are taken three years apart.
    """
    points = sorted(
        (int(e), int(s), float(v)) for s, e, v in zip(starts, ends, values, strict=True) if not math.isnan(float(v))
    )
    if not points:
        return math.nan
    chain = [points[-1]]
    for end, start, value in reversed(points[:-1]):
        if end < chain[-1][1]:
            chain.append((end, start, value))
    changes = np.diff([v for _, _, v in reversed(chain)])
    if len(changes) < MIN_CHANGES:
        return math.nan
    return float(np.sqrt(np.mean(changes**2)))


def _chains(group: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The chain of :func:`year_to_year_spread` in every series at once, latest period first.

    ``group``, ``start`` and ``end`` are sorted by group, end, start (and value). Returns a (series ×
    longest chain) array of row positions (-1 past a chain's end) and the series' ids.
    """
    groups, first = np.unique(group, return_index=True)
    last = np.append(first[1:], len(group)) - 1
    # Each period's predecessor: the last one of its series ending before it starts (a binary search on
    # series and end year, which sort together as one integer).
    low = int(min(start.min(), end.min()))
    span = int(max(start.max(), end.max())) - low + 2
    keys = group.astype("int64") * span + (end - low)
    previous = np.searchsorted(keys, group.astype("int64") * span + (start - low), side="left") - 1
    series_first = np.repeat(first, np.diff(np.append(first, len(group))))
    previous = np.where(previous >= series_first, previous, -1)
    chain = [last]
    while (chain[-1] >= 0).any():
        chain.append(np.where(chain[-1] >= 0, previous[chain[-1]], -1))
    return np.stack(chain[:-1], axis=1), groups


def series_spreads(rows: pd.DataFrame, keys: Sequence[str]) -> pd.Series:
    """:func:`year_to_year_spread` of every series in ``rows`` (columns ``period_start, period_end, value``).

    All series at once, to the same bits as :func:`year_to_year_spread` of each; indexed by the series' keys
    (in order of appearance; a tuple when there are several keys), NaN for a series without enough changes.
    """
    ids = rows.groupby(list(keys), sort=False).ngroup()
    index = rows[list(keys)][~ids.duplicated() & (ids >= 0)]
    out = np.full(len(index), np.nan)
    known = (ids >= 0).to_numpy() & rows["value"].notna().to_numpy()
    group = ids.to_numpy()[known]
    start, end = (rows[c].to_numpy(dtype="int64")[known] for c in ("period_start", "period_end"))
    value = rows["value"].to_numpy(dtype="float64")[known]
    if len(group):
        order = np.lexsort((value, start, end, group))
        chain, groups = _chains(group[order], start[order], end[order])
        values = np.where(chain >= 0, value[order][chain], np.nan)
        lengths = (chain >= 0).sum(axis=1)
        # Series with as many changes are averaged together: np.mean over a row adds as over a list.
        for length in np.unique(lengths[lengths > MIN_CHANGES]):
            of_length = lengths == length
            forward = values[of_length, :length][:, ::-1]
            out[groups[of_length]] = np.sqrt(np.mean(np.diff(forward, axis=1) ** 2, axis=1))
    labels = pd.MultiIndex.from_frame(index) if len(keys) > 1 else pd.Index(index.iloc[:, 0])
    return pd.Series(out, index=labels, dtype="float64", name="spread")


def change_intervals(
    counts: pd.DataFrame, change: pd.Series, units: pd.Series, spread: pd.Series, z: float = Z95
) -> pd.DataFrame:
    """The 95% interval of each change, from the counts where there are any, else from the spread.

    Parameters
    ----------
    counts
        Columns ``numerator_b, denominator_b, numerator_l, denominator_l``
        (persons at the null point and now; NaN where not published).
    change
        Latest minus null-point value, in the indicator's unit.
    units
        The indicator's unit per row (``percent``, ``per_1000``, ``count``).
    spread
        :func:`year_to_year_spread` of the area's series, per row.
    z
        Normal quantile.

    Returns
    -------
    pandas.DataFrame
        ``change_low``, ``change_high`` (indicator unit; NaN when there is no
        measure of the noise) and ``noise_basis`` (:data:`BASIS_COUNTS`,
        :data:`BASIS_SPREAD` or :data:`BASIS_NONE`), on ``change``'s index.
    """
    scale = units.map(UNIT_SCALE).astype("float64").to_numpy()
    k1, n1, k2, n2 = (
        counts[c].astype("float64").to_numpy() for c in ("numerator_b", "denominator_b", "numerator_l", "denominator_l")
    )
    low, high = difference_interval(k1, n1, k2, n2, z=z)
    from_counts = ~np.isnan(scale) & ~np.isnan(low) & ~np.isnan(high)
    half = z * spread.to_numpy(dtype="float64")
    centre = change.to_numpy(dtype="float64")
    from_spread = ~from_counts & ~np.isnan(half) & ~np.isnan(centre)
    out = pd.DataFrame(
        {
            "change_low": np.where(from_counts, low * scale, np.where(from_spread, centre - half, np.nan)),
            "change_high": np.where(from_counts, high * scale, np.where(from_spread, centre + half, np.nan)),
            "noise_basis": np.where(from_counts, BASIS_COUNTS, np.where(from_spread, BASIS_SPREAD, BASIS_NONE)),
        },
        index=change.index,
    )
    return out


def judge_change(change: float, low: float, high: float, better: str, *, overlap: bool, same_period: bool) -> str:
    """The assessment of one change: better or worse only when its interval leaves out 0.

    Returns one of ``no_new_data`` (the latest period is the null point's),
    ``not_assessed`` (no direction is better, or a value is missing),
    ``not_comparable`` (the periods share years), ``too_few_figures`` (no
    measure of the noise), ``no_clear_change`` (the interval contains 0),
    ``better`` or ``worse`` (by the indicator's direction).
    """
    if same_period:
        return "no_new_data"
    if better == "neutral":
        return "not_assessed"
    if overlap:
        return "not_comparable"
    if math.isnan(change):
        return "not_assessed"
    if math.isnan(low) or math.isnan(high):
        return "too_few_figures"
    if low <= 0.0 <= high:
        return "no_clear_change"
    improved = change < 0 if better == "lower" else change > 0
    return "better" if improved else "worse"


def judge_changes(
    change: np.ndarray, low: np.ndarray, high: np.ndarray, better: np.ndarray, overlap: np.ndarray, same: np.ndarray
) -> np.ndarray:
    """:func:`judge_change` of many changes at once (arrays of one length; ``better`` holds the directions)."""
    with np.errstate(invalid="ignore"):
        improved = np.where(better == "lower", change < 0, change > 0)
        return np.select(
            [
                same,
                better == "neutral",
                overlap,
                np.isnan(change),
                np.isnan(low) | np.isnan(high),
                (low <= 0.0) & (0.0 <= high),
                improved,
            ],
            [
                "no_new_data",
                "not_assessed",
                "not_comparable",
                "not_assessed",
                "too_few_figures",
                "no_clear_change",
                "better",
            ],
            "worse",
        ).astype(object)
