"""Evaluating the model: every flow by calendar year, for many parameter sets at once.

:func:`evaluate` is the vectorised core the base case, the one-way
sensitivity, the break-even search, the scenarios and the Monte Carlo
simulation all call: one row per parameter set, no Python loop over draws.
It builds, per calendar year, the youth-years of each profile (work,
education, the gain from completing it), prices them (KPI level, real-price
growth for labour-linked values), discounts them to the comparison year and
adds them up into the parts of :data:`PARTS`; :func:`combine` turns the parts
into perspectives and payers. :func:`outcome_profile`,
:func:`education_profiles` and :func:`additional_youths` are the same
formulas for one parameter set, written out for readers and tests.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from outcomes.analyses.costbenefit.discounting import calendar_discount
from outcomes.analyses.costbenefit.model import PAYER_SHARE_IDS, PUBLIC_PAYERS, CostBenefitModel
from outcomes.analyses.costbenefit.model_inputs import PAYERS, validate_cohorts
from outcomes.registries.assumptions import DiscountStep

#: The flows :func:`evaluate` adds up (NOK, report prices, present value at the comparison year).
PARTS: tuple[str, ...] = (
    "value_work",
    "value_education",
    "transfers_municipality",
    "transfers_state",
    "school_places",
    "participant_costs",
    "induced_state",
    "induced_municipality",
    *(f"programme_{payer}" for payer in (*PAYERS, "unspecified")),
)
Array = np.ndarray
#: The public payers whose benefits and costs make up the public budgets.
PUBLIC: tuple[str, ...] = (*PUBLIC_PAYERS, "unspecified")
#: Transfers saved per additional youth-year in work, and the payer that saves them.
TRANSFERS: tuple[tuple[str, str], ...] = (
    ("transfers_saved_municipality_per_year", "municipality"),
    ("transfers_saved_state_per_year", "state"),
)
#: Costs per participant the programme causes elsewhere, and their payer.
INDUCED: tuple[tuple[str, str], ...] = (
    ("induced_nav_cost_per_participant", "state"),
    ("induced_health_cost_per_participant", "municipality"),
)


def outcome_profile(duration_years: float, drop_off: float, horizon: int | None = None) -> Array:
    """Share of the first year's outcome that remains in each later year (the work stream).

    Returns weights for years 1..horizon: ``(1 - drop_off) ** (t - 1)`` while
    the outcome lasts (a fractional duration counts the last year in part),
    then 0; ``horizon`` is ``ceil(duration_years)`` when ``None``.
    """
    horizon = max(1, math.ceil(duration_years)) if horizon is None else horizon
    t = np.arange(1, horizon + 1)
    return np.clip(duration_years - (t - 1), 0.0, 1.0) * (1.0 - drop_off) ** (t - 1)


def education_profiles(
    education_years: float, gain_years: float, drop_off: float, horizon: int | None = None
) -> tuple[Array, Array]:
    """School years and completion-gain weights of one additional youth in education, years 1..horizon.

    The school weight of year t is the part of it still at school,
    ``clip(E - (t - 1), 0, 1)``; the gain weight is the part after school,
    ``clip(t - E, 0, 1)``, while the gain lasts (``gain_years`` from the end
    of school), times ``(1 - drop_off) ** max(0, t - 1 - E)``.
    """
    horizon = max(1, math.ceil(education_years + gain_years)) if horizon is None else horizon
    t = np.arange(1, horizon + 1, dtype=float)
    school = np.clip(education_years - (t - 1), 0.0, 1.0)
    gain = (
        np.clip(t - education_years, 0.0, 1.0)
        * np.clip(education_years + gain_years - (t - 1), 0.0, 1.0)
        * (1.0 - drop_off) ** np.maximum(0.0, t - 1 - education_years)
    )
    return school, gain


def additional_youths(
    cohorts: pd.DataFrame,
    *,
    null_work: float | Array,
    null_education: float | Array,
    attribution: float = 0.0,
    displacement: float = 0.0,
) -> pd.DataFrame:
    """Youths in work and in education because of the programme, per cohort.

    ``null_*`` are the nullalternativ shares (0-1; one number, or one per
    cohort). Work: participants x (share in work - nullalternativ) x
    (1 - attribution) x (1 - displacement); education the same without
    displacement (a school place is a right, not taken from another youth).
    Returns columns ``year``, ``work``, ``education`` (persons, may be
    fractional or negative).
    """
    frame = validate_cohorts(cohorts)
    n, keep = frame["participants"].to_numpy(), 1.0 - attribution
    return pd.DataFrame(
        {
            "year": frame["year"].to_numpy(),
            "work": n * (frame["rate_work"].to_numpy() - null_work) * keep * (1.0 - displacement),
            "education": n * (frame["rate_education"].to_numpy() - null_education) * keep,
        }
    )


def _additional(model: CostBenefitModel, p: Mapping[str, Array]) -> tuple[Array, Array]:
    """Additional youths in work and in education, shape (parameter sets, cohorts)."""
    n = model.cohorts["participants"].to_numpy()
    keep = (1.0 - p["attribution"]).reshape(-1, 1)
    nulls = {s: np.column_stack([p[i] for i in ids]) for s, ids in model.null_ids.items()}
    work = n * (model.cohorts["rate_work"].to_numpy() - nulls["work"]) * keep
    work = work * (1.0 - p["displacement"]).reshape(-1, 1)
    education = n * (model.cohorts["rate_education"].to_numpy() - nulls["education"]) * keep
    return work, education


def _horizon(p: Mapping[str, Array]) -> int:
    """Years after a programme year any stream can still have a flow."""
    ends = [p["work_duration_years"], p["education_years"] + p["education_gain_years"]]
    return max(1, int(math.ceil(float(max(np.max(e) for e in ends)))))


def _profiles(p: Mapping[str, Array], horizon: int) -> dict[str, Array]:
    """Per additional youth, years 1..horizon (columns): ``work``, ``school`` and ``gain`` weights."""
    t = np.arange(1, horizon + 1, dtype=float)
    col = {k: p[k].reshape(-1, 1) for k in ("work_duration_years", "drop_off_work", "education_years")}
    edu, gain_years = col["education_years"], p["education_gain_years"].reshape(-1, 1)
    work = np.clip(col["work_duration_years"] - (t - 1), 0.0, 1.0) * (1.0 - col["drop_off_work"]) ** (t - 1)
    gain = (
        np.clip(t - edu, 0.0, 1.0)
        * np.clip(edu + gain_years - (t - 1), 0.0, 1.0)
        * (1.0 - p["drop_off_education"].reshape(-1, 1)) ** np.maximum(0.0, t - 1 - edu)
    )
    return {"work": work, "school": np.clip(edu - (t - 1), 0.0, 1.0), "gain": gain}


def _youth_years(
    model: CostBenefitModel, p: Mapping[str, Array], years: Array, horizon: int
) -> tuple[dict[str, Array], Array]:
    """Youth-years of each profile by calendar year (undiscounted), and participants by calendar year."""
    work, education = _additional(model, p)
    # Years in rows while the cohorts are added: a cohort's years are then one block of memory
    # (twice as quick as columns of every row, for 10,000 parameter sets); the same sums, in the same order.
    profiles = {name: np.ascontiguousarray(profile.T) for name, profile in _profiles(p, horizon).items()}
    sets = len(p["attribution"])
    by_year = {k: np.zeros((len(years), sets)) for k in ("work", "school", "gain")}
    counts = np.zeros(len(years))
    participants = model.cohorts["participants"].to_numpy(dtype=float)
    for c, year in enumerate(model.cohorts["year"].to_numpy()):
        i = int(year - years[0])
        counts[i] = participants[c]
        for name, additional in (("work", work), ("school", education), ("gain", education)):
            by_year[name][i + 1 : i + 1 + horizon] += additional[:, c] * profiles[name]
    return {name: np.ascontiguousarray(values.T) for name, values in by_year.items()}, counts


def _until_year(step: DiscountStep, p: Mapping[str, Array]) -> Array | float:
    """A step's last year: the named assumption's values, or the fixed year."""
    if isinstance(step.until_year, str):
        return p[step.until_year]
    # The registry leaves only the last step open, and that step's end is never asked for.
    return math.inf if step.until_year is None else float(step.until_year)


def _discount(model: CostBenefitModel, p: Mapping[str, Array], years: Array) -> Array:
    """Discount factors to the comparison year for each calendar year (parameter sets in rows)."""
    steps = model.registry.discount_schedule
    rates = [p[step.rate] for step in steps]
    until = [_until_year(step, p) for step in steps[:-1]]
    return calendar_discount(rates, until, years, model.comparison_year)


def _price(model: CostBenefitModel, p: Mapping[str, Array], item: str) -> Array:
    """One money assumption in report prices (its real-price growth up to the price year included)."""
    factor = model.money_factors[item] * p[item]
    if model.assumptions[item].labour_linked:
        factor = factor * (1.0 + p["real_price_growth"]) ** (model.report_price_year - model.growth_base[item])
    return factor


def _yearly_value(model: CostBenefitModel, p: Mapping[str, Array]) -> Array:
    """Value of one youth-year in work (NOK, report prices)."""
    if model.value_method != "present_value":
        return _price(model, p, "value_per_year")
    # Undo the source's own discounting to recover the yearly value, so the model's
    # schedule, durations and drop-offs then apply to it once.
    horizon = max(1, int(math.ceil(float(np.max(p["value_pv_years"])))))
    t = np.arange(1, horizon + 1)
    active = np.clip(p["value_pv_years"].reshape(-1, 1) - (t - 1), 0.0, 1.0)
    annuity = np.sum(active / (1.0 + p["value_pv_discount_rate"].reshape(-1, 1)) ** t, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(annuity > 0, _price(model, p, "value_pv_per_youth") / annuity, 0.0)


class _Pricing:
    """Prices and weights of one evaluation: report prices, and per year discount x real-price growth."""

    def __init__(self, model: CostBenefitModel, p: Mapping[str, Array], years: Array) -> None:
        self.model, self.p = model, p
        self.discount = _discount(model, p, years)
        growth = (1.0 + p["real_price_growth"].reshape(-1, 1)) ** (years - model.report_price_year)
        self._labour = self.discount * growth

    def weight(self, item: str) -> Array:
        """Per calendar year: the discount factor, times the real-price growth for a labour-linked item."""
        return self._labour if self.model.assumptions[item].labour_linked else self.discount

    def price(self, item: str) -> Array:
        """The item in report prices, as a column (one row per parameter set)."""
        return _price(self.model, self.p, item).reshape(-1, 1)

    def priced(self, item: str) -> Array:
        """Price times weight: the present value at the comparison year of one unit in each calendar year."""
        return self.price(item) * self.weight(item)


def _benefit_parts(
    model: CostBenefitModel, pricing: _Pricing, youth: Mapping[str, Array], m: Mapping[str, float]
) -> dict[str, Array]:
    """Production value of both streams, the transfers they save, and the school places they cost."""
    p = pricing.p
    value_item = "value_pv_per_youth" if model.value_method == "present_value" else "value_per_year"
    value = _yearly_value(model, p).reshape(-1, 1) * pricing.weight(value_item)
    completion = (p["education_completion_share"] * p["completion_employment_gain"]).reshape(-1, 1)
    work, gain = youth["work"] * m["work"], youth["gain"] * completion * m["education"]
    parts = {"value_work": work * value, "value_education": gain * value}
    for item, payer in TRANSFERS:
        parts[f"transfers_{payer}"] = (work + gain) * pricing.priced(item)
    school = youth["school"] * pricing.priced("upper_secondary_place_cost")
    parts["school_places"] = school * m["school_places"]
    return parts


def _cost_parts(
    model: CostBenefitModel, pricing: _Pricing, counts: Array, years: Array, m: Mapping[str, float]
) -> dict[str, Array]:
    """Participants' and induced costs (per participant) and the programme's ledger, at each cohort's year."""
    parts = {"participant_costs": counts * pricing.priced("participant_cost_per_participant") * m["participant_costs"]}
    for item, payer in INDUCED:
        parts[f"induced_{payer}"] = counts * pricing.priced(item) * m["induced"]
    ledger = model.cost_by_year.set_index(model.cohorts["year"].to_numpy())
    for payer in (*PAYERS, "unspecified"):
        at_years = np.zeros(len(years))
        at_years[ledger.index.to_numpy() - years[0]] = ledger[payer].to_numpy()
        parts[f"programme_{payer}"] = at_years * pricing.discount * m["ledger"]
    return parts


def yearly_parts(
    model: CostBenefitModel, p: Mapping[str, Array], bias: Mapping[str, float] | None = None
) -> tuple[Array, Array, dict[str, Array]]:
    """Calendar years, discount factors and every part of :data:`PARTS` by year (discounted, report prices).

    ``bias`` multiplies parts for the optimism-bias scenario: ``work`` and
    ``education`` (benefit streams, with the transfers they save), and the
    cost lines ``school_places``, ``participant_costs``, ``induced`` and
    ``ledger``; each is 1 when not given.
    """
    m = {k: 1.0 for k in ("work", "education", "school_places", "participant_costs", "induced", "ledger")}
    m |= dict(bias or {})
    horizon = _horizon(p)
    first = min(model.first_year, model.comparison_year)
    last = max(int(model.cohorts["year"].max()) + horizon, model.comparison_year)
    years = np.arange(first, last + 1)
    youth, counts = _youth_years(model, p, years, horizon)
    pricing = _Pricing(model, p, years)
    parts = _benefit_parts(model, pricing, youth, m) | _cost_parts(model, pricing, counts, years, m)
    return years, pricing.discount, parts


def _tax_shares(model: CostBenefitModel, p: Mapping[str, Array]) -> dict[str, Array | float]:
    """Who gets the taxes on the added production: municipality, county, state (or unspecified)."""
    if not all(model.registry.has(i) for i in PAYER_SHARE_IDS.values()):
        return {"municipality": 0.0, "county": 0.0, "state": 0.0, "unspecified": 1.0}
    shares: dict[str, Array | float] = {payer: p[i] for payer, i in PAYER_SHARE_IDS.items()}
    shares["state"] = 1.0 - p[PAYER_SHARE_IDS["municipality"]] - p[PAYER_SHARE_IDS["county"]]
    shares["unspecified"] = 0.0
    return shares


def combine(model: CostBenefitModel, p: Mapping[str, Array], parts: Mapping[str, Array]) -> dict[str, Array]:
    """Perspectives and payers from the parts (totals per parameter set, or by year in columns).

    Taxes are ``public_share_of_value`` of the production value, split by the
    payer shares; transfers saved go to the payer that pays them and are the
    participants' loss; school places are the county's cost; induced costs
    fall on the state (NAV) and the municipality (health services). Society
    counts production, all costs, and the tax-financing cost on the net
    public budget effect: transfers cancel out.
    """
    two_d = np.ndim(next(iter(parts.values()))) == 2

    def c(x: Array | float) -> Array:
        x = np.asarray(x, dtype=float)
        return x.reshape(-1, 1) if two_d and x.ndim == 1 else x

    tau = c(p["tax_financing_cost"]) * (1.0 if model.tax_financing else 0.0)
    share = c(p["public_share_of_value"])
    value = parts["value_work"] + parts["value_education"]
    taxes = share * value
    tax = {payer: c(s) for payer, s in _tax_shares(model, p).items()}
    transfers = parts["transfers_municipality"] + parts["transfers_state"]
    benefits = {
        "municipality": tax["municipality"] * taxes + parts["transfers_municipality"],
        "county": tax["county"] * taxes,
        "state": tax["state"] * taxes + parts["transfers_state"],
        "unspecified": tax["unspecified"] * taxes,
        "other": np.zeros_like(value),
        "participant": (1.0 - share) * value - transfers,
    }
    costs = {
        "municipality": parts["programme_municipality"] + parts["induced_municipality"],
        "county": parts["programme_county"] + parts["school_places"],
        "state": parts["programme_state"] + parts["induced_state"],
        "unspecified": parts["programme_unspecified"],
        "other": parts["programme_other"],
        "participant": parts["participant_costs"],
    }
    public_b = sum(benefits[k] for k in PUBLIC)
    public_c = sum(costs[k] for k in PUBLIC)
    out = {
        f"payer_{k}_{kind}": v for kind, table in (("benefits", benefits), ("costs", costs)) for k, v in table.items()
    }
    out |= {
        "taxes": taxes,
        "tfc_on_costs": tau * public_c,
        "tfc_on_savings": tau * public_b,
        "society_benefits": value + tau * public_b,
        "society_costs": sum(costs.values()) + tau * public_c,
        "public_benefits": public_b,
        "public_costs": public_c,
        "participant_benefits": benefits["participant"],
        "participant_costs": costs["participant"],
    }
    for name in ("society", "public", "participant"):
        out[f"{name}_npv"] = out[f"{name}_benefits"] - out[f"{name}_costs"]
    return out


#: Parameter sets evaluated together. A larger block gains nothing: its arrays (sets x calendar
#: years, a dozen of them) outgrow the processor's caches and then memory. 100,000 draws of
#: the demo took 1.5 s (best of 5; 3.1 s for a first call) and 720 MB at once, 1.1 s and 125 MB in blocks of 10,000.
BLOCK = 10_000


def evaluate(
    model: CostBenefitModel,
    params: Mapping[str, Array],
    detail: bool = False,
    bias: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Evaluate the model for n parameter sets at once.

    Parameters
    ----------
    model
        From :func:`outcomes.analyses.costbenefit.model.prepare`.
    params
        Assumption id -> array of n values (each in the assumption's own unit
        and price year), e.g. ``model.base_parameters(n)`` with some changed.
    detail
        Also return ``years`` (calendar), ``discount`` (factors to the
        comparison year), ``yearly`` (every part by year) and ``residual``
        (True for the years after the analysis period).
    bias
        Optimism-bias multipliers (see :func:`yearly_parts`).

    Returns
    -------
    dict
        Arrays of length n: the parts of :data:`PARTS` and of :func:`combine`,
        ``<perspective>_bcr`` (NaN without costs), ``additional_work``,
        ``additional_education``, ``additional_youths``, ``yearly_value``
        (NOK per youth-year in work) and ``residual_society_npv`` (the part of
        the society NPV after the analysis period). Money is NOK in report
        prices, present value at the comparison year, all cohorts together.
    """
    p = {k: np.asarray(v, dtype=float) for k, v in params.items()}
    sets = max((len(v) for v in p.values() if v.ndim), default=0)
    if detail or sets <= BLOCK:
        return _evaluate(model, p, detail, bias)
    # Each parameter set is evaluated on its own row: blocks of them give the same numbers.
    blocks = [
        _evaluate(model, {k: v[start : start + BLOCK] if v.ndim else v for k, v in p.items()}, False, bias)
        for start in range(0, sets, BLOCK)
    ]
    return {k: np.concatenate([block[k] for block in blocks]) for k in blocks[0]}


def _evaluate(
    model: CostBenefitModel, p: dict[str, Array], detail: bool, bias: Mapping[str, float] | None
) -> dict[str, Any]:
    """:func:`evaluate` of one block of parameter sets."""
    years, discount, yearly = yearly_parts(model, p, bias)
    out: dict[str, Any]
    end = model.first_year + p["analysis_period_years"].reshape(-1, 1) - 1
    residual = years > end
    totals = {k: v.sum(axis=1) for k, v in yearly.items()}
    out = totals | combine(model, p, totals)
    later = combine(model, p, {k: (v * residual).sum(axis=1) for k, v in yearly.items()})
    out["residual_society_npv"] = later["society_npv"]
    work, education = _additional(model, p)
    out |= {"additional_work": work.sum(axis=1), "additional_education": education.sum(axis=1)}
    out["additional_youths"] = out["additional_work"] + out["additional_education"]
    out["yearly_value"] = _yearly_value(model, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        for name in ("society", "public", "participant"):
            costs = out[f"{name}_costs"]
            out[f"{name}_bcr"] = np.where(costs > 0, out[f"{name}_benefits"] / costs, np.nan)
    if detail:
        out |= {"years": years, "discount": discount, "yearly": yearly, "residual": residual}
    return out
