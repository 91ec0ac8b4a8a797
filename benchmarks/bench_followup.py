"""Follow-up rates at national scale: 1 million synthetic records.

Prints wall time of :func:`outcomes.analyses.followup.rates.followup_rates` (all years, by
department) plus disclosure control, the time to check a 1-million-row CSV
through the full intake, and the peak memory (max RSS) of each, measured in a
fresh process so one does not inflate the other. No assertions: figures only.

Run: ``.venv/bin/python benchmarks/bench_followup.py`` (or ``make bench``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

N = 1_000_000
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
    import resource

    from outcomes.analyses.followup.rates import followup_rates, publishable_rates
    from outcomes.core.paths import config_dir
    from outcomes.registries.statuses import load_status_map

    groups = load_status_map(config_dir() / "status_map.yml").group_members()
    records = synthetic()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        rates = publishable_rates(followup_rates(records, groups, by_department=True))
        best = min(best, time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": best, "peak_mb": peak, "rows_out": len(rates)}


def measure_intake() -> dict[str, float]:
    import resource

    from outcomes.core.paths import config_dir
    from outcomes.inputs.intake import intake_file
    from outcomes.registries.statuses import load_status_map

    status_map = load_status_map(config_dir() / "status_map.yml")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "followup_1m.csv"
        synthetic().to_csv(path, index=False)
        start = time.perf_counter()
        result = intake_file(path, "followup", status_map=status_map, write=False, use_cache=False)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak, "rows_out": result.summary.rows_accepted}


def _in_subprocess(name: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, name], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> list[dict[str, object]]:
    """Run both measurements, print a table, return the rows."""
    rows = []
    for name, label in (
        ("rates", "follow-up rates + suppression, 1M records"),
        ("intake", "intake (read + identity check + contract), 1M-row CSV"),
    ):
        result = _in_subprocess(name)
        rows.append({"benchmark": label, **result})
    print(f"{'benchmark':58s} {'seconds':>8s} {'peak MB':>8s}")
    for row in rows:
        print(f"{row['benchmark']:58s} {row['seconds']:8.2f} {row['peak_mb']:8.0f}")
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(json.dumps({"rates": measure_rates, "intake": measure_intake}[sys.argv[1]]()))
    else:
        main()
