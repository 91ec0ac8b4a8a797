"""The cost-benefit model: what it needs, checked and brought to one price year.

The method (docs/cost-benefit-method.md gives the chapter of DFØ's guide and
of R-109 behind each point):

* **Cohorts and the nullalternativ.** Each programme year is a cohort: its
  participants, the share in work (and not in education) and the share in
  education at follow-up. The registry's ``nullalternative`` gives, per
  stream and cohort, the share the same youths would have had without the
  programme (a cohort's own data where given, else a rated assumption). The
  additional youths of a stream are participants x (share - nullalternativ),
  times (1 - ``attribution``) only where the registry says why attribution
  is stacked on the nullalternativ, and, for work, times
  (1 - ``displacement``).
* **Two value streams.** *Work*: an additional youth in work is worth a
  yearly production value (the present value per youth spread evenly over
  ``value_pv_years`` at the source's own rate, or ``value_per_year``), for
  ``work_duration_years`` with ``drop_off_work`` lost each year after the
  first. *Education*: an additional youth in education costs the county
  ``upper_secondary_place_cost`` for ``education_years``; afterwards
  ``education_completion_share`` x ``completion_employment_gain`` of a
  youth-year in work is gained for ``education_gain_years``, with
  ``drop_off_education``.
* **Prices.** One price year. Money is brought to it by the KPI (fixed
  prices, DFØ); *labour-linked* values (production, wages, services that
  are mostly wages) also grow by ``real_price_growth`` a year, from their own
  price year to every year they occur (realprisjustering). With the ``G``
  index the uprating to the price year already holds wage growth; only later
  years get the real-price growth.
* **Discounting.** One comparison year for the whole analysis: every flow,
  of every cohort, is discounted to it (years before it compounded forward)
  by the R-109 steps counted from it (:func:`~outcomes.analyses.costbenefit.discounting.calendar_discount`).
* **Analysis period and residual value.** ``analysis_period_years`` from the
  first programme year; flows after it are shown as the residual value and
  included in the total.
* **Perspectives and payers.** *Society*: production (both streams) minus
  programme, participants', induced and school costs, with the
  tax-financing cost (``tax_financing_cost``, 20 %) on the net public budget
  effect. Transfers saved are a gain for public budgets and a loss for the
  participant: they are shown per payer and cancel out for society.
  *Public budgets* split into municipality, county and state.

This module holds :class:`CostBenefitModel` and :func:`prepare`, the only
function that checks a registry for the model and brings its money to one
price year; :mod:`.evaluation` computes the flows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from outcomes.analyses.costbenefit import prices
from outcomes.analyses.costbenefit.model_inputs import PAYERS, validate_cohorts, validate_costs
from outcomes.analyses.costbenefit.prices import PriceIndex
from outcomes.core.errors import ConfigError, InputError
from outcomes.registries.assumptions import STREAMS, Assumption, Registry

Perspective = Literal["society", "public", "participant"]
PERSPECTIVES: tuple[str, ...] = ("society", "public", "participant")
PUBLIC_PAYERS: tuple[str, ...] = ("municipality", "county", "state")
#: Every payer the who-pays-who-gains table shows, in order.
ALL_PAYERS: tuple[str, ...] = (*PUBLIC_PAYERS, "unspecified", "other", "participant")

#: Assumption ids every registry must define for this model (besides the rates its discount schedule names).
REQUIRED_IDS: tuple[str, ...] = (
    "attribution",
    "displacement",
    "real_price_growth",
    "work_duration_years",
    "drop_off_work",
    "education_years",
    "upper_secondary_place_cost",
    "education_completion_share",
    "completion_employment_gain",
    "education_gain_years",
    "drop_off_education",
    "public_share_of_value",
    "transfers_saved_municipality_per_year",
    "transfers_saved_state_per_year",
    "participant_cost_per_participant",
    "induced_nav_cost_per_participant",
    "induced_health_cost_per_participant",
    "analysis_period_years",
    "tax_financing_cost",
)
#: Exactly one of these gives the value of a youth-year in work.
VALUE_IDS: tuple[str, ...] = ("value_pv_per_youth", "value_per_year")
#: Costs per participant caused by the programme elsewhere, and who pays them.
INDUCED_PAYERS: dict[str, str] = {
    "induced_nav_cost_per_participant": "state",
    "induced_health_cost_per_participant": "municipality",
}
#: Transfers saved per additional youth-year in work, and who saves them.
TRANSFER_PAYERS: dict[str, str] = {
    "transfers_saved_municipality_per_year": "municipality",
    "transfers_saved_state_per_year": "state",
}
#: Optional split of the taxes on added production by payer (the state gets the rest).
PAYER_SHARE_IDS: dict[str, str] = {
    "municipality": "public_benefit_share_municipality",
    "county": "public_benefit_share_county",
}
_SHARE = "share"
#: Expected unit of each id the model reads (the registry checks the units of the blocks' ids).
EXPECTED_UNITS: dict[str, str] = {
    "attribution": _SHARE,
    "displacement": _SHARE,
    "value_pv_per_youth": "NOK",
    "value_pv_discount_rate": "share/year",
    "value_pv_years": "years",
    "value_per_year": "NOK/year",
    "real_price_growth": "share/year",
    "work_duration_years": "years",
    "drop_off_work": "share/year",
    "education_years": "years",
    "upper_secondary_place_cost": "NOK/year",
    "education_completion_share": _SHARE,
    "completion_employment_gain": _SHARE,
    "education_gain_years": "years",
    "drop_off_education": "share/year",
    "public_share_of_value": _SHARE,
    "transfers_saved_municipality_per_year": "NOK/year",
    "transfers_saved_state_per_year": "NOK/year",
    "participant_cost_per_participant": "NOK",
    "induced_nav_cost_per_participant": "NOK",
    "induced_health_cost_per_participant": "NOK",
    "analysis_period_years": "years",
    "tax_financing_cost": _SHARE,
    "public_benefit_share_municipality": _SHARE,
    "public_benefit_share_county": _SHARE,
}


@dataclass(frozen=True)
class CostBenefitModel:
    """Inputs checked and brought to the report price year, ready to evaluate.

    Build it with :func:`prepare`. Money is NOK in ``report_price_year``
    prices; ``money_factors`` bring each money assumption there (price level
    only) and ``growth_base`` is the year from which a labour-linked one grows
    by the real-price growth. ``null_ids`` names, per stream, the assumption
    holding each cohort's nullalternativ (in cohort order).
    """

    registry: Registry
    report_price_year: int
    comparison_year: int
    price_index: PriceIndex
    tax_financing: bool
    value_method: str
    cohorts: pd.DataFrame
    costs: pd.DataFrame
    cost_by_year: pd.DataFrame
    money_factors: dict[str, float]
    growth_base: dict[str, int]
    null_ids: dict[str, list[str]]
    index_status: dict[int, str]

    @property
    def assumptions(self) -> dict[str, Assumption]:
        """Id -> assumption."""
        return {a.id: a for a in self.registry.assumptions}

    @property
    def first_year(self) -> int:
        """The first programme year (start of the analysis period)."""
        return int(self.cohorts["year"].min())

    def base_parameters(self, n: int = 1) -> dict[str, np.ndarray]:
        """Every assumption at its value, as arrays of length ``n``."""
        return {a.id: np.full(n, a.value, dtype=float) for a in self.registry.assumptions}

    def with_cohorts(self, cohorts: pd.DataFrame) -> CostBenefitModel:
        """The same model for another cohort table (e.g. another non-response treatment), same years."""
        table = validate_cohorts(cohorts)
        if list(table["year"]) != list(self.cohorts["year"]):
            raise InputError("The other cohort table covers other years.", column="year")
        return replace(self, cohorts=table)


def _check_registry_for_model(registry: Registry) -> str:
    """Refuse a registry the model cannot use; return its value method (``present_value`` or ``annual``)."""
    missing = [i for i in REQUIRED_IDS if not registry.has(i)]
    if missing:
        raise ConfigError(
            f"The registry lacks assumption(s) the cost-benefit model needs: {', '.join(missing)}.",
            file=registry.source_file,
            column=missing[0],
            expected="ids " + ", ".join(REQUIRED_IDS),
            hint="Copy them from config/assumptions/demo.yml and give each its own source.",
        )
    for block, example in (("discount_schedule", "steps {until_year, rate}"), ("nullalternative", "work, education")):
        if not getattr(registry, block):
            raise ConfigError(
                f"The registry has no {block}.",
                file=registry.source_file,
                column=block,
                expected=f"{block}: {example}",
                hint="Copy it, with the assumptions it names, from config/assumptions/demo.yml.",
            )
    value_method = _value_method(registry)
    _check_units_and_shares(registry)
    return value_method


def _value_method(registry: Registry) -> str:
    """``present_value`` or ``annual``: how the registry values a youth-year in work."""
    given = [i for i in VALUE_IDS if registry.has(i)]
    if len(given) != 1:
        raise ConfigError(
            "The value of a youth-year in work must be either a present value per youth or a yearly value, "
            + ("not both." if given else "and the registry has neither."),
            file=registry.source_file,
            column="value_pv_per_youth" if given else None,
            expected="exactly one of value_pv_per_youth (with value_pv_years, value_pv_discount_rate) and value_per_year",
        )
    needs = ("value_pv_years", "value_pv_discount_rate")
    if given[0] == "value_pv_per_youth" and not all(registry.has(i) for i in needs):
        raise ConfigError(
            "A present value per youth needs the years it covers and the rate its source used, to spread it.",
            file=registry.source_file,
            column="value_pv_discount_rate",
            expected="assumptions value_pv_years (years) and value_pv_discount_rate (share per year)",
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
            "The municipality and county shares of the taxes can add up to more than 1 (at their high values).",
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
        Participants and the shares in work and in education per programme
        year (see :func:`validate_cohorts`; shares 0-1). The years must be the
        ledger's years.
    indices
        Price index table from :func:`outcomes.analyses.costbenefit.prices.load_price_indices`.
    report_price_year
        Price year of every money output; the registry's
        ``settings.report_price_year`` when ``None``.
    price_index
        ``"KPI"`` or ``"G"``; the registry's setting when ``None``.
    tax_financing
        Apply the tax-financing cost in the society perspective; the
        registry's setting when ``None``.

    Returns
    -------
    CostBenefitModel
        The prepared model; its comparison year is the registry's
        ``settings.comparison_year``, or the price year when not given.

    Raises
    ------
    ConfigError
        If the registry lacks what the model needs, or no price year is known.
    InputError
        If the ledger or cohort table is unusable or their years differ.
    """
    value_method = _check_registry_for_model(registry)
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
    money = [item for item in registry.assumptions if item.price_year is not None]
    factors = {item.id: prices.uprating_factor(indices, int(item.price_year or year), year, index) for item in money}
    # With the KPI a labour-linked value grows by the real-price growth from its own price year;
    # G already holds wage growth up to the price year, so it grows only after it.
    growth_base = {item.id: int(item.price_year) if index == "KPI" else int(year) for item in money}  # type: ignore[arg-type]
    used_years = [year, *ledger["price_year"].unique().tolist(), *(item.price_year for item in money)]
    null = registry.nullalternative
    assert null is not None  # checked above
    return CostBenefitModel(
        registry=registry,
        report_price_year=int(year),
        comparison_year=int(registry.settings.comparison_year or year),
        price_index=index,
        tax_financing=registry.settings.tax_financing if tax_financing is None else bool(tax_financing),
        value_method=value_method,
        cohorts=cohort_frame,
        costs=ledger,
        cost_by_year=_cost_by_year(ledger, cohort_frame["year"]),
        money_factors=factors,
        growth_base=growth_base,
        null_ids={s: [getattr(null, s).id_for(y) for y in cohort_frame["year"]] for s in STREAMS},
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
    """Costs per programme year and payer, with ``total`` and ``public`` (NOK, report prices, undiscounted).

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
