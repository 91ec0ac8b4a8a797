"""The base case: the model with every assumption at its value, in all its tables.

Money is NOK in the report price year, present value at each cohort's
programme year, summed over cohorts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from outcomes.analyses.costbenefit.evaluation import additional_youths, evaluate
from outcomes.analyses.costbenefit.model import PAYER_SHARE_IDS, PUBLIC_PAYERS, CostBenefitModel
from outcomes.core.jsonable import jsonable


@dataclass(frozen=True)
class CostBenefitResult:
    """Deterministic result: every assumption at its value.

    Money is NOK in ``report_price_year`` prices, present value at each
    cohort's programme year, summed over cohorts.
    """

    programme: str
    report_price_year: int
    price_index: str
    tax_financing: bool
    tax_financing_rate: float
    counterfactual: str
    value_method: str
    perspectives: pd.DataFrame
    public_by_payer: pd.DataFrame
    cohorts: pd.DataFrame
    flows: pd.DataFrame
    waterfall: pd.DataFrame
    additional_youths: float
    yearly_value_per_youth: float
    pv_per_additional_youth: float
    index_status: dict[int, str]
    overrides: list[dict[str, Any]]

    def headline(self, perspective: str = "society") -> dict[str, Any]:
        """PV benefits, PV costs, NPV, ratio and payback year of one perspective."""
        # .at keeps each column's own type (an Int64 payback year stays an int).
        return {column: jsonable(self.perspectives.at[perspective, column]) for column in self.perspectives.columns}


def _payback_year(costs_year0: float, yearly_benefits: np.ndarray) -> int | None:
    cumulative = -costs_year0 + np.cumsum(yearly_benefits)
    if costs_year0 <= 0:
        return 0
    hits = np.flatnonzero(cumulative >= 0)
    return int(hits[0] + 1) if hits.size else None


def run_model(model: CostBenefitModel) -> CostBenefitResult:
    """Evaluate the model with every assumption at its value.

    Parameters
    ----------
    model
        From :func:`prepare`.

    Returns
    -------
    CostBenefitResult
        ``perspectives``: one row per perspective (``society``, ``public``,
        ``participant``) with ``pv_benefits_nok``, ``pv_costs_nok``,
        ``npv_nok``, ``bcr`` (kroner back per krone; NaN without costs) and
        ``payback_year`` (first year after the programme year in which the
        discounted cumulative net benefit reaches 0; None if never);
        ``public_by_payer``; ``cohorts`` (per programme year: participants,
        rate, additional youths, costs, PV benefits and ratio, society);
        ``flows`` (per year after the programme year: discount factor,
        discounted society benefits, cumulative NPV); ``waterfall`` (the
        build-up of the society NPV).
    """
    params = model.base_parameters()
    out = evaluate(model, params, detail=True)
    values = {k: float(v[0]) for k, v in out.items() if np.ndim(v) == 1}
    weight, discount = out["weight"][0], out["discount"][0]
    tfc_rate = float(params["tax_financing_cost"][0]) * (1.0 if model.tax_financing else 0.0)

    # Society benefits per year after the programme year, all cohorts together.
    per_youth_year = values["yearly_value"] + tfc_rate * (
        float(params["public_share_of_value"][0]) * values["yearly_value"] + values["transfers"]
    )
    society_yearly = values["additional_youths"] * per_youth_year * weight * discount
    public_yearly = (
        values["additional_youths"]
        * (float(params["public_share_of_value"][0]) * values["yearly_value"] + values["transfers"])
        * weight
        * discount
    )
    participant_yearly = (
        values["additional_youths"]
        * ((1.0 - float(params["public_share_of_value"][0])) * values["yearly_value"] - values["transfers"])
        * weight
        * discount
    )

    rows = {}
    for name, yearly in (("society", society_yearly), ("public", public_yearly), ("participant", participant_yearly)):
        costs = values[f"{name}_costs"]
        rows[name] = {
            "pv_benefits_nok": values[f"{name}_benefits"],
            "pv_costs_nok": costs,
            "npv_nok": values[f"{name}_npv"],
            "bcr": values[f"{name}_bcr"],
            "payback_year": _payback_year(costs, yearly) if costs > 0 else None,
        }
    perspectives = pd.DataFrame.from_dict(rows, orient="index")
    perspectives["payback_year"] = perspectives["payback_year"].astype("Int64")
    perspectives.index.name = "perspective"

    # Public budgets by payer: costs from the ledger, benefits by the registry's shares.
    by_year = model.cost_by_year
    shares: dict[str, float] = {}
    if all(model.registry.has(i) for i in PAYER_SHARE_IDS.values()):
        shares = {payer: float(params[i][0]) for payer, i in PAYER_SHARE_IDS.items()}
        shares["state"] = 1.0 - sum(shares.values())
    payer_rows = []
    for payer in [*PUBLIC_PAYERS, "unspecified"]:
        benefit = values["public_benefits"] * shares[payer] if payer in shares else (0.0 if shares else math.nan)
        cost = float(by_year[payer].sum())
        if payer == "unspecified" and cost == 0 and shares:
            continue
        payer_rows.append({"payer": payer, "pv_benefits_nok": benefit, "pv_costs_nok": cost, "npv_nok": benefit - cost})
    if not shares:
        payer_rows.append(
            {
                "payer": "unallocated",
                "pv_benefits_nok": values["public_benefits"],
                "pv_costs_nok": 0.0,
                "npv_nok": values["public_benefits"],
            }
        )
    public_by_payer = pd.DataFrame(payer_rows).set_index("payer")

    # Per cohort: the same per-youth value, so cohorts differ by additional youths and costs.
    extra = additional_youths(
        model.cohorts,
        attribution=float(params["attribution"][0]),
        displacement=float(params["displacement"][0]),
        comparison_rate=float(params["comparison_rate"][0]) if model.counterfactual == "comparison_rate" else None,
        deadweight=float(params["deadweight"][0]) if model.counterfactual == "deadweight" else None,
    ).to_numpy()
    pv_per_youth_society = per_youth_year * float(np.sum(weight * discount))
    cohort_costs = by_year["total"].to_numpy() + tfc_rate * by_year["public"].to_numpy()
    cohort_benefits = extra * pv_per_youth_society
    cohorts = model.cohorts[["year", "participants", "rate"]].copy()
    cohorts["additional_youths"] = extra
    cohorts["costs_nok"] = cohort_costs
    cohorts["pv_benefits_nok"] = cohort_benefits
    cohorts["npv_nok"] = cohort_benefits - cohort_costs
    with np.errstate(divide="ignore", invalid="ignore"):
        cohorts["bcr"] = np.where(cohort_costs > 0, cohort_benefits / cohort_costs, np.nan)

    horizon = len(weight)
    flows = pd.DataFrame(
        {
            "year_after_programme": np.arange(0, horizon + 1),
            "discount_factor": np.concatenate([[1.0], discount]),
            "outcome_weight": np.concatenate([[0.0], weight]),
            "pv_benefits_nok": np.concatenate([[0.0], society_yearly]),
            "pv_costs_nok": np.concatenate([[values["society_costs"]], np.zeros(horizon)]),
        }
    )
    flows["cumulative_npv_nok"] = np.cumsum(flows["pv_benefits_nok"] - flows["pv_costs_nok"])

    waterfall = pd.DataFrame(
        [
            {"step": "programme_costs", "amount_nok": -float(by_year["total"].sum())},
            {"step": "tax_financing_on_costs", "amount_nok": -values["tfc_on_costs"]},
            {"step": "value_of_outcomes", "amount_nok": values["value_society"]},
            {"step": "tax_financing_on_savings", "amount_nok": values["tfc_on_savings"]},
            {"step": "net_present_value", "amount_nok": values["society_npv"]},
        ]
    )

    return CostBenefitResult(
        programme=model.registry.programme,
        report_price_year=model.report_price_year,
        price_index=model.price_index,
        tax_financing=model.tax_financing,
        tax_financing_rate=tfc_rate,
        counterfactual=model.counterfactual,
        value_method=model.value_method,
        perspectives=perspectives,
        public_by_payer=public_by_payer,
        cohorts=cohorts,
        flows=flows,
        waterfall=waterfall,
        additional_youths=values["additional_youths"],
        yearly_value_per_youth=values["yearly_value"],
        pv_per_additional_youth=values["yearly_value"] * values["pv_factor"],
        index_status=model.index_status,
        overrides=[o.model_dump() for o in model.registry.overrides],
    )
