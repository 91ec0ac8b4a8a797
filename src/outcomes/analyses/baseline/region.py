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

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from outcomes.analyses.baseline.municipalities import COUNTRY_CODE, region_names
from outcomes.analyses.baseline.readers.tidy import FIGURE_COLUMNS
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
    return table.assign(excluded=table["excluded"].map(exclusions_text))


@dataclass(frozen=True)
class _Figure:
    """One municipality's published figure for one period (indicator unit; counts in persons)."""

    code: str
    value: float
    numerator: float
    denominator: float
    status: str

    @property
    def has_counts(self) -> bool:
        return not math.isnan(self.numerator) and not math.isnan(self.denominator) and self.denominator > 0


def _figures(group: pd.DataFrame) -> dict[str, _Figure]:
    """The rows of one indicator and period, by municipality code."""
    columns = [group[c].tolist() for c in ("region_code", "value", "numerator", "denominator", "status")]
    return {
        str(code): _Figure(str(code), float(value), float(num), float(den), str(status))
        for code, value, num, den, status in zip(*columns, strict=True)
    }


def _weights_for(tidy: pd.DataFrame, weight_id: str, codes: Sequence[str], period_end: int) -> dict[str, float]:
    """Weight (a count, e.g. persons 15-29) per municipality, for the year closest before ``period_end``."""
    w = tidy[(tidy["indicator"] == weight_id) & tidy["region_code"].isin(codes) & tidy["value"].notna()]
    out: dict[str, float] = {}
    for code, group in w.groupby("region_code"):
        # Prefer the same year, then the latest earlier year, then the earliest later one:
        # populations move slowly, and a missing weight year should not drop a municipality.
        before = group[group["period_end"] <= period_end]
        chosen = before.iloc[before["period_end"].to_numpy().argmax()] if len(before) else None
        if chosen is None:
            chosen = group.iloc[group["period_end"].to_numpy().argmin()]
        out[str(code)] = float(chosen["value"])
    return out


def _sum(usable: list[_Figure], excluded: list[Exclusion]) -> dict[str, object]:
    """A count's region figure: the sum, missing when any part is (a partial sum would be too small)."""
    if excluded:
        return {"value": np.nan, "status": "incomplete", "method": "sum", "n_included": len(usable)}
    return {"value": float(sum(f.value for f in usable)), "status": "", "method": "sum", "n_included": len(usable)}


def _from_counts(usable: list[_Figure], multiplier: float) -> dict[str, object]:
    """A rate rebuilt from the summed numerators and denominators."""
    num = float(sum(f.numerator for f in usable))
    den = float(sum(f.denominator for f in usable))
    return {
        "value": num / den * multiplier,
        "numerator": num,
        "denominator": den,
        "status": "",
        "method": "from_counts",
        "n_included": len(usable),
    }


def _weighted(usable: list[_Figure], weights: dict[str, float], excluded: list[Exclusion]) -> dict[str, object]:
    """A population-weighted mean; a municipality without a weight is left out (and added to ``excluded``)."""
    weighted = [f for f in usable if weights.get(f.code, 0) > 0]
    kept = {f.code for f in weighted}
    excluded.extend(Exclusion(f.code, NO_WEIGHT) for f in usable if f.code not in kept)
    out: dict[str, object] = {"method": "population_weighted", "n_included": len(weighted)}
    if weighted:
        total = sum(weights[f.code] for f in weighted)
        out.update(value=sum(weights[f.code] * f.value for f in weighted) / total, status="")
    else:
        out.update(value=np.nan, status="no_weights" if usable else "..")
    return out


def _region_figure(
    tidy: pd.DataFrame, indicator: Indicator, codes: list[str], present: dict[str, _Figure], period_end: int
) -> dict[str, object]:
    """The region's value, status, method and left-out municipalities for one period."""
    excluded: list[Exclusion] = []
    for code in codes:
        figure = present.get(code)
        if figure is None:
            excluded.append(Exclusion(code, NO_ROW))
        elif math.isnan(figure.value):
            excluded.append(Exclusion(code, figure.status or ".."))
    usable = [present[c] for c in codes if c in present and not math.isnan(present[c].value)]
    if indicator.unit == "count":
        result = _sum(usable, excluded)
    elif indicator.aggregate == "counts" and usable and all(f.has_counts for f in usable):
        result = _from_counts(usable, indicator.multiplier or 1.0)
    else:
        weights = _weights_for(tidy, indicator.weight, [f.code for f in usable], period_end) if indicator.weight else {}
        result = _weighted(usable, weights, excluded)
    return {"numerator": np.nan, "denominator": np.nan, **result, "excluded": tuple(excluded)}


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
    codes = [str(c) for c in municipalities]
    rows = tidy[(tidy["indicator"] == indicator.id) & tidy["region_code"].isin(codes)]
    out = []
    for _, group in rows.groupby(["period", "period_start", "period_end"], sort=True):
        end = int(group["period_end"].iloc[0])
        out.append(
            {
                "period": group["period"].iloc[0],
                "period_start": int(group["period_start"].iloc[0]),
                "period_end": end,
                "n_municipalities": len(codes),
                **_region_figure(tidy, indicator, codes, _figures(group), end),
            }
        )
    return pd.DataFrame(out)


def _published_rows(rows: pd.DataFrame, level: str, wanted: list[str]) -> pd.DataFrame:
    """The published rows of one level, with the columns a region row has."""
    sel = rows[rows["region_code"].isin(wanted)].copy()
    sel["level"] = level
    sel["method"] = "published"
    sel["n_municipalities"] = 1 if level == "municipality" else np.nan
    sel["n_included"] = sel["value"].notna().astype(int) if level == "municipality" else np.nan
    sel["excluded"] = pd.Series([()] * len(sel), index=sel.index, dtype=object)
    return sel


def _indicator_rows(
    tidy: pd.DataFrame, ind: Indicator, codes: list[str], county: str, country: str
) -> list[pd.DataFrame]:
    """Municipality, region, county and country rows of one indicator (levels without rows left out)."""
    rows = tidy[tidy["indicator"] == ind.id]
    parts = []
    for level, wanted in (("municipality", codes), ("county", [county]), ("country", [country])):
        sel = _published_rows(rows, level, wanted)
        if not sel.empty:
            parts.append(sel)
    region = aggregate_region(tidy, ind, codes)
    if not region.empty:
        region["indicator"] = ind.id
        region["level"] = "region"
        region["region_code"] = REGION_CODE
        region["source"] = ind.source_label
        parts.append(region)
    return parts


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
    present = set(tidy["indicator"])
    ids = list(indicators) if indicators is not None else [i for i in catalogue.ids() if i in present]
    parts = []
    for ind_id in ids:
        parts += _indicator_rows(tidy, catalogue.get(ind_id), codes, county_code, country_code)
    if not parts:
        return pd.DataFrame(columns=TABLE_COLUMNS)
    table = pd.concat(parts, ignore_index=True)
    table["region_name"] = table["region_code"].map(lambda c: names.get(str(c), str(c)))
    table["level_order"] = table["level"].map({lvl: i for i, lvl in enumerate(LEVELS)})
    table = table.sort_values(["indicator", "level_order", "region_code", "period_end", "period"], kind="stable")
    table = table[TABLE_COLUMNS].reset_index(drop=True)
    for col in ("n_municipalities", "n_included"):
        table[col] = table[col].astype("float64")
    table["status"] = table["status"].fillna("").astype(str)
    return table
