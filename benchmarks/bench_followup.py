"""Follow-up rates at national scale: 1 million synthetic records.

Prints wall time of :func:`outcomes.analyses.followup.rates.followup_rates` (all years, by
department) plus disclosure control, the time to check a 1-million-row CSV
through the full intake beside its floor (pyarrow's bare ``read_csv`` of the
same file, measured in the same run) and their ratio, and the peak memory of
each (:mod:`memory`); then the intake as the CLI runs it (the processed table written,
into a scratch project) and the same input read back from that table. Every
measurement runs in a fresh process, so one does not inflate another's memory;
the CSV is written by the parent process. No assertions: figures only.

Run: ``.venv/bin/python benchmarks/bench_followup.py`` (or ``make bench``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import smoke
from memory import peak_mb

N = smoke.size(1_000_000, 3_000)
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
#: Fresh processes per intake measurement (and per floor); the best time is shown.
REPEATS = smoke.size(3, 1)


def synthetic(n: int = N, seed: int = 1):  # type: ignore[no-untyped-def]
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "participant_id": pd.array([f"P{i:07d}" for i in range(n)], dtype="string"),
            "department": pd.Categorical(rng.choice([f"Kommune {k:03d}" for k in range(357)], size=n)),
            "followup_year": rng.integers(2011, 2026, size=n),
            "status": pd.Categorical(rng.choice(STATUSES, size=n, p=PROBS)),
        }
    )


def measure_rates() -> dict[str, float]:
    from outcomes.analyses.followup.rates import followup_rates, publishable_rates
    from outcomes.core.paths import config_dir
    from outcomes.registries.statuses import load_status_map

    groups = load_status_map(config_dir() / "status_map.yml").group_members()
    records = synthetic()
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        rates = publishable_rates(followup_rates(records, groups, by_department=True))
        best = min(best, time.perf_counter() - start)
    peak = peak_mb()
    return {"seconds": best, "peak_mb": peak, "rows_out": len(rates)}


def _warm_up_intake() -> None:
    """One intake of a two-row file, so imports (pandas, pyarrow, pandera) are not timed."""
    from outcomes.core.paths import config_dir
    from outcomes.inputs.intake import intake_file
    from outcomes.registries.statuses import load_status_map

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "warm.csv"
        path.write_text("participant_id,department,followup_year,status\nP1,A,2020,work\nP2,B,2021,work\n")
        intake_file(path, "followup", status_map=load_status_map(config_dir() / "status_map.yml"), write=False)


def measure_intake(path: str) -> dict[str, float]:
    """The intake of ``path`` (read, identity check, contract; nothing written), warm, in this process."""
    from outcomes.core.paths import config_dir
    from outcomes.inputs.intake import intake_file
    from outcomes.registries.statuses import load_status_map

    _warm_up_intake()
    status_map = load_status_map(config_dir() / "status_map.yml")
    start = time.perf_counter()
    result = intake_file(Path(path), "followup", status_map=status_map, write=False, use_cache=False)
    seconds = time.perf_counter() - start
    peak = peak_mb()
    return {"seconds": seconds, "peak_mb": peak, "rows_out": result.summary.rows_accepted}


def measure_arrow_read(path: str) -> dict[str, float]:
    """The floor: ``pyarrow.csv.read_csv`` of ``path`` with its defaults, warm (pyarrow imported, one small read)."""
    import pyarrow.csv as pacsv

    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm.csv"
        warm.write_text("a,b\n1,2\n")
        pacsv.read_csv(warm)
    start = time.perf_counter()
    table = pacsv.read_csv(path)
    seconds = time.perf_counter() - start
    peak = peak_mb()
    return {"seconds": seconds, "peak_mb": peak, "rows_out": table.num_rows}


def measure_stored(path: str) -> dict[str, float]:
    """The intake as the CLI runs it: checked and stored (processed table, manifest), then read back unchanged.

    Run with ``OUTCOMES_ROOT`` set to a scratch project (see :func:`main`), so
    nothing is written into this one.
    """
    from outcomes.core.paths import config_dir
    from outcomes.inputs.intake import intake_file
    from outcomes.registries.statuses import load_status_map

    _warm_up_intake()
    status_map = load_status_map(config_dir() / "status_map.yml")
    start = time.perf_counter()
    intake_file(Path(path), "followup", status_map=status_map, programme="bench", use_cache=False)
    stored = time.perf_counter() - start
    start = time.perf_counter()
    again = intake_file(Path(path), "followup", status_map=status_map, programme="bench")
    if not again.from_cache:
        raise AssertionError("the unchanged input was not read back from its processed table")
    return {"seconds": stored, "cached_seconds": time.perf_counter() - start}


def _in_subprocess(name: str, *args: str, env: dict[str, str] | None = None) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, name, *args], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout)


def _scratch_project(folder: Path) -> dict[str, str]:
    """An environment whose project root is ``folder``: this project's configuration, nothing processed yet."""
    from outcomes.core.paths import config_dir

    (folder / "config").symlink_to(config_dir())
    return {**os.environ, "OUTCOMES_ROOT": str(folder)}


def main() -> list[dict[str, object]]:
    """Run the measurements, each in a fresh process, print a table, return the rows.

    The intake is measured beside its floor, pyarrow's bare ``read_csv`` of the
    same file, in the same run; both take the best of :data:`REPEATS` fresh
    processes, and the peak memory (max RSS) is that of the intake's process.
    """
    rows: list[dict[str, object]] = [
        {"benchmark": "follow-up rates + suppression, 1M records", **_in_subprocess("rates")}
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "followup_1m.csv"
        records = synthetic()
        records.to_csv(path, index=False)
        # The same records with three years unreadable: most real files have a few rows to reject.
        rejecting = Path(tmp) / "followup_1m_rejects.csv"
        years = records["followup_year"].astype(str)
        years.iloc[[0, len(years) // 2, len(years) - 1]] = "20x5"
        records.assign(followup_year=years).to_csv(rejecting, index=False)
        intake = [_in_subprocess("intake", str(path)) for _ in range(REPEATS)]
        with_rejects = [_in_subprocess("intake", str(rejecting)) for _ in range(REPEATS)]
        floor = [_in_subprocess("arrow_read", str(path)) for _ in range(REPEATS)]
        stored = []
        for repeat in range(REPEATS):
            (Path(tmp) / f"project{repeat}").mkdir()
            env = _scratch_project(Path(tmp) / f"project{repeat}")
            stored.append(_in_subprocess("stored", str(path), env=env))
    best = min(intake, key=lambda r: r["seconds"])
    best_floor = min(floor, key=lambda r: r["seconds"])
    rows.append(
        {
            "benchmark": "intake (read + identity check + contract), 1M-row CSV",
            **best,
            "peak_mb": max(r["peak_mb"] for r in intake),
        }
    )
    rows.append({"benchmark": "  floor: pyarrow.csv.read_csv of the same file", **best_floor})
    rows.append(
        {
            "benchmark": "  the same file with three rows to reject",
            **min(with_rejects, key=lambda r: r["seconds"]),
            "peak_mb": max(r["peak_mb"] for r in with_rejects),
        }
    )
    rows.append(
        {"benchmark": "intake and store (as the CLI runs it), 1M-row CSV", "seconds": min(r["seconds"] for r in stored)}
    )
    rows.append(
        {
            "benchmark": "  the same input again, read back from its stored table",
            "seconds": min(r["cached_seconds"] for r in stored),
        }
    )
    print(f"{'benchmark':58s} {'seconds':>8s} {'peak MB':>8s}")
    for row in rows:
        peak = f"{row['peak_mb']:8.0f}" if "peak_mb" in row else f"{'':8s}"
        print(f"{row['benchmark']:58s} {row['seconds']:8.2f} {peak}")
    ratio = float(best["seconds"]) / float(best_floor["seconds"])
    print(f"intake / floor: {ratio:.2f} (target <= 2; intake target <= 1.0 s and <= 400 MB peak)")
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1:
        measures = {
            "rates": measure_rates,
            "intake": measure_intake,
            "arrow_read": measure_arrow_read,
            "stored": measure_stored,
        }
        print(json.dumps(measures[sys.argv[1]](*sys.argv[2:])))
    else:
        main()
