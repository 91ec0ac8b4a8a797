"""Report kernels: run each section's notebook with papermill, several at once.

The runner starts one kernel per core but its own (:func:`kernel_count`,
:func:`start_kernels`: the runner computes the results the notebooks wait
for; on an unchanged rerun, with every result stored, one per core) and hands each a share of the sections (:func:`run_sections`). A notebook runs with the project
root as working directory and its parameters checked against its
``parameters`` cell; the first cell the runner adds puts the display layer in
report mode (figures drawn by the bundle's one copy of plotly.js), and, when a
kernel is reused, resets its namespace first.
"""

from __future__ import annotations

import os
import re
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from outcomes.core import paths
from outcomes.core.errors import ConfigError, ReportBuildError
from outcomes.render.pages import notebook_body_html
from outcomes.sections import SECTIONS

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


#: The kernels' own log lines (transport warnings, shutdown notices) are not for analysts.
_KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]
#: Set in each kernel's own environment: the debugger's warning about frozen modules is not for analysts.
_KERNEL_ENV = {"PYDEVD_DISABLE_FILE_VALIDATION": "1"}
#: First cell when a kernel is reused: a fresh namespace, while imported modules stay loaded.
_RESET_CELL = "get_ipython().run_line_magic('reset', '-f')"
#: First cell of every report notebook: show figures as the bundle's pages draw them.
_MODE_CELL = "from outcomes.render.display import set_report_mode as _set_report_mode\n_set_report_mode(True)\ndel _set_report_mode"


def start_kernels(count: int, root: Path) -> list[Any]:
    """Start ``count`` report kernels (``python3``, project root as working directory)."""
    from jupyter_client.manager import KernelManager

    managers = []
    for _ in range(count):
        km = KernelManager(kernel_name=KERNEL)
        km.start_kernel(cwd=str(root), extra_arguments=_KERNEL_ARGS, env={**os.environ, **_KERNEL_ENV})
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
    first = [_RESET_CELL, _MODE_CELL] if km is not None else [_MODE_CELL]
    runnable.cells[0:0] = [nbformat.v4.new_code_cell(c, metadata={"tags": ["remove-cell"]}) for c in first]
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


def kernel_count(sections: int, computing: bool = True) -> int:
    """One kernel per core but the runner's, never more than there are sections, at least one.

    The runner keeps a core busy computing the results the notebooks load (they wait for them); a kernel
    on that core would only add its start and its imports (about 1 s of CPU each on the demo). When every
    result is stored already (``computing`` false: an unchanged rerun), the runner only loads them, and
    each core takes a kernel.
    """
    return max(1, min(sections, (os.cpu_count() or 1) - (1 if computing else 0)))


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
                    run = execute_section(n, root / SECTIONS[n].notebook, parameters, root, km=km)
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


def stop_kernels(kernels: list[Any]) -> None:
    """Shut the report kernels down now (on an interruption), so their notebooks end at once."""
    for km in kernels:
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # already stopped by its worker, or never started
            pass
