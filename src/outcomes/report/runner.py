"""Build the report bundle: check inputs, run the notebooks, publish atomically.

``build_report`` is what ``outcomes report`` (and so ``make report``) runs:

1. validate the configuration and every input (a rejected row stops the run
   unless rejects are explicitly allowed, and then the report says so);
2. execute each section's notebook with papermill (kernel ``python3``,
   project root as working directory, parameters checked against the
   notebook's ``parameters`` cell), independent sections in parallel;
3. meanwhile compute each section's results once (the notebooks load them
   from the cache) and write what needs only them: the front page, the
   methods page, ``summary.json``, CSV downloads, one copy of plotly.js and
   the stylesheet; then turn each executed notebook into a page without
   code; all into a temporary folder beside the target;
4. swap the new bundle into ``reports/<programme>/<year>/`` only when all of
   that succeeded. A failure or interruption leaves the previous bundle as it was.

Runs cannot harm each other: a run holds the lock of its output folder
(``reports/<programme>/.<year>.lock``, see :func:`bundle_lock`) from before it
reads its inputs until it has published. A second run for the same programme
and year waits :data:`LOCK_WAIT_SECONDS` for it and then stops with "another
run is writing ..." (exit 2) rather than queueing behind a run of unknown
length; runs for other programmes or years go ahead in parallel. SIGTERM (and
SIGHUP) during a run stop it like Ctrl-C: the build folder is removed, nothing
is published, and the command says so.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from outcomes import __version__
from outcomes.analyses.costbenefit.cards import cost_per_participant_card
from outcomes.analyses.followup.results import COUNTS_KIND, FollowupInput, FollowupResults, followup_results
from outcomes.core import paths
from outcomes.core.atomic import publish_dir
from outcomes.core.cache import NotCached, stored_only
from outcomes.core.config import ReportConfig, load_config
from outcomes.core.errors import ConfigError, NoDataForYearsError, ReportBuildError
from outcomes.core.formatting import format_years
from outcomes.core.i18n import Translator
from outcomes.core.provenance import dumps_json, git_commit, sha256_file
from outcomes.inputs.intake import InputSummary
from outcomes.inputs.last_year import SUMMARY_SCHEMA, PreviousSummary, read_previous_summary
from outcomes.registries.statuses import load_status_map
from outcomes.render.cards import Card
from outcomes.render.cells import folded_cell
from outcomes.render.methods import methods_page_html
from outcomes.render.pages import SUMMARY_PAGE, DownloadLinks, front_page_html, render_page
from outcomes.render.summary import about_rows, county_card, summary_page_html
from outcomes.report.downloads import csv_text, is_table, published_tables, table_title, workbook_bytes, workbook_name
from outcomes.report.kernels import SectionRun, kernel_count, run_sections, start_kernels, stop_kernels
from outcomes.report.publish import bundle_lock, clean_stale_builds, stop_cleanly_on_signals
from outcomes.sections import METHODS_PAGE, SECTIONS


def check_inputs(cfg: ReportConfig, allow_rejects: bool) -> tuple[list[InputSummary], FollowupInput]:
    """Validate every configured input; stop on rejected rows unless allowed.

    Returns the summaries and the loaded follow-up input (reused by the runner).

    Raises
    ------
    RejectedRowsError
        When rows were rejected and ``allow_rejects`` is false; the message
        lists the problems of every input (file, line, column, value, expected).
    InputError
        When a follow-up year is in both the records and the yearly counts.
    """
    from outcomes.inputs.preflight import intake_configured, rejected_rows_error

    results = intake_configured(cfg)
    error = rejected_rows_error(results)
    if error is not None and not allow_rejects:
        raise error
    # The runner reuses the follow-up inputs rather than reading them again.
    by_name = {r.summary.name: r for r in results}
    loaded = FollowupInput(by_name["followup"], load_status_map(cfg.status_map), by_name.get(COUNTS_KIND))
    return [r.summary for r in results], loaded


def sections_without_data(cfg: ReportConfig) -> dict[str, NoDataForYearsError]:
    """The listed sections whose inputs hold nothing for the report's years, with why (they are left out)."""
    left_out = {}
    for name in cfg.sections:
        try:
            SECTIONS[name].check_data(cfg)
        except NoDataForYearsError as exc:
            left_out[name] = exc
    return left_out


def left_out_notes(lang: str, left_out: dict[str, NoDataForYearsError]) -> list[str]:
    """One sentence per section left out, in the report language, naming the years its files have."""
    t = Translator(lang)
    notes = []
    for name, exc in left_out.items():
        found = ", ".join(
            t("report.left_out_file", file=f, years=format_years(list(range(a, b + 1))))
            if a is not None and b is not None
            else t("report.left_out_empty", file=f)
            for f, a, b in exc.found
        )
        years = format_years(list(range(exc.first, exc.last + 1)))
        notes.append(t("report.left_out", section=t(f"report.section_{name}"), years=years, found=found))
    return notes


def front_cards(cfg: ReportConfig, results: dict[str, Any], sections: dict[str, dict[str, Any]]) -> list[Card]:
    """Each section's cards in their front-page order; after the cost-benefit ratio, the county's own result and the cost per participant."""
    cards: list[Card] = []
    for section in sorted((SECTIONS[name] for name in sections), key=lambda s: s.card_rank):
        cards += section.front_cards(results[section.name], sections[section.name], cfg)
        if section.name == "costbenefit":
            county = county_card(sections[section.name], cfg.language)
            cost = cost_per_participant_card(sections[section.name], cfg)
            cards += [card for card in (county, cost) if card is not None]
    return cards


def front_page(
    cfg: ReportConfig,
    results: dict[str, Any],
    sections: dict[str, dict[str, Any]],
    pages: list[tuple[str, str]],
    notes: list[str] | None = None,
    downloads: DownloadLinks | None = None,
) -> str:
    """The front page's content: the headline cards, the summary in words, the report's metadata and downloads."""
    from outcomes.analyses.followup.narrative import followup_summary

    t = Translator(cfg.language)
    followup = results["followup"]
    return front_page_html(
        cfg.language,
        title=t("report.front_title", programme=cfg.programme.title, year=cfg.report_year),
        period=t("report.front_period", first=cfg.first_year, last=cfg.report_year),
        cards=front_cards(cfg, results, sections),
        summary=followup_summary(followup.rates, cfg.report_year, followup.status_map, cfg.language),
        sections=pages[1:],
        notes=notes or [],
        about=about_rows(cfg),
        downloads=downloads,
    )


_KEEP_IN_SUMMARY = frozenset({"assumptions"})


def section_results(cfg: ReportConfig, names: list[str], followup: FollowupResults) -> dict[str, Any]:
    """Each section's published results (the same functions as ``--json`` and the notebooks call).

    The notebooks then load them from the result cache instead of computing them again.
    """
    return {name: followup if name == "followup" else SECTIONS[name].compute(cfg) for name in names}


def _stored_results(cfg: ReportConfig, names: list[str], followup: FollowupResults) -> dict[str, Any] | None:
    """Every section's results when the result cache holds them all (loaded, nothing computed), else ``None``."""
    try:
        with stored_only():
            return section_results(cfg, names, followup)
    except NotCached:
        return None


def _indicator_rows(cfg: ReportConfig) -> list[dict[str, str]]:
    if cfg.baseline is None:
        return []
    from outcomes.registries.indicator_catalogue import load_catalogue

    t = Translator(cfg.language)
    catalogue = load_catalogue(cfg.path(cfg.baseline.catalogue)).in_language(cfg.language)
    rows = []
    for ind in catalogue.indicators:
        rows.append(
            {
                t("methods.indicator"): getattr(ind.title, cfg.language),
                t("methods.unit"): t(f"methods.unit_{ind.unit}"),
                t("methods.better"): t(f"methods.better_{ind.better}"),
                t("common.source"): f"{ind.source_label} ({ind.source.url})",
                t("methods.computed"): ind.computation_text,
                t("methods.indicator_note"): folded_cell(ind.source.note),
            }
        )
    return rows


def _previous_summary(parent: Path, year: int) -> PreviousSummary | None:
    """Last year's ``summary.json`` beside this year's bundle, read defensively (``None``: there is none)."""
    return read_previous_summary(parent / str(year - 1) / "summary.json")


def provenance(cfg: ReportConfig, inputs: list[InputSummary], config_file: Path) -> dict[str, Any]:
    """What the report was made from: inputs with hashes and counts, configuration, versions."""
    return {
        "package_version": __version__,
        "git_commit": git_commit(),
        "python": sys.version.split()[0],
        "config_file": paths.relative_to_root(config_file),
        "config_sha256": sha256_file(config_file),
        "config": cfg.to_json_dict(),
        "status_map": {"file": cfg.status_map, "sha256": sha256_file(cfg.path(cfg.status_map))},
        "inputs": [
            {
                "name": s.name,
                "file": s.file,
                "sha256": s.sha256,
                "rows_read": s.rows_read,
                "rows_accepted": s.rows_accepted,
                "rows_rejected": s.rows_rejected,
                "encoding": s.encoding,
                "reasons": s.reasons,
            }
            for s in inputs
        ],
    }


def check_report_years(cfg: ReportConfig, records: pd.DataFrame, file: str) -> None:
    """Refuse a report year (or range of years) without follow-up records, before any notebook runs.

    Parameters
    ----------
    cfg
        The run configuration (``first_year``, ``report_year``).
    records
        The accepted follow-up records (column ``followup_year``).
    file
        The follow-up file, as messages name it.

    Raises
    ------
    ConfigError
        When no record falls in ``first_year``-``report_year``, or none in the
        report year; the message names the years the file has.
    """
    years = sorted({int(y) for y in records["followup_year"].dropna()})
    if cfg.report_year in years:
        return
    present = format_years(years) if years else "none"
    latest = [y for y in years if y <= cfg.report_year] or years
    suggestion = f", e.g. --year {latest[-1]}" if latest else ""
    span = f"{cfg.first_year}\u2013{cfg.report_year}"
    if any(cfg.first_year <= y <= cfg.report_year for y in years):
        problem = f"there are no follow-up records for the report year {cfg.report_year}"
    else:
        problem = f"there are no follow-up records for the years {span}"
    raise ConfigError(
        f"{problem}; the file has follow-up years {present}",
        file=file,
        column="followup_year",
        expected=f"a report year the file has records for{suggestion}",
        hint="Set the report year (--year, report_year) and the first year (--first-year, first_year) to years "
        "the follow-up file covers, or name another file (--followup). Nothing was published.",
    )


@dataclass
class _Build:
    """What one run writes into its build folder, and what from."""

    cfg: ReportConfig
    folder: Path
    target: Path
    pages: list[tuple[str, str]]
    inputs: list[InputSummary]
    config_file: Path
    results: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    left_out: dict[str, NoDataForYearsError] = field(default_factory=dict)

    def write(self, name: str, text: str) -> None:
        """Write one file of the bundle (UTF-8)."""
        (self.folder / name).write_text(text, encoding="utf-8")

    def page(self, name: str, title: str, body: str) -> None:
        """Write one page of the bundle in its frame."""
        cfg = self.cfg
        self.write(name, render_page(cfg.language, cfg.programme.title, title, body, name, self.pages))


def _write_shared_files(build: _Build) -> dict[str, Any]:
    """Write what needs only the results, not the notebooks: assets, summary, downloads and front page.

    Returns the summary (``summary.json`` is written again with the disclosure audit's result).
    """
    from plotly.offline import get_plotlyjs

    cfg = build.cfg
    t = Translator(cfg.language)
    (build.folder / "assets").mkdir()
    build.write("assets/plotly.min.js", get_plotlyjs())
    for asset in ("report.css", "report.js"):
        build.write(f"assets/{asset}", resources.files("outcomes").joinpath("templates", asset).read_text("utf-8"))
    summary = {
        "schema": SUMMARY_SCHEMA,
        "programme": {"slug": cfg.programme.slug, "title": cfg.programme.title},
        "report_year": cfg.report_year,
        "language": cfg.language,
        "sections": list(build.sections),
        # Tables go to downloads/; the assumptions stay so next year's report can list what changed.
        **{
            n: {k: v for k, v in data.items() if not is_table(v) or k in _KEEP_IN_SUMMARY}
            for n, data in build.sections.items()
        },
        "provenance": provenance(cfg, build.inputs, build.config_file),
    }
    build.write("summary.json", dumps_json(summary))
    notes = left_out_notes(cfg.language, build.left_out)
    if build.left_out:
        summary["sections_left_out"] = [
            {"section": name, "reason": note} for name, note in zip(build.left_out, notes, strict=True)
        ]
        build.write("summary.json", dumps_json(summary))
    downloads = _write_downloads(build)
    front = front_page(cfg, build.results, build.sections, build.pages, notes, downloads)
    build.page("index.html", cfg.programme.title, front)
    cards = front_cards(cfg, build.results, build.sections)
    build.page(SUMMARY_PAGE, t("summary.nav"), summary_page_html(cfg, build.results, cards))
    return summary


def _write_downloads(build: _Build) -> DownloadLinks:
    """Write each published table as a plain CSV file and all of them in one Excel workbook; return their links."""
    cfg = build.cfg
    t = Translator(cfg.language)
    tables = published_tables(build.sections)
    (build.folder / "downloads").mkdir()
    for name, frame in tables.items():
        build.write(f"downloads/{name}.csv", csv_text(frame))
    workbook = f"downloads/{workbook_name(cfg.programme.slug, cfg.report_year)}"
    title = t("report.front_title", programme=cfg.programme.title, year=cfg.report_year)
    (build.folder / workbook).write_bytes(workbook_bytes(tables, t, title))
    links = [(f"downloads/{name}.csv", table_title(name, t)) for name in tables]
    return DownloadLinks((workbook, t("downloads.workbook")), links)


def _write_methods(build: _Build, summary: dict[str, Any]) -> None:
    """Write the data-and-methods page (it reports the disclosure audit, so it is written after it)."""
    from outcomes.analyses.costbenefit.views_evidence import assumption_table

    cfg = build.cfg
    t = Translator(cfg.language)
    last = _previous_summary(build.target.parent, cfg.report_year)
    problem = None
    if last is not None and not last.usable:
        problem = t(
            f"methods.previous_{last.problem}", file=f"{last.file.parent.name}/{last.file.name}", **last.details
        )
    methods = methods_page_html(
        summary,
        build.results["followup"].status_map,
        cfg.language,
        _indicator_rows(cfg) if "baseline" in build.sections else None,
        assumption_table(build.results["costbenefit"]) if "costbenefit" in build.sections else None,
        last.data if last is not None else None,
        problem,
    )
    build.page(METHODS_PAGE, t("report.section_methods"), methods)


def audit_before_publishing(build: Path, target: Path) -> dict[str, Any]:
    """Audit the finished bundle as an outside reader would; refuse to publish a disclosed cell.

    Last year's bundle beside the target, if any, is included.

    Raises
    ------
    ReportBuildError
        With the audit's findings when any cell can be worked out.
    """
    from outcomes.sdc.bundle import audit_bundle

    before = target.parent / str(int(target.name) - 1) if target.name.isdigit() else None
    last = read_previous_summary(before / "summary.json") if before is not None else None
    if last is not None and not last.usable:
        # Last year's bundle is of another version or damaged: it cannot be read as it was published,
        # so the bundle is audited on its own (passing the bundle itself means "no previous bundle").
        before = build
    audit = audit_bundle(build, previous=before)
    if not audit.clean:
        raise ReportBuildError(
            "the disclosure audit found numbers that can be worked out from what the bundle publishes:\n"
            + audit.report(limit=20),
            hint="Nothing was published; the previous report is unchanged. Raise the threshold or report fewer "
            "departments, and see docs/disclosure.md.",
        )
    return audit.summary()


def build_report(
    config_path: str | Path = "config/report.yml",
    overrides: dict[str, Any] | None = None,
    allow_rejects: bool = False,
    log: Callable[[str], None] = print,
) -> Path:
    """Build and publish the report bundle; return its folder.

    Raises
    ------
    OutcomesError
        Configuration, input or build problems; nothing is published then.
    """
    overrides = dict(overrides or {})
    if allow_rejects:
        overrides["allow_rejects"] = True  # so the notebooks leave rejected rows out too
    cfg = load_config(config_path, overrides)
    config_file = paths.resolve(config_path)
    target = paths.bundle_dir(cfg.programme.slug, cfg.report_year)
    with bundle_lock(target), stop_cleanly_on_signals():
        log(f"Checking inputs for {cfg.programme.slug} {cfg.report_year} ...")
        inputs, loaded = check_inputs(cfg, cfg.allow_rejects)
        check_report_years(
            cfg, loaded.data, " and ".join(s.file for s in inputs if s.name in ("followup", COUNTS_KIND))
        )
        left_out = sections_without_data(cfg)
        if left_out:
            cfg = cfg.model_copy(update={"sections": [n for n in cfg.sections if n not in left_out]})
            log(f"Left out (no data for the years): {', '.join(left_out)}")
        followup = followup_results(cfg, loaded)
        clean_stale_builds(target.parent, locked=target.name)
        folder = target.parent / f".{target.name}.build-{os.getpid()}"
        folder.mkdir()
        try:
            build = _Build(cfg, folder, target, _pages(cfg), inputs, config_file, results={"followup": followup})
            build.left_out = left_out
            _build_and_publish(build, overrides, log)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    return target


def _pages(cfg: ReportConfig) -> list[tuple[str, str]]:
    """``(file, label)`` of the bundle's pages in navigation order: front page, summary, sections, methods."""
    t = Translator(cfg.language)
    return (
        [("index.html", t("report.front_nav")), (SUMMARY_PAGE, t("summary.nav"))]
        + [(SECTIONS[n].page, t(f"report.section_{n}")) for n in cfg.sections]
        + [(METHODS_PAGE, t("report.section_methods"))]
    )


def _build_and_publish(build: _Build, overrides: dict[str, Any], log: Callable[[str], None]) -> None:
    """Run the notebooks, write every page and file into the build folder, audit it and publish it."""
    cfg = build.cfg
    root = paths.project_root()
    parameters = {"config_path": str(paths.relative_to_root(build.config_file)), "overrides": overrides}
    names = list(cfg.sections)
    log(f"Running {len(names)} section(s): {', '.join(names)} ...")
    kernels: list[Any] = []
    try:
        # The notebooks start at once, one kernel per core but this one's; meanwhile this process
        # computes each section's results, which the notebooks load from the cache
        # (outcomes.core.cache) when ready instead of computing them again, and
        # then writes every page and file that needs only those results.
        stored = _stored_results(cfg, names, build.results["followup"])
        kernels = start_kernels(kernel_count(len(names), computing=stored is None), root)
        running = run_sections(names, parameters, root, kernels)
        try:
            build.results = stored or section_results(cfg, names, build.results["followup"])
            build.sections = {name: SECTIONS[name].as_json(build.results[name]) for name in names}
            summary = _write_shared_files(build)
        except Exception:
            for future in running:
                future.exception()  # let the kernels finish; the section's own error is the one to report
            raise
        runs: dict[str, SectionRun] = {}
        for future in running:
            runs.update(future.result())
    except BaseException:
        # Interrupted, or a section failed: the other notebooks would run on to the end for nothing
        # (their worker threads are daemons, so nothing else waits for them).
        stop_kernels(kernels)
        raise
    t = Translator(cfg.language)
    for name in names:
        build.page(SECTIONS[name].page, t(f"report.section_{name}"), runs[name].html)
    summary["disclosure_audit"] = audit_before_publishing(build.folder, build.target)
    build.write("summary.json", dumps_json(summary))
    _write_methods(build, summary)
    publish_dir(build.folder, build.target)
