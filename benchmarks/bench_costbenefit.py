"""Benchmark: Monte Carlo of the cost-benefit ratio on the demo registry.

Prints, for several numbers of draws, the wall time of the package's
simulation (:func:`outcomes.analyses.costbenefit.simulation.monte_carlo`: every
assumption drawn, every stream, perspective and payer evaluated) beside its
floor, drawing the assumptions alone
(:func:`~outcomes.analyses.costbenefit.simulation.draw_parameters`), and the peak
memory of each (tracemalloc). The model's formulas are checked against hand
calculations in ``tests/analyses/costbenefit``, not here; this asserts nothing
about time. Run: ``.venv/bin/python benchmarks/bench_costbenefit.py``.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pandas as pd
import smoke

from outcomes.analyses.costbenefit import prices
from outcomes.analyses.costbenefit.model import CostBenefitModel, prepare
from outcomes.analyses.costbenefit.model_inputs import load_costs
from outcomes.analyses.costbenefit.simulation import draw_parameters, monte_carlo
from outcomes.registries import assumptions

ROOT = Path(__file__).resolve().parents[1]
REPEATS = smoke.size(5, 1)
#: Numbers of draws measured.
DRAWS = smoke.size((1_000, 10_000, 100_000), (100,))


def demo_model() -> CostBenefitModel:
    """The demo registry and cost ledger with the published rates of the seed programme's results slide.

    Education or work and education by cohort, work the difference; 2011 and 2012 are
    not published and are interpolated (as in ``tests/analyses/costbenefit/test_costbenefit.py``).
    """
    registry = assumptions.load_registry(ROOT / "config" / "assumptions" / "demo.yml")
    ledger = load_costs(ROOT / "data" / "raw" / "demo" / "costs.csv")
    either = [0.763, 0.777, 0.79, 0.85, 0.78, 0.87, 0.83, 0.82, 0.85, 0.87]
    education = [0.693, 0.697, 0.70, 0.78, 0.71, 0.73, 0.73, 0.69, 0.66, 0.77]
    cohorts = pd.DataFrame(
        {
            "year": range(2011, 2021),
            "participants": [205, 210, 215, 220, 225, 230, 235, 240, 245, 240],
            "rate_work": [e - d for e, d in zip(either, education, strict=True)],
            "rate_education": education,
        }
    )
    return prepare(registry, ledger, cohorts, prices.load_price_indices(), report_price_year=2024)


def measure(func, *args) -> tuple[float, float, object]:
    """Best wall time of REPEATS runs (s) and peak traced memory of one run (MB)."""
    best = float("inf")
    result = None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = func(*args)
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    func(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 1e6, result


def main() -> None:
    model = demo_model()
    seed = 20240101
    print(f"Monte Carlo of the society benefit-cost ratio, demo registry (best of {REPEATS} runs)")
    print(
        f"{'draws':>9} | {'simulation s':>12} | {'draws only s':>12} | {'simulation peak MB':>18} | {'draws peak MB':>13}"
    )
    print("-" * 78)
    for draws in DRAWS:
        t_sim, mem_sim, _ = measure(monte_carlo, model, draws, seed)
        t_draw, mem_draw, _ = measure(draw_parameters, model, draws, seed)
        print(f"{draws:>9,} | {t_sim:>12.4f} | {t_draw:>12.4f} | {mem_sim:>18.1f} | {mem_draw:>13.1f}")
    sim = monte_carlo(model, 10_000, seed)
    q = sim.bcr_percentiles()
    print(
        f"\n10,000 draws: P(benefits > costs) = {sim.p_benefits_exceed_costs:.3f}; "
        f"ratio 5th-95th percentile {q['p5']:.2f}-{q['p95']:.2f} (median {q['p50']:.2f})"
    )


if __name__ == "__main__":
    main()
