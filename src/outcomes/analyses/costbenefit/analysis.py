"""The whole analysis: base case, one-way sensitivity, break-even values and simulation, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from outcomes.analyses.costbenefit import prices
from outcomes.analyses.costbenefit.base_case import CostBenefitResult, run_model
from outcomes.analyses.costbenefit.model import CostBenefitModel
from outcomes.analyses.costbenefit.sensitivity import break_even, one_way_sensitivity
from outcomes.analyses.costbenefit.simulation import DEFAULT_DRAWS, DEFAULT_SEED, SimulationResult, monte_carlo
from outcomes.core.jsonable import jsonable


@dataclass(frozen=True)
class CostBenefitAnalysis:
    """Deterministic result, sensitivity, break-even values and simulation."""

    result: CostBenefitResult
    sensitivity: pd.DataFrame
    break_even: pd.DataFrame
    simulation: SimulationResult | None


def analyse(
    model: CostBenefitModel, *, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED, simulate: bool = True
) -> CostBenefitAnalysis:
    """Run the model, the one-way sensitivity, the break-even search and the simulation.

    Parameters
    ----------
    model
        From :func:`~outcomes.analyses.costbenefit.model.prepare`.
    draws, seed
        Simulation settings (see :func:`monte_carlo`).
    simulate
        Skip the simulation when False.

    Returns
    -------
    CostBenefitAnalysis
        Pass it to :func:`result_to_dict` for JSON.
    """
    return CostBenefitAnalysis(
        result=run_model(model),
        sensitivity=one_way_sensitivity(model),
        break_even=break_even(model),
        simulation=monte_carlo(model, draws, seed) if simulate else None,
    )


def _records(frame: pd.DataFrame, index_name: str | None = None) -> list[dict[str, Any]]:
    """A table as JSON-ready rows, its named index as the first field."""
    if frame is None or frame.empty:
        return []
    table = frame.reset_index() if index_name or frame.index.name else frame
    return [{str(k): jsonable(v) for k, v in row.items()} for row in table.to_dict(orient="records")]


def result_to_dict(analysis: CostBenefitAnalysis | CostBenefitResult) -> dict[str, Any]:
    """Every output as JSON-serialisable data (for ``outcomes cba --json``).

    Parameters
    ----------
    analysis
        From :func:`analyse`, or just a :func:`run_model` result.

    Returns
    -------
    dict
        ``programme``, ``money`` (unit label with the price year and index, and
        the status of each index value used), ``method``, ``headline``
        (society), ``perspectives``, ``public_by_payer``, ``cohorts``,
        ``flows``, ``waterfall``, ``sensitivity``, ``break_even``,
        ``simulation`` and ``overrides``. Money values are NOK in the report
        price year (keys ending ``_nok``); ratios are kroner back per krone;
        rates and shares are 0-1. NaN becomes null.
    """
    if isinstance(analysis, CostBenefitResult):
        analysis = CostBenefitAnalysis(
            result=analysis, sensitivity=pd.DataFrame(), break_even=pd.DataFrame(), simulation=None
        )
    result = analysis.result
    label = prices.price_label(result.report_price_year, result.price_index)  # type: ignore[arg-type]
    simulation = None
    if analysis.simulation is not None:
        sim = analysis.simulation
        simulation = {
            "draws": sim.draws,
            "seed": sim.seed,
            "varied": sim.varied,
            "p_benefits_exceed_costs": sim.p_benefits_exceed_costs,
            "bcr_percentiles": jsonable(sim.bcr_percentiles()),
            "npv_percentiles_nok": jsonable(sim.npv_percentiles()),
            "bcr_mean": jsonable(np.nanmean(sim.bcr)),
        }
    return {
        "programme": result.programme,
        "money": {
            "unit": label,
            "price_year": result.report_price_year,
            "price_index": result.price_index,
            "index_status": {str(k): v for k, v in result.index_status.items()},
        },
        "method": {
            "counterfactual": result.counterfactual,
            "value_method": result.value_method,
            "tax_financing": result.tax_financing,
            "tax_financing_rate": result.tax_financing_rate,
            "discounting": "each cohort to its own programme year (year 0, costs undiscounted; benefits from year 1)",
            "ratio": "kroner back per krone (PV benefits / PV costs)",
        },
        "headline": {**result.headline("society"), "unit": label},
        "additional_youths": jsonable(result.additional_youths),
        "yearly_value_per_youth_nok": jsonable(result.yearly_value_per_youth),
        "pv_per_additional_youth_nok": jsonable(result.pv_per_additional_youth),
        "perspectives": _records(result.perspectives),
        "public_by_payer": _records(result.public_by_payer),
        "cohorts": _records(result.cohorts),
        "flows": _records(result.flows),
        "waterfall": _records(result.waterfall),
        "sensitivity": _records(analysis.sensitivity),
        # The rows keep their English note; note_code is for pages that translate it.
        "break_even": _records(analysis.break_even.drop(columns=["note_code"], errors="ignore")),
        "simulation": simulation,
        "overrides": jsonable(result.overrides),
    }
