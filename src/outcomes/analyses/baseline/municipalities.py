"""Municipality codes: names, counties, and harmonising old codes to one version.

Norway renumbered, merged and split municipalities in 2017, 2018, 2019, 2020
and 2024, so a time series read from SSB or FHI since 2016 can hold several
code versions at once. Every
analysis runs in one geography version (the report's, by default 2024). The
correspondence table ``outcomes/data/municipality_changes.csv`` (documented, with
its source, in ``municipality_changes.yml`` beside it) says where each old code
went, for every code valid on 1 January of any year since 2016 (chains are
followed to the report's version). When several old codes merged, counts and numerators are summed and rates
are rebuilt from the summed numerator and denominator: averaging two rates
would weight a municipality of 1,000 like one of 30,000. The original code is
kept in ``region_code_original`` so a reader can trace every figure back.
Names are KLASS's official names (Sami and Kven names included, e.g.
"Snåase - Snåsa").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from outcomes.core.errors import InputError

#: Workbench status for a value whose municipality was later split: the source
#: figure cannot be allocated between the successors, so it becomes missing.
STATUS_SPLIT = "split"
#: Workbench status for a merged rate that came without numerator and
#: denominator: it cannot be rebuilt, and averaging is not allowed.
STATUS_MERGED_WITHOUT_COUNTS = "merged_without_counts"

#: Multiplier that turns numerator / denominator into the published unit.
UNIT_MULTIPLIERS: dict[str, float | None] = {"percent": 100.0, "per_1000": 1000.0, "count": None}

COUNTRY_CODE = "0"


def _data_file(name: str) -> str:
    return str(resources.files("outcomes") / "data" / name)


@lru_cache(maxsize=1)
def _changes_cached() -> pd.DataFrame:
    path = _data_file("municipality_changes.csv")
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    table["change_year"] = table["change_year"].astype("int64")
    return table


def load_municipality_changes() -> pd.DataFrame:
    """The shipped correspondence table of municipality code changes.

    Returns
    -------
    pandas.DataFrame
        Columns ``old_code``, ``old_name``, ``new_code``, ``new_name`` (4-digit
        strings / names), ``change_year`` (int: first year the new code is
        valid) and ``kind`` (``renumbered``, ``merged``, ``split``). Sorted by
        change year and codes. Source: SSB KLASS 131, see
        ``municipality_changes.yml``.
    """
    return _changes_cached().copy()


@lru_cache(maxsize=1)
def _municipalities_cached() -> pd.DataFrame:
    path = _data_file("municipalities_2024.csv")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def load_municipalities() -> pd.DataFrame:
    """The 357 municipalities valid from 1 January 2024 with their counties.

    Returns
    -------
    pandas.DataFrame
        Columns ``code`` (4 digits), ``name``, ``county_code`` (2 digits),
        ``county_name``; sorted by code. Source: SSB KLASS 131/104, version 2024.
    """
    return _municipalities_cached().copy()


def region_names() -> dict[str, str]:
    """Names of every 2024 municipality, county and the country, by code.

    Returns
    -------
    dict[str, str]
        ``{"3401": "Kongsvinger", "34": "Innlandet", "0": "Hele landet", ...}``.
    """
    table = _municipalities_cached()
    names = dict(zip(table["code"], table["name"], strict=True))
    names.update(dict(zip(table["county_code"], table["county_name"], strict=False)))
    names[COUNTRY_CODE] = "Hele landet"
    return names


def county_of(code: str) -> str:
    """The county code of a 4-digit municipality code (its first two digits)."""
    return str(code)[:2]


def is_municipality_code(code: str) -> bool:
    """True for a 4-digit municipality code (not a county, the country or a city district)."""
    code = str(code)
    return len(code) == 4 and code.isdigit()


def successor_codes(code: str, target_year: int = 2024, changes: pd.DataFrame | None = None) -> tuple[list[str], bool]:
    """Where a municipality code ended up in the version valid in ``target_year``.

    Parameters
    ----------
    code
        A 4-digit municipality code from any version in the table.
    target_year
        The geography version: changes with ``change_year <= target_year``
        are followed.
    changes
        The correspondence table; defaults to the shipped one.

    Returns
    -------
    tuple[list[str], bool]
        The sorted successor codes (one unless the municipality was split) and
        whether a split was crossed on the way.
    """
    table = load_municipality_changes() if changes is None else changes
    edges: dict[str, list[tuple[str, int, str]]] = {}
    for old, new, year, kind in table[["old_code", "new_code", "change_year", "kind"]].itertuples(index=False):
        edges.setdefault(old, []).append((new, int(year), kind))
    return _follow(str(code), target_year, edges)


def _follow(code: str, target_year: int, edges: dict[str, list[tuple[str, int, str]]]) -> tuple[list[str], bool]:
    frontier = [code]
    final: set[str] = set()
    split = False
    # The graph is acyclic (codes only move forward in time); the guard stops a
    # corrupted table from looping forever.
    for _ in range(20):
        if not frontier:
            break
        nxt: list[str] = []
        for current in frontier:
            moves = [
                (new, kind) for new, year, kind in edges.get(current, []) if year <= target_year and new != current
            ]
            if not moves:
                final.add(current)
                continue
            if len(moves) > 1 or any(kind == "split" for _, kind in moves):
                split = True
            nxt.extend(new for new, _ in moves)
        frontier = nxt
    return sorted(final), split


def harmonise_municipality_codes(
    tidy: pd.DataFrame,
    units: Mapping[str, str],
    *,
    target_year: int = 2024,
    changes: pd.DataFrame | None = None,
    known_codes: set[str] | None = None,
) -> pd.DataFrame:
    """Map every municipality code to the geography version of ``target_year``.

    Parameters
    ----------
    tidy
        Indicator values in the tidy shape of :mod:`outcomes.analyses.baseline.readers`
        (columns ``indicator``, ``region_code``, ``period``, ``period_start``,
        ``period_end``, ``value``, ``numerator``, ``denominator``, ``status``,
        ...). Values are in the indicator's unit (percent, per 1,000 or count).
    units
        Unit of each indicator id (``percent``, ``per_1000`` or ``count``),
        e.g. ``catalogue.units()``; it says whether a merged value is a sum
        (count) or a rate rebuilt from numerator and denominator.
    target_year
        Geography version to map to (2024 = the current codes).
    changes
        Correspondence table; defaults to :func:`load_municipality_changes`.
    known_codes
        Codes accepted without a row in ``changes``; defaults to the 2024
        municipalities plus every code in ``changes``.

    Returns
    -------
    pandas.DataFrame
        The same columns, ``region_code`` in the target version and
        ``region_code_original`` holding the source code(s), joined with ``+``
        when several merged. County and country rows pass through unchanged.
        Merged counts and numerators/denominators are sums; a merged rate is
        ``sum(numerator) / sum(denominator) * 100`` (or * 1,000). If any part of
        a merger is missing (e.g. suppressed ``..``) the merged value is
        missing with that status: a partial sum would understate it. A rate
        without counts cannot be merged: missing, status
        ``merged_without_counts``. A value from a municipality that was later
        split is missing with status ``split``. Rows sorted by indicator,
        region, period.

    Raises
    ------
    InputError
        If a 4-digit code is neither valid in 2024 nor in the table (an old
        code whose change is not transcribed yet) or an indicator has no unit.
    """
    table = load_municipality_changes() if changes is None else changes
    if known_codes is None:
        known_codes = set(load_municipalities()["code"]) | set(table["old_code"]) | set(table["new_code"])
    edges: dict[str, list[tuple[str, int, str]]] = {}
    for old, new, year, kind in table[["old_code", "new_code", "change_year", "kind"]].itertuples(index=False):
        edges.setdefault(old, []).append((new, int(year), kind))

    frame = tidy.copy()
    if "region_code_original" not in frame.columns:
        frame["region_code_original"] = frame["region_code"]
    missing_units = sorted(set(frame["indicator"]) - set(units))
    if missing_units:
        raise InputError(
            f"No unit known for indicator(s) {', '.join(missing_units)}.",
            column="indicator",
            expected="indicator ids from config/indicators.yml",
        )
    codes = frame["region_code"].astype(str)
    unknown = sorted({c for c in codes if is_municipality_code(c) and c not in known_codes})
    if unknown:
        files = sorted(set(frame.loc[codes.isin(unknown), "source_file"].astype(str))) if "source_file" in frame else []
        raise InputError(
            f"Municipality code(s) {', '.join(unknown)} are not in the correspondence table.",
            file=", ".join(files) or None,
            column="region_code",
            expected="codes valid in 2024, or older codes listed in src/outcomes/data/municipality_changes.csv",
            hint="Add the missing change rows from SSB KLASS 131 (see municipality_changes.yml).",
        )

    # Follow each distinct code once (a few hundred), then join: the rows
    # themselves are never looped over, so national files stay fast.
    mapping_rows = []
    for code in codes.unique():
        if not is_municipality_code(code):
            mapping_rows.append((code, code, False))
            continue
        targets, split = _follow(code, target_year, edges)
        mapping_rows.extend((code, target, split) for target in targets)
    mapping = pd.DataFrame(mapping_rows, columns=["_code", "_target", "_split"])
    mapped = frame.assign(_code=codes.to_numpy(), _order=np.arange(len(frame))).merge(mapping, on="_code", how="left")
    mapped = mapped.sort_values(["_order"], kind="stable")
    mapped["region_code"] = mapped["_target"]
    was_split = mapped["_split"].astype(bool).to_numpy()
    if was_split.any():
        for column in ("value", "numerator", "denominator"):
            mapped[column] = mapped[column].astype("float64").mask(was_split)
        mapped["status"] = mapped["status"].astype(object).mask(was_split, STATUS_SPLIT)
    mapped = mapped[list(frame.columns)].reset_index(drop=True)

    keys = ["indicator", "region_code", "period", "period_start", "period_end"]
    shared = mapped.duplicated(keys, keep=False)
    merged = [_merge_group(group, units) for _, group in mapped[shared].groupby(keys, sort=True, dropna=False)]
    out = pd.concat([mapped[~shared], pd.DataFrame(merged, columns=mapped.columns)], ignore_index=True)
    return out.sort_values(keys, kind="stable").reset_index(drop=True)


def _merge_group(group: pd.DataFrame, units: Mapping[str, str]) -> dict[str, object]:
    """Combine rows of several old codes that now share one code."""
    first: dict[str, object] = {str(k): v for k, v in group.iloc[0].items()}
    indicator = str(first["indicator"])
    unit = units[indicator]
    multiplier = UNIT_MULTIPLIERS.get(unit)
    statuses = [str(s) for s in group["status"] if isinstance(s, str) and s]
    first["region_code_original"] = "+".join(sorted(str(c) for c in group["region_code_original"]))
    num = group["numerator"].astype("float64")
    den = group["denominator"].astype("float64")
    # min_count=len: one missing part makes the sum missing rather than too small.
    numerator = float(num.sum(min_count=len(group))) if num.notna().all() else np.nan
    denominator = float(den.sum(min_count=len(group))) if den.notna().all() else np.nan
    first["numerator"], first["denominator"] = numerator, denominator
    value: float
    if multiplier is None:
        values = group["value"].astype("float64")
        value = float(values.sum()) if values.notna().all() else np.nan
    elif not math.isnan(numerator) and not math.isnan(denominator) and denominator > 0:
        value = numerator / denominator * multiplier
    else:
        value = np.nan
    first["value"] = value
    if math.isnan(value):
        if statuses:
            # Keep the source's own marker so the footnote says why.
            first["status"] = sorted(statuses)[0]
        else:
            first["status"] = STATUS_MERGED_WITHOUT_COUNTS
    else:
        first["status"] = ""
    sources = sorted({str(s) for s in group.get("source_file", pd.Series(dtype=str)) if pd.notna(s)})
    if "source_file" in first:
        first["source_file"] = "; ".join(sources)
    return first
