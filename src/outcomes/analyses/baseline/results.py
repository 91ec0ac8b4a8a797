"""Baseline (null point): from configuration to published figures (the I/O edge of the analysis).

The notebook ``20_baseline``, the report runner (``summary.json``) and
``outcomes baseline --json`` all call :func:`baseline_results` and
:func:`baseline_json`, so the figures in the HTML, in the summary and on the
command line are one and the same.

What happens here and nowhere else:

* the indicator files (config ``inputs.indicators``, a folder) and the
  optional national file (``baseline.national``) are read through
  :func:`outcomes.analyses.baseline.readers.load_indicator_data`, municipality codes mapped
  to ``baseline.geography_year``;
* the configuration's ``baseline:`` block (region, county, null-point year,
  report year, pinned periods, targets, deviance model) is applied by calling
  the pure functions of :mod:`~.region`, :mod:`~.compare`, :mod:`~.challenges`,
  :mod:`~.footnotes` and :mod:`~.deviance`;
* disclosure control: the indicator values are published statistics, but a
  count (numerator) below ``disclosure_threshold`` is never passed on as a
  count (it is blanked; the rate stays).

The tables a page shows are built from these results in :mod:`~.views` and
:mod:`~.deviance_views`. Values are in each indicator's unit (``percent`` =
0-100, ``per_1000``, ``count``); changes and gaps are in the same unit
(percentage points for percent indicators).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from outcomes.analyses.baseline.challenges import largest_challenges, national_spread
from outcomes.analyses.baseline.compare import change_since_baseline, gap_to_target
from outcomes.analyses.baseline.deviance import DevianceResult, positive_deviance
from outcomes.analyses.baseline.footnotes import flag_meanings, status_footnotes
from outcomes.analyses.baseline.formatting import format_change, format_value
from outcomes.analyses.baseline.readers import indicator_files, load_indicator_data, load_indicators
from outcomes.analyses.baseline.readers.extract import NOTE_COLUMNS
from outcomes.analyses.baseline.region import baseline_table, with_exclusions_as_text
from outcomes.core import paths
from outcomes.core.cache import cached_section
from outcomes.core.config import Baseline, ReportConfig
from outcomes.core.disclosure import suppression_reasons
from outcomes.core.errors import ConfigError
from outcomes.core.formatting import format_period
from outcomes.core.i18n import Translator
from outcomes.core.jsonable import jsonable, records
from outcomes.core.provenance import sha256_file
from outcomes.registries.indicator_catalogue import IndicatorCatalogue, load_catalogue

#: Columns of :attr:`BaselineResults.source_notes`.
SOURCE_NOTE_COLUMNS = NOTE_COLUMNS


@dataclass
class BaselineResults:
    """Published baseline figures for one configuration (disclosure control applied).

    ``table`` is :func:`outcomes.analyses.baseline.region.baseline_table` with numerators below
    the threshold blanked (``numerator_suppressed`` says where); ``changes``,
    ``gaps``, ``challenges`` and ``footnotes`` are the core's outputs;
    ``source_notes`` the publishers' own footnotes on the indicators shown
    (``indicator, region_code, period, note, mandatory, source_file``;
    ``region_code``/``period`` empty when a note concerns every figure);
    ``deviance`` is ``None`` when no national file or model is configured.
    ``indicator_folder`` and ``national_file`` are the configured paths
    (relative to the project root), ``geography_year`` the version of the
    municipality codes.
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
    geography_year: int = 2024
    national_file: str | None = None
    source_notes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SOURCE_NOTE_COLUMNS))
    scope_note: str | None = None

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


def _publishable_table(table: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Blank numerators below the threshold (and those that would reveal one by subtraction)."""
    out = table.copy()
    has = out["numerator"].notna()
    reasons = suppression_reasons(out["numerator"], out["denominator"], threshold)
    hidden = has & reasons.notna().to_numpy()
    out.loc[hidden, "numerator"] = np.nan
    out["numerator_suppressed"] = hidden
    return out


def _baseline_config(cfg: ReportConfig) -> tuple[Baseline, Path]:
    """The ``baseline:`` block and the indicator folder, checked to be configured."""
    if cfg.baseline is None:
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
    return cfg.baseline, cfg.path(cfg.inputs.indicators)


def _latest_year(table: pd.DataFrame, changes: pd.DataFrame) -> int | None:
    """The last year of the region's latest periods (``None`` without region rows)."""
    region_rows = changes[changes["level"] == "region"] if not changes.empty else changes
    if region_rows.empty:
        return None
    ends = table[(table["level"] == "region")]
    ends = ends[ends["period"].isin(set(region_rows["latest_period"]))]
    return int(ends["period_end"].max()) if not ends.empty else None


def _shown_notes(notes: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The publishers' notes on indicators the table shows, with source files relative to the project root."""
    shown = notes[notes["indicator"].isin(set(table["indicator"]))] if not table.empty else notes.iloc[:0]
    files = shown["source_file"].map(lambda f: paths.relative_to_root(Path(f)))
    return shown.assign(source_file=files)[SOURCE_NOTE_COLUMNS].reset_index(drop=True)


def _input_hashes(cfg: ReportConfig, b: Baseline, folder: Path) -> list[dict[str, Any]]:
    """Every file the figures come from (indicator files, national file, catalogue) with its SHA-256."""
    files = indicator_files(folder)
    if b.national:
        files.append(cfg.path(b.national))
    files.append(cfg.path(b.catalogue))
    return [{"file": paths.relative_to_root(p), "sha256": sha256_file(p)} for p in files]


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
    b, folder = _baseline_config(cfg)
    catalogue = load_catalogue(cfg.path(b.catalogue))
    data = load_indicator_data(folder, catalogue, target_year=b.geography_year)
    tidy = data.tidy
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
    spread = national_spread(national) if national is not None else None
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
    return BaselineResults(
        region_name=b.region.name,
        scope_note=b.scope_text(cfg.language),
        municipalities=codes,
        county=b.region.county,
        baseline_year=b.baseline_year,
        report_year=b.report_year,
        latest_year=_latest_year(table, changes),
        language=cfg.language,
        threshold=cfg.disclosure_threshold,
        catalogue=catalogue,
        table=_publishable_table(table, cfg.disclosure_threshold),
        changes=changes,
        gaps=gap_to_target(changes, catalogue, b.targets) if b.targets and not changes.empty else pd.DataFrame(),
        targets=dict(b.targets),
        spread=spread,
        challenges=largest_challenges(table, catalogue, spread=spread, year=b.report_year),
        deviance=deviance,
        footnotes=status_footnotes(table, flag_meanings(data.flags)),
        source_notes=_shown_notes(data.notes, table),
        inputs=_input_hashes(cfg, b, folder),
        indicator_folder=paths.relative_to_root(folder),
        geography_year=b.geography_year,
        national_file=b.national,
    )


def _indicator_facts(results: BaselineResults) -> list[dict[str, Any]]:
    """Title, theme, unit, direction, source and aggregation of each indicator in the table."""
    facts = []
    for ind_id in results.indicator_ids():
        ind = results.catalogue.get(ind_id)
        facts.append(
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
    return facts


def _region_changes(results: BaselineResults) -> dict[str, dict[str, Any]]:
    """Per indicator the region's value at the null point and now, and the judged change (indicator unit)."""
    indicators: dict[str, dict[str, Any]] = {}
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
            "change_low": r["change_low"],
            "change_high": r["change_high"],
            "noise_basis": r["noise_basis"],
            "assessment": r["assessment"],
        }
    return indicators


def _cards(results: BaselineResults, indicators: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    """Front-page cards: the deviance outcome first, then every assessed indicator, in the report language."""
    t = Translator(results.language)
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
                "detail": _card_detail(h, ind.unit, t),
            }
        )
    return cards


def _card_detail(h: dict[str, Any], unit: str, t: Translator) -> str:
    """``−0,5 %-poeng siden 2023 (ingen klar endring)``, or why there is no change to show."""
    if h["assessment"] == "not_comparable":
        return t(
            "baseline.card_detail_not_comparable",
            baseline_period=format_period(h["baseline_period"]),
            latest_period=format_period(h["latest_period"]),
        )
    return t(
        "baseline.card_detail",
        change=format_change(h["change"], unit, t),
        baseline_period=format_period(h["baseline_period"]),
        assessment=t(f"baseline.assessment_{h['assessment']}").lower(),
    )


def _headline(results: BaselineResults) -> dict[str, Any]:
    indicators = _region_changes(results)
    return {
        "region": results.region_name,
        "baseline_year": results.baseline_year,
        "latest_year": results.latest_year,
        "indicators": indicators,
        "cards": _cards(results, indicators),
    }


def baseline_json(results: BaselineResults) -> dict[str, Any]:
    """Every published baseline figure as JSON-ready data (indicator units; ``None`` = missing or suppressed).

    Lists of records (``table``, ``changes``, ...) are the tables behind the
    report's tables and charts; ``headline`` is the compact summary (region,
    null-point year, latest year, and per indicator the region's value at the
    null point and now with the judged change). The municipalities a region
    figure left out are written as text in ``table[].excluded``
    (``"3417 (..)"``).
    """
    dev = results.deviance
    deviance = None
    if dev is not None:
        deviance = {k: v for k, v in dev.to_dict().items() if k != "municipalities"}
    data: dict[str, Any] = jsonable(
        {
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
            "indicators": _indicator_facts(results),
            "table": records(with_exclusions_as_text(results.table)),
            "changes": records(results.changes),
            "targets": records(results.gaps),
            "challenges": records(results.challenges),
            "spread": records(results.spread) if results.spread is not None else [],
            "deviance": deviance,
            "deviance_municipalities": records(dev.table) if dev is not None else [],
            "footnotes": records(results.footnotes),
            "source_notes": records(results.source_notes),
            "inputs": results.inputs,
        }
    )
    return data
