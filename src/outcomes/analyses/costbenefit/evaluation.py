"""Evaluating the model: the benefit and cost formulas, for many parameter sets at once.

:func:`evaluate` is the vectorised core the base case, the one-way
sensitivity, the break-even search and the Monte Carlo simulation all call:
one row per parameter set, no Python loop over draws. :func:`outcome_profile`
and :func:`additional_youths` are the same formulas for one parameter set,
written out for readers and tests.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from outcomes.analyses.costbenefit.discounting import discount_matrix
from outcomes.analyses.costbenefit.model import CostBenefitModel
from outcomes.analyses.costbenefit.model_inputs import validate_cohorts
from outcomes.core.errors import ConfigError
from outcomes.registries.assumptions import DiscountStep


def outcome_profile(duration_years: float, drop_off: float, horizon: int | None = None) -> np.ndarray:
    """Share of the first year's outcome that remains in each later year.

    Parameters
    ----------
    duration_years
        How many years the outcome lasts (a fraction counts the last year in
        part).
    drop_off
        Share (0-1) of what remains that is lost each year after the first.
    horizon
        Number of years to return; ``ceil(duration_years)`` when ``None``.

    Returns
    -------
    numpy.ndarray
        Weights for years 1..horizon: ``(1 - drop_off) ** (t - 1)`` while the
        outcome lasts, then 0 (dimensionless).
    """
    horizon = max(1, math.ceil(duration_years)) if horizon is None else horizon
    t = np.arange(1, horizon + 1)
    return np.clip(duration_years - (t - 1), 0.0, 1.0) * (1.0 - drop_off) ** (t - 1)


def additional_youths(
    cohorts: pd.DataFrame,
    *,
    attribution: float,
    displacement: float,
    comparison_rate: float | None = None,
    deadweight: float | None = None,
) -> pd.Series:
    """Youths in the outcome because of the programme, per cohort.

    Parameters
    ----------
    cohorts
        Columns ``year``, ``participants`` (count) and ``rate`` (share 0-1
        of participants in the outcome at follow-up).
    attribution
        Share (0-1) of the outcome due to others (other services, family).
    displacement
        Share (0-1) of the outcome that pushed others out (e.g. of jobs).
    comparison_rate
        The rate (share 0-1) the same youths would have had without the
        programme. Give this or ``deadweight``.
    deadweight
        Share (0-1) of the observed outcomes that would have happened anyway.

    Returns
    -------
    pandas.Series
        Additional youths (persons, may be fractional or negative), indexed
        by ``year``.

    Raises
    ------
    ConfigError
        If both or neither of ``comparison_rate`` and ``deadweight`` are given.
    """
    if comparison_rate is not None and deadweight is None:
        frame = validate_cohorts(cohorts)
        gross = frame["participants"] * (frame["rate"] - comparison_rate)
    elif deadweight is not None and comparison_rate is None:
        frame = validate_cohorts(cohorts)
        gross = frame["participants"] * frame["rate"] * (1.0 - deadweight)
    else:
        raise ConfigError(
            "The counterfactual must be either a comparison rate or a deadweight share, "
            + ("not both." if comparison_rate is not None else "and neither was given."),
            column="comparison_rate / deadweight",
            expected="exactly one of comparison_rate and deadweight",
        )
    result = gross * (1.0 - attribution) * (1.0 - displacement)
    result.index = frame["year"]
    return result.rename("additional_youths")


def evaluate(model: CostBenefitModel, params: Mapping[str, np.ndarray], detail: bool = False) -> dict[str, np.ndarray]:
    """Evaluate the model for n parameter sets at once.

    Parameters
    ----------
    model
        From :func:`outcomes.analyses.costbenefit.model.prepare`.
    params
        Assumption id -> array of n values (each in the assumption's own unit
        and price year), e.g. ``model.base_parameters(n)`` with some changed.
    detail
        Also return ``weight`` (outcome-years per additional youth) and
        ``discount`` (factors), years 1..horizon in columns.

    Returns
    -------
    dict
        Arrays of length n: ``additional_youths``, ``yearly_value`` and
        ``transfers`` (NOK per youth and year), ``pv_factor``, the society
        components (``value_society``, ``tfc_on_costs``, ``tfc_on_savings``)
        and ``<perspective>_benefits``, ``_costs``, ``_npv`` and ``_bcr``
        for ``society``, ``public`` and ``participant``. Money is NOK in the
        report price year, present value at each cohort's programme year,
        summed over cohorts.
    """
    p = {k: np.asarray(v, dtype=float) for k, v in params.items()}
    horizon = max(1, int(math.ceil(float(np.max(p["duration_years"])))))
    t = np.arange(1, horizon + 1)
    col = {k: v.reshape(-1, 1) for k, v in p.items()}

    discount = _discount(model, p, horizon)
    active = np.clip(col["duration_years"] - (t - 1), 0.0, 1.0)
    weight = active * (1.0 - col["drop_off"]) ** (t - 1)  # outcome-years per additional youth
    pv_factor = np.sum(weight * discount, axis=1)  # (n,)
    yearly_value = _yearly_value(model, p, col, active, t)
    transfers = p["transfers_saved_per_year"] * model.money_factors["transfers_saved_per_year"]
    additional = _additional_youths(model, p)

    share = p["public_share_of_value"]
    out = _perspectives(
        model,
        p,
        additional=additional,
        value_society=additional * yearly_value * pv_factor,
        value_public=additional * (share * yearly_value + transfers) * pv_factor,
        value_participant=additional * ((1.0 - share) * yearly_value - transfers) * pv_factor,
    )
    out |= {"yearly_value": yearly_value, "transfers": transfers, "pv_factor": pv_factor}
    if detail:
        out["weight"] = weight
        out["discount"] = discount
    return out


def _until_year(step: DiscountStep, p: Mapping[str, np.ndarray]) -> np.ndarray | float:
    """A step's last year: the named assumption's values, or the fixed year."""
    if isinstance(step.until_year, str):
        return p[step.until_year]
    # The registry leaves only the last step open, and that step's end is never asked for.
    return math.inf if step.until_year is None else float(step.until_year)


def _discount(model: CostBenefitModel, p: Mapping[str, np.ndarray], horizon: int) -> np.ndarray:
    """Discount factors, years 1..horizon in columns, under the registry's discount schedule."""
    steps = model.registry.discount_schedule
    rates = [p[step.rate] for step in steps]
    return discount_matrix(rates, [_until_year(step, p) for step in steps[:-1]], horizon)


def _yearly_value(
    model: CostBenefitModel,
    p: Mapping[str, np.ndarray],
    col: Mapping[str, np.ndarray],
    active: np.ndarray,
    t: np.ndarray,
) -> np.ndarray:
    """Value of one additional youth per year in the outcome (NOK, report prices)."""
    if model.value_method != "present_value":
        return p["value_per_year"] * model.money_factors["value_per_year"]
    # Undo the source's own discounting to recover the yearly value, so the
    # model's schedule, duration and drop-off then apply to it once.
    source_annuity = np.sum(active / (1.0 + col["value_pv_discount_rate"]) ** t, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        # A zero duration leaves no year to spread the value over: no value.
        return np.where(
            source_annuity > 0,
            p["value_pv_per_youth"] * model.money_factors["value_pv_per_youth"] / source_annuity,
            0.0,
        )


def _additional_youths(model: CostBenefitModel, p: Mapping[str, np.ndarray]) -> np.ndarray:
    """Additional youths in the outcome, all cohorts together (persons)."""
    participants = model.cohorts["participants"].to_numpy()
    rates = model.cohorts["rate"].to_numpy()
    keep = (1.0 - p["attribution"]) * (1.0 - p["displacement"])
    if model.counterfactual == "comparison_rate":
        gross = participants @ rates - p["comparison_rate"] * participants.sum()
    else:
        gross = (participants @ rates) * (1.0 - p["deadweight"])
    return gross * keep


def _perspectives(
    model: CostBenefitModel,
    p: Mapping[str, np.ndarray],
    *,
    additional: np.ndarray,
    value_society: np.ndarray,
    value_public: np.ndarray,
    value_participant: np.ndarray,
) -> dict[str, np.ndarray]:
    """Benefits, costs, NPV and ratio of each perspective, with the tax-financing cost on society's side."""
    n = len(additional)
    costs_total = float(model.cost_by_year["total"].sum())
    costs_public = float(model.cost_by_year["public"].sum())
    tfc = p["tax_financing_cost"] * (1.0 if model.tax_financing else 0.0)
    tfc_on_costs = tfc * costs_public
    tfc_on_savings = tfc * value_public
    society_benefits = value_society + tfc_on_savings
    society_costs = costs_total + tfc_on_costs
    out: dict[str, np.ndarray] = {
        "additional_youths": additional,
        "value_society": value_society,
        "tfc_on_costs": tfc_on_costs,
        "tfc_on_savings": tfc_on_savings,
        "society_benefits": society_benefits,
        "society_costs": society_costs,
        "society_npv": society_benefits - society_costs,
        "public_benefits": value_public,
        "public_costs": np.full(n, costs_public),
        "public_npv": value_public - costs_public,
        "participant_benefits": value_participant,
        "participant_costs": np.zeros(n),
        "participant_npv": value_participant,
    }
    with np.errstate(divide="ignore", invalid="ignore"):
        out["society_bcr"] = np.where(society_costs > 0, society_benefits / society_costs, np.nan)
        out["public_bcr"] = np.where(costs_public > 0, value_public / costs_public, np.nan)
    out["participant_bcr"] = np.full(n, np.nan)  # participants pay nothing; no ratio
    return out
