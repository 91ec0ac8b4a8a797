"""Follow-up: from configuration to published tables (the I/O edge of the follow-up analysis).

Notebooks, the report runner and the ``--json`` commands all call these, so
the numbers in the HTML, in ``summary.json`` and on the command line are one
and the same. Only tables under disclosure control leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from outcomes.analyses.followup.rates import ALL, followup_rates, headline
from outcomes.core import paths
from outcomes.core.cache import cached_section
from outcomes.core.config import ReportConfig
from outcomes.core.jsonable import jsonable
from outcomes.inputs.intake import InputSummary, IntakeResult, intake_file
from outcomes.inputs.last_year import read_previous_summary
from outcomes.registries.statuses import StatusMap, load_status_map
from outcomes.sdc.bundle import previous_facts
from outcomes.sdc.followup import base_counts, protect_followup
from outcomes.sdc.system import Fact


def load_followup(cfg: ReportConfig, use_cache: bool = True) -> tuple[IntakeResult, StatusMap]:
    """Read and check the follow-up records named in the configuration.

    Processed data are reused when the input, contract and status map are
    unchanged (see :func:`outcomes.inputs.intake.intake_file`).
    """
    status_map = load_status_map(cfg.status_map)
    result = intake_file(
        cfg.inputs.followup,
        "followup",
        name="followup",
        programme=cfg.programme.slug,
        status_map=status_map,
        sheet=cfg.inputs.followup_sheet,
        use_cache=use_cache,
        confirm_random_ids=cfg.inputs.confirm_random_ids,
    )
    return result, status_map


@dataclass
class FollowupResults:
    """Published follow-up figures for one configuration (disclosure control applied)."""

    rates: pd.DataFrame
    status_map: StatusMap
    intake: InputSummary
    problems: pd.DataFrame
    threshold: int
    first_year: int
    report_year: int

    def headline(self, treatment: str = "respondents") -> dict[str, Any]:
        """The report year's figures for all departments."""
        return headline(self.rates, self.report_year, treatment)


def _last_years_figures(cfg: ReportConfig, rates: pd.DataFrame) -> list[Fact]:
    """What last year's bundle published about the follow-up years this report shows (the audit reads it too)."""
    before = paths.bundle_dir(cfg.programme.slug, cfg.report_year - 1)
    last = read_previous_summary(before / "summary.json")
    if last is None or not last.usable:
        # None there, or of another version or damaged: it cannot be read as it was published
        # (the methods page says so); the disclosure audit leaves it out the same way.
        return []
    blocks = set(zip(rates["followup_year"].astype(int), rates["department"].astype(str), strict=False))
    return previous_facts(before, blocks, cfg.path(cfg.status_map))[0]


@cached_section("followup", ignore=("intake",))
def followup_results(cfg: ReportConfig, intake: tuple[IntakeResult, StatusMap] | None = None) -> FollowupResults:
    """Compute and publish the follow-up rates for the configured years.

    Parameters
    ----------
    cfg
        The run configuration.
    intake
        An already loaded :func:`load_followup` result, to avoid reading twice.
    """
    result, status_map = intake or load_followup(cfg)
    records = result.data
    records = records[(records["followup_year"] >= cfg.first_year) & (records["followup_year"] <= cfg.report_year)]
    groups = status_map.group_members()
    rates = followup_rates(records, groups, by_department=True)
    # The cost-benefit section publishes its outcome group summed over the years.
    linked = [cfg.costbenefit.outcome_group] if cfg.costbenefit is not None and "costbenefit" in cfg.sections else []
    published = protect_followup(
        rates,
        base_counts(records),
        groups,
        groups.positive,
        cfg.disclosure_threshold,
        linked,
        _last_years_figures(cfg, rates),
    )
    return FollowupResults(
        published,
        status_map,
        result.summary,
        result.problems,
        cfg.disclosure_threshold,
        cfg.first_year,
        cfg.report_year,
    )


def followup_json(results: FollowupResults) -> dict[str, Any]:
    """Every published follow-up figure as JSON-ready data (shares 0-1, ``None`` = suppressed)."""
    rows = [
        {k: jsonable(v, 6) for k, v in row.items()}
        for row in results.rates.astype(object).where(results.rates.notna(), None).to_dict(orient="records")
    ]
    return {
        "analysis": "followup",
        "years": [results.first_year, results.report_year],
        "disclosure_threshold": results.threshold,
        "headline": results.headline(),
        "bounds": {t: results.headline(t) for t in ("negative", "positive")},
        "departments": sorted(d for d in results.rates["department"].unique() if d != ALL),
        # What each group counts, so a reader (and the disclosure audit) can relate the figures.
        "groups": {
            g: {"statuses": sorted(d.statuses), "positive": d.positive} for g, d in results.status_map.groups.items()
        },
        "rates": rows,
        "input": {
            "file": results.intake.file,
            "sha256": results.intake.sha256,
            "rows_read": results.intake.rows_read,
            "rows_accepted": results.intake.rows_accepted,
            "rows_rejected": results.intake.rows_rejected,
        },
    }
