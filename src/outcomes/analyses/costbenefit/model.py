"""Cost-benefit model: what a youth programme returns to society, per krone spent.

The model follows annual cohorts. For the cohort of programme year *y*:

* **Additional youths in the outcome** (education or work, or positive
  activity) ::

      A_y = participants_y × (rate_y − comparison_rate) × (1 − attribution) × (1 − displacement)

  or, when the counterfactual is given as a deadweight share instead of a
  comparison rate, ``participants_y × rate_y × (1 − deadweight) × ...``. A
  registry gives one of the two, never both.
* **Value of one additional youth**: either ``value_per_year`` (NOK per year
  in the outcome) or ``value_pv_per_youth`` (a present value such as the cited
  NOK 15.9 million for a 35-year working life), which is turned into the
  equal yearly value that has that present value over ``duration_years`` at
  the source's own discount rate ``value_pv_discount_rate``. The yearly value
  is then followed for ``duration_years``, with ``drop_off`` taken off what
  remains each year after the first (SROI convention; a fractional duration
  counts the last year in part).
* **Prices**: every money figure is brought to the report price year by the
  yearly average of G or by the KPI (:mod:`outcomes.analyses.costbenefit.prices`), once.
* **Discounting**: year 0 is the programme year; its costs are not
  discounted; benefits start in year 1. The discount factor of year *t* is
  the product of ``1/(1 + r_k)`` for k = 1..t, where ``r_k`` is the rate of
  the step of the registry's ``discount_schedule`` that covers year k (the
  demo: the Ministry of Finance's 4 % up to year 40, 3 % up to year 75 and
  2 % after). Each cohort is discounted to its own programme year; cohorts
  are then added up in constant report-year prices.
* **Perspectives** are kept apart. *Society*: the social value of the
  outcomes (production and real resources saved; transfers are not a social
  benefit) minus programme costs, with the tax-financing cost
  (``tax_financing_cost``, 20 %) charged on public programme costs and
  credited on public savings, i.e. applied to the net public budget effect.
  *Public budgets*: ``public_share_of_value`` of the social value (taxes,
  employer's contributions, saved public services) plus
  ``transfers_saved_per_year``, minus public programme costs, split by payer.
  *Participant*: the rest of the social value minus the transfers no longer
  received. Society (before the tax-financing cost) = public + participant.

This module holds what the model needs and :func:`prepare`, which checks the
registry and the inputs and brings all money to one price year. The rest of
the model lives by concept beside it, all pure (no file is read except by
:func:`~outcomes.analyses.costbenefit.model_inputs.load_costs`):

* :mod:`~outcomes.analyses.costbenefit.model_inputs`: the cohort table and
  the cost ledger;
* :mod:`~outcomes.analyses.costbenefit.prices`: G and KPI, uprating;
* :mod:`~outcomes.analyses.costbenefit.discounting`: the discount schedule
  as factors and annuities;
* :mod:`~outcomes.analyses.costbenefit.evaluation`: the formulas above,
  vectorised over many parameter sets (no Python loop over draws);
* :mod:`~outcomes.analyses.costbenefit.base_case`: every assumption at its
  value, in all its tables;
* :mod:`~outcomes.analyses.costbenefit.sensitivity`: tornado and break-even;
* :mod:`~outcomes.analyses.costbenefit.simulation`: Monte Carlo;
* :mod:`~outcomes.analyses.costbenefit.analysis`: all of them together, and
  their JSON form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from outcomes.analyses.costbenefit import prices
from outcomes.analyses.costbenefit.model_inputs import PAYERS, validate_cohorts, validate_costs
from outcomes.analyses.costbenefit.prices import PriceIndex
from outcomes.core.errors import ConfigError, InputError
from outcomes.registries.assumptions import Assumption, Registry

Perspective = Literal["society", "public", "participant"]
PERSPECTIVES: tuple[str, ...] = ("society", "public", "participant")
PUBLIC_PAYERS: tuple[str, ...] = ("municipality", "county", "state")

#: Assumption ids every registry must define for this model (besides the rates its discount schedule names).
REQUIRED_IDS: tuple[str, ...] = (
    "attribution",
    "displacement",
    "duration_years",
    "drop_off",
    "public_share_of_value",
    "transfers_saved_per_year",
    "tax_financing_cost",
)
#: Exactly one of these gives the counterfactual.
COUNTERFACTUAL_IDS: tuple[str, ...] = ("comparison_rate", "deadweight")
#: Exactly one of these gives the value of one additional youth.
VALUE_IDS: tuple[str, ...] = ("value_pv_per_youth", "value_per_year")
#: Optional split of public benefits by payer (the state gets the rest).
PAYER_SHARE_IDS: dict[str, str] = {
    "municipality": "public_benefit_share_municipality",
    "county": "public_benefit_share_county",
}
#: Expected unit of each id the model reads (the registry checks the units of the discount schedule's ids).
EXPECTED_UNITS: dict[str, str] = {
    "comparison_rate": "share",
    "deadweight": "share",
    "attribution": "share",
    "displacement": "share",
    "value_pv_per_youth": "NOK",
    "value_pv_discount_rate": "share/year",
    "value_per_year": "NOK/year",
    "duration_years": "years",
    "drop_off": "share/year",
    "public_share_of_value": "share",
    "transfers_saved_per_year": "NOK/year",
    "tax_financing_cost": "share",
    "public_benefit_share_municipality": "share",
    "public_benefit_share_county": "share",
}


@dataclass(frozen=True)
class CostBenefitModel:
    """Inputs checked and brought to the report price year, ready to evaluate.

    Build it with :func:`prepare`. All money is NOK in ``report_price_year``
    prices.
    """

    registry: Registry
    report_price_year: int
    price_index: PriceIndex
    tax_financing: bool
    counterfactual: str
    value_method: str
    cohorts: pd.DataFrame
    costs: pd.DataFrame
    cost_by_year: pd.DataFrame
    money_factors: dict[str, float]
    index_status: dict[int, str]

    @property
    def assumptions(self) -> dict[str, Assumption]:
        """Id -> assumption."""
        return {a.id: a for a in self.registry.assumptions}

    def base_parameters(self, n: int = 1) -> dict[str, np.ndarray]:
        """Every assumption at its value, as arrays of length ``n``."""
        return {a.id: np.full(n, a.value, dtype=float) for a in self.registry.assumptions}


def _check_registry_for_model(registry: Registry) -> tuple[str, str]:
    """Refuse a registry the model cannot use; return its counterfactual and value method."""
    _check_required(registry)
    counterfactual = _counterfactual(registry)
    value_method = _value_method(registry)
    _check_units_and_shares(registry)
    return counterfactual, value_method


def _check_required(registry: Registry) -> None:
    """The ids every registry must define, and a discount schedule."""
    missing = [i for i in REQUIRED_IDS if not registry.has(i)]
    if missing:
        raise ConfigError(
            f"The registry lacks assumption(s) the cost-benefit model needs: {', '.join(missing)}.",
            file=registry.source_file,
            column=missing[0],
            expected="ids " + ", ".join(REQUIRED_IDS),
            hint="Copy them from config/assumptions/demo.yml and give each its own source.",
        )
    if not registry.discount_schedule:
        raise ConfigError(
            "The registry has no discount schedule.",
            file=registry.source_file,
            column="discount_schedule",
            expected="discount_schedule: a list of steps {until_year, rate}, the last without until_year",
            hint="Copy it, with the rate assumptions it names, from config/assumptions/demo.yml (R-109).",
        )


def _counterfactual(registry: Registry) -> str:
    """``comparison_rate`` or ``deadweight``: exactly one of them must be in the registry."""
    given = [i for i in COUNTERFACTUAL_IDS if registry.has(i)]
    if len(given) != 1:
        raise ConfigError(
            "The counterfactual must be either a comparison rate or a deadweight share, "
            + (
                "not both: the registry has comparison_rate and deadweight."
                if given
                else "and the registry has neither."
            ),
            file=registry.source_file,
            column="comparison_rate" if given else None,
            expected="exactly one of the assumptions comparison_rate and deadweight",
            hint="Remove one of them." if given else "Add one, with its source.",
        )
    return given[0]


def _value_method(registry: Registry) -> str:
    """``present_value`` or ``annual``: how the registry values one additional youth."""
    given = [i for i in VALUE_IDS if registry.has(i)]
    if len(given) != 1:
        raise ConfigError(
            "The value of one additional youth must be either a present value per youth or a yearly value, "
            + ("not both." if given else "and the registry has neither."),
            file=registry.source_file,
            column="value_pv_per_youth" if given else None,
            expected="exactly one of value_pv_per_youth (with value_pv_discount_rate) and value_per_year",
        )
    if given[0] == "value_pv_per_youth" and not registry.has("value_pv_discount_rate"):
        raise ConfigError(
            "A present value per youth needs the discount rate its source used, to spread it over the years.",
            file=registry.source_file,
            column="value_pv_discount_rate",
            expected="an assumption value_pv_discount_rate (share per year, e.g. 0.04)",
        )
    return "present_value" if given[0] == "value_pv_per_youth" else "annual"


def _check_units_and_shares(registry: Registry) -> None:
    """Each id the model reads has its expected unit; the payer shares leave the state a share."""
    for item in registry.assumptions:
        unit = EXPECTED_UNITS.get(item.id)
        if unit is not None and item.unit != unit:
            raise ConfigError(
                f"Assumption {item.id!r} has unit {item.unit!r}.",
                file=registry.source_file,
                column=item.id,
                expected=f"unit {unit!r}",
            )
    shares = [registry.get(i).high for i in PAYER_SHARE_IDS.values() if registry.has(i)]
    if sum(shares) > 1.0 + 1e-12:
        raise ConfigError(
            "The municipality and county shares of public benefits can add up to more than 1 (at their high values).",
            file=registry.source_file,
            column="public_benefit_share_municipality",
            expected="shares whose highs sum to at most 1 (the state gets the rest)",
        )


def prepare(
    registry: Registry,
    costs: pd.DataFrame,
    cohorts: pd.DataFrame,
    indices: pd.DataFrame,
    *,
    report_price_year: int | None = None,
    price_index: PriceIndex | None = None,
    tax_financing: bool | None = None,
) -> CostBenefitModel:
    """Check the registry and inputs and bring all money to one price year.

    Parameters
    ----------
    registry
        From :func:`outcomes.registries.assumptions.load_registry` (after overrides).
    costs
        Cost ledger (see :func:`validate_costs`): NOK in each row's price year.
    cohorts
        Participants and follow-up rate per programme year (see
        :func:`validate_cohorts`; rate as share 0-1). The years must be the
        ledger's years.
    indices
        Price index table from :func:`outcomes.analyses.costbenefit.prices.load_price_indices`.
    report_price_year
        Price year of every money output; the registry's
        ``settings.report_price_year`` when ``None``.
    price_index
        ``"G"`` or ``"KPI"``; the registry's setting when ``None``.
    tax_financing
        Apply the tax-financing cost in the society perspective; the
        registry's setting when ``None``.

    Returns
    -------
    CostBenefitModel
        The prepared model.

    Raises
    ------
    ConfigError
        If the registry lacks what the model needs (a discount schedule
        among it), gives both counterfactuals or both value methods, or no
        report price year is known.
    InputError
        If the ledger or cohort table is unusable or their years differ.
    """
    counterfactual, value_method = _check_registry_for_model(registry)
    year = report_price_year if report_price_year is not None else registry.settings.report_price_year
    if year is None:
        raise ConfigError(
            "No report price year given.",
            file=registry.source_file,
            column="report_price_year",
            expected="costbenefit.price_year in the run configuration or settings.report_price_year in the registry",
        )
    index: PriceIndex = price_index or registry.settings.price_index
    cohort_frame = validate_cohorts(cohorts)
    ledger = validate_costs(costs)
    _check_same_years(set(ledger["year"]), set(cohort_frame["year"]))
    ledger["amount_report_nok"] = prices.uprate(
        ledger["amount_nok"].to_numpy(), ledger["price_year"].to_numpy(), year, indices, index
    )
    ledger["public"] = ledger["payer"] != "other"
    factors = {
        item.id: prices.uprating_factor(indices, item.price_year, year, index)
        for item in registry.assumptions
        if item.price_year is not None  # money, which carries a price year
    }
    used_years = [year, *ledger["price_year"].unique().tolist()]
    used_years += [item.price_year for item in registry.assumptions if item.price_year is not None]
    return CostBenefitModel(
        registry=registry,
        report_price_year=int(year),
        price_index=index,
        tax_financing=registry.settings.tax_financing if tax_financing is None else bool(tax_financing),
        counterfactual=counterfactual,
        value_method=value_method,
        cohorts=cohort_frame,
        costs=ledger,
        cost_by_year=_cost_by_year(ledger, cohort_frame["year"]),
        money_factors=factors,
        index_status=prices.index_status(indices, used_years, index),
    )


def _check_same_years(cost_years: set[int], cohort_years: set[int]) -> None:
    """Refuse a ledger and cohorts that cover different programme years, naming the years."""
    if cost_years == cohort_years:
        return
    parts = []
    if only_costs := sorted(cost_years - cohort_years):
        parts.append(f"costs but no participants for {', '.join(map(str, only_costs))}")
    if only_cohorts := sorted(cohort_years - cost_years):
        parts.append(f"participants but no costs for {', '.join(map(str, only_cohorts))}")
    raise InputError(
        "The cost ledger and the follow-up cohorts cover different years: " + "; ".join(parts) + ".",
        column="year",
        expected="the same programme years in both, so that no cost is left without its outcomes or the reverse",
    )


def _cost_by_year(ledger: pd.DataFrame, years: pd.Series) -> pd.DataFrame:
    """Costs per programme year and payer, with ``total`` and ``public`` (NOK, report prices).

    ``ledger`` has ``amount_report_nok``; one row comes back for each of ``years``.
    """
    by_year = (
        ledger.pivot_table(index="year", columns="payer", values="amount_report_nok", aggfunc="sum", fill_value=0.0)
        .reindex(columns=[*PAYERS, "unspecified"], fill_value=0.0)
        .reindex(years, fill_value=0.0)
    )
    by_year["total"] = by_year[[*PAYERS, "unspecified"]].sum(axis=1)
    by_year["public"] = by_year["total"] - by_year["other"]
    return by_year
