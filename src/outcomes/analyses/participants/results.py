"""Participants: from configuration to published profile and survey tables (the I/O edge).

The notebook ``notebooks/15_participants.py`` (through
:func:`participants_page_results`), the report runner (``summary.json`` and
CSV downloads) and ``outcomes participants --json`` all call
:func:`participants_results` and :func:`participants_json`, so the numbers are
the same everywhere. Only tables under disclosure control leave
this module.

Inputs (``config/report.yml``):

``inputs.profile``
    Either per-participant flags (contract ``profile``) or counts (contract
    ``profile_counts``). Which one is decided by the header: a file with both a
    category column and a count column (any of their aliases, e.g.
    ``kategori`` and ``antall``) is counts; any other file is flags.
``inputs.survey``
    One row per answer (contract ``survey``).

Either may be left out; the section then shows the other part only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from outcomes.analyses.participants.profile import (
    PROFILE_COLUMNS,
    CategoryCatalogue,
    load_categories,
    profile_from_counts,
    profile_from_flags,
    publishable_profile,
    school_year_end,
    services_change,
)
from outcomes.analyses.participants.survey import ALL, publishable_survey, survey_change, survey_counts
from outcomes.core import paths
from outcomes.core.cache import cached_section
from outcomes.core.config import ReportConfig
from outcomes.core.errors import InputError, NoDataForYearsError, RejectedRowsError
from outcomes.core.jsonable import jsonable
from outcomes.inputs.contracts import load_contract, normalise_header
from outcomes.inputs.intake import InputSummary, IntakeResult, intake_file
from outcomes.inputs.problems import PROBLEM_COLUMNS
from outcomes.inputs.readers import LINE, read_table

#: Where the profile categories are defined (relative to the project root).
CATEGORIES_FILE = "config/participant_categories.yml"
FLAGS, COUNTS = "profile", "profile_counts"


def profile_kind(path: str) -> str:
    """``profile_counts`` when the file's header has a category and a count column, else ``profile``."""
    file = paths.resolve(path)
    if not file.is_file():
        return FLAGS  # the intake then says the file is missing
    aliases = load_contract(COUNTS).alias_table()
    found = {aliases.get(normalise_header(h)) for h in read_table(file).data.columns if h != LINE}
    return COUNTS if {"category", "count"} <= found else FLAGS


def _rejected_message(intakes: list[IntakeResult], limit: int = 20) -> str:
    parts = []
    for intake in intakes:
        s = intake.summary
        if not s.rows_rejected:
            continue
        lines = [
            f"  {p.file!s}, line {p.line}, column '{p.column!s}': {p.problem!s}"
            + (f" (found '{p.value!s}')" if p.value not in ("", None) else "")
            + (f"; expected {p.expected!s}" if p.expected else "")
            for p in intake.problems.head(limit).itertuples()
        ]
        more = len(intake.problems) - limit
        parts.append(
            f"{s.rows_rejected} of {s.rows_read} rows in {s.file} were rejected:\n"
            + "\n".join(lines)
            + (f"\n  ... and {more} more" if more > 0 else "")
            + (f"\n  All rejected rows with reasons: {s.rejects_file}" if s.rejects_file else "")
        )
    return "The participants section was not run.\n" + "\n".join(parts)


@dataclass
class ParticipantsResults:
    """Published participant figures for one configuration (disclosure control applied).

    Attributes
    ----------
    profile
        :func:`outcomes.analyses.participants.profile.publishable_profile` for the school
        years ending in ``first_year``-``report_year`` (``None`` without a profile input).
    profile_kind
        ``profile`` (per-participant flags) or ``profile_counts``.
    services
        :func:`outcomes.analyses.participants.profile.services_change` of the profile.
    survey
        :func:`outcomes.analyses.participants.survey.publishable_survey` for survey years
        ``first_year``-``report_year`` (``None`` without a survey input).
    change
        :func:`outcomes.analyses.participants.survey.survey_change` for the latest survey year.
    survey_year
        Latest survey year in the data (``None`` without survey).
    """

    categories: CategoryCatalogue
    threshold: int
    report_year: int
    language: str
    inputs: list[InputSummary] = field(default_factory=list)
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))
    profile: pd.DataFrame | None = None
    profile_kind: str | None = None
    services: pd.DataFrame | None = None
    survey: pd.DataFrame | None = None
    change: pd.DataFrame | None = None
    survey_year: int | None = None

    @property
    def school_years(self) -> list[str]:
        """School years in the profile, oldest first."""
        return [] if self.profile is None else sorted(self.profile["school_year"].unique())

    def headline(self) -> dict[str, Any]:
        """The latest school year's profile and the latest survey year, in brief (published figures only)."""
        out: dict[str, Any] = {}
        titles = self.categories.titles(self.language)
        if self.profile is not None and self.school_years:
            year = self.school_years[-1]
            rows = self.profile[self.profile["school_year"] == year]
            difficulties = rows[(rows["kind"] == "difficulty") & rows["count"].notna()]
            top = difficulties.sort_values("count", ascending=False, kind="stable").head(3)
            services = (
                self.services[self.services["school_year"] == year] if self.services is not None else rows.iloc[0:0]
            )
            out["profile"] = {
                "school_year": year,
                "participants": jsonable(rows["participants"].iloc[0], 6),
                "largest": [
                    {
                        "category": r.category,
                        "title": titles[str(r.category)],
                        "count": jsonable(r.count, 6),
                        "share": jsonable(r.share, 6),
                    }
                    for r in top.itertuples()
                ],
                "services": {
                    r.category: {
                        "title": titles[str(r.category)],
                        "share": jsonable(r.share, 6),
                        "previous_share": jsonable(r.previous_share, 6),
                    }
                    for r in services.itertuples()
                },
            }
        if self.change is not None and self.survey_year is not None:
            whole = self.change[(self.change["department"] == ALL) & self.change["share"].notna()]
            ranked = whole.sort_values("share", kind="stable")

            def pick(r: Any) -> dict[str, Any]:
                return {"item": r.item, "share": jsonable(r.share, 6), "n": jsonable(r.n, 6)}

            out["survey"] = {
                "year": self.survey_year,
                "items": int(self.change["item"].nunique()),
                # The range is of the statements shown: the others may lie above or below it.
                "shown": int(whole["item"].nunique()),
                "lowest": pick(next(ranked.itertuples())) if len(ranked) else None,
                "highest": pick(next(ranked.iloc[::-1].itertuples())) if len(ranked) else None,
            }
        return out


def _load_profile(cfg: ReportConfig, catalogue: CategoryCatalogue) -> tuple[IntakeResult, str]:
    assert cfg.inputs.profile is not None
    kind = profile_kind(cfg.inputs.profile)
    return intake_file(
        cfg.inputs.profile,
        kind,
        name="profile",
        programme=cfg.programme.slug,
        confirm_random_ids=cfg.inputs.confirm_random_ids,
    ), kind


def _profile_table(intake: IntakeResult, kind: str, catalogue: CategoryCatalogue, cfg: ReportConfig) -> pd.DataFrame:
    data = intake.data.copy()
    if data.empty:  # every row rejected, and rejects allowed
        return pd.DataFrame(columns=[*PROFILE_COLUMNS, "suppressed"])
    years = data["school_year"].map(school_year_end)
    data = data[(years >= cfg.first_year) & (years <= cfg.report_year)]
    if kind == COUNTS:
        try:
            raw = profile_from_counts(data, catalogue, cfg.disclosure_threshold)
        except ValueError as exc:
            raise InputError(
                str(exc),
                file=intake.summary.file,
                column="category",
                expected="one row per school year with category 'participants' (deltakere) and the number of participants",
            ) from None
    else:
        present = [c for c in catalogue.ids if c in data.columns]
        if not present:
            raise InputError(
                "the file has no category columns",
                file=intake.summary.file,
                line=1,
                expected="a 0/1 column per category, e.g. " + ", ".join(catalogue.ids[:4]),
                hint=f"See {CATEGORIES_FILE} for the categories and their accepted headers.",
            )
        raw = profile_from_flags(data, catalogue, cfg.disclosure_threshold)
    return publishable_profile(raw, cfg.disclosure_threshold).reset_index(drop=True)


def _profile_years(intake: IntakeResult) -> set[int]:
    """The calendar years the profile's school years end in."""
    return {school_year_end(s) for s in intake.data["school_year"].dropna().unique()}


def _survey_years(intake: IntakeResult) -> set[int]:
    """The years of the survey's answers."""
    return {int(y) for y in intake.data["year"].dropna().unique()}


def _within_years(
    cfg: ReportConfig, profile: IntakeResult | None, survey: IntakeResult | None
) -> tuple[IntakeResult | None, IntakeResult | None]:
    """The inputs with data in ``first_year``-``report_year`` (an input with none there is left out).

    Raises
    ------
    NoDataForYearsError
        When neither input has data in those years, naming the years each file has.
    """
    wanted = set(range(cfg.first_year, cfg.report_year + 1))
    found = {
        name: (intake, years)
        for name, intake, years_of in (("profile", profile, _profile_years), ("survey", survey, _survey_years))
        if intake is not None
        for years in [years_of(intake)]
    }
    kept = {name: intake for name, (intake, years) in found.items() if years & wanted}
    if found and not kept:
        raise NoDataForYearsError(
            "participants",
            cfg.first_year,
            cfg.report_year,
            [(i.summary.file, min(y, default=None), max(y, default=None)) for i, y in found.values()],
        )
    return kept.get("profile"), kept.get("survey")


def participants_data_check(cfg: ReportConfig) -> None:
    """Check, before any notebook runs, that the section has data for the report's years.

    Raises
    ------
    NoDataForYearsError
        As :func:`_within_years`.
    """
    catalogue = load_categories(cfg.path(CATEGORIES_FILE))
    profile = _load_profile(cfg, catalogue)[0] if cfg.inputs.profile else None
    survey = (
        intake_file(
            cfg.inputs.survey,
            "survey",
            name="survey",
            programme=cfg.programme.slug,
            confirm_random_ids=cfg.inputs.confirm_random_ids,
        )
        if cfg.inputs.survey
        else None
    )
    _within_years(cfg, profile, survey)


@cached_section("participants", ignore=())
def participants_results(cfg: ReportConfig, allow_rejects: bool = False) -> ParticipantsResults:
    """Read, check and publish the participant profile and the experience survey.

    Parameters
    ----------
    cfg
        The run configuration (``inputs.profile``, ``inputs.survey``,
        ``disclosure_threshold``, ``first_year``, ``report_year``, ``language``).
    allow_rejects
        Go on with the accepted rows when some rows were rejected.

    Returns
    -------
    ParticipantsResults

    Raises
    ------
    InputError
        An input cannot be used at all (missing file, missing column, identity
        data, no participants row in a counts file).
    RejectedRowsError
        Rows were rejected (e.g. a school year such as 2019/21, or the same
        participant twice in a school year however it is written) and
        ``allow_rejects`` is false; the message lists file, line, column and
        problem of each (both inputs are checked first).
    ConfigError
        The category file is missing or malformed.
    """
    catalogue = load_categories(cfg.path(CATEGORIES_FILE))
    results = ParticipantsResults(catalogue, cfg.disclosure_threshold, cfg.report_year, cfg.language)
    intakes: list[IntakeResult] = []
    profile_intake = survey_intake = None
    if cfg.inputs.profile:
        profile_intake, results.profile_kind = _load_profile(cfg, catalogue)
        intakes.append(profile_intake)
    if cfg.inputs.survey:
        survey_intake = intake_file(
            cfg.inputs.survey,
            "survey",
            name="survey",
            programme=cfg.programme.slug,
            confirm_random_ids=cfg.inputs.confirm_random_ids,
        )
        intakes.append(survey_intake)
    results.inputs = [i.summary for i in intakes]
    problems = [i.problems for i in intakes if not i.problems.empty]
    if problems:
        results.problems = pd.concat(problems, ignore_index=True)
    if any(i.summary.rows_rejected for i in intakes) and not (allow_rejects or cfg.allow_rejects):
        raise RejectedRowsError(
            _rejected_message(intakes), hint="Fix the rows, or allow rejects (--allow-rejects) to run without them."
        )

    profile_intake, survey_intake = _within_years(cfg, profile_intake, survey_intake)
    if profile_intake is not None:
        results.profile = _profile_table(profile_intake, results.profile_kind or FLAGS, catalogue, cfg)
        results.services = services_change(results.profile, catalogue.of_kind("service"))
    if survey_intake is not None:
        from outcomes.sdc.survey import (
            protect_survey,
        )  # only to compute: a notebook loading the results needs none of sdc

        answers = survey_intake.data
        answers = answers[(answers["year"] >= cfg.first_year) & (answers["year"] <= cfg.report_year)]
        counts = survey_counts(answers)
        # The cell rule, then what would let a reader work a hidden cell out from the others.
        results.survey = protect_survey(
            counts, publishable_survey(counts, cfg.disclosure_threshold), cfg.disclosure_threshold
        )
        if len(results.survey):
            results.survey_year = int(results.survey["year"].max())
            results.change = survey_change(results.survey, results.survey_year)
    return results


def participants_page_results(cfg: ReportConfig) -> ParticipantsResults:
    """The results the participants page shows: rows an input rejected are listed on the page, not an error.

    Whether a report may be published without rejected rows is decided once,
    before any section runs: the report runner's input check stops on them
    unless rejects are allowed (``--allow-rejects`` or ``allow_rejects`` in
    the configuration). The page therefore never stops on them itself; it
    says under "Data behind this page" how many rows of each input were left
    out and why. The notebook opened on its own in JupyterLab does the same,
    so rejected rows can be looked at there. The command line
    (``outcomes participants``) stops on them, as :func:`participants_results`
    does by default.

    The report runner makes the same call for ``summary.json``, so the
    notebook loads the result from the cache.
    """
    return participants_results(cfg, allow_rejects=True)


def _rows(frame: pd.DataFrame | None, columns: list[str]) -> list[dict[str, Any]]:
    if frame is None or frame.empty:
        return []
    data = frame[columns].astype(object)
    return [
        {str(k): jsonable(v, 6) for k, v in row.items()}
        for row in data.where(data.notna(), None).to_dict(orient="records")
    ]


#: Columns of ``survey_change`` in the JSON view: the change, its 95% interval and whether it leaves out 0.
SURVEY_CHANGE_COLUMNS = [
    "department",
    "item",
    "n",
    "share",
    "ci_low",
    "ci_high",
    "previous_share",
    "change_pp",
    "change_low_pp",
    "change_high_pp",
    "clear_change",
]


def participants_json(results: ParticipantsResults) -> dict[str, Any]:
    """Every published participant figure as JSON-ready data.

    Returns
    -------
    dict
        ``headline`` (latest school year: participants, three largest
        difficulties, service shares with the previous year; latest survey
        year: number of items, lowest and highest share agreeing);
        ``profile`` (one row per school year and shown category: count,
        participants, share, suppressed); ``services``; ``survey`` (one row
        per year, department and item: n, share agreeing with interval, and
        for all departments the answer counts, don't know and blank);
        ``survey_change`` (latest year vs the year before, percentage
        points, its 95% interval and whether it leaves out 0); ``inputs_checked`` (one
        :class:`~outcomes.inputs.intake.InputSummary` per input). Shares 0-1,
        suppressed values ``null``; difficulties merged into "other" are not
        listed.
    """
    titles = results.categories.titles(results.language)
    profile = None
    if results.profile is not None:
        profile = results.profile.assign(title=results.profile["category"].map(titles))
    services = None
    if results.services is not None:
        services = results.services.assign(title=results.services["category"].map(titles))
    survey_cols = [
        "year",
        "department",
        "item",
        "n",
        "agreeing",
        "share",
        "ci_low",
        "ci_high",
        "disagree",
        "somewhat_agree",
        "agree",
        "strongly_agree",
        "dont_know",
        "blank",
        "suppressed",
    ]
    return {
        "analysis": "participants",
        "report_year": results.report_year,
        "disclosure_threshold": results.threshold,
        "headline": results.headline(),
        "profile_kind": results.profile_kind,
        "school_years": results.school_years,
        "profile": _rows(
            profile, ["school_year", "category", "title", "kind", "count", "participants", "share", "suppressed"]
        ),
        "services": _rows(
            services,
            [
                "school_year",
                "category",
                "title",
                "count",
                "participants",
                "share",
                "previous_share",
                "change_pp",
                "suppressed",
            ],
        ),
        "survey_year": results.survey_year,
        "survey": _rows(results.survey, survey_cols),
        "survey_change": _rows(
            results.change,
            SURVEY_CHANGE_COLUMNS,
        ),
        "inputs_checked": [asdict(s) for s in results.inputs],
    }
