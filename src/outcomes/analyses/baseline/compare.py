"""Baseline (null-point) analysis: where a region stands, and how far it has moved.

Pure functions: tidy DataFrames (from :mod:`outcomes.analyses.baseline.readers`, codes
harmonised by :mod:`outcomes.analyses.baseline.municipalities`) in, DataFrames or a plain dict
out. No file or network access here.

The region is a named list of municipalities (e.g. Kongsvingerregionen). Its
figure for an indicator is rebuilt from counts where the catalogue says so
(``sum(numerator) / sum(denominator)``, never an average of rates); otherwise
it is a population-weighted mean of the municipality values, weighted by the
catalogue's weight indicator (e.g. population 15-29) for the same year. A
municipality whose value is missing (``..``, ``:``, ``.``) is left out of the
region figure and named in ``excluded`` so the report can footnote it; for a
count (e.g. population) a missing part makes the region sum missing, because
a partial sum would be too small.

Units: every value is in its indicator's unit (``percent`` = 0-100,
``per_1000``, or ``count``). Changes and gaps are in the same unit, i.e.
percentage points for percent indicators.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from outcomes.analyses.baseline.municipalities import COUNTRY_CODE, is_municipality_code, region_names
from outcomes.analyses.baseline.readers import FIGURE_COLUMNS, STATUS_MARKERS
from outcomes.core.errors import ConfigError
from outcomes.core.jsonable import jsonable, records
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

#: Meanings of workbench statuses beside the SSB/FHI markers, for footnotes.
STATUS_MEANINGS: dict[str, str] = {
    **STATUS_MARKERS,
    "split": "municipality later split; value cannot be allocated",
    "merged_without_counts": "merged municipalities published a rate without counts",
    "incomplete": "a part of the region is missing, so the sum would be too small",
    "no_weights": "no population weights for the municipalities with values",
}


# --------------------------------------------------------------------------- region table


def _weights_for(tidy: pd.DataFrame, weight_id: str, codes: Sequence[str], period_end: int) -> dict[str, float]:
    """Weight (a count, e.g. persons 15-29) per municipality, for the year closest before ``period_end``."""
    w = tidy[(tidy["indicator"] == weight_id) & tidy["region_code"].isin(codes) & tidy["value"].notna()]
    out: dict[str, float] = {}
    for code, group in w.groupby("region_code"):
        # Prefer the same year, then the latest earlier year, then the earliest later one:
        # populations move slowly, and a missing weight year should not drop a municipality.
        before = group[group["period_end"] <= period_end]
        row = before.loc[before["period_end"].idxmax()] if len(before) else group.loc[group["period_end"].idxmin()]
        out[str(code)] = float(row["value"])
    return out


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
        ``n_municipalities``, ``n_included`` and ``excluded`` (e.g.
        ``"3417 (..)"``: municipalities left out, with why).
    """
    codes = [str(c) for c in municipalities]
    rows = tidy[(tidy["indicator"] == indicator.id) & tidy["region_code"].isin(codes)]
    out = []
    for (period, start, end), group in rows.groupby(["period", "period_start", "period_end"], sort=True):
        present = {str(r.region_code): r for r in group.itertuples(index=False)}
        excluded: list[str] = []
        for code in codes:
            row = present.get(code)
            if row is None:
                excluded.append(f"{code} (no row)")
            elif pd.isna(row.value):
                excluded.append(f"{code} ({row.status or '..'})")
        usable = [present[c] for c in codes if c in present and pd.notna(present[c].value)]
        rec: dict[str, object] = {
            "period": period,
            "period_start": int(start),
            "period_end": int(end),
            "numerator": np.nan,
            "denominator": np.nan,
            "n_municipalities": len(codes),
            "excluded": "; ".join(excluded),
        }
        if indicator.unit == "count":
            rec["method"] = "sum"
            rec["n_included"] = len(usable)
            if excluded:
                rec.update(value=np.nan, status="incomplete")
            else:
                rec.update(value=float(sum(r.value for r in usable)), status="")
            out.append(rec)
            continue
        with_counts = [r for r in usable if pd.notna(r.numerator) and pd.notna(r.denominator) and r.denominator > 0]
        if indicator.aggregate == "counts" and usable and len(with_counts) == len(usable):
            num = float(sum(r.numerator for r in with_counts))
            den = float(sum(r.denominator for r in with_counts))
            rec.update(
                value=num / den * (indicator.multiplier or 1.0),
                numerator=num,
                denominator=den,
                status="",
                method="from_counts",
                n_included=len(with_counts),
            )
            out.append(rec)
            continue
        weights = (
            _weights_for(tidy, indicator.weight, [r.region_code for r in usable], int(end)) if indicator.weight else {}
        )
        weighted = [r for r in usable if weights.get(str(r.region_code), 0) > 0]
        for r in usable:
            if r not in weighted:
                excluded.append(f"{r.region_code} (no weight)")
        rec["excluded"] = "; ".join(excluded)
        rec["method"] = "population_weighted"
        rec["n_included"] = len(weighted)
        if weighted:
            total = sum(weights[str(r.region_code)] for r in weighted)
            rec.update(value=sum(weights[str(r.region_code)] * r.value for r in weighted) / total, status="")
        else:
            rec.update(value=np.nan, status="no_weights" if usable else "..")
        out.append(rec)
    return pd.DataFrame(out)


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
        "published"``. Sorted by indicator, level, code, period.
    """
    names = region_names()
    names[REGION_CODE] = region_name
    codes = [str(c) for c in region_municipalities]
    present = set(tidy["indicator"])
    ids = list(indicators) if indicators is not None else [i for i in catalogue.ids() if i in present]
    parts = []
    for ind_id in ids:
        ind = catalogue.get(ind_id)
        rows = tidy[tidy["indicator"] == ind_id]
        for level, wanted in (("municipality", codes), ("county", [county_code]), ("country", [country_code])):
            sel = rows[rows["region_code"].isin(wanted)].copy()
            if sel.empty:
                continue
            sel["level"] = level
            sel["method"] = "published"
            sel["n_municipalities"] = 1 if level == "municipality" else np.nan
            sel["n_included"] = sel["value"].notna().astype(int) if level == "municipality" else np.nan
            sel["excluded"] = ""
            parts.append(sel)
        region = aggregate_region(tidy, ind, codes)
        if not region.empty:
            region["indicator"] = ind_id
            region["level"] = "region"
            region["region_code"] = REGION_CODE
            region["source"] = ind.source_label
            parts.append(region)
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
    table["excluded"] = table["excluded"].fillna("").astype(str)
    return table


# --------------------------------------------------------------------------- change since baseline


def _assess(change: float, better: str) -> str:
    if better == "neutral" or pd.isna(change):
        return "not_assessed"
    if abs(change) < 1e-9:
        return "unchanged"
    improved = change < 0 if better == "lower" else change > 0
    return "better" if improved else "worse"


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
        ``change_percent`` (change relative to the baseline value, percent)
        and ``assessment``: ``better``, ``worse``, ``unchanged``,
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
    cols = ["period", "value", "status"]
    merged = base[keys + ["region_name"] + cols].merge(latest[keys + cols], on=keys, suffixes=("_b", "_l"))
    merged = merged.sort_values(keys, kind="stable")
    meta = {i.id: (i.unit, i.better) for i in catalogue.indicators}
    better = merged["indicator"].astype(str).map(lambda i: meta[i][1])
    change = (merged["value_l"] - merged["value_b"]).astype("float64")
    assessment = [
        "no_new_data" if pl == pb else _assess(c, bt)
        for pl, pb, c, bt in zip(merged["period_l"], merged["period_b"], change, better, strict=False)
    ]
    base_value = merged["value_b"].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        change_percent = np.where(change.notna() & (base_value != 0), change / base_value * 100, np.nan)
    frame = pd.DataFrame(
        {
            "indicator": merged["indicator"].to_numpy(),
            "level": merged["level"].to_numpy(),
            "region_code": merged["region_code"].to_numpy(),
            "region_name": merged["region_name"].to_numpy(),
            "unit": merged["indicator"].astype(str).map(lambda i: meta[i][0]).to_numpy(),
            "better": better.to_numpy(),
            "baseline_period": merged["period_b"].to_numpy(),
            "baseline_value": merged["value_b"].to_numpy(),
            "baseline_status": merged["status_b"].to_numpy(),
            "latest_period": merged["period_l"].to_numpy(),
            "latest_value": merged["value_l"].to_numpy(),
            "latest_status": merged["status_l"].to_numpy(),
            "change": change.to_numpy(),
            "change_percent": change_percent,
            "assessment": assessment,
        }
    )
    if frame.empty:
        return frame
    frame["level_order"] = frame["level"].map({lvl: i for i, lvl in enumerate(LEVELS)})
    return (
        frame.sort_values(["indicator", "level_order", "region_code"])
        .drop(columns="level_order")
        .reset_index(drop=True)
    )


# --------------------------------------------------------------------------- targets


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
        for r in sel.itertuples(index=False):
            sign = 1.0 if ind.better == "lower" else -1.0
            gap = r.latest_value - target if pd.notna(r.latest_value) else np.nan
            remaining = max(sign * gap, 0.0) if pd.notna(gap) else np.nan
            base_gap = sign * (r.baseline_value - target) if pd.notna(r.baseline_value) else np.nan
            closed = (
                (base_gap - (sign * gap)) / base_gap * 100
                if pd.notna(base_gap) and pd.notna(gap) and base_gap > 0
                else np.nan
            )
            rows.append(
                {
                    "indicator": ind_id,
                    "region_code": r.region_code,
                    "region_name": r.region_name,
                    "target": float(target),
                    "baseline_value": r.baseline_value,
                    "latest_value": r.latest_value,
                    "gap": gap,
                    "remaining": remaining,
                    "target_met": bool(pd.notna(remaining) and remaining == 0.0),
                    "share_of_gap_closed": closed,
                }
            )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- largest challenges


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
    munis = national[national["region_code"].map(is_municipality_code) & national["value"].notna()]
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
        Output of :func:`baseline_table`.
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
    for ind_id, group in table.groupby("indicator", sort=True):
        ind = catalogue.get(str(ind_id))
        if ind.better == "neutral":
            continue
        if year is not None:
            group = group[group["period_end"] <= year]
        munis = group[(group["level"] == "municipality") & group["value"].notna()]
        if munis.empty:
            continue
        period_end = int(munis["period_end"].max())
        munis = munis[munis["period_end"] == period_end]
        ref_level, ref = None, None
        for level in ("country", "county"):
            cand = group[(group["level"] == level) & (group["period_end"] == period_end) & group["value"].notna()]
            if len(cand):
                ref_level, ref = level, float(cand["value"].iloc[0])
                break
        if ref is None:
            continue
        sign = 1.0 if ind.better == "lower" else -1.0
        sd = sds.get(ind_id)
        for r in munis.itertuples(index=False):
            diff = float(r.value) - ref
            if sd and sd > 0:
                score, method = sign * diff / sd, "standardised"
            elif ref:
                score, method = sign * diff / ref, "relative"
            else:
                continue
            rows.append(
                {
                    "region_code": r.region_code,
                    "region_name": r.region_name,
                    "indicator": ind_id,
                    "period": r.period,
                    "value": float(r.value),
                    "reference_level": ref_level,
                    "reference_value": ref,
                    "difference": diff,
                    "score": score,
                    "score_method": method,
                }
            )
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


# --------------------------------------------------------------------------- footnotes and summary


def status_footnotes(table: pd.DataFrame) -> pd.DataFrame:
    """Every missing or qualified figure, with what its marker means.

    Parameters
    ----------
    table
        Output of :func:`baseline_table`.

    Returns
    -------
    pandas.DataFrame
        ``indicator, region_code, region_name, period, status, meaning`` for
        rows with a status, plus region rows where municipalities were left
        out (status ``excluded``, meaning lists them).
    """
    keys = ["indicator", "region_code", "region_name", "period"]
    marked = table.loc[table["status"] != "", [*keys, "status"]].assign(
        meaning=lambda f: f["status"].map(lambda s: STATUS_MEANINGS.get(s, s)), _order=0
    )
    left_out = table[(table["level"] == "region") & (table["excluded"] != "")]
    left_out = left_out[keys].assign(
        status="excluded", meaning="left out of the region figure: " + left_out["excluded"], _order=1
    )
    # In table order; for one row its own status first, then what the region figure left out.
    notes = pd.concat([marked, left_out]).rename_axis("_row").sort_values(["_row", "_order"], kind="stable")
    if notes.empty:
        return pd.DataFrame(columns=[*keys, "status", "meaning"])
    return notes[[*keys, "status", "meaning"]].reset_index(drop=True)


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return records(frame)


def baseline_summary(
    tidy: pd.DataFrame,
    catalogue: IndicatorCatalogue,
    *,
    region_name: str,
    region_municipalities: Sequence[str],
    county_code: str,
    baseline_year: int,
    report_year: int | None = None,
    targets: Mapping[str, float] | None = None,
    baseline_periods: Mapping[str, str] | None = None,
    national: pd.DataFrame | None = None,
    deviance_outcome: str | None = None,
    deviance_predictors: Sequence[str] | None = None,
    deviance_year: int | None = None,
    top_n: int = 3,
) -> dict[str, object]:
    """Every figure of the baseline as a JSON-serialisable dict (for ``outcomes baseline --json``).

    Parameters
    ----------
    tidy
        Region, county and country rows (codes harmonised).
    catalogue
        The indicator catalogue.
    region_name, region_municipalities, county_code, baseline_year, report_year, targets, baseline_periods
        As in :func:`baseline_table`, :func:`change_since_baseline` and
        :func:`gap_to_target` (config ``region.*`` and ``baseline.*``).
    national
        Optional tidy rows for all municipalities: gives the SD used to
        standardise the largest challenges and the data for positive deviance.
    deviance_outcome, deviance_predictors, deviance_year
        Optional positive-deviance model (see :func:`outcomes.analyses.baseline.deviance.positive_deviance`).
    top_n
        Largest challenges kept per municipality.

    Returns
    -------
    dict
        Keys ``region``, ``indicators`` (catalogue facts), ``table``,
        ``changes``, ``targets``, ``challenges``, ``footnotes``, ``spread``
        and ``deviance`` (or None). Missing numbers are ``None``, never 0.
    """
    from outcomes.analyses.baseline.deviance import positive_deviance

    table = baseline_table(
        tidy, catalogue, region_municipalities=region_municipalities, county_code=county_code, region_name=region_name
    )
    changes = change_since_baseline(
        table, catalogue, baseline_year=baseline_year, report_year=report_year, baseline_periods=baseline_periods
    )
    gaps = gap_to_target(changes, catalogue, targets or {}) if targets else pd.DataFrame()
    spread = national_spread(national) if national is not None else None
    challenges = largest_challenges(table, catalogue, spread=spread, year=report_year, top_n=top_n)
    deviance = None
    if national is not None and deviance_outcome and deviance_predictors:
        result = positive_deviance(
            national, catalogue, outcome=deviance_outcome, predictors=list(deviance_predictors), year=deviance_year
        )
        deviance = result.to_dict()
    used = sorted(set(table["indicator"])) if not table.empty else []
    indicators = []
    for ind_id in used:
        ind = catalogue.get(ind_id)
        indicators.append(
            {
                "id": ind.id,
                "title": {"nb": ind.title.nb, "en": ind.title.en},
                "theme": ind.theme,
                "unit": ind.unit,
                "better": ind.better,
                "source": {"publisher": ind.source.publisher, "table": ind.source.table, "url": ind.source.url},
                "aggregate": ind.aggregate,
                "weight": ind.weight,
            }
        )
    # The tables are converted column by column (records); only the small parts need the generic walk.
    summary = jsonable(
        {
            "region": {
                "name": region_name,
                "municipalities": list(region_municipalities),
                "county": county_code,
                "baseline_year": baseline_year,
                "report_year": report_year,
            },
            "indicators": indicators,
            "deviance": deviance,
        }
    )
    summary.update(
        table=_records(table),
        changes=_records(changes),
        targets=_records(gaps),
        challenges=_records(challenges),
        footnotes=_records(status_footnotes(table)),
        spread=_records(spread) if spread is not None else [],
    )
    return {
        key: summary[key]
        for key in (
            "region",
            "indicators",
            "table",
            "changes",
            "targets",
            "challenges",
            "footnotes",
            "spread",
            "deviance",
        )
    }
