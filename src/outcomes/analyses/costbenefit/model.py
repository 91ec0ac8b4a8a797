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
  the product of ``1/(1 + r_k)`` for k = 1..t, where ``r_k`` is
  ``discount_rate_1`` up to ``discount_break_1`` (40), ``discount_rate_2`` up
  to ``discount_break_2`` (75) and ``discount_rate_3`` after (the Ministry of
  Finance's 4 %, 3 %, 2 %). Each cohort is discounted to its own programme
  year; cohorts are then added up in constant report-year prices.
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

Everything here is pure: no file is read except in :func:`load_costs`. The
vectorised core evaluates the model for many parameter sets at once, which
is what the Monte Carlo simulation, one-way sensitivity and break-even search
use; there is no Python loop over draws.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from outcomes.analyses.costbenefit import prices
from outcomes.core.errors import ConfigError, InputError, require_columns
from outcomes.core.jsonable import jsonable
from outcomes.registries.assumptions import SHARE_UNITS, Assumption, Registry

Perspective = Literal["society", "public", "participant"]
PERSPECTIVES: tuple[str, ...] = ("society", "public", "participant")
PAYERS: tuple[str, ...] = ("municipality", "county", "state", "other")
PUBLIC_PAYERS: tuple[str, ...] = ("municipality", "county", "state")

#: Assumption ids every registry must define for this model.
REQUIRED_IDS: tuple[str, ...] = (
    "attribution",
    "displacement",
    "duration_years",
    "drop_off",
    "public_share_of_value",
    "transfers_saved_per_year",
    "discount_rate_1",
    "discount_rate_2",
    "discount_rate_3",
    "discount_break_1",
    "discount_break_2",
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
#: Expected unit of each id the model reads.
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
    "discount_rate_1": "share/year",
    "discount_rate_2": "share/year",
    "discount_rate_3": "share/year",
    "discount_break_1": "years",
    "discount_break_2": "years",
    "tax_financing_cost": "share",
    "public_benefit_share_municipality": "share",
    "public_benefit_share_county": "share",
}
#: Default seed of the simulation (the run configuration normally sets one).
DEFAULT_SEED = 20240101
DEFAULT_DRAWS = 10_000


# ====================================================================== building blocks


def _rate_matrix(rates: Sequence[np.ndarray], breaks: Sequence[np.ndarray], horizon: int) -> np.ndarray:
    """Yearly discount rate r_t for t = 1..horizon, one row per parameter set."""
    t = np.arange(1, horizon + 1)
    r1, r2, r3 = (np.asarray(r, dtype=float).reshape(-1, 1) for r in rates)
    b1, b2 = (np.asarray(b, dtype=float).reshape(-1, 1) for b in breaks)
    return np.where(t <= b1, r1, np.where(t <= b2, r2, r3))


def _discount_matrix(rates: Sequence[np.ndarray], breaks: Sequence[np.ndarray], horizon: int) -> np.ndarray:
    """Discount factors for years 1..horizon (columns), one row per parameter set."""
    # Summing log(1 + r) and exponentiating once keeps the product exact to
    # rounding however long the horizon, and vectorises over parameter sets.
    return np.exp(-np.cumsum(np.log1p(_rate_matrix(rates, breaks, horizon)), axis=1))


def discount_factors(
    horizon: int,
    rates: tuple[float, float, float] = (0.04, 0.03, 0.02),
    breaks: tuple[float, float] = (40, 75),
) -> np.ndarray:
    """Discount factors for years 0..horizon under a stepped real rate.

    Parameters
    ----------
    horizon
        Last year (years after the programme year, which is year 0).
    rates
        Real discount rates (shares per year, 0.04 = 4 %) for years
        1..``breaks[0]``, ``breaks[0]+1``..``breaks[1]`` and after. The default
        is the Ministry of Finance's schedule (R-109): 4 %, 3 %, 2 %.
    breaks
        Last year of the first and of the second rate (40 and 75).

    Returns
    -------
    numpy.ndarray
        ``horizon + 1`` factors (dimensionless); factor 0 is 1 (year 0 is
        not discounted). For the default schedule the factor of a year
        t > 40 is ``1 / (1.04**40 * 1.03**(t - 40))`` up to year 75.

    Raises
    ------
    ConfigError
        If ``horizon`` is negative or the breaks are in the wrong order.
    """
    if horizon < 0:
        raise ConfigError(f"The horizon must be 0 or more years, found {horizon}.", column="horizon")
    if breaks[0] > breaks[1]:
        raise ConfigError(
            f"The discount schedule's breaks are in the wrong order: {breaks[0]} > {breaks[1]}.",
            column="discount_break_1",
            expected="discount_break_1 <= discount_break_2",
        )
    tail = _discount_matrix([np.array([r]) for r in rates], [np.array([b]) for b in breaks], horizon)[0]
    return np.concatenate([[1.0], tail])


def annuity_factor(
    years: float,
    rates: tuple[float, float, float] = (0.04, 0.03, 0.02),
    breaks: tuple[float, float] = (40, 75),
) -> float:
    """Present value at year 0 of 1 NOK a year paid in years 1..``years``.

    Parameters
    ----------
    years
        Number of years (a fraction counts the last year in part).
    rates, breaks
        The discount schedule, as in :func:`discount_factors`.

    Returns
    -------
    float
        The factor (years); 18.66 for 35 years at 4 %.
    """
    horizon = max(1, math.ceil(years))
    weights = np.clip(years - np.arange(horizon), 0.0, 1.0)
    return float(np.sum(weights * discount_factors(horizon, rates, breaks)[1:]))


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
    if (comparison_rate is None) == (deadweight is None):
        raise ConfigError(
            "The counterfactual must be either a comparison rate or a deadweight share, "
            + ("not both." if comparison_rate is not None else "and neither was given."),
            column="comparison_rate / deadweight",
            expected="exactly one of comparison_rate and deadweight",
        )
    frame = validate_cohorts(cohorts)
    if comparison_rate is not None:
        gross = frame["participants"] * (frame["rate"] - comparison_rate)
    else:
        gross = frame["participants"] * frame["rate"] * (1.0 - deadweight)
    result = gross * (1.0 - attribution) * (1.0 - displacement)
    result.index = frame["year"]
    return result.rename("additional_youths")


# ====================================================================== inputs


def _to_numbers(frame: pd.DataFrame, columns: Iterable[str], problem: Callable[[str, int], InputError]) -> None:
    """Turn columns of a table into numbers, in place, refusing a missing or non-numeric cell.

    Parameters
    ----------
    frame
        The table; its columns are replaced by their numeric values.
    columns
        The columns to convert, checked in this order.
    problem
        Builds the error for the first bad cell from its column and 0-based row.

    Raises
    ------
    InputError
        The one ``problem`` builds, at the first missing or non-numeric cell.
    """
    for column in columns:
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().any():
            raise problem(column, int(np.flatnonzero(values.isna().to_numpy())[0]))
        frame[column] = values


def validate_cohorts(cohorts: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """Check the participants-and-rates table the model needs.

    Parameters
    ----------
    cohorts
        Columns ``year`` (programme year), ``participants`` (count, >= 0) and
        ``rate`` (share 0-1 in the outcome at follow-up); other columns are
        kept.
    file
        Name for messages.

    Returns
    -------
    pandas.DataFrame
        A copy sorted by year, ``year`` as int and the others as float.

    Raises
    ------
    InputError
        If a column is missing, a value is missing or out of range (a rate
        above 1 is taken as a percent by mistake), or a year repeats.
    """
    required = ("year", "participants", "rate")
    require_columns(
        cohorts.columns,
        required,
        "The cohort table",
        file=file,
        expected="columns year, participants, rate (share 0-1)",
    )
    frame = cohorts.copy()
    _to_numbers(
        frame,
        required,
        lambda column, row: InputError(
            f"The cohort table has a missing or non-numeric {column} in row {row + 1}.",
            file=file,
            column=column,
            expected="a number in every row",
        ),
    )
    if frame.empty:
        raise InputError("The cohort table has no rows.", file=file, expected="one row per programme year")
    if (frame["rate"] > 1).any() or (frame["rate"] < 0).any():
        bad = frame.loc[(frame["rate"] > 1) | (frame["rate"] < 0)].iloc[0]
        raise InputError(
            f"Rate {bad['rate']} for {int(bad['year'])} is outside 0-1.",
            file=file,
            column="rate",
            expected="a share from 0 to 1 (divide percent by 100)",
        )
    if (frame["participants"] < 0).any():
        raise InputError("The cohort table has a negative number of participants.", file=file, column="participants")
    frame["year"] = frame["year"].astype(int)
    if frame["year"].duplicated().any():
        year = int(frame.loc[frame["year"].duplicated(), "year"].iloc[0])
        raise InputError(
            f"Programme year {year} appears twice in the cohort table.",
            file=file,
            column="year",
            expected="one row per year",
        )
    frame["participants"] = frame["participants"].astype(float)
    frame["rate"] = frame["rate"].astype(float)
    return frame.sort_values("year").reset_index(drop=True)


def cohorts_from_followup(
    rates: pd.DataFrame,
    *,
    group: str = "education_or_work",
    treatment: str = "respondents",
    department: str = "all",
    participants: pd.Series | None = None,
) -> pd.DataFrame:
    """Build the model's cohort table from a follow-up rates table.

    Parameters
    ----------
    rates
        Output of :func:`outcomes.analyses.followup.rates.followup_rates`: columns
        ``followup_year``, ``department``, ``group``, ``treatment``,
        ``contacted`` (people) and ``share`` (0-1).
    group
        Outcome group whose share is the programme rate
        (``education_or_work`` or ``positive_activity``). The comparison rate
        or deadweight in the registry must describe the same outcome.
    treatment
        Non-response treatment: ``respondents``, ``negative`` (lower bound) or
        ``positive`` (upper bound).
    department
        ``all`` or one department.
    participants
        Participants per year (persons, indexed by year); the number
        contacted is used when ``None``.

    Returns
    -------
    pandas.DataFrame
        Columns ``year``, ``participants``, ``rate`` (share 0-1), validated.

    Raises
    ------
    InputError
        If the group, treatment or department has no rows.
    """
    needed = ("followup_year", "department", "group", "treatment", "contacted", "share")
    require_columns(rates.columns, needed, "The follow-up rates table")
    mask = (rates["group"] == group) & (rates["treatment"] == treatment) & (rates["department"] == department)
    picked = rates.loc[mask]
    if picked.empty:
        raise InputError(
            f"No follow-up rates for group {group!r}, treatment {treatment!r}, department {department!r}.",
            column="group",
            expected="a group, treatment and department present in the rates table",
        )
    table = pd.DataFrame(
        {
            "year": picked["followup_year"].astype(int).to_numpy(),
            "participants": picked["contacted"].astype(float).to_numpy(),
            "rate": picked["share"].astype(float).to_numpy(),
        }
    )
    if participants is not None:
        table["participants"] = table["year"].map(participants).astype(float)
    return validate_cohorts(table)


def validate_costs(costs: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    """Check a programme cost ledger.

    Parameters
    ----------
    costs
        Columns ``year`` (programme year the cost belongs to), ``category``
        (text), ``amount_nok`` (NOK in ``price_year`` prices) and
        ``price_year``; optional ``payer`` (``municipality``, ``county``,
        ``state``; ``other`` for non-public money such as foundations; blank
        for public money of unknown payer).
    file
        Name for messages.

    Returns
    -------
    pandas.DataFrame
        A copy with ``payer`` filled (``unspecified`` for blanks), ``year``
        and ``price_year`` as int and ``amount_nok`` as float.

    Raises
    ------
    InputError
        Naming the row (1-based, counting the header as line 1) and column.
    """
    required = ("year", "category", "amount_nok", "price_year")
    require_columns(
        costs.columns,
        required,
        "The cost ledger",
        file=file,
        expected="columns year, category, amount_nok, price_year and optionally payer",
    )
    frame = costs.copy()
    _to_numbers(
        frame,
        ("year", "amount_nok", "price_year"),
        lambda column, row: InputError(
            f"Missing or non-numeric {column}: {costs[column].iloc[row]!r}.",
            file=file,
            line=row + 2,
            column=column,
            expected="a number (NOK without spaces or currency sign)" if column == "amount_nok" else "a year",
        ),
    )
    if frame.empty:
        raise InputError("The cost ledger has no rows.", file=file, expected="one row per year and category")
    if "payer" not in frame.columns:
        frame["payer"] = "unspecified"
    payer = frame["payer"].astype("string").str.strip().str.lower().fillna("").replace("", "unspecified")
    bad = ~payer.isin([*PAYERS, "unspecified"])
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"Unknown payer {costs['payer'].iloc[row]!r}.",
            file=file,
            line=row + 2,
            column="payer",
            expected="municipality, county, state, other (non-public) or blank (public, payer unknown)",
        )
    frame["payer"] = payer.astype(object)
    frame["year"] = frame["year"].astype(int)
    frame["price_year"] = frame["price_year"].astype(int)
    frame["amount_nok"] = frame["amount_nok"].astype(float)
    frame["category"] = frame["category"].astype("string").fillna("").astype(object)
    return frame


def load_costs(path: str | Path) -> pd.DataFrame:
    """Read a cost ledger CSV and validate it (see :func:`validate_costs`).

    Parameters
    ----------
    path
        The CSV file (comma-separated, UTF-8, header row).

    Returns
    -------
    pandas.DataFrame
        The validated ledger.

    Raises
    ------
    InputError
        If the file is missing or unusable.
    """
    file = Path(path)
    if not file.is_file():
        raise InputError("Cost ledger not found.", file=file, hint="Check 'inputs.costs' in the run configuration.")
    return validate_costs(
        pd.read_csv(file, dtype={"category": str, "payer": str}, keep_default_na=False), file=str(file)
    )


# ====================================================================== the prepared model


@dataclass(frozen=True)
class CostBenefitModel:
    """Inputs checked and brought to the report price year, ready to evaluate.

    Build it with :func:`prepare`. All money is NOK in ``report_price_year``
    prices.
    """

    registry: Registry
    report_price_year: int
    price_index: str
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
    file = registry.source_file
    missing = [i for i in REQUIRED_IDS if not registry.has(i)]
    if missing:
        raise ConfigError(
            f"The registry lacks assumption(s) the cost-benefit model needs: {', '.join(missing)}.",
            file=file,
            column=missing[0],
            expected="ids " + ", ".join(REQUIRED_IDS),
            hint="Copy them from config/assumptions/demo.yml and give each its own source.",
        )
    given_cf = [i for i in COUNTERFACTUAL_IDS if registry.has(i)]
    if len(given_cf) != 1:
        raise ConfigError(
            "The counterfactual must be either a comparison rate or a deadweight share, "
            + (
                "not both: the registry has comparison_rate and deadweight."
                if given_cf
                else "and the registry has neither."
            ),
            file=file,
            column="comparison_rate" if given_cf else None,
            expected="exactly one of the assumptions comparison_rate and deadweight",
            hint="Remove one of them." if given_cf else "Add one, with its source.",
        )
    given_value = [i for i in VALUE_IDS if registry.has(i)]
    if len(given_value) != 1:
        raise ConfigError(
            "The value of one additional youth must be either a present value per youth or a yearly value, "
            + ("not both." if given_value else "and the registry has neither."),
            file=file,
            column="value_pv_per_youth" if given_value else None,
            expected="exactly one of value_pv_per_youth (with value_pv_discount_rate) and value_per_year",
        )
    if given_value[0] == "value_pv_per_youth" and not registry.has("value_pv_discount_rate"):
        raise ConfigError(
            "A present value per youth needs the discount rate its source used, to spread it over the years.",
            file=file,
            column="value_pv_discount_rate",
            expected="an assumption value_pv_discount_rate (share per year, e.g. 0.04)",
        )
    for item in registry.assumptions:
        unit = EXPECTED_UNITS.get(item.id)
        if unit is not None and item.unit != unit:
            raise ConfigError(
                f"Assumption {item.id!r} has unit {item.unit!r}.",
                file=file,
                column=item.id,
                expected=f"unit {unit!r}",
            )
    if registry.get("discount_break_1").value > registry.get("discount_break_2").value:
        raise ConfigError(
            "discount_break_1 is after discount_break_2.",
            file=file,
            column="discount_break_1",
            expected="discount_break_1 <= discount_break_2",
        )
    shares = [registry.get(i).high for i in PAYER_SHARE_IDS.values() if registry.has(i)]
    if sum(shares) > 1.0 + 1e-12:
        raise ConfigError(
            "The municipality and county shares of public benefits can add up to more than 1 (at their high values).",
            file=file,
            column="public_benefit_share_municipality",
            expected="shares whose highs sum to at most 1 (the state gets the rest)",
        )
    return given_cf[0], "present_value" if given_value[0] == "value_pv_per_youth" else "annual"


def prepare(
    registry: Registry,
    costs: pd.DataFrame,
    cohorts: pd.DataFrame,
    indices: pd.DataFrame,
    *,
    report_price_year: int | None = None,
    price_index: str | None = None,
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
        If the registry lacks what the model needs, gives both counterfactuals
        or both value methods, or no report price year is known.
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
    index = price_index or registry.settings.price_index
    use_tfc = registry.settings.tax_financing if tax_financing is None else bool(tax_financing)
    cohort_frame = validate_cohorts(cohorts)
    ledger = validate_costs(costs)
    cost_years, cohort_years = set(ledger["year"]), set(cohort_frame["year"])
    if cost_years != cohort_years:
        only_costs = sorted(cost_years - cohort_years)
        only_cohorts = sorted(cohort_years - cost_years)
        parts = []
        if only_costs:
            parts.append(f"costs but no participants for {', '.join(map(str, only_costs))}")
        if only_cohorts:
            parts.append(f"participants but no costs for {', '.join(map(str, only_cohorts))}")
        raise InputError(
            "The cost ledger and the follow-up cohorts cover different years: " + "; ".join(parts) + ".",
            column="year",
            expected="the same programme years in both, so that no cost is left without its outcomes or the reverse",
        )
    ledger["amount_report_nok"] = prices.uprate(
        ledger["amount_nok"].to_numpy(), ledger["price_year"].to_numpy(), year, indices, index
    )
    ledger["public"] = ledger["payer"] != "other"
    by_year = (
        ledger.pivot_table(index="year", columns="payer", values="amount_report_nok", aggfunc="sum", fill_value=0.0)
        .reindex(columns=[*PAYERS, "unspecified"], fill_value=0.0)
        .reindex(cohort_frame["year"], fill_value=0.0)
    )
    by_year["total"] = by_year[[*PAYERS, "unspecified"]].sum(axis=1)
    by_year["public"] = by_year["total"] - by_year["other"]
    used_years = [year, *ledger["price_year"].unique().tolist()]
    factors: dict[str, float] = {}
    for item in registry.assumptions:
        if item.is_money:
            factors[item.id] = prices.uprating_factor(indices, item.price_year, year, index)  # type: ignore[arg-type]
            used_years.append(item.price_year)
    return CostBenefitModel(
        registry=registry,
        report_price_year=int(year),
        price_index=index,
        tax_financing=use_tfc,
        counterfactual=counterfactual,
        value_method=value_method,
        cohorts=cohort_frame,
        costs=ledger,
        cost_by_year=by_year,
        money_factors=factors,
        index_status=prices.index_status(indices, used_years, index),  # type: ignore[arg-type]
    )


# ====================================================================== vectorised core


def _evaluate(model: CostBenefitModel, params: Mapping[str, np.ndarray], detail: bool = False) -> dict[str, np.ndarray]:
    """Evaluate the model for n parameter sets at once (arrays of length n).

    All money in the result is NOK in the report price year, present value at
    each cohort's programme year, summed over cohorts.
    """
    p = {k: np.asarray(v, dtype=float) for k, v in params.items()}
    n = len(next(iter(p.values())))
    horizon = max(1, int(math.ceil(float(np.max(p["duration_years"])))))
    t = np.arange(1, horizon + 1)
    col = {k: v.reshape(-1, 1) for k, v in p.items()}

    discount = _discount_matrix(
        [p["discount_rate_1"], p["discount_rate_2"], p["discount_rate_3"]],
        [p["discount_break_1"], p["discount_break_2"]],
        horizon,
    )
    active = np.clip(col["duration_years"] - (t - 1), 0.0, 1.0)
    weight = active * (1.0 - col["drop_off"]) ** (t - 1)  # outcome-years per additional youth
    pv_factor = np.sum(weight * discount, axis=1)  # (n,)

    if model.value_method == "present_value":
        # Undo the source's own discounting to recover the yearly value, so the
        # model's schedule, duration and drop-off then apply to it once.
        source_annuity = np.sum(active / (1.0 + col["value_pv_discount_rate"]) ** t, axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            # A zero duration leaves no year to spread the value over: no value.
            yearly_value = np.where(
                source_annuity > 0,
                p["value_pv_per_youth"] * model.money_factors["value_pv_per_youth"] / source_annuity,
                0.0,
            )
    else:
        yearly_value = p["value_per_year"] * model.money_factors["value_per_year"]
    transfers = p["transfers_saved_per_year"] * model.money_factors["transfers_saved_per_year"]

    participants = model.cohorts["participants"].to_numpy()
    rates = model.cohorts["rate"].to_numpy()
    keep = (1.0 - p["attribution"]) * (1.0 - p["displacement"])
    if model.counterfactual == "comparison_rate":
        gross = participants @ rates - p["comparison_rate"] * participants.sum()
    else:
        gross = (participants @ rates) * (1.0 - p["deadweight"])
    additional = gross * keep

    share = p["public_share_of_value"]
    value_society = additional * yearly_value * pv_factor
    value_public = additional * (share * yearly_value + transfers) * pv_factor
    value_participant = additional * ((1.0 - share) * yearly_value - transfers) * pv_factor

    costs_total = float(model.cost_by_year["total"].sum())
    costs_public = float(model.cost_by_year["public"].sum())
    tfc = p["tax_financing_cost"] * (1.0 if model.tax_financing else 0.0)
    tfc_on_costs = tfc * costs_public
    tfc_on_savings = tfc * value_public
    society_benefits = value_society + tfc_on_savings
    society_costs = costs_total + tfc_on_costs

    out: dict[str, np.ndarray] = {
        "additional_youths": additional,
        "yearly_value": yearly_value,
        "transfers": transfers,
        "pv_factor": pv_factor,
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
    if detail:
        out["weight"] = weight
        out["discount"] = discount
    return out


# ====================================================================== results


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
    out = _evaluate(model, params, detail=True)
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


# ====================================================================== sensitivity and break-even


def _bounds(item: Assumption) -> tuple[float, float]:
    """Where to look for a break-even value of an assumption."""
    if item.unit in SHARE_UNITS:
        return 0.0, 1.0
    if item.unit == "years":
        return 0.0, 200.0
    scale = max(abs(item.value), abs(item.high), 1.0)
    return 0.0, 1000.0 * scale


def _npv_at(model: CostBenefitModel, assumption_id: str, values: np.ndarray, perspective: str) -> np.ndarray:
    params = model.base_parameters(len(values))
    params[assumption_id] = np.asarray(values, dtype=float)
    return _evaluate(model, params)[f"{perspective}_npv"]


def _solve(
    model: CostBenefitModel,
    assumption_id: str,
    lo: float,
    hi: float,
    f_lo: float,
    f_hi: float,
    perspective: str,
    tol_nok: float,
) -> tuple[float, float]:
    """Regula falsi (Illinois variant) with a bisection fallback on a bracket."""
    # NPV is linear in most assumptions, so a secant step usually lands on the
    # root at once; the Illinois halving and the bisection guard keep it safe
    # for the non-linear ones (discount rates, drop-off, duration).
    best_x, best_f = (lo, f_lo) if abs(f_lo) < abs(f_hi) else (hi, f_hi)
    side = 0
    for _ in range(200):
        x = hi - f_hi * (hi - lo) / (f_hi - f_lo) if f_hi != f_lo else 0.5 * (lo + hi)
        if not lo < x < hi:
            x = 0.5 * (lo + hi)
        fx = float(_npv_at(model, assumption_id, np.array([x]), perspective)[0])
        if abs(fx) < abs(best_f):
            best_x, best_f = x, fx
        if abs(fx) <= tol_nok or hi - lo <= 1e-13 * max(1.0, abs(x)):
            break
        if np.sign(fx) == np.sign(f_lo):
            lo, f_lo = x, fx
            if side == -1:
                f_hi /= 2.0
            side = -1
        else:
            hi, f_hi = x, fx
            if side == 1:
                f_lo /= 2.0
            side = 1
    return best_x, best_f


def break_even(
    model: CostBenefitModel,
    ids: Iterable[str] | None = None,
    *,
    perspective: Perspective = "society",
    tol_nok: float = 0.01,
) -> pd.DataFrame:
    """The value of each assumption at which the NPV is zero (switching value).

    Parameters
    ----------
    model
        From :func:`prepare`.
    ids
        Assumptions to solve for; all with ``low < high`` when ``None``.
    perspective
        Whose NPV: ``society`` (default) or ``public``.
    tol_nok
        Stop when |NPV| is at most this many NOK (report prices).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``id``: ``label``, ``unit``, ``price_year`` (money in the
        assumption's own price year, like ``value``), ``value``, ``low``,
        ``high``, ``break_even`` (NaN when the NPV does not change sign over
        the searched range), ``npv_at_break_even_nok``, ``within_range``
        (break-even between low and high) and ``note``. When the NPV changes
        sign more than once, the crossing nearest ``value`` is reported.
    """
    if perspective not in ("society", "public"):
        raise ConfigError(
            f"No break-even for perspective {perspective!r}.", column="perspective", expected="society or public"
        )
    items = model.assumptions
    # Fixed assumptions (low == high) are not uncertain, so their switching
    # values are only computed on request.
    selected = list(ids) if ids is not None else [i for i in items if items[i].varies]
    rows = []
    for assumption_id in selected:
        model.registry.get(assumption_id)  # unknown ids raise a ConfigError with suggestions
        item = items[assumption_id]
        lo, hi = _bounds(item)
        grid = np.unique(np.concatenate([np.linspace(lo, hi, 2001), [item.value, item.low, item.high]]))
        npv = _npv_at(model, assumption_id, grid, perspective)
        finite = np.isfinite(npv)
        grid, npv = grid[finite], npv[finite]
        row: dict[str, Any] = {
            "id": assumption_id,
            "label": item.label,
            "unit": item.unit,
            "price_year": item.price_year,
            "value": item.value,
            "low": item.low,
            "high": item.high,
            "break_even": math.nan,
            "npv_at_break_even_nok": math.nan,
            "within_range": False,
            "note": "",
        }
        if np.ptp(npv) <= tol_nok:
            row["note"] = "NPV does not depend on this assumption"
        else:
            exact = np.flatnonzero(np.abs(npv) <= tol_nok)
            crossings = np.flatnonzero(np.sign(npv[:-1]) * np.sign(npv[1:]) < 0)
            if exact.size == 0 and crossings.size == 0:
                sign = "positive" if npv[0] > 0 else "negative"
                row["note"] = f"NPV stays {sign} for all values from {lo:g} to {hi:g}"
            else:
                candidates = [(abs(grid[i] - item.value), grid[i], float(npv[i])) for i in exact]
                for i in crossings:
                    x, fx = _solve(
                        model,
                        assumption_id,
                        grid[i],
                        grid[i + 1],
                        float(npv[i]),
                        float(npv[i + 1]),
                        perspective,
                        tol_nok,
                    )
                    candidates.append((abs(x - item.value), x, fx))
                _, x, fx = min(candidates)
                row["break_even"] = float(x)
                row["npv_at_break_even_nok"] = fx
                row["within_range"] = bool(item.low <= x <= item.high)
                if abs(fx) > tol_nok:
                    row["note"] = "NPV jumps across zero here (the assumption acts in whole years)"
                elif len(candidates) > 1:
                    row["note"] = "NPV crosses zero more than once; the crossing nearest the value is shown"
        rows.append(row)
    return pd.DataFrame(rows).set_index("id") if rows else pd.DataFrame()


def one_way_sensitivity(
    model: CostBenefitModel,
    ids: Iterable[str] | None = None,
    *,
    perspective: Perspective = "society",
) -> pd.DataFrame:
    """Move each assumption alone from its low to its high value (tornado).

    Parameters
    ----------
    model
        From :func:`prepare`.
    ids
        Assumptions to vary; all with ``low < high`` when ``None``.
    perspective
        ``society`` (default) or ``public``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``id``, sorted by ``swing`` (largest first): ``label``,
        ``unit``, ``price_year``, ``value``, ``low``, ``high``, ``bcr_base``,
        ``bcr_at_low``, ``bcr_at_high`` (kroner back per krone),
        ``npv_at_low_nok``, ``npv_at_high_nok`` (NOK, report prices) and
        ``swing`` (``|bcr_at_high - bcr_at_low|``).
    """
    if perspective not in ("society", "public"):
        raise ConfigError(
            f"No sensitivity for perspective {perspective!r}.", column="perspective", expected="society or public"
        )
    items = model.assumptions
    selected = [i for i in items if items[i].varies] if ids is None else list(ids)
    for assumption_id in selected:
        model.registry.get(assumption_id)  # unknown ids raise a ConfigError with suggestions
    base = _evaluate(model, model.base_parameters())
    rows = []
    for assumption_id in selected:
        item = items[assumption_id]
        params = model.base_parameters(2)
        params[assumption_id] = np.array([item.low, item.high])
        out = _evaluate(model, params)
        ratio, npv = out[f"{perspective}_bcr"], out[f"{perspective}_npv"]
        rows.append(
            {
                "id": assumption_id,
                "label": item.label,
                "unit": item.unit,
                "price_year": item.price_year,
                "value": item.value,
                "low": item.low,
                "high": item.high,
                "bcr_base": float(base[f"{perspective}_bcr"][0]),
                "bcr_at_low": float(ratio[0]),
                "bcr_at_high": float(ratio[1]),
                "npv_at_low_nok": float(npv[0]),
                "npv_at_high_nok": float(npv[1]),
                "swing": float(abs(ratio[1] - ratio[0])),
            }
        )
    if not rows:
        return pd.DataFrame()
    table = pd.DataFrame(rows).set_index("id")
    return table.sort_values("swing", ascending=False, kind="stable")


# ====================================================================== Monte Carlo


@dataclass(frozen=True)
class SimulationResult:
    """Monte Carlo result for the society perspective (money: NOK, report prices)."""

    draws: int
    seed: int
    varied: list[str]
    bcr: np.ndarray = field(repr=False)
    npv: np.ndarray = field(repr=False)

    @property
    def p_benefits_exceed_costs(self) -> float:
        """Share (0-1) of draws with NPV > 0."""
        return float(np.mean(self.npv > 0))

    def bcr_percentiles(self, levels: Sequence[float] = (5, 50, 95)) -> dict[str, float]:
        """Percentiles of the ratio, keyed ``p5``, ``p50``, ``p95``."""
        return {f"p{level:g}": float(np.nanpercentile(self.bcr, level)) for level in levels}

    def npv_percentiles(self, levels: Sequence[float] = (5, 50, 95)) -> dict[str, float]:
        """Percentiles of the NPV (NOK), keyed ``p5``, ``p50``, ``p95``."""
        return {f"p{level:g}": float(np.nanpercentile(self.npv, level)) for level in levels}


def _natural_bounds(item: Assumption) -> tuple[float, float]:
    return (0.0, 1.0) if item.unit in SHARE_UNITS else (0.0, math.inf)


def sample_assumption(item: Assumption, draws: int, seed: int) -> np.ndarray:
    """Draws of one assumption from its distribution.

    Parameters
    ----------
    item
        The assumption; without a distribution (or with ``low == high``) it is
        held at its value.
    draws
        Number of draws.
    seed
        Simulation seed. Each assumption gets its own stream, derived from the
        seed and its id, so adding or removing another assumption does not
        change its draws.

    Returns
    -------
    numpy.ndarray
        ``draws`` values in the assumption's own unit and price year.
    """
    if item.distribution is None or not item.varies:
        return np.full(draws, item.value)
    rng = np.random.default_rng([int(seed), zlib.crc32(item.id.encode("utf-8"))])
    lo, mode, hi = item.low, item.value, item.high
    kind = item.distribution.kind
    if kind == "uniform":
        values = rng.uniform(lo, hi, draws)
    elif kind == "triangular":
        values = rng.triangular(lo, mode, hi, draws)
    elif kind == "pert":
        span = hi - lo
        alpha = 1.0 + 4.0 * (mode - lo) / span
        beta = 1.0 + 4.0 * (hi - mode) / span
        values = lo + span * rng.beta(alpha, beta, draws)
    else:  # normal: low and high are the 5th and 95th percentiles unless sd is given
        sd = item.distribution.sd or (hi - lo) / (2.0 * 1.6448536269514722)
        values = rng.normal(mode, sd, draws)
    floor, ceiling = _natural_bounds(item)
    return np.clip(values, floor, ceiling)


def monte_carlo(model: CostBenefitModel, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> SimulationResult:
    """Simulate the society ratio with every assumption drawn from its distribution.

    Parameters
    ----------
    model
        From :func:`prepare`.
    draws
        Number of draws (10,000 by default).
    seed
        Seed (non-negative integer); the same seed gives the same draws.

    Returns
    -------
    SimulationResult
        Ratio and NPV of every draw, P(benefits > costs) and percentiles.

    Raises
    ------
    ConfigError
        If ``draws`` < 1 or ``seed`` is negative.
    """
    if draws < 1:
        raise ConfigError(f"The simulation needs at least 1 draw, found {draws}.", column="draws")
    if seed < 0:
        raise ConfigError(f"The seed must be 0 or more, found {seed}.", column="seed")
    params = {a.id: sample_assumption(a, draws, seed) for a in model.registry.assumptions}
    out = _evaluate(model, params)
    varied = [a.id for a in model.registry.assumptions if a.distribution is not None and a.varies]
    return SimulationResult(
        draws=int(draws), seed=int(seed), varied=varied, bcr=out["society_bcr"], npv=out["society_npv"]
    )


# ====================================================================== everything together


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
        From :func:`prepare`.
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
        "break_even": _records(analysis.break_even),
        "simulation": simulation,
        "overrides": jsonable(result.overrides),
    }
