"""Disclosure protection and audit (issue 12): the demo, and national-size synthetic data.

Prints wall times of

* the demo: :func:`outcomes.sdc.followup.protect_followup` on the demo
  follow-up rates (called as :func:`outcomes.analyses.followup.results.followup_results`
  calls it), :func:`outcomes.sdc.survey.protect_survey` on the demo survey,
  and :func:`outcomes.sdc.bundle.audit_bundle` on the rendered demo bundle
  (``reports/<programme>/<year>/``, rendered first if missing);
* synthetic follow-up records, ~40 people per department and year, 15 years:
  :func:`outcomes.analyses.followup.rates.followup_rates` + ``protect_followup``, then
  :func:`outcomes.sdc.followup.audit_table` on the protected table as an
  outside reader would check it (no true values). Sizes go up a ladder of
  departments (:data:`LADDER`, up to the national 357); a size is skipped once
  the previous one's protection took more than :data:`CAP` seconds, since the
  cost grows faster than the size. The ladder protects the follow-up section
  alone (each year its own system); one more row, at :data:`LINKED_AT`
  departments, adds the cost-benefit link (``linked``: the outcome group summed
  over the years, as the report does when the cost-benefit section is
  rendered), which ties all years into one system when some year's total of
  that group is hidden (in this synthetic data none is).

Each figure is the best of 3 runs, or of 1 when a run takes over 20 s; each
size runs in a fresh process, so its peak memory (max RSS) is its own. Also
printed: audits the protection ran (calls of ``audit_table``: one per round
and year while years are protected one by one, the last of each clean),
linear programmes solved (counted by wrapping the solver), hidden cells,
cells checked and ranges solved, and the CPU seconds of the protection and
audit (``time.process_time``), which other work on the machine disturbs less
than the wall time. No assertions: figures only. Targets from the issue:
<= 1 s on the demo, <= 10 s at 357 departments x 15 years (protection +
audit, wall time).

From 19 departments (20 blocks with all departments) a year is protected and
audited with the block reasoning of :mod:`outcomes.sdc.blocks` (see
``docs/disclosure.md``); smaller sizes, and the demo, with the linear
programmes alone, as before.

Run: ``.venv/bin/python benchmarks/bench_disclosure.py`` (or ``make bench``;
about 3 minutes); ``--departments 100 357`` measures the sizes given whatever
they cost; ``--demo`` only the demo.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import smoke
from memory import peak_mb

YEARS = 15
PER_CELL = 40
LADDER = smoke.size((10, 25, 50, 100, 357), (3,))
#: Departments of the extra run with the cost-benefit link.
LINKED_AT = 25
#: Seconds a protection run may take before larger sizes are skipped.
CAP = 60.0
STATUSES = [
    "education",
    "work",
    "education_and_work",
    "apprenticeship",
    "measure",
    "other_positive",
    "neet",
    "no_response",
]
PROBS = [0.45, 0.15, 0.05, 0.08, 0.07, 0.07, 0.06, 0.07]


@contextmanager
def counting() -> Iterator[dict[str, int]]:
    """Count linear programmes solved and follow-up audits while the block runs."""
    from outcomes.sdc import followup, solver

    counts = {"lps": 0, "audits": 0}
    solve, audit = solver.Programme.solve, followup.audit_table

    def counted_solve(self: Any, *args: Any, **kwargs: Any) -> Any:
        counts["lps"] += 1
        return solve(self, *args, **kwargs)

    def counted_audit(*args: Any, **kwargs: Any) -> Any:
        counts["audits"] += 1
        return audit(*args, **kwargs)

    solver.Programme.solve = counted_solve  # type: ignore[method-assign]
    followup.audit_table = counted_audit  # protect_followup looks it up in its module at each call
    try:
        yield counts
    finally:
        solver.Programme.solve = solve  # type: ignore[method-assign]
        followup.audit_table = audit


def best_of(run: Callable[[], Any], times: int = 3, slow: float = 20.0) -> tuple[float, Any, dict[str, Any]]:
    """Best wall time of ``run`` over ``times`` runs (one if a run takes over ``slow`` s), its result and counts.

    The counts include ``cpu``, the CPU seconds of the run with the best wall time.
    """
    best, result, counts = float("inf"), None, {}
    for _ in range(times):
        with counting() as seen:
            start, cpu = time.perf_counter(), time.process_time()
            result = run()
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        if seconds < best:
            best, counts = seconds, {**seen, "cpu": cpu}
        if seconds > slow:
            break
    return best, result, counts


def synthetic(departments: int, years: int = YEARS, seed: int = 1):  # type: ignore[no-untyped-def]
    """Follow-up records: Poisson(40) people per department and year, statuses drawn with realistic weights."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    sizes = rng.poisson(PER_CELL, size=(departments, years)).ravel()
    names = np.repeat([f"Kommune {k:03d}" for k in range(departments)], years)
    first = 2011
    return pd.DataFrame(
        {
            "department": pd.Categorical(np.repeat(names, sizes)),
            "followup_year": np.repeat(np.tile(np.arange(first, first + years), departments), sizes),
            "status": pd.Categorical(rng.choice(STATUSES, size=int(sizes.sum()), p=PROBS)),
        }
    )


def _hidden(table: Any) -> int:
    """Hidden cells as the audit counts them (group counts, contacted and responded figures)."""
    from outcomes.sdc.followup_system import declare_rates
    from outcomes.sdc.linear import SystemBuilder

    builder = SystemBuilder()
    declare_rates(builder, table, _groups(), _positive(), locate=lambda pos, col: "")
    return builder.cell_count


def _groups() -> dict[str, frozenset[str]]:
    from outcomes.core.paths import config_dir
    from outcomes.registries.statuses import load_status_map

    return load_status_map(config_dir() / "status_map.yml").group_members()


def _positive() -> frozenset[str]:
    from outcomes.analyses.followup.rates import POSITIVE_GROUPS

    return POSITIVE_GROUPS


def measure_demo() -> dict[str, Any]:
    """protect_followup on the demo rates and audit_bundle on the rendered demo bundle."""
    from outcomes.analyses.followup.rates import followup_rates
    from outcomes.analyses.followup.results import _last_years_figures, load_followup
    from outcomes.analyses.participants.survey import publishable_survey, survey_counts
    from outcomes.core.config import DEFAULT_CONFIG, load_config
    from outcomes.core.paths import reports_dir
    from outcomes.inputs.intake import intake_file
    from outcomes.sdc.bundle import audit_bundle
    from outcomes.sdc.followup import base_counts, protect_followup
    from outcomes.sdc.survey import protect_survey

    cfg = load_config(DEFAULT_CONFIG)
    loaded = load_followup(cfg)
    records, status_map = loaded.data, loaded.status_map
    records = records[(records["followup_year"] >= cfg.first_year) & (records["followup_year"] <= cfg.report_year)]
    groups = status_map.group_members()
    rates = followup_rates(records, groups, by_department=True)
    linked = [cfg.costbenefit.outcome_group] if cfg.costbenefit is not None and "costbenefit" in cfg.sections else []
    counts = base_counts(records)
    previous = _last_years_figures(cfg, rates)
    protect_s, published, protect_n = best_of(
        lambda: protect_followup(rates, counts, groups, _positive(), cfg.disclosure_threshold, linked, previous)
    )

    survey_s, survey_rows, survey_n = float("nan"), 0, {"cpu": float("nan")}
    if cfg.inputs.survey:
        answers = intake_file(cfg.inputs.survey, "survey", name="survey", programme=cfg.programme.slug).data
        answers = answers[(answers["year"] >= cfg.first_year) & (answers["year"] <= cfg.report_year)]
        survey = survey_counts(answers)
        survey_s, _, survey_n = best_of(
            lambda: protect_survey(
                survey, publishable_survey(survey, cfg.disclosure_threshold), cfg.disclosure_threshold
            )
        )
        survey_rows = len(survey)

    bundle = reports_dir() / cfg.programme.slug / str(cfg.report_year)
    if not (bundle / "summary.json").is_file():
        from outcomes.report.runner import build_report

        print(f"(rendering the demo bundle first: {bundle})", flush=True)
        build_report(log=lambda m: None)
    audit_s, audit, audit_n = best_of(lambda: audit_bundle(bundle))
    return {
        "records": len(records),
        "departments": int(records["department"].nunique()),
        "years": int(records["followup_year"].nunique()),
        "rows": len(rates),
        "protect_s": protect_s,
        "protect_cpu": protect_n["cpu"],
        "protect_audits": protect_n["audits"],
        "protect_lps": protect_n["lps"],
        "hidden": _hidden(published),
        "secondary_rows": int((published["suppressed"] == "secondary").sum()),
        "survey_s": survey_s,
        "survey_cpu": survey_n["cpu"],
        "survey_rows": survey_rows,
        "audit_s": audit_s,
        "audit_cpu": audit_n["cpu"],
        "audit_lps": audit_n["lps"],
        "audit_hidden": audit.hidden_cells,
        "audit_checked": audit.result.cells_checked,
        "audit_solved": len(audit.result.ranges),
        "audit_clean": audit.clean,
        "files": len(audit.files_read),
        "bundle": str(bundle),
    }


def measure_size(departments: int, linked: bool = False) -> dict[str, Any]:
    """followup_rates + protect_followup, then audit_table, on synthetic records of one size."""
    from outcomes.analyses.followup.rates import followup_rates
    from outcomes.sdc.followup import audit_table, base_counts, protect_followup

    records = synthetic(departments)
    groups = _groups()

    def protect():  # type: ignore[no-untyped-def]
        rates = followup_rates(records, groups, by_department=True)
        return protect_followup(
            rates, base_counts(records), groups, _positive(), 5, ["education_or_work"] if linked else []
        )

    protect_s, published, protect_n = best_of(protect)
    audit_s, result, audit_n = best_of(lambda: audit_table(published, groups, _positive(), 5))
    return {
        "departments": departments,
        "linked": linked,
        "records": len(records),
        "rows": len(published),
        "protect_s": protect_s,
        "protect_cpu": protect_n["cpu"],
        "protect_audits": protect_n["audits"],
        "protect_lps": protect_n["lps"],
        "hidden": _hidden(published),
        "secondary_rows": int((published["suppressed"] == "secondary").sum()),
        "audit_s": audit_s,
        "audit_cpu": audit_n["cpu"],
        "audit_lps": audit_n["lps"],
        "audit_checked": result.cells_checked,
        "audit_solved": len(result.ranges),
        "audit_disclosed": len(result.disclosed),
        "peak_mb": peak_mb(),
    }


def _in_subprocess(departments: int, linked: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--one", str(departments)] + (["--linked"] if linked else [])
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _print_demo(demo: dict[str, Any]) -> None:
    print(
        f"demo ({demo['departments']} departments x {demo['years']} years, {demo['records']} records, "
        f"{demo['rows']} rate rows):"
    )
    print(
        f"  protect_followup   {demo['protect_s']:7.2f} s  (CPU {demo['protect_cpu']:.2f} s)  audits "
        f"{demo['protect_audits']}, LPs {demo['protect_lps']}, hidden cells {demo['hidden']}, "
        f"rows hidden as secondary {demo['secondary_rows']}"
    )
    print(
        f"  protect_survey     {demo['survey_s']:7.2f} s  (CPU {demo['survey_cpu']:.2f} s)  ({demo['survey_rows']} rows: "
        "year x department x item; the cell rule included)"
    )
    print(
        f"  audit_bundle       {demo['audit_s']:7.2f} s  (CPU {demo['audit_cpu']:.2f} s)  LPs {demo['audit_lps']}, "
        f"hidden cells {demo['audit_hidden']}, cells checked {demo['audit_checked']}, ranges solved "
        f"{demo['audit_solved']}, {'clean' if demo['audit_clean'] else 'NOT CLEAN'} ({demo['files']} files of "
        f"{demo['bundle']})"
    )
    total = demo["protect_s"] + demo["survey_s"] + demo["audit_s"]
    cpu = demo["protect_cpu"] + demo["survey_cpu"] + demo["audit_cpu"]
    print(f"  protection + audit {total:7.2f} s  (CPU {cpu:.2f} s; target <= 1 s)", flush=True)


def _ladder(sizes: list[int], capped: bool) -> list[dict[str, Any]]:
    print(
        f"\nsynthetic, {YEARS} years, ~{PER_CELL} people per department and year, threshold 5 "
        "(best of 3, or 1 run when over 20 s; protect = followup_rates + protect_followup; total = protect + audit, "
        "target <= 10 s at 357):"
    )
    print(
        f"{'depts':>6s} {'linked':>6s} {'records':>8s} {'protect s':>10s} {'cpu':>6s} {'audits':>6s} {'LPs':>6s} "
        f"{'hidden':>7s} {'audit s':>8s} {'cpu':>6s} {'LPs':>5s} {'checked':>8s} {'solved':>7s} {'discl.':>6s} "
        f"{'total s':>8s} {'peak MB':>8s}"
    )
    rows, previous = [], None
    for n, linked in [(n, False) for n in sizes] + ([(LINKED_AT, True)] if capped else []):
        if capped and not linked and previous is not None and previous > CAP:
            print(
                f"{n:6d} {'no':>6s}  skipped: the previous size's protection took {previous:.0f} s (> {CAP:.0f} s); "
                f"run with --departments {n} to measure it",
                flush=True,
            )
            continue
        r = _in_subprocess(n, linked)
        rows.append({"what": "synthetic", **r})
        previous = r["protect_s"] if not linked else previous
        print(
            f"{n:6d} {'yes' if linked else 'no':>6s} {r['records']:8d} {r['protect_s']:10.2f} {r['protect_cpu']:6.2f} "
            f"{r['protect_audits']:6d} {r['protect_lps']:6d} {r['hidden']:7d} {r['audit_s']:8.2f} "
            f"{r['audit_cpu']:6.2f} {r['audit_lps']:5d} {r['audit_checked']:8d} {r['audit_solved']:7d} "
            f"{r['audit_disclosed']:6d} {r['protect_s'] + r['audit_s']:8.2f} {r['peak_mb']:8.0f}",
            flush=True,
        )
    return rows


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    """Measure the demo and the ladder of national sizes; print a table; return the rows."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--departments", type=int, nargs="*", help=f"sizes to measure, uncapped (default: {LADDER}, capped)"
    )
    parser.add_argument("--demo", action="store_true", help="measure the demo only")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process, as JSON
    parser.add_argument("--linked", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args([] if argv is None else argv)
    if args.one:
        row = measure_size(args.one, args.linked)
        print(json.dumps(row))
        return [row]
    demo = measure_demo()
    _print_demo(demo)
    rows: list[dict[str, Any]] = [{"what": "demo", **demo}]
    if not args.demo:
        rows += _ladder(args.departments or list(LADDER), capped=not args.departments)
    return rows


if __name__ == "__main__":
    main(sys.argv[1:])
