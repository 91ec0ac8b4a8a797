"""The baseline table: every indicator for each municipality, the region, the county and the country.

Pure functions: tidy DataFrames (from :mod:`outcomes.analyses.baseline.readers`,
codes harmonised by :mod:`outcomes.analyses.baseline.municipalities`) in,
DataFrames out. No file or network access here.

The region is a named list of municipalities (e.g. Kongsvingerregionen). Its
figure for an indicator is rebuilt from counts where the catalogue says so
(``sum(numerator) / sum(denominator)``, never an average of rates); otherwise
it is a population-weighted mean of the municipality values, weighted by the
catalogue's weight indicator (e.g. population 15-29) for the same year. A
municipality whose value is missing (``..``, ``:``, ``.``) is left out of the
region figure and named in ``excluded`` (as :class:`Exclusion` values) so the
report can footnote it; for a count (e.g. population) a missing part makes the
region sum missing, because a partial sum would be too small.

Units: every value is in its indicator's unit (``percent`` = 0-100,
``per_1000``, or ``count``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from outcomes.analyses.baseline.municipalities import COUNTRY_CODE, region_names
from outcomes.analyses.baseline.readers.tidy import FIGURE_COLUMNS
from outcomes.core.lookup import map_distinct
from outcomes.registries.indicator_catalogue import Indicator, IndicatorCatalogue

LEVELS = ("municipality", "region", "county", "country")
REGION_CODE = "region"

TABLE_COLUMNS = [
    "indicator",
    "level",
    "region_code",
    "region_name",
    *FIGURE_COLUMNS,
    "method",
    "n_municipalities",
    "n_included",
    "excluded",
    "source",
]

#: Why a municipality is left out of a region figure, beside its own status marker.
NO_ROW = "no_row"
NO_WEIGHT = "no_weight"

#: How a reason is written in the published ``excluded`` text (other reasons are markers, written as they are).
_REASON_TEXT = {NO_ROW: "no row", NO_WEIGHT: "no weight"}


@dataclass(frozen=True)
class Exclusion:
    """A municipality left out of a region figure, and why.

    ``code`` is the 4-digit municipality code; ``reason`` is its status
    marker (``..``, ``:``, ``.``), a workbench status (``split``,
    ``merged_without_counts``), :data:`NO_ROW` (no figure in the files) or
    :data:`NO_WEIGHT` (no population weight for a weighted mean).
    """

    code: str
    reason: str

    def __str__(self) -> str:
        """The published form, e.g. ``3417 (..)`` or ``3417 (no row)``."""
        return f"{self.code} ({_REASON_TEXT.get(self.reason, self.reason)})"


def exclusions_text(exclusions: Sequence[Exclusion]) -> str:
    """The published ``excluded`` text: ``"3417 (..); 3418 (no weight)"``, ``""`` when none."""
    return "; ".join(str(e) for e in exclusions)


def with_exclusions_as_text(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of :func:`baseline_table` output whose ``excluded`` is the published text (for CSV and JSON)."""
    texts = [exclusions_text(e) if e else "" for e in table["excluded"].tolist()]
    return table.assign(excluded=pd.Series(texts, index=table.index, dtype=object if table.empty else None))


#: Columns of :func:`aggregate_region` / :func:`region_figures` output (before ``indicator``).
REGION_COLUMNS = [
    "period",
    "period_start",
    "period_end",
    "n_municipalities",
    "numerator",
    "denominator",
    "value",
    "status",
    "method",
    "n_included",
    "excluded",
]

_GROUP_KEYS = ["indicator", "period", "period_start", "period_end"]


def _sequential_sum(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Row sums of ``values`` where ``keep``, added left to right (as ``sum()`` adds a list, to the last bit)."""
    kept = np.where(keep, values, 0.0)
    # A running sum is strictly left to right (np.sum pairs terms, which rounds differently); the leading
    # zero is sum()'s start value. A skipped term adds 0.0, which leaves the sum as it was.
    return np.cumsum(np.hstack([np.zeros((len(kept), 1)), kept]), axis=1)[:, -1]


@dataclass(frozen=True)
class _Grid:
    """The figures of every indicator and period (rows) for every municipality of the region (columns)."""

    groups: pd.DataFrame  # indicator, period, period_start, period_end: one row per grid row
    codes: list[str]
    present: np.ndarray  # a row in the files
    value: np.ndarray
    numerator: np.ndarray
    denominator: np.ndarray
    status: np.ndarray  # the row's status text ("" when none or no row)


def _grid(tidy: pd.DataFrame, ids: Sequence[str], codes: list[str]) -> _Grid:
    """The region's rows laid out as indicator-and-period × municipality arrays."""
    rows = tidy[tidy["indicator"].isin(ids) & tidy["region_code"].isin(codes)].dropna(subset=_GROUP_KEYS[1:])
    # One figure per municipality, indicator and period: the last row, as a dict by code would keep.
    rows = rows.drop_duplicates([*_GROUP_KEYS, "region_code"], keep="last")
    groups = rows[_GROUP_KEYS].drop_duplicates()
    order = {ind_id: i for i, ind_id in enumerate(dict.fromkeys(ids))}
    groups = groups.assign(_order=groups["indicator"].map(order))
    groups = groups.sort_values(["_order", *_GROUP_KEYS[1:]], kind="stable").drop(columns="_order")
    groups = groups.reset_index(drop=True)
    located = rows.merge(groups.reset_index(names="_row"), on=_GROUP_KEYS).merge(
        pd.DataFrame({"region_code": codes, "_column": range(len(codes))}), on="region_code"
    )
    shape = (len(groups), len(codes))
    at = (located["_row"].to_numpy(), located["_column"].to_numpy())
    present = np.zeros(shape, dtype=bool)
    present[at] = True
    arrays = {}
    for column in ("value", "numerator", "denominator"):
        arrays[column] = np.full(shape, np.nan)
        arrays[column][at] = located[column].to_numpy(dtype="float64", na_value=np.nan)
    status = np.full(shape, "", dtype=object)
    # An object array converts text columns at C speed (iterating a pandas string column does not).
    status[at] = [s if isinstance(s, str) else str(s) for s in located["status"].to_numpy(dtype=object)]
    return _Grid(groups, codes, present, arrays["value"], arrays["numerator"], arrays["denominator"], status)


def _grid_weights(tidy: pd.DataFrame, grid: _Grid, weight_ids: pd.Series) -> np.ndarray:
    """Weight (a count, e.g. persons 15-29) of each grid cell, for the year closest before the period's end.

    Prefers the same year, then the latest earlier year, then the earliest later one: populations move
    slowly, and a missing weight year should not drop a municipality. 0 where there is no weight.
    """
    wanted = grid.groups.assign(weight=weight_ids.to_numpy(), _row=range(len(grid.groups))).dropna(subset="weight")
    out = np.zeros(grid.present.shape)
    if wanted.empty:
        return out
    rows = tidy[tidy["indicator"].isin(set(wanted["weight"])) & tidy["region_code"].isin(grid.codes)]
    rows = rows[rows["value"].notna()]
    # Of several rows for one year, the first (in file order) counts.
    rows = rows.drop_duplicates(["indicator", "region_code", "period_end"], keep="first")
    right = pd.DataFrame(
        {
            "weight": rows["indicator"].astype(str).to_numpy(),
            "region_code": rows["region_code"].astype(str).to_numpy(),
            "weight_end": rows["period_end"].to_numpy(dtype="int64"),
            "weight_value": rows["value"].to_numpy(dtype="float64"),
        }
    ).sort_values("weight_end", kind="stable")
    cells = wanted[["_row", "weight", "period_end"]].merge(
        pd.DataFrame({"region_code": grid.codes, "_column": range(len(grid.codes))}), how="cross"
    )
    cells["period_end"] = cells["period_end"].astype("int64")
    # merge_asof wants the very same dtype on both sides (text columns may be object or pandas strings).
    for frame in (cells, right):
        frame[["weight", "region_code"]] = frame[["weight", "region_code"]].astype(object)
    cells = cells.sort_values("period_end", kind="stable")
    earlier = pd.merge_asof(
        cells, right, left_on="period_end", right_on="weight_end", by=["weight", "region_code"], direction="backward"
    )
    later = pd.merge_asof(
        cells, right, left_on="period_end", right_on="weight_end", by=["weight", "region_code"], direction="forward"
    )
    value = earlier["weight_value"].fillna(later["weight_value"]).fillna(0.0).to_numpy()
    out[earlier["_row"].to_numpy(), earlier["_column"].to_numpy()] = value
    return out


def _exclusions(grid: _Grid, usable: np.ndarray, unweighted: np.ndarray) -> list[tuple[Exclusion, ...]]:
    """Per grid row: municipalities without a figure (in the region's order), then those without a weight."""
    missing = ~usable
    reason = np.where(grid.present, np.where(grid.status == "", "..", grid.status), NO_ROW)
    rows, columns = np.nonzero(missing)
    weight_rows, weight_columns = np.nonzero(unweighted)
    every_row = np.concatenate([rows, weight_rows])
    items = [Exclusion(grid.codes[c], str(r)) for c, r in zip(columns, reason[rows, columns], strict=True)]
    items += [Exclusion(grid.codes[c], NO_WEIGHT) for c in weight_columns]
    # Stable sort by grid row keeps the missing ones (by column) before the unweighted ones (by column).
    order = np.argsort(every_row, kind="stable")
    ends = np.cumsum(np.bincount(every_row, minlength=len(grid.groups)))
    ordered = [items[i] for i in order]
    return [tuple(ordered[start:end]) for start, end in zip(np.concatenate([[0], ends[:-1]]), ends, strict=True)]


def region_figures(tidy: pd.DataFrame, indicators: Sequence[Indicator], municipalities: Sequence[str]) -> pd.DataFrame:
    """The region's figure for every indicator and period, all at once (see :func:`aggregate_region`).

    One grouped operation: the rows become indicator-and-period × municipality
    arrays, and every sum, weight and exclusion is taken along the
    municipalities of all periods together. Sums add the municipalities in the
    region's order, as a Python ``sum()`` would, so the figures are the same to
    the last bit as one period at a time.

    Parameters
    ----------
    tidy
        Tidy indicator rows, municipality codes in one geography version
        (also the rows of each weight indicator).
    indicators
        Catalogue entries: ``unit``, ``aggregate`` and ``weight`` say how each
        is aggregated (a count summed, a rate from counts or population-weighted).
    municipalities
        4-digit codes making up the region, in the order exclusions are listed.

    Returns
    -------
    pandas.DataFrame
        ``indicator`` and :data:`REGION_COLUMNS`, one row per indicator and
        period that has a row for at least one of the municipalities; sorted
        by the order of ``indicators``, then period label and years.
    """
    codes = [str(c) for c in municipalities]
    by_id = {ind.id: ind for ind in indicators}
    grid = _grid(tidy, list(by_id), codes)
    if grid.groups.empty:
        return pd.DataFrame(columns=["indicator", *REGION_COLUMNS])
    ids = grid.groups["indicator"]
    is_count = ids.map({i: ind.unit == "count" for i, ind in by_id.items()}).to_numpy(dtype=bool)
    by_counts = ids.map({i: ind.aggregate == "counts" for i, ind in by_id.items()}).to_numpy(dtype=bool)
    multiplier = ids.map({i: ind.multiplier or 1.0 for i, ind in by_id.items()}).to_numpy(dtype="float64")
    weight_ids = ids.map({i: ind.weight for i, ind in by_id.items()}).astype(object)
    usable = grid.present & ~np.isnan(grid.value)
    n_usable = usable.sum(axis=1)
    complete = n_usable == len(codes)
    # A count is a sum, missing when any part is; a rate is rebuilt from counts when every usable part has them.
    has_counts = ~np.isnan(grid.numerator) & ~np.isnan(grid.denominator) & (grid.denominator > 0)
    from_counts = ~is_count & by_counts & (n_usable > 0) & (has_counts | ~usable).all(axis=1)
    weighted = ~is_count & ~from_counts
    weights = _grid_weights(tidy, grid, weight_ids.where(weighted, None))
    with_weight = usable & (weights > 0) & weighted[:, None]
    n_weighted = with_weight.sum(axis=1)
    numerator = _sequential_sum(grid.numerator, usable)
    denominator = _sequential_sum(grid.denominator, usable)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = _sequential_sum(weights * grid.value, with_weight) / _sequential_sum(weights, with_weight)
        value = np.select(
            [is_count & complete, from_counts, weighted & (n_weighted > 0)],
            [_sequential_sum(grid.value, usable), numerator / denominator * multiplier, mean],
            np.nan,
        )
    status = np.select(
        [is_count, weighted & (n_weighted == 0) & (n_usable > 0), weighted & (n_weighted == 0)],
        [np.where(complete, "", "incomplete"), "no_weights", ".."],
        "",
    )
    return pd.DataFrame(
        {
            "indicator": grid.groups["indicator"].to_numpy(),
            "period": grid.groups["period"].to_numpy(dtype=object),
            "period_start": grid.groups["period_start"].to_numpy(dtype="int64"),
            "period_end": grid.groups["period_end"].to_numpy(dtype="int64"),
            "n_municipalities": len(codes),
            "numerator": np.where(from_counts, numerator, np.nan),
            "denominator": np.where(from_counts, denominator, np.nan),
            "value": value,
            "status": status.astype(object),
            "method": np.select([is_count, from_counts], ["sum", "from_counts"], "population_weighted").astype(object),
            "n_included": np.where(weighted, n_weighted, n_usable).astype("int64"),
            "excluded": _exclusions(grid, usable, usable & ~with_weight & weighted[:, None]),
        }
    )


def aggregate_region(
    tidy: pd.DataFrame,
    indicator: Indicator,
    municipalities: Sequence[str],
) -> pd.DataFrame:
    """The region's figure for one indicator, per period.

    Parameters
    ----------
    tidy
        Tidy indicator rows, municipality codes in one geography version.
    indicator
        Catalogue entry: ``aggregate`` says counts or population-weighted,
        ``weight`` names the weight indicator.
    municipalities
        4-digit codes making up the region.

    Returns
    -------
    pandas.DataFrame
        One row per period with ``value`` (indicator unit), ``numerator``,
        ``denominator`` (persons, when rebuilt from counts), ``status``,
        ``method`` (``from_counts``, ``population_weighted`` or ``sum``),
        ``n_municipalities``, ``n_included`` and ``excluded`` (a tuple of
        :class:`Exclusion`: municipalities left out, with why).
    """
    return region_figures(tidy, [indicator], municipalities).drop(columns="indicator")


def _published_rows(rows: pd.DataFrame, level: str, wanted: list[str]) -> pd.DataFrame:
    """The published rows of one level, with the columns a region row has."""
    sel = rows[rows["region_code"].isin(wanted)].copy()
    sel["level"] = level
    sel["method"] = "published"
    sel["n_municipalities"] = 1 if level == "municipality" else np.nan
    sel["n_included"] = sel["value"].notna().astype(int) if level == "municipality" else np.nan
    sel["excluded"] = pd.Series([()] * len(sel), index=sel.index, dtype=object)
    return sel


def baseline_table(
    tidy: pd.DataFrame,
    catalogue: IndicatorCatalogue,
    *,
    region_municipalities: Sequence[str],
    county_code: str,
    region_name: str = "Regionen",
    country_code: str = COUNTRY_CODE,
    indicators: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every indicator for each municipality, the region, the county and the country.

    Parameters
    ----------
    tidy
        Tidy rows for the region's municipalities, the county and the country
        (all periods), codes in the report's geography version.
    catalogue
        The indicator catalogue.
    region_municipalities
        4-digit codes of the region's municipalities (config ``region.municipalities``).
    county_code
        2-digit county code (config ``region.county``), e.g. ``"34"``.
    region_name
        Name shown for the region row (config ``region.name``).
    country_code
        Code of the national row (SSB and FHI use ``"0"``).
    indicators
        Indicator ids to include; default every catalogue indicator present.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TABLE_COLUMNS`; ``level`` is ``municipality``,
        ``region``, ``county`` or ``country``; the region row has
        ``region_code == "region"``. Published rows have ``method ==
        "published"`` and no exclusions; ``excluded`` holds tuples of
        :class:`Exclusion` (see :func:`with_exclusions_as_text`). Sorted by
        indicator, level, code, period.
    """
    names = region_names()
    names[REGION_CODE] = region_name
    codes = [str(c) for c in region_municipalities]
    present = set(tidy["indicator"].unique())  # iterating a pandas string column is slow
    ids = list(dict.fromkeys(indicators if indicators is not None else [i for i in catalogue.ids() if i in present]))
    rows = tidy[tidy["indicator"].isin(ids)]
    parts = []
    for level, wanted in (("municipality", codes), ("county", [county_code]), ("country", [country_code])):
        parts.append(_published_rows(rows, level, wanted))
    entries = [catalogue.get(ind_id) for ind_id in ids]
    region = region_figures(tidy, entries, codes)
    sources = {ind.id: ind.source_label for ind in entries}
    parts.append(region.assign(level="region", region_code=REGION_CODE, source=region["indicator"].map(sources)))
    parts = [part for part in parts if not part.empty]
    if not parts:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    table = pd.concat(parts, ignore_index=True)
    # Each distinct code looked up once; pandas strings stay the string type they were.
    named = map_distinct(table["region_code"], lambda c: names.get(str(c), str(c)))
    if isinstance(table["region_code"].dtype, pd.StringDtype):
        named = named.astype(table["region_code"].dtype)
    table["region_name"] = named
    table["level_order"] = map_distinct(table["level"], {lvl: i for i, lvl in enumerate(LEVELS)})
    table = table.sort_values(["indicator", "level_order", "region_code", "period_end", "period"], kind="stable")
    table = table[TABLE_COLUMNS].reset_index(drop=True)
    for col in ("n_municipalities", "n_included"):
        table[col] = table[col].astype("float64")
    table["status"] = table["status"].fillna("").astype(str)
    return table
