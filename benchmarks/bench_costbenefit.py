"""Benchmark: Monte Carlo of the cost-benefit ratio on the demo registry.

Prints, for several numbers of draws, the wall time of the package's
simulation (:func:`outcomes.analyses.costbenefit.simulation.monte_carlo`, drawing every
assumption and evaluating all perspectives) next to a plain NumPy evaluation
of the same society formula on the same draws, and the peak memory of each
(tracemalloc). It checks that both give the same ratios; it asserts nothing
about time. Run: ``.venv/bin/python benchmarks/bench_costbenefit.py``.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from outcomes.analyses.costbenefit import prices
from outcomes.analyses.costbenefit.model import CostBenefitModel, prepare
from outcomes.analyses.costbenefit.model_inputs import load_costs
from outcomes.analyses.costbenefit.simulation import monte_carlo, sample_assumption
from outcomes.registries import assumptions

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 5


def demo_model() -> CostBenefitModel:
    registry = assumptions.load_registry(ROOT / "config" / "assumptions" / "demo.yml")
    ledger = load_costs(ROOT / "data" / "raw" / "demo" / "costs.csv")
    # Published education-or-work rates; 2011-2012 interpolated (see tests/analyses/costbenefit/test_costbenefit.py).
    cohorts = pd.DataFrame(
        {
            "year": range(2011, 2021),
            "participants": [205, 210, 215, 220, 225, 230, 235, 240, 245, 240],
            "rate": [0.763, 0.777, 0.79, 0.85, 0.78, 0.87, 0.83, 0.82, 0.85, 0.87],
        }
    )
    return prepare(registry, ledger, cohorts, prices.load_price_indices(), report_price_year=2024)


def plain_numpy(model: CostBenefitModel, draws: int, seed: int) -> np.ndarray:
    """The society ratio written out directly for the demo's methods (PV per youth, comparison rate)."""
    p = {a.id: sample_assumption(a, draws, seed) for a in model.registry.assumptions}
    duration = int(np.ceil(p["duration_years"].max()))
    t = np.arange(1, duration + 1)
    rate = np.where(
        t <= p["discount_break_1"][:, None],
        p["discount_rate_1"][:, None],
        np.where(t <= p["discount_break_2"][:, None], p["discount_rate_2"][:, None], p["discount_rate_3"][:, None]),
    )
    discount = 1.0 / np.cumprod(1.0 + rate, axis=1)
    active = np.clip(p["duration_years"][:, None] - (t - 1), 0, 1)
    weight = active * (1 - p["drop_off"][:, None]) ** (t - 1)
    annual = (
        p["value_pv_per_youth"]
        * model.money_factors["value_pv_per_youth"]
        / (active / (1 + p["value_pv_discount_rate"][:, None]) ** t).sum(axis=1)
    )
    pv = (weight * discount).sum(axis=1)
    n, r = model.cohorts["participants"].to_numpy(), model.cohorts["rate"].to_numpy()
    extra = (n @ r - p["comparison_rate"] * n.sum()) * (1 - p["attribution"]) * (1 - p["displacement"])
    public = (
        extra
        * (
            p["public_share_of_value"] * annual
            + p["transfers_saved_per_year"] * model.money_factors["transfers_saved_per_year"]
        )
        * pv
    )
    tau = p["tax_financing_cost"] * model.tax_financing
    benefits = extra * annual * pv + tau * public
    costs = model.cost_by_year["total"].sum() + tau * model.cost_by_year["public"].sum()
    return benefits / costs


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
    print("Monte Carlo of the society benefit-cost ratio, demo registry (best of 5 runs)")
    print(
        f"{'draws':>9} | {'package s':>10} | {'plain NumPy s':>13} | {'package peak MB':>15} | {'NumPy peak MB':>13} | {'same ratios':>11}"
    )
    print("-" * 86)
    for draws in (1_000, 10_000, 100_000):
        t_pkg, mem_pkg, sim = measure(monte_carlo, model, draws, seed)
        t_np, mem_np, ratios = measure(plain_numpy, model, draws, seed)
        same = bool(np.allclose(sim.bcr, ratios, rtol=1e-10))
        print(f"{draws:>9,} | {t_pkg:>10.4f} | {t_np:>13.4f} | {mem_pkg:>15.1f} | {mem_np:>13.1f} | {str(same):>11}")
    sim = monte_carlo(model, 10_000, seed)
    q = sim.bcr_percentiles()
    print(
        f"\n10,000 draws: P(benefits > costs) = {sim.p_benefits_exceed_costs:.3f}; "
        f"ratio 5th-95th percentile {q['p5']:.2f}-{q['p95']:.2f} (median {q['p50']:.2f})"
    )


if __name__ == "__main__":
    main()
