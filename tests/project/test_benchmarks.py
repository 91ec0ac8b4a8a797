"""``make bench`` works: every benchmark runs to its end, at its smallest (``benchmarks/smoke.py``).

The figures of a smoke run mean nothing and are not looked at; what this shows
is that no benchmark has fallen behind the code it measures (the cost-benefit
benchmark once did, for a whole round, unnoticed).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, make_project


def test_every_benchmark_runs_to_its_end(tmp_path: Path) -> None:
    # A private project: what the benchmarks render or store (the demo bundle the audit reads) goes there.
    project = make_project(tmp_path / "project")
    env = {**os.environ, "OUTCOMES_BENCH_SMOKE": "1", "OUTCOMES_ROOT": str(project)}
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=600,
    )
    # A benchmark that fails makes run.py exit 1 and print its traceback. Tracebacks alone say nothing: a kernel
    # of the report benchmark may log one of its own as it is shut down ("Socket operation on non-socket").
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    for bench in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        assert f"== {bench.name} ==" in run.stdout
        assert f"({bench.name}: " in run.stdout  # it printed its figures and ended
    assert list((project / "reports").rglob("summary.json"))  # the disclosure benchmark rendered the demo here
