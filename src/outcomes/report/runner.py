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

import io
import os
import re
import shutil
import signal
import string
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd

from outcomes import __version__
from outcomes.analyses import FollowupResults, followup_json, followup_results
from outcomes.core import paths
from outcomes.core.config import ReportConfig, load_config
from outcomes.core.errors import ConfigError, OutcomesError, ReportBuildError
from outcomes.core.formatting import format_count, format_interval, format_percent
from outcomes.core.i18n import Translator
from outcomes.core.provenance import dumps_json, git_commit, sha256_file
from outcomes.core.safety import escape_html, safe_for_csv
from outcomes.inputs.intake import InputSummary
from outcomes.registries.statuses import load_status_map
from outcomes.render.display import REPORT_MODE_ENV
from outcomes.render.methods import methods_page_html
from outcomes.report.last_year import SUMMARY_SCHEMA, PreviousSummary, read_previous_summary

try:
    import fcntl
except ImportError:  # Windows: runs are not locked against each other
    fcntl = None  # type: ignore[assignment]

#: Section name -> (notebook, page file).
SECTIONS: dict[str, tuple[str, str]] = {
    "followup": ("notebooks/10_followup.ipynb", "followup.html"),
    "participants": ("notebooks/15_participants.ipynb", "participants.html"),
    "baseline": ("notebooks/20_baseline.ipynb", "baseline.html"),
    "costbenefit": ("notebooks/30_cost_benefit.ipynb", "cost_benefit.html"),
}
KERNEL = "python3"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class SectionRun:
    """An executed section notebook."""

    name: str
    notebook: nbformat.NotebookNode
    html: str = ""


def notebook_parameters(notebook: Path) -> dict[str, Any]:
    """The names and defaults in a notebook's ``parameters`` cell."""
    import papermill as pm

    return pm.inspect_notebook(str(notebook))


def check_parameters(notebook: Path, parameters: dict[str, Any]) -> None:
    """Refuse parameters the notebook does not declare (papermill only warns).

    Raises
    ------
    ConfigError
        Naming the unknown parameter, the notebook and the known names.
    """
    known = notebook_parameters(notebook)
    unknown = sorted(set(parameters) - set(known))
    if unknown:
        raise ConfigError(
            f"unknown notebook parameter(s) {', '.join(unknown)}",
            file=paths.relative_to_root(notebook),
            expected="one of " + ", ".join(sorted(known)),
        )


@contextmanager
def _report_environment(root: Path) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in (REPORT_MODE_ENV, "OUTCOMES_ROOT", "PYDEVD_DISABLE_FILE_VALIDATION")}
    os.environ.update({REPORT_MODE_ENV: "1", "OUTCOMES_ROOT": str(root), "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


#: The kernels' own log lines (transport warnings, shutdown notices) are not for analysts.
_KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]
#: First cell when a kernel is reused: a fresh namespace, while imported modules stay loaded.
_RESET_CELL = "get_ipython().run_line_magic('reset', '-f')"


def start_kernels(count: int, root: Path) -> list[Any]:
    """Start ``count`` report kernels (``python3``, project root as working directory)."""
    from jupyter_client.manager import KernelManager

    managers = []
    for _ in range(count):
        km = KernelManager(kernel_name=KERNEL)
        km.start_kernel(cwd=str(root), extra_arguments=_KERNEL_ARGS)
        managers.append(km)
    return managers


def _failing_cell(notebook: nbformat.NotebookNode, source: str) -> int | None:
    code_cells = [c for c in notebook.cells if c.cell_type == "code"]
    return next((i for i, c in enumerate(code_cells, start=1) if c.source.strip() == (source or "").strip()), None)


def execute_section(name: str, notebook: Path, parameters: dict[str, Any], root: Path, km: Any = None) -> SectionRun:
    """Run one section notebook with papermill and return the executed notebook.

    Parameters
    ----------
    name, notebook, parameters, root
        The section, its notebook, the parameters to inject and the project root.
    km
        A running kernel (from :func:`start_kernels`) to reuse: its namespace
        is reset first, so the notebook sees nothing of an earlier one, but
        pandas, plotly and the package need not be imported again. ``None``
        starts a kernel for this notebook alone.

    Raises
    ------
    ReportBuildError
        Naming the section, the cell (counted among the notebook's code cells)
        and the error when the notebook fails.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    if not notebook.is_file():
        raise ReportBuildError(f"section '{name}': notebook not found", file=paths.relative_to_root(notebook))
    check_parameters(notebook, parameters)
    source = nbformat.read(notebook, as_version=4)
    runnable = nbformat.from_dict(source)
    if km is not None:
        runnable.cells.insert(0, nbformat.v4.new_code_cell(_RESET_CELL, metadata={"tags": ["remove-cell"]}))
    try:
        executed = pm.execute_notebook(
            runnable,
            None,
            parameters=parameters,
            kernel_name=KERNEL,
            cwd=str(root),
            progress_bar=False,
            log_output=False,
            report_mode=True,
            extra_arguments=_KERNEL_ARGS,
            km=km,
        )
    except PapermillExecutionError as exc:
        error = _ANSI.sub("", str(exc.evalue)).strip()
        cell = _failing_cell(source, exc.source)
        where = f"cell {cell}" if cell is not None else "a cell"
        raise ReportBuildError(
            f"section '{name}' failed in {where} ({exc.ename}): {error}",
            file=paths.relative_to_root(notebook),
            hint="Nothing was published; the previous report is unchanged.",
        ) from None
    return SectionRun(name, executed)


def kernel_count(sections: int) -> int:
    """One kernel per core, never more than there are sections."""
    return max(1, min(sections, os.cpu_count() or 1))


def run_sections(
    names: list[str],
    parameters: dict[str, Any],
    root: Path,
    kernels: list[Any],
) -> list[Future[dict[str, SectionRun]]]:
    """Run the sections' notebooks on the given kernels, each kernel taking its share in turn.

    Each notebook is converted to HTML in its worker thread as soon as it has
    run. Returns the futures, each giving ``{section: SectionRun}``; every
    kernel is shut down when its share is done or has failed. The workers are
    daemon threads: a run that is interrupted ends at once instead of waiting
    at exit for notebooks whose kernels it has stopped.
    """
    workers = len(kernels)
    queues = [names[i::workers] for i in range(workers)]

    def work(queue: list[str], km: Any, future: Future[dict[str, SectionRun]]) -> None:
        if not future.set_running_or_notify_cancel():
            return
        done = {}
        try:
            try:
                for n in queue:
                    run = execute_section(n, root / SECTIONS[n][0], parameters, root, km=km)
                    # Converted here, while the other kernels are still busy.
                    run.html = notebook_body_html(run.notebook)
                    done[n] = run
            finally:
                km.shutdown_kernel(now=True)
        except BaseException as exc:
            future.set_exception(exc)
        else:
            future.set_result(done)

    futures: list[Future[dict[str, SectionRun]]] = []
    for i, (queue, km) in enumerate(zip(queues, kernels, strict=False)):
        future: Future[dict[str, SectionRun]] = Future()
        threading.Thread(target=work, args=(queue, km, future), name=f"report-kernel-{i}", daemon=True).start()
        futures.append(future)
    return futures


#: Cells the reader never sees: notes for the analyst, and the notebook's parameters.
_HIDDEN_CELL_TAGS = frozenset({"remove-cell", "injected-parameters", "parameters"})


def _output_html(output: dict[str, Any]) -> str:
    """One cell output as the reader sees it ("" when it is not for the reader).

    The report notebooks display everything through :mod:`outcomes.render.display`,
    i.e. as HTML. Of any other rich output the richest form a page can show is
    kept (HTML, SVG, PNG, Markdown). Streams (``print``, warnings, logs) and
    plain-text results are for the analyst's console and are left out.
    """
    if output.get("output_type") not in ("display_data", "execute_result"):
        return ""
    data = output.get("data", {})
    if "text/html" in data:
        return "".join(data["text/html"])
    if "image/svg+xml" in data:
        return "".join(data["image/svg+xml"])
    if "image/png" in data:
        return f'<img alt="" src="data:image/png;base64,{"".join(data["image/png"]).strip()}">'
    if "text/markdown" in data:
        return _markdown_html("".join(data["text/markdown"]))
    return ""


def _markdown_html(text: str) -> str:
    import mistune

    return str(mistune.html(text))


def notebook_body_html(notebook: nbformat.NotebookNode) -> str:
    """The outputs of an executed notebook as HTML, with no code and no prompts.

    Visible Markdown cells are rendered; of code cells only their outputs are
    kept (see :func:`_output_html`); cells tagged ``remove-cell``,
    ``parameters`` or ``injected-parameters`` are left out whole. (This is
    what nbconvert's HTML exporter with those options gives, without its cost
    of ~1 s to import and ~0.15 s per page.)
    """
    parts = []
    for cell in notebook.cells:
        if _HIDDEN_CELL_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "markdown":
            parts.append(f'<div class="cell">{_markdown_html(cell.source)}</div>')
        elif cell.cell_type == "code":
            body = "\n".join(h for h in (_output_html(o) for o in cell.get("outputs", [])) if h)
            if body:
                parts.append(f'<div class="cell">\n{body}\n</div>')
    return "\n".join(parts)


def _template(name: str) -> str:
    return resources.files("outcomes").joinpath("templates", name).read_text(encoding="utf-8")


def render_page(cfg: ReportConfig, title: str, body: str, current: str, pages: list[tuple[str, str]]) -> str:
    """Wrap a page body in the bundle's page template (navigation, footer, assets)."""
    t = Translator(cfg.language)
    nav = "".join(
        f'<li><a href="{escape_html(href)}"'
        + (' aria-current="page"' if href == current else "")
        + f">{escape_html(label)}</a></li>"
        for href, label in pages
    )
    return string.Template(_template("page.html")).substitute(
        lang=cfg.language,
        version=escape_html(__version__),
        title=escape_html(title),
        skip=escape_html(t("report.skip")),
        programme=escape_html(cfg.programme.title),
        nav_label=escape_html(t("report.nav_label")),
        nav=nav,
        body=body,
        footer=escape_html(t("report.generated_by", version=__version__)),
    )


def check_inputs(cfg: ReportConfig, allow_rejects: bool) -> tuple[list[InputSummary], Any]:
    """Validate every configured input; stop on rejected rows unless allowed.

    Returns the summaries and the loaded follow-up data (reused by the runner).

    Raises
    ------
    RejectedRowsError
        When rows were rejected and ``allow_rejects`` is false; the message
        lists the problems of every input (file, line, column, value, expected).
    """
    from outcomes.inputs.preflight import intake_configured, rejected_rows_error

    results = intake_configured(cfg)
    error = rejected_rows_error(results)
    if error is not None and not allow_rejects:
        raise error
    # The follow-up input is first in the list; the runner reuses it rather than reading it again.
    return [r.summary for r in results], (results[0], load_status_map(cfg.status_map))


def _front_page(
    cfg: ReportConfig, followup: FollowupResults, pages: list[tuple[str, str]], summary: dict[str, Any]
) -> str:
    t = Translator(cfg.language)
    lang = cfg.language
    head = followup.headline()
    cards = []
    if head.get("available"):
        for group in ("education_or_work", "positive_activity", "education"):
            g = head["groups"][group]
            title = getattr(followup.status_map.groups[group].title, lang)
            value = format_percent(g["share"], 0, lang)
            detail = (
                f"{t('common.interval')} {format_interval(g['ci_low'], g['ci_high'], 0, lang)}, "
                f"n = {format_count(g['denominator'], lang)}"
            )
            cards.append(
                f'<div class="card"><span class="value">{escape_html(value)}</span>'
                f'<span class="label">{escape_html(title)} ({cfg.report_year})</span><br>'
                f'<span class="label">{escape_html(detail)}</span></div>'
            )
    cards.extend(_section_cards(cfg, summary))
    from outcomes.render.narrative import followup_summary

    summary = "".join(
        f"<p>{escape_html(s)}</p>" for s in followup_summary(followup.rates, cfg.report_year, followup.status_map, lang)
    )
    links = "".join(f'<li><a href="{escape_html(h)}">{escape_html(label)}</a></li>' for h, label in pages[1:])
    return (
        f"<h1>{escape_html(t('report.front_title', programme=cfg.programme.title, year=cfg.report_year))}</h1>"
        f"<p>{escape_html(t('report.front_period', first=cfg.first_year, last=cfg.report_year))}</p>"
        f'<h2>{escape_html(t("report.front_headline"))}</h2><div class="headline">{"".join(cards)}</div>'
        f'<div class="summary">{summary}</div>'
        f'<p class="footnotes">{escape_html(t("common.footnote_interval"))}</p>'
        f"<h2>{escape_html(t('report.front_sections'))}</h2><ul>{links}</ul>"
    )


_KEEP_IN_SUMMARY = frozenset({"assumptions"})


def _is_table(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def section_results(
    cfg: ReportConfig, names: list[str], followup: FollowupResults, allow_rejects: bool
) -> dict[str, dict[str, Any]]:
    """Every published figure of each section, as JSON-ready data (the same functions as ``--json``)."""
    out: dict[str, dict[str, Any]] = {}
    for name in names:
        if name == "followup":
            out[name] = followup_json(followup)
        elif name == "participants":
            from outcomes.analyses.participants.results import participants_json, participants_results

            # Rejected rows were already refused by check_inputs; the call matches the notebook's, so the
            # notebook loads this result from the cache instead of computing it again.
            out[name] = participants_json(participants_results(cfg, allow_rejects=True))
        elif name == "baseline":
            from outcomes.analyses.baseline.results import baseline_json, baseline_results

            out[name] = baseline_json(baseline_results(cfg))
        elif name == "costbenefit":
            from outcomes.analyses.costbenefit.results import cba_json, cba_results

            out[name] = cba_json(cba_results(cfg))  # --allow-rejects reaches it through cfg.allow_rejects
    return out


def _indicator_rows(cfg: ReportConfig) -> list[dict[str, str]]:
    if cfg.baseline is None:
        return []
    from outcomes.registries.indicator_catalogue import load_catalogue

    t = Translator(cfg.language)
    catalogue = load_catalogue(cfg.path(cfg.baseline.catalogue))
    rows = []
    for ind in catalogue.indicators:
        how = " / ".join(x for x in (ind.computation.numerator, ind.computation.denominator) if x) or (
            ind.computation.description or ""
        )
        rows.append(
            {
                t("methods.indicator"): getattr(ind.title, cfg.language),
                t("methods.unit"): ind.unit,
                t("methods.better"): ind.better,
                t("common.source"): f"{ind.source_label} ({ind.source.url})",
                t("methods.computed"): how,
            }
        )
    return rows


def _previous_summary(parent: Path, year: int) -> PreviousSummary | None:
    """Last year's ``summary.json`` beside this year's bundle, read defensively (``None``: there is none)."""
    return read_previous_summary(parent / str(year - 1) / "summary.json")


def _card(value: str, label: str, detail: str = "") -> str:
    return (
        f'<div class="card"><span class="value">{escape_html(value)}</span>'
        f'<span class="label">{escape_html(label)}</span>'
        + (f'<br><span class="label">{escape_html(detail)}</span>' if detail else "")
        + "</div>"
    )


def _section_cards(cfg: ReportConfig, summary: dict[str, Any]) -> list[str]:
    """Headline cards of the baseline and cost-benefit sections, from their ``headline`` data."""
    from outcomes.core.formatting import format_number

    t = Translator(cfg.language)
    lang = cfg.language
    cards = []
    cba = (summary.get("costbenefit") or {}).get("headline") or {}
    if cba.get("bcr") is not None:
        detail = t(
            "report.card_ratio_detail",
            low=format_number(cba.get("bcr_p5"), 1, lang),
            high=format_number(cba.get("bcr_p95"), 1, lang),
            price_year=cba.get("price_year", "–"),
        )
        cards.append(_card(format_number(cba["bcr"], 1, lang), t("report.card_ratio"), detail))
    part = (summary.get("participants") or {}).get("headline") or {}
    services = ((part.get("profile") or {}).get("services") or {}).get("mental_health") or {}
    if services.get("share") is not None:
        cards.append(
            _card(
                format_percent(services["share"], 0, lang),
                t("report.card_mental_health"),
                t("report.card_school_year", school_year=part["profile"].get("school_year", "–")),
            )
        )
    best = (part.get("survey") or {}).get("highest") or {}
    if best.get("share") is not None:
        cards.append(
            _card(
                format_percent(best["share"], 0, lang),
                t("report.card_survey", item=best.get("item", "")),
                f"n = {format_count(best.get('n'), lang)}, {part['survey'].get('year', '')}",
            )
        )
    base = (summary.get("baseline") or {}).get("headline") or {}
    for item in (base.get("cards") or [])[:2]:
        cards.append(_card(str(item.get("value", "–")), str(item.get("label", "")), str(item.get("detail", ""))))
    return cards


def _csv(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    safe_for_csv(frame).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


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


def _run_alive(pid_text: str) -> bool:
    """Whether the run whose process id ends a build folder's name is still running."""
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OSError:
        return False
    return True


def _clean_stale_builds(parent: Path, locked: str | None = None) -> None:
    """Remove builds of interrupted runs, and put back a bundle a run was killed while replacing.

    Build folders (``.<year>.build-<pid>``) and bundles set aside while
    publishing (``.<year>.old-<pid>``) carry the process id of their run. Only
    those of runs that have ended are touched, so a run never removes the
    build of another that is still going (for another year, say) -- except for
    the folder ``locked``, whose lock the caller holds: no other run can be
    writing it, so all its leftovers are stale whatever their number says.
    """
    if not parent.is_dir():
        return
    for stale in parent.glob(".*.build-*"):
        name, _, pid = stale.name[1:].rpartition(".build-")
        if name == locked or not _run_alive(pid):
            shutil.rmtree(stale, ignore_errors=True)
    for old in parent.glob(".*.old-*"):
        name, _, pid = old.name[1:].rpartition(".old-")
        if name != locked and _run_alive(pid):
            continue
        target = parent / name
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(old, target)


#: How long a run waits for another run writing the same bundle before it stops (seconds).
LOCK_WAIT_SECONDS = 3.0


class RunInProgressError(OutcomesError):
    """Another run is writing the same bundle (``reports/<programme>/<year>``)."""


@contextmanager
def bundle_lock(target: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[Path]:
    """Hold the lock of one bundle folder while the block runs.

    The lock is ``fcntl.flock`` on ``.<year>.lock`` beside the bundle; the
    operating system releases it when the process ends, however it ends, so a
    killed run never leaves a stale lock. The file holds the process id of
    the run holding it, for the message. (Without ``fcntl``, on Windows, runs
    are not locked.)

    Parameters
    ----------
    target
        The bundle folder, ``reports/<programme>/<year>``; its parent is created.
    wait
        Seconds to wait for a run holding the lock before giving up.

    Yields
    ------
    pathlib.Path
        The lock file.

    Raises
    ------
    RunInProgressError
        When another run still holds the lock after ``wait`` seconds (exit 2).
    OSError
        When the folder cannot be created or the lock file not opened.
    """
    lock = target.parent / f".{target.name}.lock"
    target.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield lock
        return
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                    by = f" (process {holder})" if holder.isdigit() else ""
                    raise RunInProgressError(
                        f"another run{by} is writing {paths.relative_to_root(target)}; try again when it has finished",
                        hint="This run changed nothing.",
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield lock
    finally:
        os.close(fd)  # releases the lock


class RunInterrupted(KeyboardInterrupt):
    """The run was stopped by a signal (SIGTERM, SIGHUP); like Ctrl-C, it unwinds and cleans up.

    A ``KeyboardInterrupt`` so that no ``except Exception`` on the way swallows it.

    Parameters
    ----------
    signum
        The signal received.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"interrupted ({signal.Signals(signum).name})")


#: Signals that stop a run cleanly (SIGINT already raises KeyboardInterrupt).
_STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def stop_cleanly_on_signals() -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP raise :class:`RunInterrupted` in the main thread.

    Without it the process ends on the spot: the build folder stays behind
    and the user reads nothing. A signal with a handler of its own, or
    ignored (``nohup``), is left alone; outside the main thread (where Python
    cannot install handlers) the block runs unchanged.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise RunInterrupted(signum)

    # Only signals left at their default (ending the process): one ignored on purpose (nohup) stays ignored.
    previous = {s: signal.signal(s, stop) for s in _STOP_SIGNALS if signal.getsignal(s) is signal.SIG_DFL}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _stop_kernels(kernels: list[Any]) -> None:
    """Shut the report kernels down now (on an interruption), so their notebooks end at once."""
    for km in kernels:
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # already stopped by its worker, or never started
            pass


def _years_text(years: list[int]) -> str:
    """``[2011, 2012, 2013, 2015]`` as ``2011–2013, 2015``."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}\u2013{r[-1]}" for r in runs)


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
    present = _years_text(years) if years else "none"
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


def publish(build: Path, target: Path) -> None:
    """Move a finished bundle into place, keeping the old one until the last moment."""
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(build, target)
    except BaseException:
        if old.exists() and not target.exists():
            os.replace(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _write_shared_files(
    build: Path,
    cfg: ReportConfig,
    names: list[str],
    sections: dict[str, dict[str, Any]],
    followup: FollowupResults,
    inputs: list[InputSummary],
    config_file: Path,
    pages: list[tuple[str, str]],
) -> dict[str, Any]:
    """Write what needs only the results, not the notebooks: assets, summary, downloads and front page.

    Returns the summary (``summary.json`` is written again with the disclosure audit's result).
    """
    (build / "assets").mkdir()
    from plotly.offline import get_plotlyjs

    (build / "assets" / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    (build / "assets" / "report.css").write_text(_template("report.css"), encoding="utf-8")
    summary = {
        "schema": SUMMARY_SCHEMA,
        "programme": {"slug": cfg.programme.slug, "title": cfg.programme.title},
        "report_year": cfg.report_year,
        "language": cfg.language,
        "sections": names,
        # Tables go to downloads/; the assumptions stay so next year's report can list what changed.
        **{
            n: {k: v for k, v in data.items() if not _is_table(v) or k in _KEEP_IN_SUMMARY}
            for n, data in sections.items()
        },
        "provenance": provenance(cfg, inputs, config_file),
    }
    (build / "summary.json").write_text(dumps_json(summary), encoding="utf-8")
    (build / "downloads").mkdir()
    for name, data in sections.items():
        for key, value in data.items():
            if _is_table(value):
                (build / "downloads" / f"{name}_{key}.csv").write_text(_csv(pd.DataFrame(value)), encoding="utf-8")
    front = _front_page(cfg, followup, pages, summary)
    (build / "index.html").write_text(
        render_page(cfg, cfg.programme.title, front, "index.html", pages), encoding="utf-8"
    )
    return summary


def _write_methods(
    build: Path,
    cfg: ReportConfig,
    names: list[str],
    sections: dict[str, dict[str, Any]],
    followup: FollowupResults,
    summary: dict[str, Any],
    pages: list[tuple[str, str]],
    parent: Path,
) -> None:
    """Write the data-and-methods page (it reports the disclosure audit, so it is written after it)."""
    t = Translator(cfg.language)
    last = _previous_summary(parent, cfg.report_year)
    problem = None
    if last is not None and not last.usable:
        problem = t(
            f"methods.previous_{last.problem}", file=f"{last.file.parent.name}/{last.file.name}", **last.details
        )
    methods = methods_page_html(
        summary,
        followup.status_map,
        cfg.language,
        _indicator_rows(cfg) if "baseline" in names else None,
        pd.DataFrame(sections["costbenefit"]["assumptions"]) if "costbenefit" in names else None,
        last.data if last is not None else None,
        problem,
    )
    (build / "methods.html").write_text(
        render_page(cfg, t("report.section_methods"), methods, "methods.html", pages), encoding="utf-8"
    )


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
    log=print,  # type: ignore[no-untyped-def]
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
    allow_rejects = cfg.allow_rejects
    root = paths.project_root()
    config_file = paths.resolve(config_path)
    target = paths.bundle_dir(cfg.programme.slug, cfg.report_year)
    with bundle_lock(target), stop_cleanly_on_signals():
        log(f"Checking inputs for {cfg.programme.slug} {cfg.report_year} ...")
        inputs, loaded = check_inputs(cfg, allow_rejects)
        check_report_years(cfg, loaded[0].data, inputs[0].file)
        followup = followup_results(cfg, loaded)
        _clean_stale_builds(target.parent, locked=target.name)
        build = target.parent / f".{target.name}.build-{os.getpid()}"
        build.mkdir()
        try:
            _build_and_publish(cfg, build, target, root, config_file, overrides, inputs, followup, allow_rejects, log)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
    return target


def _build_and_publish(
    cfg: ReportConfig,
    build: Path,
    target: Path,
    root: Path,
    config_file: Path,
    overrides: dict[str, Any],
    inputs: list[InputSummary],
    followup: FollowupResults,
    allow_rejects: bool,
    log,  # type: ignore[no-untyped-def]
) -> None:
    """Run the notebooks, write every page and file into ``build``, audit it and publish it as ``target``."""
    parameters = {"config_path": str(paths.relative_to_root(config_file)), "overrides": overrides}
    names = list(cfg.sections)
    log(f"Running {len(names)} section(s): {', '.join(names)} ...")
    t = Translator(cfg.language)
    pages = (
        [("index.html", t("report.front_nav"))]
        + [(SECTIONS[n][1], t(f"report.section_{n}")) for n in names]
        + [("methods.html", t("report.section_methods"))]
    )
    kernels: list[Any] = []
    try:
        with _report_environment(root):
            # The notebooks start at once, one kernel per core; meanwhile this process
            # computes each section's results, which the notebooks load from the cache
            # (outcomes.report.cache) when ready instead of computing them again, and
            # then writes every page and file that needs only those results.
            kernels = start_kernels(kernel_count(len(names)), root)
            running = run_sections(names, parameters, root, kernels)
            try:
                sections = section_results(cfg, names, followup, allow_rejects)
                summary = _write_shared_files(build, cfg, names, sections, followup, inputs, config_file, pages)
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
        _stop_kernels(kernels)
        raise
    for name in names:
        page = render_page(cfg, t(f"report.section_{name}"), runs[name].html, SECTIONS[name][1], pages)
        (build / SECTIONS[name][1]).write_text(page, encoding="utf-8")
    summary["disclosure_audit"] = audit_before_publishing(build, target)
    (build / "summary.json").write_text(dumps_json(summary), encoding="utf-8")
    _write_methods(build, cfg, names, sections, followup, summary, pages, target.parent)
    publish(build, target)
