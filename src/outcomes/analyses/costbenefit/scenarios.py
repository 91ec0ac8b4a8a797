"""Scenarios beside the central estimate: the sources' claims reproduced, and optimism bias by rating.

A scenario is the base case with some assumptions set to other values
(``set`` in the registry) and, where it reproduces a claim, one more value
solved so that the society ratio equals the claim (``calibrate``): that value
is *calibrated*, and every table that shows it says so. The optimism-bias
scenario cuts each value stream by the haircuts of its inputs' quality
ratings and raises each cost line by its own (HM Treasury 2014 / GMCA).
Pure functions over a prepared model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from outcomes.analyses.costbenefit.evaluation import evaluate
from outcomes.analyses.costbenefit.model import CostBenefitModel
from outcomes.core.errors import ConfigError
from outcomes.registries.assumptions import SHARE_UNITS, Scenario

#: Cost lines of the optimism-bias scenario, by the multiplier key :func:`~outcomes.analyses.costbenefit.evaluation.yearly_parts` takes.
COST_LINES: dict[str, str] = {
    "upper_secondary_place_cost": "school_places",
    "participant_cost_per_participant": "participant_costs",
    "induced_nav_cost_per_participant": "induced",
    "induced_health_cost_per_participant": "induced",
}
_ORDER = {"green": 0, "amber": 1, "red": 2}


def _worst(model: CostBenefitModel, ids: list[str]) -> str:
    """The weakest quality rating among ``ids`` (red before amber before green)."""
    ratings = [model.assumptions[i].quality for i in ids] or ["green"]
    return max(ratings, key=_ORDER.__getitem__)


def optimism_bias(model: CostBenefitModel) -> tuple[dict[str, float], pd.DataFrame]:
    """The optimism-bias multipliers and the table that explains them.

    Each value stream keeps ``(1 - h_effect) * (1 - h_value)``, where ``h`` is
    the haircut (``optimism_bias.rates``) of the weakest quality rating of the
    stream's ``effect`` and ``value`` inputs; each cost line grows by
    ``1 + h`` of its own input's rating, the ledger by that of
    ``ledger_rating``.

    Returns
    -------
    tuple
        The multipliers for :func:`~outcomes.analyses.costbenefit.evaluation.evaluate`
        (``bias``), and one row per element: ``element``, ``kind``
        (``benefit`` or ``cost``), ``inputs``, ``rating``, ``haircut`` (share)
        and ``multiplier``. Empty without an ``optimism_bias`` block.
    """
    block = model.registry.optimism_bias
    if block is None:
        return {}, pd.DataFrame(columns=["element", "kind", "inputs", "rating", "haircut", "multiplier"])
    rate: dict[str, float] = {str(rating): model.assumptions[i].value for rating, i in block.rates.items()}
    rows: list[dict[str, Any]] = []
    bias: dict[str, float] = {}
    for stream, groups in block.benefits.items():
        multiplier = 1.0
        for group, ids in groups.items():
            rating = _worst(model, ids)
            multiplier *= 1.0 - rate[rating]
            rows.append(_row(f"{stream}_{group}", "benefit", ids, rating, rate[rating], 1.0 - rate[rating]))
        bias[stream] = multiplier
    rows.append(
        _row("ledger", "cost", [], block.ledger_rating, rate[block.ledger_rating], 1.0 + rate[block.ledger_rating])
    )
    bias["ledger"] = 1.0 + rate[block.ledger_rating]
    for item in block.costs:
        line = COST_LINES.get(item)
        if line is None:
            raise ConfigError(
                f"optimism_bias.costs names {item!r}, which is not a cost line of the model.",
                file=model.registry.source_file,
                column="optimism_bias",
                expected="ids of " + ", ".join(COST_LINES),
            )
        rating = model.assumptions[item].quality
        bias[line] = max(bias.get(line, 1.0), 1.0 + rate[rating])
        rows.append(_row(item, "cost", [item], rating, rate[rating], 1.0 + rate[rating]))
    return bias, pd.DataFrame(rows)


def _row(element: str, kind: str, ids: list[str], rating: str, haircut: float, multiplier: float) -> dict[str, Any]:
    """One row of the optimism-bias table."""
    return {
        "element": element,
        "kind": kind,
        "inputs": ", ".join(ids),
        "rating": rating,
        "haircut": haircut,
        "multiplier": multiplier,
    }


def _with(model: CostBenefitModel, values: Mapping[str, float], n: int = 1) -> dict[str, np.ndarray]:
    """Base parameters (``n`` sets) with ``values`` set."""
    params = model.base_parameters(n)
    for key, value in values.items():
        if key not in params:
            model.registry.get(key)  # unknown ids raise a ConfigError with suggestions
        params[key] = np.full(n, float(value))
    return params


def calibrate(
    model: CostBenefitModel, ids: list[str], target_ratio: float, values: Mapping[str, float] | None = None
) -> float | None:
    """The one value that, given to every assumption of ``ids``, makes the society ratio ``target_ratio``.

    Searches each id's natural range (0-1 for shares, 0-200 years, 0 up to
    1000 times the value for money) on a grid and refines the crossing
    nearest the first id's value by bisection; ``values`` are set first.
    None when no value in the range reaches the target.
    """
    item = model.assumptions[ids[0]]
    high = 1.0 if item.unit in SHARE_UNITS else 200.0 if item.unit == "years" else 1000.0 * max(item.value, 1.0)
    grid = np.linspace(0.0, high, 2001)

    def gap(xs: np.ndarray) -> np.ndarray:
        params = _with(model, values or {}, len(xs))
        for i in ids:
            params[i] = xs
        return evaluate(model, params)["society_bcr"] - target_ratio

    diff = gap(grid)
    crossings = np.flatnonzero(np.sign(diff[:-1]) * np.sign(diff[1:]) <= 0)
    if crossings.size == 0:
        return None
    k = crossings[np.argmin(np.abs(grid[crossings] - item.value))]
    lo, hi, f_lo = grid[k], grid[k + 1], diff[k]
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        f_mid = float(gap(np.array([mid]))[0])
        if np.sign(f_mid) == np.sign(f_lo):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    return float(0.5 * (lo + hi))


def run_scenario(model: CostBenefitModel, scenario: Scenario) -> dict[str, Any]:
    """One registry scenario: its values (and calibrated value), ratio, NPV and what differs from the base case."""
    values = dict(scenario.set)
    calibrated: dict[str, float] = {}
    if scenario.calibrate is not None:
        solved = calibrate(model, scenario.calibrate.ids, scenario.calibrate.target_ratio, values)
        if solved is not None:
            calibrated = {i: solved for i in scenario.calibrate.ids}
    out = evaluate(model, _with(model, values | calibrated))
    base = model.registry.values()
    return {
        "scenario": scenario.id,
        "label": scenario.label,
        "label_nb": scenario.label_nb,
        "claim": scenario.claim,
        "source": scenario.source.cite(),
        "bcr": float(out["society_bcr"][0]),
        "npv_nok": float(out["society_npv"][0]),
        "target_ratio": scenario.calibrate.target_ratio if scenario.calibrate else None,
        "changes": [{"id": i, "base": base[i], "scenario": v, "calibrated": False} for i, v in values.items()]
        + [{"id": i, "base": base[i], "scenario": v, "calibrated": True} for i, v in calibrated.items()],
        "calibrated": sorted(calibrated),
        "reached": scenario.calibrate is None or bool(calibrated),
        "note": scenario.note,
        "note_nb": scenario.note_nb,
    }


def scenario_table(model: CostBenefitModel) -> list[dict[str, Any]]:
    """Every registry scenario, then optimism bias by rating, as rows (see :func:`run_scenario`)."""
    rows = [run_scenario(model, s) for s in model.registry.scenarios]
    bias, _ = optimism_bias(model)
    if bias:
        out = evaluate(model, model.base_parameters(), bias=bias)
        rows.append(
            {
                "scenario": "optimism_bias",
                "label": "Optimism bias by rating (red, amber, green)",
                "label_nb": "Optimismefeil etter vurdering (rød, gul, grønn)",
                "claim": None,
                "source": "HM Treasury (2014) / GMCA",
                "bcr": float(out["society_bcr"][0]),
                "npv_nok": float(out["society_npv"][0]),
                "target_ratio": None,
                "changes": [{"id": k, "base": 1.0, "scenario": v, "calibrated": False} for k, v in bias.items()],
                "calibrated": [],
                "reached": True,
                "note": None,
                "note_nb": None,
            }
        )
    return rows
