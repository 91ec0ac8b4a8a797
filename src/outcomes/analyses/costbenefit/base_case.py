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
from outcomes.analyses.costbenefit.model import PAYER_SHARE_IDS, PERSPECTIVES, PUBLIC_PAYERS, CostBenefitModel
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
    """First year after the programme year in which the discounted cumulative net benefit reaches 0; None if never."""
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
        From :func:`outcomes.analyses.costbenefit.model.prepare`.

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
    params = {k: float(v[0]) for k, v in model.base_parameters().items()}
    out = evaluate(model, model.base_parameters(), detail=True)
    values = {k: float(v[0]) for k, v in out.items() if np.ndim(v) == 1}
    weight, discount = out["weight"][0], out["discount"][0]
    tfc_rate = params["tax_financing_cost"] * (1.0 if model.tax_financing else 0.0)
    # Per additional youth and year in the outcome, for each perspective (NOK, report prices).
    share = params["public_share_of_value"]
    per_youth_year = {
        "society": values["yearly_value"] + tfc_rate * (share * values["yearly_value"] + values["transfers"]),
        "public": share * values["yearly_value"] + values["transfers"],
        "participant": (1.0 - share) * values["yearly_value"] - values["transfers"],
    }
    # Benefits per year after the programme year, all cohorts together (PV).
    yearly = {name: values["additional_youths"] * v * weight * discount for name, v in per_youth_year.items()}
    return CostBenefitResult(
        programme=model.registry.programme,
        report_price_year=model.report_price_year,
        price_index=model.price_index,
        tax_financing=model.tax_financing,
        tax_financing_rate=tfc_rate,
        counterfactual=model.counterfactual,
        value_method=model.value_method,
        perspectives=_perspective_table(values, yearly),
        public_by_payer=_payer_table(model, params, values["public_benefits"]),
        cohorts=_cohort_table(model, params, per_youth_year["society"] * float(np.sum(weight * discount)), tfc_rate),
        flows=_flows(weight, discount, yearly["society"], values["society_costs"]),
        waterfall=_waterfall(float(model.cost_by_year["total"].sum()), values),
        additional_youths=values["additional_youths"],
        yearly_value_per_youth=values["yearly_value"],
        pv_per_additional_youth=values["yearly_value"] * values["pv_factor"],
        index_status=model.index_status,
        overrides=[o.model_dump() for o in model.registry.overrides],
    )


def _perspective_table(values: dict[str, float], yearly: dict[str, np.ndarray]) -> pd.DataFrame:
    """PV benefits, PV costs, NPV, ratio and payback year per perspective (index ``perspective``)."""
    rows = {}
    for name in PERSPECTIVES:
        costs = values[f"{name}_costs"]
        rows[name] = {
            "pv_benefits_nok": values[f"{name}_benefits"],
            "pv_costs_nok": costs,
            "npv_nok": values[f"{name}_npv"],
            "bcr": values[f"{name}_bcr"],
            "payback_year": _payback_year(costs, yearly[name]) if costs > 0 else None,
        }
    perspectives = pd.DataFrame.from_dict(rows, orient="index")
    perspectives["payback_year"] = perspectives["payback_year"].astype("Int64")
    perspectives.index.name = "perspective"
    return perspectives


def _payer_table(model: CostBenefitModel, params: dict[str, float], public_benefits: float) -> pd.DataFrame:
    """Public budgets by payer: costs from the ledger, benefits by the registry's shares (index ``payer``).

    Without the shares in the registry the benefits are one ``unallocated`` row.
    """
    by_year = model.cost_by_year
    shares: dict[str, float] = {}
    if all(model.registry.has(i) for i in PAYER_SHARE_IDS.values()):
        shares = {payer: params[i] for payer, i in PAYER_SHARE_IDS.items()}
        shares["state"] = 1.0 - sum(shares.values())
    rows = []
    for payer in [*PUBLIC_PAYERS, "unspecified"]:
        benefit = public_benefits * shares[payer] if payer in shares else (0.0 if shares else math.nan)
        cost = float(by_year[payer].sum())
        if payer == "unspecified" and cost == 0 and shares:
            continue
        rows.append({"payer": payer, "pv_benefits_nok": benefit, "pv_costs_nok": cost, "npv_nok": benefit - cost})
    if not shares:
        rows.append(
            {
                "payer": "unallocated",
                "pv_benefits_nok": public_benefits,
                "pv_costs_nok": 0.0,
                "npv_nok": public_benefits,
            }
        )
    return pd.DataFrame(rows).set_index("payer")


def _cohort_table(
    model: CostBenefitModel, params: dict[str, float], pv_per_youth_society: float, tfc_rate: float
) -> pd.DataFrame:
    """Per programme year: participants, rate, additional youths, costs, PV benefits, NPV and ratio (society).

    Every cohort has the same PV per additional youth, so cohorts differ by
    additional youths and costs.
    """
    extra = additional_youths(
        model.cohorts,
        attribution=params["attribution"],
        displacement=params["displacement"],
        comparison_rate=params["comparison_rate"] if model.counterfactual == "comparison_rate" else None,
        deadweight=params["deadweight"] if model.counterfactual == "deadweight" else None,
    ).to_numpy()
    by_year = model.cost_by_year
    cohort_costs = by_year["total"].to_numpy() + tfc_rate * by_year["public"].to_numpy()
    cohort_benefits = extra * pv_per_youth_society
    cohorts = model.cohorts[["year", "participants", "rate"]].copy()
    cohorts["additional_youths"] = extra
    cohorts["costs_nok"] = cohort_costs
    cohorts["pv_benefits_nok"] = cohort_benefits
    cohorts["npv_nok"] = cohort_benefits - cohort_costs
    with np.errstate(divide="ignore", invalid="ignore"):
        cohorts["bcr"] = np.where(cohort_costs > 0, cohort_benefits / cohort_costs, np.nan)
    return cohorts


def _flows(weight: np.ndarray, discount: np.ndarray, society_yearly: np.ndarray, society_costs: float) -> pd.DataFrame:
    """Per year after the programme year (0..horizon): discount factor, outcome weight, PV benefits and costs, cumulative NPV."""
    horizon = len(weight)
    flows = pd.DataFrame(
        {
            "year_after_programme": np.arange(0, horizon + 1),
            "discount_factor": np.concatenate([[1.0], discount]),
            "outcome_weight": np.concatenate([[0.0], weight]),
            "pv_benefits_nok": np.concatenate([[0.0], society_yearly]),
            "pv_costs_nok": np.concatenate([[society_costs], np.zeros(horizon)]),
        }
    )
    flows["cumulative_npv_nok"] = np.cumsum(flows["pv_benefits_nok"] - flows["pv_costs_nok"])
    return flows


def _waterfall(programme_costs: float, values: dict[str, float]) -> pd.DataFrame:
    """The build-up of the society NPV, step by step (``step``, ``amount_nok``)."""
    return pd.DataFrame(
        [
            {"step": "programme_costs", "amount_nok": -programme_costs},
            {"step": "tax_financing_on_costs", "amount_nok": -values["tfc_on_costs"]},
            {"step": "value_of_outcomes", "amount_nok": values["value_society"]},
            {"step": "tax_financing_on_savings", "amount_nok": values["tfc_on_savings"]},
            {"step": "net_present_value", "amount_nok": values["society_npv"]},
        ]
    )
