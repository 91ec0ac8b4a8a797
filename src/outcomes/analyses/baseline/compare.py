"""Change since the null point, and the distance to targets, judged by each indicator's direction.

Pure functions on the output of :func:`outcomes.analyses.baseline.region.baseline_table`.
Changes and gaps are in the indicator's unit, i.e. percentage points for
percent indicators.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from outcomes.analyses.baseline.noise import change_intervals, judge_changes, series_spreads
from outcomes.analyses.baseline.region import LEVELS
from outcomes.core.errors import ConfigError
from outcomes.core.lookup import map_distinct
from outcomes.registries.indicator_catalogue import IndicatorCatalogue


def _judged(
    merged: pd.DataFrame, later: pd.DataFrame, keys: list[str], units: pd.Series, better: pd.Series
) -> pd.DataFrame:
    """Change, its 95% interval, the interval's basis and the assessment of each merged row (see :mod:`~.noise`)."""
    start_b, end_b, start_l, end_l = (
        merged[c].to_numpy(dtype="int64") for c in ("period_start_b", "period_end_b", "period_start_l", "period_end_l")
    )
    overlap = pd.Series((start_b <= end_l) & (start_l <= end_b), dtype=bool)
    same = merged["period_l"] == merged["period_b"]
    # Periods that share years are not compared: no change is published for them.
    change = (merged["value_l"] - merged["value_b"]).astype("float64").mask(overlap & ~same)
    spreads = series_spreads(later, keys)
    spread = spreads.reindex(pd.MultiIndex.from_frame(merged[keys])).reset_index(drop=True)
    noise = change_intervals(merged, change, units, spread)
    noise["assessment"] = judge_changes(
        change.to_numpy(dtype="float64"),
        noise["change_low"].to_numpy(dtype="float64"),
        noise["change_high"].to_numpy(dtype="float64"),
        better.to_numpy(dtype=object),
        overlap.to_numpy(),
        same.to_numpy(dtype=bool),
    )
    return noise.assign(change=change)


def change_since_baseline(
    table: pd.DataFrame,
    catalogue: IndicatorCatalogue,
    *,
    baseline_year: int,
    report_year: int | None = None,
    baseline_periods: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Baseline value, latest value and the change between them, judged by direction.

    Parameters
    ----------
    table
        Output of :func:`baseline_table`.
    catalogue
        Gives each indicator's ``better`` direction and unit.
    baseline_year
        The null-point year (config ``baseline.year``). The baseline period of
        an indicator is the latest one ending in or before that year (FHI's
        three-year periods and SSB's cohorts end later than they start).
    report_year
        Latest year to report; default the latest period in the data.
    baseline_periods
        Optional pinned baseline period label per indicator (config
        ``baseline.periods``), e.g. ``{"vgs_completion": "2020_2022"}``: use it
        so the baseline does not move when a later release adds a period
        ending in the baseline year.

    Returns
    -------
    pandas.DataFrame
        One row per indicator, level and code: ``baseline_period``,
        ``baseline_value``, ``baseline_status``, ``latest_period``,
        ``latest_value``, ``latest_status``, ``change`` (latest - baseline, in
        the indicator's unit: percentage points for percent),
        ``change_percent`` (change relative to the baseline value, percent),
        ``change_low``/``change_high`` (95% interval of the change, same
        unit), ``noise_basis`` (``counts``, ``spread`` or ``""``: see
        :mod:`~.noise`) and ``assessment``: ``better`` or ``worse`` only when
        the interval leaves out 0, ``no_clear_change`` when it does not,
        ``too_few_figures`` (no measure of the noise), ``not_comparable``
        (the periods share years: change and interval left empty),
        ``not_assessed`` (neutral indicator or a value missing) or
        ``no_new_data`` (the latest period is the baseline period).
    """
    pinned = dict(baseline_periods or {})
    keys = ["indicator", "level", "region_code"]
    # Vectorised: one sort, then the last qualifying row of each group (the
    # national table has ~100,000 rows; a Python loop per group took seconds).
    rows = table.sort_values(keys + ["period_end", "period_start"], kind="stable")
    is_pinned = rows["indicator"].astype(str).isin(pinned)
    pinned_rows = rows[is_pinned & (rows["period"] == rows["indicator"].astype(str).map(pinned))]
    free_rows = rows[~is_pinned & (rows["period_end"] <= baseline_year)]
    base = pd.concat([pinned_rows.groupby(keys, sort=False).head(1), free_rows.groupby(keys, sort=False).tail(1)])
    later = rows if report_year is None else rows[rows["period_end"] <= report_year]
    latest = later.groupby(keys, sort=False).tail(1)
    cols = ["period", "period_start", "period_end", "value", "status", "numerator", "denominator"]
    merged = base[keys + ["region_name"] + cols].merge(latest[keys + cols], on=keys, suffixes=("_b", "_l"))
    merged = merged.sort_values(keys, kind="stable").reset_index(drop=True)
    meta = {i.id: (i.unit, i.better) for i in catalogue.indicators}
    better = map_distinct(merged["indicator"].astype(str), lambda i: meta[i][1])
    units = map_distinct(merged["indicator"].astype(str), lambda i: meta[i][0])
    judged = _judged(merged, later, keys, units, better)
    change = judged["change"]
    base_value = merged["value_b"].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        change_percent = np.where(change.notna() & (base_value != 0), change / base_value * 100, np.nan)
    frame = pd.DataFrame(
        {
            "indicator": merged["indicator"].to_numpy(),
            "level": merged["level"].to_numpy(),
            "region_code": merged["region_code"].to_numpy(),
            "region_name": merged["region_name"].to_numpy(),
            "unit": units.to_numpy(),
            "better": better.to_numpy(),
            "baseline_period": merged["period_b"].to_numpy(),
            "baseline_value": merged["value_b"].to_numpy(),
            "baseline_status": merged["status_b"].to_numpy(),
            "latest_period": merged["period_l"].to_numpy(),
            "latest_value": merged["value_l"].to_numpy(),
            "latest_status": merged["status_l"].to_numpy(),
            "change": change.to_numpy(),
            "change_percent": change_percent,
            **{c: judged[c].to_numpy() for c in ("change_low", "change_high", "noise_basis", "assessment")},
        }
    )
    if frame.empty:
        return frame
    frame["level_order"] = map_distinct(frame["level"], {lvl: i for i, lvl in enumerate(LEVELS)})
    return (
        frame.sort_values(["indicator", "level_order", "region_code"])
        .drop(columns="level_order")
        .reset_index(drop=True)
    )


def _gap_row(target: float, better: str, baseline_value: float, latest_value: float) -> dict[str, object]:
    """Gap, remaining distance, whether met, and share of the baseline gap closed, for one area."""
    sign = 1.0 if better == "lower" else -1.0
    gap = latest_value - target if not math.isnan(latest_value) else np.nan
    remaining = max(sign * gap, 0.0) if not math.isnan(gap) else np.nan
    base_gap = sign * (baseline_value - target) if not math.isnan(baseline_value) else np.nan
    closed = (
        (base_gap - (sign * gap)) / base_gap * 100
        if not math.isnan(base_gap) and not math.isnan(gap) and base_gap > 0
        else np.nan
    )
    return {
        "target": float(target),
        "baseline_value": baseline_value,
        "latest_value": latest_value,
        "gap": gap,
        "remaining": remaining,
        "target_met": bool(not math.isnan(remaining) and remaining == 0.0),
        "share_of_gap_closed": closed,
    }


def gap_to_target(
    changes: pd.DataFrame,
    catalogue: IndicatorCatalogue,
    targets: Mapping[str, float],
    *,
    level: str = "region",
) -> pd.DataFrame:
    """How far each indicator is from its target.

    Parameters
    ----------
    changes
        Output of :func:`change_since_baseline`.
    catalogue
        Gives the direction that is better.
    targets
        Target value per indicator id, in the indicator's unit (config
        ``baseline.targets``), e.g. ``{"neet_15_29": 12.0}`` (percent).
    level
        Which rows to compare (``region`` by default; ``municipality`` gives
        one row per municipality).

    Returns
    -------
    pandas.DataFrame
        ``indicator, region_code, region_name, target, baseline_value,
        latest_value, gap`` (latest - target, in the indicator's unit),
        ``remaining`` (distance still to go in the better direction, 0 when
        met), ``target_met`` (bool, NaN-safe: False when the value is missing)
        and ``share_of_gap_closed`` (percent of the baseline gap closed).

    Raises
    ------
    ConfigError
        If a target names an unknown or neutral indicator.
    """
    rows = []
    for ind_id, target in sorted(targets.items()):
        ind = catalogue.get(ind_id)
        if ind.better == "neutral":
            raise ConfigError(
                f"A target for {ind_id} makes no sense: no direction is better.",
                column=f"baseline.targets.{ind_id}",
                expected="targets only for indicators with better: higher or lower",
            )
        sel = changes[(changes["indicator"] == ind_id) & (changes["level"] == level)]
        columns = (sel[c].tolist() for c in ("region_code", "region_name", "baseline_value", "latest_value"))
        rows += [
            {"indicator": ind_id, "region_code": code, "region_name": name}
            | _gap_row(target, ind.better, float(base), float(latest))
            for code, name, base, latest in zip(*columns, strict=True)
        ]
    return pd.DataFrame(rows)
