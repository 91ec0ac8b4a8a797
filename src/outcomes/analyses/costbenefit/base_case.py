"""The base case: the model with every assumption at its value, in all its tables.

Money is NOK in the report price year, present value at the one comparison
year, all cohorts together unless a table says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from outcomes.analyses.costbenefit.evaluation import PARTS, combine, evaluate
from outcomes.analyses.costbenefit.model import ALL_PAYERS, PERSPECTIVES, CostBenefitModel
from outcomes.core.jsonable import jsonable


@dataclass(frozen=True)
class CostBenefitResult:
    """Deterministic result: every assumption at its value.

    Money is NOK in ``report_price_year`` prices, present value at
    ``comparison_year``, all cohorts together.
    """

    programme: str
    report_price_year: int
    comparison_year: int
    price_index: str
    tax_financing: bool
    tax_financing_rate: float
    value_method: str
    analysis_period: tuple[int, int]
    perspectives: pd.DataFrame
    payers: pd.DataFrame
    streams: pd.DataFrame
    cohorts: pd.DataFrame
    flows: pd.DataFrame
    waterfall: pd.DataFrame
    additional_youths: float
    yearly_value_per_youth: float
    residual_value_nok: float
    index_status: dict[int, str]
    overrides: list[dict[str, Any]]

    def headline(self, perspective: str = "society") -> dict[str, Any]:
        """PV benefits, PV costs, NPV, ratio and payback year of one perspective."""
        # .at keeps each column's own type (an Int64 payback year stays an int).
        return {column: jsonable(self.perspectives.at[perspective, column]) for column in self.perspectives.columns}


def payback_year(years: np.ndarray, net: np.ndarray) -> int | None:
    """The first calendar year from which the cumulative discounted net benefit stays at 0 or above.

    ``net`` is the discounted net benefit of each year in ``years``. None when
    it ends below 0 (the costs are never paid back).
    """
    cumulative = np.cumsum(net)
    if cumulative[-1] < 0:
        return None
    below = np.flatnonzero(cumulative < 0)
    return int(years[0] if below.size == 0 else years[min(below[-1] + 1, len(years) - 1)])


def run_model(model: CostBenefitModel) -> CostBenefitResult:
    """Evaluate the model with every assumption at its value.

    Parameters
    ----------
    model
        From :func:`outcomes.analyses.costbenefit.model.prepare`.

    Returns
    -------
    CostBenefitResult
        ``perspectives`` (society, public, participant) and ``payers``
        (municipality, county, state, unspecified public and other money when
        present, participants): ``pv_benefits_nok``, ``pv_costs_nok``,
        ``npv_nok``, ``bcr`` (NaN without costs) and ``payback_year`` (calendar
        year, see :func:`payback_year`); ``streams`` (work, education);
        ``cohorts`` (per programme year, with each cohort's discount factor to
        the comparison year); ``flows`` (per calendar year); ``waterfall``.
    """
    params = model.base_parameters()
    out = evaluate(model, params, detail=True)
    years, yearly = out["years"], out["yearly"]
    by_year = combine(model, params, yearly)
    first, period = model.first_year, float(params["analysis_period_years"][0])
    values = {k: float(v[0]) for k, v in out.items() if isinstance(v, np.ndarray) and v.ndim == 1 and len(v) == 1}
    tfc_rate = float(params["tax_financing_cost"][0]) * (1.0 if model.tax_financing else 0.0)
    return CostBenefitResult(
        programme=model.registry.programme,
        report_price_year=model.report_price_year,
        comparison_year=model.comparison_year,
        price_index=model.price_index,
        tax_financing=model.tax_financing,
        tax_financing_rate=tfc_rate,
        value_method=model.value_method,
        analysis_period=(first, int(first + period - 1)),
        perspectives=_table(values, by_year, years, PERSPECTIVES, "perspective", "{}"),
        payers=_payers(values, by_year, years),
        streams=_streams(values),
        cohorts=_cohort_table(model),
        flows=_flows(years, out["discount"][0], by_year, out["residual"][0]),
        waterfall=_waterfall(values),
        additional_youths=values["additional_youths"],
        yearly_value_per_youth=values["yearly_value"],
        residual_value_nok=values["residual_society_npv"],
        index_status=model.index_status,
        overrides=[o.model_dump() for o in model.registry.overrides],
    )


def _table(
    values: dict[str, float],
    by_year: dict[str, np.ndarray],
    years: np.ndarray,
    names: tuple[str, ...],
    index: str,
    key: str,
) -> pd.DataFrame:
    """PV benefits, PV costs, NPV, ratio and payback year for each of ``names`` (``key`` formats the part name)."""
    rows = {}
    for name in names:
        part = key.format(name)
        benefits, costs = values[f"{part}_benefits"], values[f"{part}_costs"]
        net = by_year[f"{part}_benefits"][0] - by_year[f"{part}_costs"][0]
        rows[name] = {
            "pv_benefits_nok": benefits,
            "pv_costs_nok": costs,
            "npv_nok": benefits - costs,
            "bcr": benefits / costs if costs > 0 else np.nan,
            "payback_year": payback_year(years, net) if costs > 0 else None,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table["payback_year"] = table["payback_year"].astype("Int64")
    table.index.name = index
    return table


def _payers(values: dict[str, float], by_year: dict[str, np.ndarray], years: np.ndarray) -> pd.DataFrame:
    """Who pays, who gains: one row per payer with money (the public payers always)."""
    shown = tuple(
        p
        for p in ALL_PAYERS
        if p in ("municipality", "county", "state", "participant")
        or values[f"payer_{p}_benefits"] != 0
        or values[f"payer_{p}_costs"] != 0
    )
    return _table(values, by_year, years, shown, "payer", "payer_{}")


def _streams(values: dict[str, float]) -> pd.DataFrame:
    """Per value stream: additional youths, PV of production value, PV per additional youth (NOK)."""
    rows = []
    for stream in ("work", "education"):
        youths, value = values[f"additional_{stream}"], values[f"value_{stream}"]
        rows.append(
            {
                "stream": stream,
                "additional_youths": youths,
                "pv_value_nok": value,
                "pv_school_places_nok": values["school_places"] if stream == "education" else 0.0,
                "pv_per_youth_nok": value / youths if youths else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("stream")


def _cohort_model(model: CostBenefitModel, row: int) -> CostBenefitModel:
    """The model for one cohort alone (its participants, shares, costs and nullalternativ)."""
    return replace(
        model,
        cohorts=model.cohorts.iloc[[row]].reset_index(drop=True),
        cost_by_year=model.cost_by_year.iloc[[row]],
        null_ids={s: [ids[row]] for s, ids in model.null_ids.items()},
    )


def _cohort_table(model: CostBenefitModel) -> pd.DataFrame:
    """Per programme year: shares, nullalternativ, additional youths, discount factor, costs, benefits, ratio (society)."""
    params = model.base_parameters()
    rows = []
    for i, cohort in enumerate(model.cohorts.to_dict(orient="records")):
        out = evaluate(_cohort_model(model, i), params, detail=True)
        at = int(np.flatnonzero(out["years"] == cohort["year"])[0])
        costs, benefits = float(out["society_costs"][0]), float(out["society_benefits"][0])
        rows.append(
            {
                "year": int(cohort["year"]),
                "participants": cohort["participants"],
                "rate": cohort["rate"],
                "rate_work": cohort["rate_work"],
                "rate_education": cohort["rate_education"],
                "null_work": float(params[model.null_ids["work"][i]][0]),
                "null_education": float(params[model.null_ids["education"][i]][0]),
                "additional_work": float(out["additional_work"][0]),
                "additional_education": float(out["additional_education"][0]),
                "additional_youths": float(out["additional_youths"][0]),
                "discount_factor": float(out["discount"][0][at]),
                "costs_nok": costs,
                "pv_benefits_nok": benefits,
                "npv_nok": benefits - costs,
                "bcr": benefits / costs if costs > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _flows(
    years: np.ndarray, discount: np.ndarray, by_year: dict[str, np.ndarray], residual: np.ndarray
) -> pd.DataFrame:
    """Per calendar year: discount factor, PV benefits and costs for society, cumulative NPV, residual-value years."""
    flows = pd.DataFrame(
        {
            "year": years,
            "discount_factor": discount,
            "pv_benefits_nok": by_year["society_benefits"][0],
            "pv_costs_nok": by_year["society_costs"][0],
            "residual_value": residual,
        }
    )
    flows["cumulative_npv_nok"] = np.cumsum(flows["pv_benefits_nok"] - flows["pv_costs_nok"])
    return flows


#: The steps of the waterfall, in order: (step, parts added, sign).
WATERFALL: tuple[tuple[str, tuple[str, ...], float], ...] = (
    ("programme_costs", tuple(p for p in PARTS if p.startswith("programme_")), -1.0),
    ("participant_and_induced_costs", ("participant_costs", "induced_state", "induced_municipality"), -1.0),
    ("school_places", ("school_places",), -1.0),
    ("tax_financing_on_costs", ("tfc_on_costs",), -1.0),
    ("value_of_work", ("value_work",), 1.0),
    ("value_of_education", ("value_education",), 1.0),
    ("tax_financing_on_savings", ("tfc_on_savings",), 1.0),
)


def _waterfall(values: dict[str, float]) -> pd.DataFrame:
    """The build-up of the society NPV, step by step (``step``, ``amount_nok``)."""
    rows = [{"step": step, "amount_nok": sign * sum(values[p] for p in parts)} for step, parts, sign in WATERFALL]
    rows.append({"step": "net_present_value", "amount_nok": values["society_npv"]})
    return pd.DataFrame(rows)
