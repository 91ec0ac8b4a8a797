"""Every figure of the baseline as one JSON-serialisable dict, straight from tidy rows (no configuration).

:func:`baseline_summary` chains the pure functions of the analysis; the
report and ``outcomes baseline --json`` go through
:mod:`outcomes.analyses.baseline.results` instead, which also reads the files
and applies disclosure control.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from outcomes.analyses.baseline.challenges import largest_challenges, national_spread
from outcomes.analyses.baseline.compare import change_since_baseline, gap_to_target
from outcomes.analyses.baseline.deviance import positive_deviance
from outcomes.analyses.baseline.footnotes import status_footnotes
from outcomes.analyses.baseline.region import baseline_table, with_exclusions_as_text
from outcomes.core.jsonable import jsonable, records
from outcomes.registries.indicator_catalogue import IndicatorCatalogue

SUMMARY_KEYS = ("region", "indicators", "table", "changes", "targets", "challenges", "footnotes", "spread", "deviance")


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
    """Every figure of the baseline as a JSON-serialisable dict, from tidy rows and arguments alone.

    Parameters
    ----------
    tidy
        Region, county and country rows (codes harmonised).
    catalogue
        The indicator catalogue.
    region_name, region_municipalities, county_code, baseline_year, report_year, targets, baseline_periods
        As in :func:`~.region.baseline_table`, :func:`~.compare.change_since_baseline` and
        :func:`~.compare.gap_to_target` (config ``region.*`` and ``baseline.*``).
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
    used = sorted(set(table["indicator"].unique())) if not table.empty else []
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
            "indicators": _indicator_facts(catalogue, used),
            "deviance": deviance,
        }
    )
    summary.update(
        table=records(with_exclusions_as_text(table)),
        changes=records(changes),
        targets=records(gaps),
        challenges=records(challenges),
        footnotes=records(status_footnotes(table)),
        spread=records(spread) if spread is not None else [],
    )
    return {key: summary[key] for key in SUMMARY_KEYS}


def _indicator_facts(catalogue: IndicatorCatalogue, ids: Sequence[str]) -> list[dict[str, object]]:
    """Title, theme, unit, direction, source and aggregation of each indicator, as nested dicts."""
    facts: list[dict[str, object]] = []
    for ind_id in ids:
        ind = catalogue.get(ind_id)
        facts.append(
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
    return facts
