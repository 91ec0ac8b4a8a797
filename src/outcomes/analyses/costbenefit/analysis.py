"""The whole analysis: base case, sensitivity, break-even, simulation, non-response, scenarios; and its JSON form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from outcomes.analyses.costbenefit import prices
from outcomes.analyses.costbenefit.base_case import CostBenefitResult, run_model
from outcomes.analyses.costbenefit.evaluation import evaluate
from outcomes.analyses.costbenefit.model import CostBenefitModel
from outcomes.analyses.costbenefit.nonpriced import plus_minus_table
from outcomes.analyses.costbenefit.scenarios import optimism_bias, scenario_table
from outcomes.analyses.costbenefit.sensitivity import break_even, one_way_sensitivity
from outcomes.analyses.costbenefit.simulation import (
    DEFAULT_DRAWS,
    DEFAULT_SEED,
    SimulationResult,
    draw_parameters,
    simulate_with,
)
from outcomes.core.jsonable import jsonable, records

#: The non-response treatments, in the order the headline lists them.
TREATMENTS: tuple[str, ...] = ("respondents", "negative", "positive")


@dataclass(frozen=True)
class CostBenefitAnalysis:
    """Deterministic result, sensitivity, break-even values, simulation, non-response, scenarios.

    ``nonresponse`` holds, per treatment (``respondents``, ``negative``,
    ``positive``), the base-case ratio and the simulated median, 5th and 95th
    percentile and P(benefits > costs), from the same draws; ``treatment`` is
    the one the rest of the analysis uses.
    """

    result: CostBenefitResult
    sensitivity: pd.DataFrame
    break_even: pd.DataFrame
    simulation: SimulationResult | None
    treatment: str = "respondents"
    nonresponse: dict[str, dict[str, Any]] = field(default_factory=dict)
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    optimism_bias: pd.DataFrame = field(default_factory=pd.DataFrame)
    non_priced: pd.DataFrame = field(default_factory=pd.DataFrame)


def analyse(
    model: CostBenefitModel,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    simulate: bool = True,
    treatment: str = "respondents",
    other_cohorts: Mapping[str, pd.DataFrame] | None = None,
) -> CostBenefitAnalysis:
    """Run the model, the one-way sensitivity, the break-even search, the simulation and the scenarios.

    Parameters
    ----------
    model
        From :func:`~outcomes.analyses.costbenefit.model.prepare`, with the
        cohorts of ``treatment``.
    draws, seed
        Simulation settings (see :func:`~outcomes.analyses.costbenefit.simulation.monte_carlo`).
    simulate
        Skip the simulation when False.
    treatment
        The non-response treatment of ``model``'s cohorts.
    other_cohorts
        The cohort tables of the other treatments (same years), for the
        headline's ratio under each.

    Returns
    -------
    CostBenefitAnalysis
        Pass it to :func:`result_to_dict` for JSON.
    """
    params = draw_parameters(model, draws, seed) if simulate else None
    models = {treatment: model} | {t: model.with_cohorts(c) for t, c in (other_cohorts or {}).items()}
    nonresponse, simulation = {}, None
    for name in [t for t in TREATMENTS if t in models] + [t for t in models if t not in TREATMENTS]:
        sim = simulate_with(models[name], params, seed) if params is not None else None
        nonresponse[name] = _treatment_summary(models[name], sim)
        if name == treatment:
            simulation = sim
    _, bias_table = optimism_bias(model)
    return CostBenefitAnalysis(
        result=run_model(model),
        sensitivity=one_way_sensitivity(model),
        break_even=break_even(model),
        simulation=simulation,
        treatment=treatment,
        nonresponse=nonresponse,
        scenarios=scenario_table(model),
        optimism_bias=bias_table,
        non_priced=plus_minus_table(model.registry),
    )


def _treatment_summary(model: CostBenefitModel, sim: SimulationResult | None) -> dict[str, Any]:
    """Base-case ratio and, with a simulation, its median, 90 % range and P(benefits > costs)."""
    base = evaluate(model, model.base_parameters())
    out: dict[str, Any] = {
        "bcr_base_case": jsonable(base["society_bcr"][0]),
        "npv_base_case_nok": float(base["society_npv"][0]),
    }
    if sim is not None:
        q = sim.bcr_percentiles()
        out |= {
            "bcr_median": q["p50"],
            "bcr_p5": q["p5"],
            "bcr_p95": q["p95"],
            "p_benefits_exceed_costs": sim.p_benefits_exceed_costs,
        }
    return out


def _records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    """A table as JSON-ready rows, its named index as the first field."""
    if frame is None or frame.empty:
        return []
    return records(frame.reset_index() if frame.index.name else frame)


def _simulation_dict(sim: SimulationResult | None) -> dict[str, Any] | None:
    """The simulation's draws, seed, P(benefits > costs) and percentiles."""
    if sim is None:
        return None
    return {
        "draws": sim.draws,
        "seed": sim.seed,
        "varied": sim.varied,
        "p_benefits_exceed_costs": sim.p_benefits_exceed_costs,
        "bcr_percentiles": jsonable(sim.bcr_percentiles()),
        "npv_percentiles_nok": jsonable(sim.npv_percentiles()),
        "bcr_mean": jsonable(np.nanmean(sim.bcr)),
    }


def result_to_dict(analysis: CostBenefitAnalysis | CostBenefitResult) -> dict[str, Any]:
    """Every output as JSON-serialisable data (for ``outcomes cba --json``).

    Parameters
    ----------
    analysis
        From :func:`analyse`, or just a :func:`run_model` result.

    Returns
    -------
    dict
        ``programme``, ``money`` (unit label, price year, comparison year,
        index and the status of each index value used), ``method``,
        ``perspectives``, ``payers``, ``streams``, ``cohorts``, ``flows``,
        ``waterfall``, ``sensitivity``, ``break_even``, ``simulation``,
        ``nonresponse``, ``scenarios``, ``optimism_bias``, ``non_priced``,
        ``residual_value_nok`` and ``overrides``. Money values are NOK in the
        report price year, present value at the comparison year (keys ending
        ``_nok``); ratios are kroner back per krone; shares are 0-1. NaN
        becomes null.
    """
    if isinstance(analysis, CostBenefitResult):
        analysis = CostBenefitAnalysis(
            result=analysis, sensitivity=pd.DataFrame(), break_even=pd.DataFrame(), simulation=None
        )
    result = analysis.result
    return {
        "programme": result.programme,
        "money": {
            "unit": prices.price_label(result.report_price_year, result.price_index),  # type: ignore[arg-type]
            "price_year": result.report_price_year,
            "comparison_year": result.comparison_year,
            "price_index": result.price_index,
            "index_status": {str(k): v for k, v in result.index_status.items()},
        },
        "method": {
            "value_method": result.value_method,
            "tax_financing": result.tax_financing,
            "tax_financing_rate": result.tax_financing_rate,
            "discounting": f"every cohort to the comparison year {result.comparison_year} "
            "(earlier years compounded at the first step's rate)",
            "analysis_period": list(result.analysis_period),
            "ratio": "kroner back per krone (PV benefits / PV costs)",
        },
        "additional_youths": jsonable(result.additional_youths),
        "yearly_value_per_youth_nok": jsonable(result.yearly_value_per_youth),
        "residual_value_nok": jsonable(result.residual_value_nok),
        "perspectives": _records(result.perspectives),
        "payers": _records(result.payers),
        "streams": _records(result.streams),
        "cohorts": _records(result.cohorts),
        "flows": _records(result.flows),
        "waterfall": _records(result.waterfall),
        "sensitivity": _records(analysis.sensitivity),
        # The rows keep their English note; note_code is for pages that translate it.
        "break_even": _records(analysis.break_even.drop(columns=["note_code"], errors="ignore")),
        "simulation": _simulation_dict(analysis.simulation),
        "nonresponse": jsonable(analysis.nonresponse),
        "scenarios": jsonable(analysis.scenarios),
        "optimism_bias": _records(analysis.optimism_bias),
        "non_priced": _records(analysis.non_priced),
        "overrides": jsonable(result.overrides),
    }
