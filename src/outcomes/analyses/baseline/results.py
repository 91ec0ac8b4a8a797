"""Baseline (null point): from configuration to published tables (the I/O edge of the analysis).

The notebook ``20_baseline``, the report runner (``summary.json``) and
``outcomes baseline --json`` all call :func:`baseline_results` and
:func:`baseline_json`, so the figures in the HTML, in the summary and on the
command line are one and the same.

What happens here and nowhere else:

* the indicator files (config ``inputs.indicators``, a folder) and the
  optional national file (``baseline.national``) are read through
  :func:`outcomes.analyses.baseline.readers.load_indicators`, municipality codes mapped
  to ``baseline.geography_year``;
* the configuration's ``baseline:`` block (region, county, null-point year,
  report year, pinned periods, targets, deviance model) is applied by calling
  the pure functions of :mod:`outcomes.analyses.baseline.compare` and :mod:`outcomes.analyses.baseline.deviance`;
* disclosure control: the indicator values are published statistics, but a
  count (numerator) below ``disclosure_threshold`` is never passed on as a
  count (it is blanked; the rate stays).

The ``*_view`` functions turn the results into formatted tables with
translated labels, so the notebook only shows them. Values are in each
indicator's unit (``percent`` = 0-100, ``per_1000``, ``count``); changes and
gaps are in the same unit (percentage points for percent indicators).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from outcomes.analyses.baseline.compare import (
    LEVELS,
    REGION_CODE,
    _records,
    baseline_table,
    change_since_baseline,
    gap_to_target,
    largest_challenges,
    national_spread,
    status_footnotes,
)
from outcomes.analyses.baseline.deviance import DEFAULT_MIN_N, LOW_R_SQUARED, DevianceResult, positive_deviance
from outcomes.analyses.baseline.municipalities import COUNTRY_CODE
from outcomes.analyses.baseline.readers import load_indicators
from outcomes.core import paths
from outcomes.core.config import ReportConfig
from outcomes.core.disclosure import suppression_reasons
from outcomes.core.errors import ConfigError
from outcomes.core.formatting import NBSP, format_count, format_number, format_percent, format_period
from outcomes.core.i18n import Translator
from outcomes.core.jsonable import jsonable
from outcomes.core.provenance import sha256_file
from outcomes.registries.indicator_catalogue import Indicator, IndicatorCatalogue, load_catalogue
from outcomes.report.cache import cached_section

#: Status markers and workbench statuses -> label key (``baseline.status_*``).
STATUS_KEYS: dict[str, str] = {
    "..": "status_missing",
    ":": "status_confidential",
    ".": "status_not_applicable",
    "split": "status_split",
    "merged_without_counts": "status_merged_without_counts",
    "incomplete": "status_incomplete",
    "no_weights": "status_no_weights",
    "no row": "status_no_row",
    "no weight": "status_no_weight",
}

_EXCLUDED_RE = re.compile(r"(\w+) \(([^)]*)\)")


# --------------------------------------------------------------------------- results


@dataclass
class BaselineResults:
    """Published baseline figures for one configuration (disclosure control applied).

    ``table`` is :func:`outcomes.analyses.baseline.compare.baseline_table` with numerators below
    the threshold blanked (``numerator_suppressed`` says where); ``changes``,
    ``gaps``, ``challenges`` and ``footnotes`` are the core's outputs;
    ``deviance`` is ``None`` when no national file or model is configured.
    """

    region_name: str
    municipalities: list[str]
    county: str
    baseline_year: int
    report_year: int | None
    latest_year: int | None
    language: str
    threshold: int
    catalogue: IndicatorCatalogue
    table: pd.DataFrame
    changes: pd.DataFrame
    gaps: pd.DataFrame
    targets: dict[str, float]
    spread: pd.DataFrame | None
    challenges: pd.DataFrame
    deviance: DevianceResult | None
    footnotes: pd.DataFrame
    inputs: list[dict[str, Any]] = field(default_factory=list)
    indicator_folder: str = ""

    def indicator_ids(self, *, theme: str | None = None, assessed: bool = False) -> list[str]:
        """Indicators present in the table, in catalogue order (``assessed``: only those with a better direction)."""
        present = set(self.table["indicator"]) if not self.table.empty else set()
        return [
            i.id
            for i in self.catalogue.indicators
            if i.id in present and (theme is None or i.theme == theme) and not (assessed and i.better == "neutral")
        ]

    def themes(self) -> list[str]:
        """Themes with at least one indicator present: those with assessed indicators first, then context only."""
        used = {self.catalogue.get(i).theme for i in self.indicator_ids()}
        assessed = {self.catalogue.get(i).theme for i in self.indicator_ids(assessed=True)}
        ordered = [th for th in self.catalogue.themes if th in used]
        return [th for th in ordered if th in assessed] + [th for th in ordered if th not in assessed]

    def region_change(self, indicator: str) -> pd.Series | None:
        """The region's row of :attr:`changes` for one indicator, or ``None``."""
        if self.changes.empty:
            return None
        sel = self.changes[(self.changes["indicator"] == indicator) & (self.changes["level"] == "region")]
        return sel.iloc[0] if len(sel) else None


def _period_end_max(frame: pd.DataFrame) -> int | None:
    return int(frame["period_end"].max()) if not frame.empty else None


def _publishable_table(table: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Blank numerators below the threshold (and those that would reveal one by subtraction)."""
    out = table.copy()
    has = out["numerator"].notna()
    reasons = suppression_reasons(out["numerator"], out["denominator"], threshold)
    hidden = has & reasons.notna().to_numpy()
    out.loc[hidden, "numerator"] = np.nan
    out["numerator_suppressed"] = hidden
    return out


@cached_section("baseline", ignore=())
def baseline_results(cfg: ReportConfig) -> BaselineResults:
    """Read the indicator files and compute every baseline figure for the configuration.

    Parameters
    ----------
    cfg
        The run configuration; needs ``inputs.indicators`` (a folder) and a
        ``baseline:`` block.

    Returns
    -------
    BaselineResults
        Region, county and country figures per indicator and period, change
        since the null point, target gaps, largest challenges, positive
        deviance and footnotes; counts under the disclosure threshold blanked.

    Raises
    ------
    ConfigError
        If the configuration has no ``baseline:`` block or no indicator folder.
    InputError
        If an indicator file cannot be read (the message names the file).
    """
    b = cfg.baseline
    if b is None:
        raise ConfigError(
            "there is no 'baseline:' block in the configuration",
            column="baseline",
            hint="Add one (see config/report.yml) or leave 'baseline' out of sections.",
        )
    if not cfg.inputs.indicators:
        raise ConfigError(
            "no indicator folder configured",
            column="inputs.indicators",
            expected="a folder of SSB/FHI downloads, e.g. data/raw/demo/indicators/pull_2024",
        )
    catalogue = load_catalogue(cfg.path(b.catalogue))
    folder = cfg.path(cfg.inputs.indicators)
    tidy = load_indicators(folder, catalogue, target_year=b.geography_year)
    national = None
    if b.national:
        national = load_indicators([cfg.path(b.national)], catalogue, target_year=b.geography_year)

    codes = [str(c) for c in b.region.municipalities]
    table = baseline_table(
        tidy, catalogue, region_municipalities=codes, county_code=b.region.county, region_name=b.region.name
    )
    changes = change_since_baseline(
        table, catalogue, baseline_year=b.baseline_year, report_year=b.report_year, baseline_periods=b.periods
    )
    gaps = gap_to_target(changes, catalogue, b.targets) if b.targets and not changes.empty else pd.DataFrame()
    spread = national_spread(national) if national is not None else None
    challenges = largest_challenges(table, catalogue, spread=spread, year=b.report_year)
    deviance = None
    if national is not None and b.deviance is not None:
        deviance = positive_deviance(
            national,
            catalogue,
            outcome=b.deviance.outcome,
            predictors=b.deviance.predictors,
            year=b.deviance.year,
            threshold_sd=b.deviance.threshold_sd,
        )
    region_rows = changes[changes["level"] == "region"] if not changes.empty else changes
    latest = None
    if not region_rows.empty:
        ends = table[(table["level"] == "region")]
        ends = ends[ends["period"].isin(set(region_rows["latest_period"]))]
        latest = _period_end_max(ends)

    files = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in (".json", ".csv"))
    if b.national:
        files.append(cfg.path(b.national))
    inputs = [{"file": paths.relative_to_root(p), "sha256": sha256_file(p)} for p in files]
    inputs.append({"file": paths.relative_to_root(cfg.path(b.catalogue)), "sha256": sha256_file(cfg.path(b.catalogue))})
    return BaselineResults(
        region_name=b.region.name,
        municipalities=codes,
        county=b.region.county,
        baseline_year=b.baseline_year,
        report_year=b.report_year,
        latest_year=latest,
        language=cfg.language,
        threshold=cfg.disclosure_threshold,
        catalogue=catalogue,
        table=_publishable_table(table, cfg.disclosure_threshold),
        changes=changes,
        gaps=gaps,
        targets=dict(b.targets),
        spread=spread,
        challenges=challenges,
        deviance=deviance,
        footnotes=status_footnotes(table),
        inputs=inputs,
        indicator_folder=paths.relative_to_root(folder),
    )


# --------------------------------------------------------------------------- formatting helpers


def format_value(value: object, unit: str, lang: str) -> str:
    """A value in its indicator's unit: ``14,1 %``, ``3,2 ‰`` or ``7 512`` (``–`` when missing)."""
    if unit == "percent":
        return format_percent(None if pd.isna(value) else float(value) / 100, 1, lang)  # type: ignore[arg-type]
    if unit == "per_1000":
        text = format_number(value, 1, lang)
        return text if text == "–" else f"{text}{NBSP}‰"
    return format_count(value, lang)


def format_change(change: object, unit: str, t: Translator) -> str:
    """A signed change: ``−0,5 %-poeng`` for percent indicators, ``+12`` for counts."""
    decimals = 0 if unit == "count" else 1
    text = format_number(change, decimals, t.lang)
    if text == "–":
        return text
    if round(float(change), decimals) > 0:  # type: ignore[arg-type]
        text = "+" + text
    if unit == "percent":
        return f"{text}{NBSP}{t('baseline.points')}"
    if unit == "per_1000":
        return f"{text}{NBSP}‰"
    return text


def area_name(level: str, code: str, name: str, t: Translator) -> str:
    """What a row is called in the report: the municipality, the region, ``Innlandet (fylke)`` or the country."""
    if level == "country" or str(code) == COUNTRY_CODE:
        return t("baseline.country")
    if level == "county":
        return f"{name} ({t('baseline.level_county')})"
    return str(name)


def indicator_title(results: BaselineResults, indicator: str, t: Translator) -> str:
    """The catalogue title of an indicator in the report language."""
    return getattr(results.catalogue.get(indicator).title, t.lang)


def source_line(ind: Indicator, t: Translator) -> str:
    """``Kilde: SSB, tabell 13556, https://... («title»)``."""
    return t(
        "baseline.source_line",
        publisher=ind.source.publisher,
        table=ind.source.table,
        url=ind.source.url,
        indicator=getattr(ind.title, t.lang),
    )


def _area_label(results: BaselineResults, code: str, t: Translator) -> str:
    if code == REGION_CODE:
        return results.region_name
    if code == COUNTRY_CODE:
        return t("baseline.country")
    rows = results.table[results.table["region_code"] == code]
    return str(rows["region_name"].iloc[0]) if len(rows) else code


def _reason(status: str, t: Translator) -> str:
    key = STATUS_KEYS.get(status)
    return t("baseline." + key) if key else status


def missing_notes(
    results: BaselineResults,
    indicators: list[str],
    t: Translator,
    cells: set[tuple[str, str, str]] | None = None,
) -> list[str]:
    """Footnotes for missing or qualified figures: which cell, which marker, what it means.

    Parameters
    ----------
    results
        The baseline results.
    indicators
        Indicator ids of the table or figure.
    t
        Translator.
    cells
        ``(indicator, region_code, period)`` cells shown; ``None`` = every period.
    """
    notes = []
    for r in results.footnotes.itertuples(index=False):
        if r.indicator not in indicators or (cells is not None and (r.indicator, r.region_code, r.period) not in cells):
            continue
        title = indicator_title(results, r.indicator, t)
        area = _area_label(results, str(r.region_code), t)
        if r.status == "excluded":
            excluded = results.table[
                (results.table["indicator"] == r.indicator)
                & (results.table["region_code"] == REGION_CODE)
                & (results.table["period"] == r.period)
            ]["excluded"]
            parts = _EXCLUDED_RE.findall(str(excluded.iloc[0])) if len(excluded) else []
            left_out = ", ".join(f"{_area_label(results, code, t)} ({_reason(why, t)})" for code, why in parts)
            notes.append(
                t(
                    "baseline.note_excluded",
                    area=area,
                    period=format_period(r.period),
                    indicator=title,
                    left_out=left_out,
                )
            )
        else:
            notes.append(
                t(
                    "baseline.note_status",
                    area=area,
                    period=format_period(r.period),
                    indicator=title,
                    reason=_reason(str(r.status), t),
                )
            )
    return notes


@dataclass
class TableView:
    """A formatted table ready for :func:`outcomes.render.display.show_table`."""

    table: pd.DataFrame
    footnotes: list[str]
    numeric: list[str]


def _blank_repeats(values: list[str]) -> list[str]:
    """Show a long label once per block of rows, not on every row."""
    return [v if i == 0 or v != values[i - 1] else "" for i, v in enumerate(values)]


# --------------------------------------------------------------------------- views


def theme_view(results: BaselineResults, theme: str, t: Translator) -> TableView:
    """Per theme: each municipality, the region, the county and the country, at the null point and now.

    Columns: indicator, area, periods (null point → latest), null-point value,
    latest value, change (indicator unit; percentage points for percent) and
    the judgement (better / worse by the indicator's direction).
    """
    ids = results.indicator_ids(theme=theme)
    lang = t.lang
    c_ind, c_area, c_per = t("baseline.col_indicator"), t("baseline.col_area"), t("baseline.col_periods")
    c_base, c_latest = t("baseline.col_baseline"), t("baseline.col_latest")
    c_change, c_judged = t("baseline.col_change"), t("baseline.col_assessment")
    rows, cells = [], set()
    for ind_id in ids:
        ind = results.catalogue.get(ind_id)
        sel = results.changes[results.changes["indicator"] == ind_id] if not results.changes.empty else results.changes
        for r in sel.itertuples(index=False):
            cells.add((ind_id, str(r.region_code), str(r.baseline_period)))
            cells.add((ind_id, str(r.region_code), str(r.latest_period)))
            rows.append(
                {
                    c_ind: getattr(ind.title, lang),
                    c_area: area_name(r.level, r.region_code, r.region_name, t),
                    c_per: f"{format_period(r.baseline_period)} → {format_period(r.latest_period)}",
                    c_base: format_value(r.baseline_value, ind.unit, lang),
                    c_latest: format_value(r.latest_value, ind.unit, lang),
                    c_change: "–" if r.assessment == "no_new_data" else format_change(r.change, ind.unit, t),
                    c_judged: t(f"baseline.assessment_{r.assessment}"),
                }
            )
    table = pd.DataFrame(rows, columns=[c_ind, c_area, c_per, c_base, c_latest, c_change, c_judged])
    table[c_ind] = _blank_repeats(table[c_ind].tolist())
    notes = missing_notes(results, ids, t, cells)
    if notes:
        notes.insert(0, t("baseline.note_missing_intro"))
    notes.append(t("baseline.note_change", baseline_year=results.baseline_year))
    notes += [source_line(results.catalogue.get(i), t) for i in ids]
    return TableView(table, notes, [c_base, c_latest, c_change])


def trend_view(results: BaselineResults, t: Translator, indicators: list[str] | None = None) -> TableView:
    """The numbers behind the small multiples: one row per indicator and area, one column per year.

    The column is the last year of each period (``2022_2024`` shows under 2024).
    """
    ids = indicators if indicators is not None else results.indicator_ids(assessed=True)
    lang = t.lang
    c_ind, c_area = t("baseline.col_indicator"), t("baseline.col_area")
    years = sorted(set(results.table[results.table["indicator"].isin(ids)]["period_end"]))
    rows = []
    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    for ind_id in ids:
        ind = results.catalogue.get(ind_id)
        sel = results.table[results.table["indicator"] == ind_id].copy()
        sel["order"] = sel["level"].map(order)
        for (_, code), part in sel.groupby(["order", "region_code"], sort=True):
            first = part.iloc[0]
            row = {c_ind: getattr(ind.title, lang), c_area: area_name(first["level"], code, first["region_name"], t)}
            by_year = dict(zip(part["period_end"], part["value"], strict=True))
            for y in years:
                row[str(y)] = format_value(by_year[y], ind.unit, lang) if y in by_year else ""
            rows.append(row)
    table = pd.DataFrame(rows, columns=[c_ind, c_area, *[str(y) for y in years]])
    table[c_ind] = _blank_repeats(table[c_ind].tolist())
    notes = missing_notes(results, ids, t)
    if notes:
        notes.insert(0, t("baseline.note_missing_intro"))
    notes.append(t("baseline.note_period_end"))
    notes += [source_line(results.catalogue.get(i), t) for i in ids]
    return TableView(table, notes, [str(y) for y in years])


def trend_labels(results: BaselineResults, t: Translator) -> dict[str, Any]:
    """Keyword arguments for :func:`outcomes.analyses.baseline.figures.trend_small_multiples`."""
    ids = results.indicator_ids(assessed=True)
    county = results.table[results.table["level"] == "county"]["region_name"]
    units = {
        "percent": t("baseline.unit_percent"),
        "per_1000": t("baseline.unit_per_1000"),
        "count": t("baseline.unit_count"),
    }
    return {
        "indicators": ids,
        "titles": {i: indicator_title(results, i, t) for i in ids},
        "level_labels": {
            "region": results.region_name,
            "county": f"{county.iloc[0]} ({t('baseline.level_county')})" if len(county) else t("baseline.level_county"),
            "country": t("baseline.country"),
        },
        "baseline_year": results.baseline_year,
        "baseline_label": t("baseline.null_point"),
        "y_titles": {i: units[results.catalogue.get(i).unit] for i in ids},
        "municipalities": list(results.municipalities),
    }


def challenges_view(results: BaselineResults, t: Translator) -> tuple[pd.DataFrame, TableView]:
    """Largest challenges: the rows drawn (standardised scores) and the full formatted table.

    Scores measured in standard deviations across all municipalities and
    scores relative to the reference value are on different scales, so only
    the standardised ones are drawn; the table lists both, with how each was
    measured.
    """
    lang = t.lang
    ch = results.challenges
    drawn = ch[ch["score_method"] == "standardised"] if not ch.empty else ch
    cols = [
        t("baseline.col_municipality"),
        t("baseline.col_rank"),
        t("baseline.col_indicator"),
        t("baseline.col_period"),
        t("baseline.col_value"),
        t("baseline.col_reference"),
        t("baseline.col_score"),
    ]
    rows = []
    for r in ch.itertuples(index=False):
        unit = results.catalogue.get(r.indicator).unit
        ref = t(f"baseline.reference_{r.reference_level}")
        if r.score_method == "standardised":
            score = t("baseline.score_sd", score=format_number(r.score, 1, lang))
        else:
            score = t("baseline.score_relative", score=format_percent(r.score, 0, lang))
        rows.append(
            {
                cols[0]: r.region_name,
                cols[1]: str(r.rank),
                cols[2]: indicator_title(results, r.indicator, t),
                cols[3]: format_period(r.period),
                cols[4]: format_value(r.value, unit, lang),
                cols[5]: f"{format_value(r.reference_value, unit, lang)} ({ref})",
                cols[6]: score,
            }
        )
    table = pd.DataFrame(rows, columns=cols)
    table[cols[0]] = _blank_repeats(table[cols[0]].tolist())
    notes = [t("baseline.note_score")]
    if not ch.empty:
        if (ch["score_method"] == "relative").any():
            notes.append(t("baseline.note_score_relative"))
        if (ch["reference_level"] == "county").any():
            notes.append(t("baseline.note_reference_county"))
        notes += [
            source_line(results.catalogue.get(i), t)
            for i in results.indicator_ids(assessed=True)
            if i in set(ch["indicator"])
        ]
    return drawn, TableView(table, notes, [cols[4], cols[5], cols[6]])


def deviance_fit_text(results: BaselineResults, t: Translator) -> list[str]:
    """The model's fit in words (R², n, left out) and every warning, translated."""
    dev = results.deviance
    if dev is None:
        return []
    lang = t.lang
    predictors = ", ".join(indicator_title(results, p, t) for p in dev.predictors)
    out = [
        t(
            "baseline.deviance_model",
            outcome=indicator_title(results, dev.outcome, t),
            predictors=predictors,
            year=dev.period_end,
        ),
        t(
            "baseline.deviance_fit",
            r2=format_number(dev.r_squared, 2, lang),
            n=format_count(dev.n, lang),
            threshold=format_number(dev.threshold_sd, 1, lang),
            deviants=format_count(int(dev.table["positive_deviant"].sum()), lang),
        ),
    ]
    if dev.n < DEFAULT_MIN_N:
        out.append(t("baseline.deviance_small_n", n=format_count(dev.n, lang), min_n=DEFAULT_MIN_N))
    if dev.n_dropped:
        out.append(t("baseline.deviance_dropped", n=format_count(dev.n_dropped, lang)))
    if np.isfinite(dev.r_squared) and dev.r_squared < LOW_R_SQUARED:
        out.append(t("baseline.deviance_low_fit", r2=format_number(dev.r_squared, 2, lang)))
    out.append(t("baseline.deviance_caveat"))
    return out


def deviance_view(results: BaselineResults, t: Translator, *, only: str | None = None) -> TableView:
    """Municipalities in the model: observed, predicted, and how far better than predicted.

    Parameters
    ----------
    only
        ``"deviants"`` for the positive deviants, ``"region"`` for the
        region's municipalities, ``None`` for every municipality (the chart's
        text alternative).
    """
    dev = results.deviance
    lang = t.lang
    cols = [
        t("baseline.col_municipality"),
        t("baseline.col_observed"),
        t("baseline.col_predicted"),
        t("baseline.col_performance"),
        t("baseline.col_deviant"),
    ]
    if dev is None:
        return TableView(pd.DataFrame(columns=cols), [], [])
    tab = dev.table
    if only == "deviants":
        tab = tab[tab["positive_deviant"]]
    elif only == "region":
        tab = tab[tab["region_code"].isin(results.municipalities)]
    unit = results.catalogue.get(dev.outcome).unit
    table = pd.DataFrame(
        {
            cols[0]: tab["region_name"].tolist(),
            cols[1]: [format_value(v, unit, lang) for v in tab["observed"]],
            cols[2]: [format_value(v, unit, lang) for v in tab["predicted"]],
            cols[3]: [format_number(v, 1, lang) for v in tab["performance"]],
            cols[4]: [t("baseline.answer_yes") if v else "" for v in tab["positive_deviant"]],
        },
        columns=cols,
    )
    notes = [t("baseline.note_performance", threshold=format_number(dev.threshold_sd, 1, lang))]
    if only is None:
        notes += [source_line(results.catalogue.get(i), t) for i in (dev.outcome, *dev.predictors)]
    return TableView(table, notes, cols[1:4])


def deviance_labels(results: BaselineResults, t: Translator) -> dict[str, Any]:
    """Keyword arguments for :func:`outcomes.analyses.baseline.figures.positive_deviance_scatter`."""
    dev = results.deviance
    assert dev is not None
    names = dev.table.set_index("region_code")["region_name"].to_dict()
    unit = t(f"baseline.unit_{results.catalogue.get(dev.outcome).unit}").lower()
    return {
        "x_title": t("baseline.axis_predicted", unit=unit),
        "y_title": t("baseline.axis_observed", unit=unit),
        "deviant_label": t("baseline.legend_deviant"),
        "other_label": t("baseline.legend_other"),
        "line_label": t("baseline.legend_as_predicted"),
        "highlight": {c: names[c] for c in results.municipalities if c in names},
        "highlight_label": t("baseline.legend_region", region=results.region_name),
    }


def targets_view(results: BaselineResults, t: Translator) -> TableView:
    """The region's distance to each configured target (indicator unit)."""
    lang = t.lang
    cols = [
        t("baseline.col_indicator"),
        t("baseline.col_target"),
        t("baseline.col_baseline"),
        t("baseline.col_latest"),
        t("baseline.col_remaining"),
        t("baseline.col_closed"),
        t("baseline.col_met"),
    ]
    rows = []
    for r in results.gaps.itertuples(index=False):
        unit = results.catalogue.get(r.indicator).unit
        rows.append(
            {
                cols[0]: indicator_title(results, r.indicator, t),
                cols[1]: format_value(r.target, unit, lang),
                cols[2]: format_value(r.baseline_value, unit, lang),
                cols[3]: format_value(r.latest_value, unit, lang),
                cols[4]: format_change(r.remaining, unit, t).lstrip("+"),
                cols[5]: format_percent(
                    None if pd.isna(r.share_of_gap_closed) else r.share_of_gap_closed / 100, 0, lang
                ),
                cols[6]: t("baseline.answer_yes") if r.target_met else t("baseline.answer_no"),
            }
        )
    table = pd.DataFrame(rows, columns=cols)
    notes = [t("baseline.note_targets")]
    notes += (
        [source_line(results.catalogue.get(i), t) for i in sorted(set(results.gaps["indicator"]))]
        if not results.gaps.empty
        else []
    )
    return TableView(table, notes, cols[1:6])


def sources_view(results: BaselineResults, t: Translator) -> TableView:
    """Every indicator with its publisher, table number and address, and how the region figure is made."""
    cols = [
        t("baseline.col_indicator"),
        t("baseline.col_publisher"),
        t("baseline.col_table"),
        t("baseline.col_url"),
        t("baseline.col_region_method"),
    ]
    rows = []
    for ind_id in results.indicator_ids():
        ind = results.catalogue.get(ind_id)
        method = "sum" if ind.unit == "count" else ("counts" if ind.aggregate == "counts" else "weighted")
        weight = indicator_title(results, ind.weight, t) if ind.weight else ""
        weight = weight[:1].lower() + weight[1:]
        rows.append(
            {
                cols[0]: getattr(ind.title, t.lang),
                cols[1]: ind.source.publisher,
                cols[2]: ind.source.table,
                cols[3]: ind.source.url,
                cols[4]: t(f"baseline.method_{method}", weight=weight),
            }
        )
    return TableView(pd.DataFrame(rows, columns=cols), [], [])


def summary_sentences(results: BaselineResults, t: Translator) -> list[str]:
    """One sentence per assessed indicator: the region now against the null point, and the judgement."""
    out = []
    for ind_id in results.indicator_ids(assessed=True):
        r = results.region_change(ind_id)
        if r is None:
            continue
        ind = results.catalogue.get(ind_id)
        key = "baseline.summary_no_new_data" if r["assessment"] == "no_new_data" else "baseline.summary_line"
        out.append(
            t(
                key,
                indicator=getattr(ind.title, t.lang),
                latest=format_value(r["latest_value"], ind.unit, t.lang),
                latest_period=format_period(r["latest_period"]),
                baseline=format_value(r["baseline_value"], ind.unit, t.lang),
                baseline_period=format_period(r["baseline_period"]),
                change=format_change(r["change"], ind.unit, t),
                assessment=t(f"baseline.assessment_{r['assessment']}").lower(),
            )
        )
    return out


def region_members(results: BaselineResults, t: Translator) -> str:
    """The region's municipalities as ``Kongsvinger (3401), Nord-Odal (3414), ...``."""
    return ", ".join(f"{_area_label(results, c, t)} ({c})" for c in results.municipalities)


# --------------------------------------------------------------------------- JSON


def _headline(results: BaselineResults) -> dict[str, Any]:
    t = Translator(results.language)
    indicators: dict[str, Any] = {}
    for ind_id in results.indicator_ids():
        r = results.region_change(ind_id)
        if r is None:
            continue
        ind = results.catalogue.get(ind_id)
        indicators[ind_id] = {
            "unit": ind.unit,
            "better": ind.better,
            "baseline_period": r["baseline_period"],
            "baseline_value": r["baseline_value"],
            "latest_period": r["latest_period"],
            "latest_value": r["latest_value"],
            "change": r["change"],
            "assessment": r["assessment"],
        }
    first = [results.deviance.outcome] if results.deviance is not None else []
    order = first + [i for i in results.indicator_ids(assessed=True) if i not in first]
    cards = []
    for ind_id in order:
        if ind_id not in indicators:
            continue
        h = indicators[ind_id]
        ind = results.catalogue.get(ind_id)
        cards.append(
            {
                "indicator": ind_id,
                "value": format_value(h["latest_value"], ind.unit, t.lang),
                "label": t(
                    "baseline.card_label",
                    indicator=getattr(ind.title, t.lang),
                    region=results.region_name,
                    period=format_period(h["latest_period"]),
                ),
                "detail": t(
                    "baseline.card_detail",
                    change=format_change(h["change"], ind.unit, t),
                    baseline_period=format_period(h["baseline_period"]),
                    assessment=t(f"baseline.assessment_{h['assessment']}").lower(),
                ),
            }
        )
    return {
        "region": results.region_name,
        "baseline_year": results.baseline_year,
        "latest_year": results.latest_year,
        "indicators": indicators,
        "cards": cards,
    }


def baseline_json(results: BaselineResults) -> dict[str, Any]:
    """Every published baseline figure as JSON-ready data (indicator units; ``None`` = missing or suppressed).

    Lists of records (``table``, ``changes``, ...) are the tables behind the
    report's tables and charts; ``headline`` is the compact summary (region,
    null-point year, latest year, and per indicator the region's value at the
    null point and now with the judged change).
    """
    indicators = []
    for ind_id in results.indicator_ids():
        ind = results.catalogue.get(ind_id)
        indicators.append(
            {
                "id": ind.id,
                "title_nb": ind.title.nb,
                "title_en": ind.title.en,
                "theme": ind.theme,
                "unit": ind.unit,
                "better": ind.better,
                "publisher": ind.source.publisher,
                "source_table": ind.source.table,
                "url": ind.source.url,
                "aggregate": ind.aggregate,
                "weight": ind.weight,
            }
        )
    dev = results.deviance
    deviance = None
    if dev is not None:
        deviance = {k: v for k, v in dev.to_dict().items() if k != "municipalities"}
    return jsonable(
        {  # type: ignore[no-any-return]
            "analysis": "baseline",
            "region": {
                "name": results.region_name,
                "municipalities": results.municipalities,
                "county": results.county,
                "baseline_year": results.baseline_year,
                "report_year": results.report_year,
                "latest_year": results.latest_year,
            },
            "disclosure_threshold": results.threshold,
            "headline": _headline(results),
            "indicators": indicators,
            "table": _records(results.table),
            "changes": _records(results.changes),
            "targets": _records(results.gaps),
            "challenges": _records(results.challenges),
            "spread": _records(results.spread) if results.spread is not None else [],
            "deviance": deviance,
            "deviance_municipalities": _records(dev.table) if dev is not None else [],
            "footnotes": _records(results.footnotes),
            "inputs": results.inputs,
        }
    )
