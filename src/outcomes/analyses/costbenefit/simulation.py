"""Monte Carlo simulation: every assumption with a distribution drawn at once, the society ratio evaluated per draw.

Reproducible: each assumption draws from its own stream, seeded by the
simulation seed and the assumption's id.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from outcomes.analyses.costbenefit.evaluation import evaluate
from outcomes.analyses.costbenefit.model import CostBenefitModel
from outcomes.core.errors import ConfigError
from outcomes.registries.assumptions import SHARE_UNITS, Assumption

#: Default seed of the simulation (the run configuration normally sets one).
DEFAULT_SEED = 20240101
DEFAULT_DRAWS = 10_000


@dataclass(frozen=True)
class SimulationResult:
    """Monte Carlo result for the society perspective (money: NOK, report prices)."""

    draws: int
    seed: int
    varied: list[str]
    bcr: np.ndarray = field(repr=False)
    npv: np.ndarray = field(repr=False)

    @property
    def p_benefits_exceed_costs(self) -> float:
        """Share (0-1) of draws with NPV > 0."""
        return float(np.mean(self.npv > 0))

    def bcr_percentiles(self, levels: Sequence[float] = (5, 50, 95)) -> dict[str, float]:
        """Percentiles of the ratio, keyed ``p5``, ``p50``, ``p95``."""
        return {f"p{level:g}": float(np.nanpercentile(self.bcr, level)) for level in levels}

    def npv_percentiles(self, levels: Sequence[float] = (5, 50, 95)) -> dict[str, float]:
        """Percentiles of the NPV (NOK), keyed ``p5``, ``p50``, ``p95``."""
        return {f"p{level:g}": float(np.nanpercentile(self.npv, level)) for level in levels}


def _natural_bounds(item: Assumption) -> tuple[float, float]:
    return (0.0, 1.0) if item.unit in SHARE_UNITS else (0.0, math.inf)


def sample_assumption(item: Assumption, draws: int, seed: int) -> np.ndarray:
    """Draws of one assumption from its distribution.

    Parameters
    ----------
    item
        The assumption; without a distribution (or with ``low == high``) it is
        held at its value.
    draws
        Number of draws.
    seed
        Simulation seed. Each assumption gets its own stream, derived from the
        seed and its id, so adding or removing another assumption does not
        change its draws.

    Returns
    -------
    numpy.ndarray
        ``draws`` values in the assumption's own unit and price year.
    """
    if item.distribution is None or not item.varies:
        return np.full(draws, item.value)
    rng = np.random.default_rng([int(seed), zlib.crc32(item.id.encode("utf-8"))])
    lo, mode, hi = item.low, item.value, item.high
    kind = item.distribution.kind
    if kind == "uniform":
        values = rng.uniform(lo, hi, draws)
    elif kind == "triangular":
        values = rng.triangular(lo, mode, hi, draws)
    elif kind == "pert":
        span = hi - lo
        alpha = 1.0 + 4.0 * (mode - lo) / span
        beta = 1.0 + 4.0 * (hi - mode) / span
        values = lo + span * rng.beta(alpha, beta, draws)
    else:  # normal: low and high are the 5th and 95th percentiles unless sd is given
        sd = item.distribution.sd or (hi - lo) / (2.0 * 1.6448536269514722)
        values = rng.normal(mode, sd, draws)
    floor, ceiling = _natural_bounds(item)
    return np.clip(values, floor, ceiling)


def draw_parameters(
    model: CostBenefitModel, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED
) -> dict[str, np.ndarray]:
    """Every assumption drawn ``draws`` times (each from its own seeded stream; fixed ones at their value).

    Raises
    ------
    ConfigError
        If ``draws`` < 1 or ``seed`` is negative.
    """
    if draws < 1:
        raise ConfigError(f"The simulation needs at least 1 draw, found {draws}.", column="draws")
    if seed < 0:
        raise ConfigError(f"The seed must be 0 or more, found {seed}.", column="seed")
    return {a.id: sample_assumption(a, draws, seed) for a in model.registry.assumptions}


def simulate_with(model: CostBenefitModel, params: dict[str, np.ndarray], seed: int) -> SimulationResult:
    """The society ratio and NPV of ``model`` for drawn parameters (see :func:`draw_parameters`).

    The same draws give every non-response treatment's model its result, so
    their differences come from the cohorts alone.
    """
    out = evaluate(model, params)
    varied = [a.id for a in model.registry.assumptions if a.distribution is not None and a.varies]
    draws = len(next(iter(params.values())))
    return SimulationResult(draws=draws, seed=int(seed), varied=varied, bcr=out["society_bcr"], npv=out["society_npv"])


def monte_carlo(model: CostBenefitModel, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> SimulationResult:
    """Simulate the society ratio with every assumption drawn from its distribution.

    Parameters
    ----------
    model
        From :func:`~outcomes.analyses.costbenefit.model.prepare`.
    draws
        Number of draws (10,000 by default).
    seed
        Seed (non-negative integer); the same seed gives the same draws.

    Returns
    -------
    SimulationResult
        Ratio and NPV of every draw, P(benefits > costs) and percentiles.

    Raises
    ------
    ConfigError
        If ``draws`` < 1 or ``seed`` is negative.
    """
    return simulate_with(model, draw_parameters(model, draws, seed), seed)
