"""Largest challenges: for each municipality, the indicators where it is furthest behind the country.

Pure functions on the output of :func:`outcomes.analyses.baseline.region.baseline_table`
and on tidy rows for all municipalities (for the spread that standardises the
distance). Values are in each indicator's unit.
"""

from __future__ import annotations

import pandas as pd

from outcomes.analyses.baseline.municipalities import is_municipality_code
from outcomes.core.lookup import map_distinct
from outcomes.registries.indicator_catalogue import IndicatorCatalogue

CHALLENGE_COLUMNS = [
    "region_code",
    "region_name",
    "indicator",
    "period",
    "value",
    "reference_level",
    "reference_value",
    "difference",
    "score",
    "score_method",
]


def national_spread(national: pd.DataFrame, *, year: int | None = None) -> pd.DataFrame:
    """Standard deviation of each indicator across all municipalities.

    Parameters
    ----------
    national
        Tidy rows for all municipalities (e.g. the national file).
    year
        Use periods ending in this year; default the latest per indicator.

    Returns
    -------
    pandas.DataFrame
        ``indicator, period, sd`` (sample SD in the indicator's unit, across
        municipalities, missing values left out) and ``n`` (municipalities).
    """
    munis = national[map_distinct(national["region_code"], is_municipality_code) & national["value"].notna()]
    rows = []
    for ind_id, group in munis.groupby("indicator", sort=True):
        end = year if year is not None else int(group["period_end"].max())
        sel = group[group["period_end"] == end]
        if len(sel) < 3:
            continue
        rows.append(
            {"indicator": ind_id, "period": sel["period"].iloc[0], "sd": float(sel["value"].std(ddof=1)), "n": len(sel)}
        )
    return pd.DataFrame(rows, columns=["indicator", "period", "sd", "n"])


def _reference(group: pd.DataFrame, period_end: int) -> tuple[str, float] | None:
    """The country's value for the period, else the county's; ``None`` when neither is published."""
    for level in ("country", "county"):
        cand = group[(group["level"] == level) & (group["period_end"] == period_end) & group["value"].notna()]
        if len(cand):
            return level, float(cand["value"].iloc[0])
    return None


def _indicator_challenges(
    group: pd.DataFrame, indicator: str, better: str, sd: float | None
) -> list[dict[str, object]]:
    """Every municipality's distance to the reference for one indicator, at its latest period (unranked)."""
    munis = group[(group["level"] == "municipality") & group["value"].notna()]
    if munis.empty:
        return []
    period_end = int(munis["period_end"].max())
    munis = munis[munis["period_end"] == period_end]
    reference = _reference(group, period_end)
    if reference is None:
        return []
    ref_level, ref = reference
    sign = 1.0 if better == "lower" else -1.0
    rows: list[dict[str, object]] = []
    columns = (munis[c].tolist() for c in ("region_code", "region_name", "period", "value"))
    for code, name, period, value in zip(*columns, strict=True):
        diff = float(value) - ref
        if sd and sd > 0:
            score, method = sign * diff / sd, "standardised"
        elif ref:
            score, method = sign * diff / ref, "relative"
        else:
            continue
        rows.append(
            dict(
                zip(
                    CHALLENGE_COLUMNS,
                    (code, name, indicator, period, float(value), ref_level, ref, diff, score, method),
                    strict=True,
                )
            )
        )
    return rows


def largest_challenges(
    table: pd.DataFrame,
    catalogue: IndicatorCatalogue,
    *,
    spread: pd.DataFrame | None = None,
    year: int | None = None,
    top_n: int = 3,
) -> pd.DataFrame:
    """For each municipality, the indicators where it is furthest behind the country.

    Parameters
    ----------
    table
        Output of :func:`outcomes.analyses.baseline.region.baseline_table`.
    catalogue
        Gives direction (``better``); neutral indicators are skipped.
    spread
        Output of :func:`national_spread`. With it, the distance is
        standardised: ``(value - country) / SD across municipalities``, signed
        so that positive = worse than the country. Without an SD for an
        indicator the distance is relative: ``(value - country) / country``
        (signed the same way), marked in ``score_method``; such indicators
        are ranked after every standardised one, since the scales differ.
    year
        Use the latest period ending in or before this year; default latest.
    top_n
        How many indicators to keep per municipality.

    Returns
    -------
    pandas.DataFrame
        ``region_code, region_name, indicator, period, value, reference_level``
        (``country``, or ``county`` when the country figure is not published),
        ``reference_value, difference`` (value - reference, indicator unit),
        ``score`` (positive = behind), ``score_method`` (``standardised`` or
        ``relative``) and ``rank`` (1 = largest challenge). Only indicators
        where the municipality is behind (score > 0) are listed. Sorted by
        municipality and rank.
    """
    sds = {} if spread is None else dict(zip(spread["indicator"], spread["sd"], strict=True))
    rows = []
    # Only the columns looked at: each filter below takes every column it is given (16 in a baseline table).
    used = table[["indicator", "level", "region_code", "region_name", "period", "period_end", "value"]]
    for ind_id, group in used.groupby("indicator", sort=True):
        ind = catalogue.get(str(ind_id))
        if ind.better == "neutral":
            continue
        if year is not None:
            group = group[group["period_end"] <= year]
        rows += _indicator_challenges(group, str(ind_id), ind.better, sds.get(ind_id))
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    # Standardised and relative scores are on different scales: rank every
    # standardised one first, so a relative score never outranks it by accident.
    frame["method_order"] = (frame["score_method"] != "standardised").astype(int)
    frame = (
        frame[frame["score"] > 0]
        .sort_values(["region_code", "method_order", "score", "indicator"], ascending=[True, True, False, True])
        .drop(columns="method_order")
    )
    frame["rank"] = frame.groupby("region_code").cumcount() + 1
    return frame[frame["rank"] <= top_n].reset_index(drop=True)
