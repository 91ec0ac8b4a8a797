"""Follow-up: from configuration to published tables (the I/O edge of the follow-up analysis).

Notebooks, the report runner and the ``--json`` commands all call these, so
the numbers in the HTML, in ``summary.json`` and on the command line are one
and the same. Only tables under disclosure control leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from outcomes.analyses.followup.counts import combine_followup, years_from_counts
from outcomes.analyses.followup.rates import ALL, followup_rates, headline
from outcomes.core import paths
from outcomes.core.cache import cached_section
from outcomes.core.config import ReportConfig
from outcomes.core.jsonable import jsonable
from outcomes.inputs.intake import InputSummary, IntakeResult, intake_file
from outcomes.inputs.last_year import read_previous_summary
from outcomes.registries.statuses import StatusMap, load_status_map

if TYPE_CHECKING:
    from outcomes.sdc.system import Fact

#: The input kind (data contract) and configured name of the yearly counts.
COUNTS_KIND = "followup_counts"


@dataclass
class FollowupInput:
    """The follow-up input of one run: person-level records, yearly counts for other years (optional), status map.

    Attributes
    ----------
    records
        Intake of ``inputs.followup`` (contract ``followup``).
    status_map
        The status map both inputs were checked with.
    counts
        Intake of ``inputs.followup_counts`` (contract ``followup_counts``), or ``None``.
    data
        One row per person contacted: the records, and when there are counts
        one generated row per person counted
        (:func:`outcomes.analyses.followup.counts.combine_followup`; those rows
        are not people's records). Set on creation, which refuses a year in
        both inputs.
    """

    records: IntakeResult
    status_map: StatusMap
    counts: IntakeResult | None = None
    data: pd.DataFrame = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.counts is None:
            self.data = self.records.data
        else:
            self.data = combine_followup(
                self.records.data, self.counts.data, self.records.summary.file, self.counts.summary.file
            )


def load_followup(cfg: ReportConfig, use_cache: bool = True) -> FollowupInput:
    """Read and check the follow-up records, and the yearly counts when configured.

    Processed data are reused when an input, its contract and the status map
    are unchanged (see :func:`outcomes.inputs.intake.intake_file`).

    Raises
    ------
    InputError
        An input cannot be used, or a follow-up year is in both (see :class:`FollowupInput`).
    """
    status_map = load_status_map(cfg.status_map)

    def intake(path: str, kind: str, sheet: str | None) -> IntakeResult:
        return intake_file(
            path,
            kind,
            name=kind,
            programme=cfg.programme.slug,
            status_map=status_map,
            sheet=sheet,
            use_cache=use_cache,
            confirm_random_ids=cfg.inputs.confirm_random_ids,
        )

    records = intake(cfg.inputs.followup, "followup", cfg.inputs.followup_sheet)
    counts = None
    if cfg.inputs.followup_counts:
        counts = intake(cfg.inputs.followup_counts, COUNTS_KIND, cfg.inputs.followup_counts_sheet)
    return FollowupInput(records, status_map, counts)


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
    #: The yearly counts' accounting and rejected rows, when ``inputs.followup_counts`` is set.
    counts: InputSummary | None = None
    counts_problems: pd.DataFrame | None = None
    #: The years shown whose figures come from the yearly counts, not from person-level records.
    years_from_counts: list[int] = field(default_factory=list)

    def headline(self, treatment: str = "respondents") -> dict[str, Any]:
        """The report year's figures for all departments."""
        return headline(self.rates, self.report_year, treatment)


def _last_years_figures(cfg: ReportConfig, rates: pd.DataFrame) -> list[Fact]:
    """What last year's bundle published about the follow-up years this report shows (the audit reads it too)."""
    from outcomes.sdc.bundle import previous_facts  # only to compute: a notebook loading the results needs none of sdc

    before = paths.bundle_dir(cfg.programme.slug, cfg.report_year - 1)
    last = read_previous_summary(before / "summary.json")
    if last is None or not last.usable:
        # None there, or of another version or damaged: it cannot be read as it was published
        # (the methods page says so); the disclosure audit leaves it out the same way.
        return []
    blocks = set(zip(rates["followup_year"].astype(int), rates["department"].astype(str), strict=False))
    return previous_facts(before, blocks, cfg.path(cfg.status_map))[0]


@cached_section("followup", ignore=("intake",))
def followup_results(cfg: ReportConfig, intake: FollowupInput | None = None) -> FollowupResults:
    """Compute and publish the follow-up rates for the configured years.

    Years given as yearly counts (``inputs.followup_counts``) are counted
    exactly as records (see :mod:`outcomes.analyses.followup.counts`).

    Parameters
    ----------
    cfg
        The run configuration.
    intake
        An already loaded :func:`load_followup` result, to avoid reading twice.
    """
    from outcomes.sdc.followup import base_counts, protect_followup  # only to compute (see _last_years_figures)

    loaded = intake or load_followup(cfg)
    status_map = loaded.status_map
    records = loaded.data
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
        loaded.records.summary,
        loaded.records.problems,
        cfg.disclosure_threshold,
        cfg.first_year,
        cfg.report_year,
        counts=loaded.counts.summary if loaded.counts else None,
        counts_problems=loaded.counts.problems if loaded.counts else None,
        years_from_counts=years_from_counts(records, cfg.first_year, cfg.report_year),
    )


def _input_json(summary: InputSummary) -> dict[str, Any]:
    return {
        "file": summary.file,
        "sha256": summary.sha256,
        "rows_read": summary.rows_read,
        "rows_accepted": summary.rows_accepted,
        "rows_rejected": summary.rows_rejected,
    }


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
        "input": _input_json(results.intake)
        # Only with yearly counts configured: which years shown come from them (not from people's records).
        | ({"counts": _input_json(results.counts) | {"years": results.years_from_counts}} if results.counts else {}),
    }
