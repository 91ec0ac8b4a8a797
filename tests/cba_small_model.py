"""The small cost-benefit model the tests calculate by hand (shared by the cost-benefit test modules).

One cohort (2024) of 100 participants: 30 % in work (and not in education)
and 50 % in education at follow-up. Nullalternativ 20 % in work and 30 % in
education, attribution and displacement 0:

* additional youths in work      A_W = 100 * (0.30 - 0.20) = 10
* additional youths in education A_E = 100 * (0.50 - 0.30) = 20

Work: NOK 100 000 a year of production per youth (2024 prices, not
labour-linked, real-price growth 0) for 3 years, 20 % drop-off:
weights 1, 0.8, 0.64 in years 1-3. Education: 1 school year at NOK 50 000
(county), then 50 % complete x 0.4 added share in work = 0.2 of a youth-year
in work, for 2 years with 10 % drop-off: weights 1 (year 2) and 0.9 (year 3).
30 % of production is taxes (municipality 25 %, county 5 %, state the rest);
NOK 10 000 a year of social assistance (municipality) and NOK 5 000 of state
benefits saved per youth-year in work. Tax-financing cost 20 %. Programme
cost NOK 1 000 000 in 2024, paid by the county. Discounting: R-109 (4 % for
years 1-40) from the comparison year 2024. Every expected number in the
tests is written out with these figures.
"""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd

from outcomes.analyses.costbenefit.model import CostBenefitModel, prepare
from outcomes.registries import assumptions as A

V, K, T_M, T_S, SHARE, TAU, COST = 100_000.0, 50_000.0, 10_000.0, 5_000.0, 0.3, 0.2, 1_000_000.0
A_W, A_E = 10.0, 20.0
D1, D2, D3 = 1 / 1.04, 1 / 1.04**2, 1 / 1.04**3
#: Youth-years of the work stream, discounted: sum of weight / 1.04**t.
S_WORK = 1 * D1 + 0.8 * D2 + 0.64 * D3
#: Youth-years of the completion gain, discounted (0.2 = 0.5 completion x 0.4 added share in work).
S_GAIN = 0.2 * (1 * D2 + 0.9 * D3)


def item(id_: str, value: float, unit: str, low: float | None = None, high: float | None = None, **extra: Any) -> dict:
    """One assumption as the registry file gives it (judgement, green; money in 2024 prices)."""
    entry: dict[str, Any] = {
        "id": id_,
        "label": id_.replace("_", " "),
        "value": value,
        "unit": unit,
        "source": {"document": "Test hand calculation"},
        "evidence": "judgement",
        "low": value if low is None else low,
        "high": value if high is None else high,
        "quality": "green",
        "impact": "green",
    }
    if unit in ("NOK", "NOK/year"):
        entry["price_year"] = 2024
    entry.update(extra)
    return entry


BASE_ITEMS = [
    item("null_work_share", 0.2, "share", 0.1, 0.3, distribution={"kind": "pert"}),
    item("null_education_share", 0.3, "share", 0.2, 0.4),
    item("attribution", 0.0, "share", 0.0, 0.5),
    item("displacement", 0.0, "share", 0.0, 0.3),
    item("value_per_year", V, "NOK/year", 50_000, 200_000, distribution={"kind": "triangular"}),
    item("real_price_growth", 0.0, "share/year", 0.0, 0.02),
    item("work_duration_years", 3, "years", 2, 5),
    item("drop_off_work", 0.2, "share/year", 0.0, 0.5),
    item("education_years", 1, "years", 0, 3),
    item("upper_secondary_place_cost", K, "NOK/year", 0, 100_000),
    item("education_completion_share", 0.5, "share", 0.3, 0.8),
    item("completion_employment_gain", 0.4, "share", 0.2, 0.8),
    item("education_gain_years", 2, "years"),
    item("drop_off_education", 0.1, "share/year", 0.0, 0.2),
    item("public_share_of_value", SHARE, "share", 0.2, 0.4),
    item("transfers_saved_municipality_per_year", T_M, "NOK/year", 0, 50_000),
    item("transfers_saved_state_per_year", T_S, "NOK/year", 0, 50_000),
    item("public_benefit_share_municipality", 0.25, "share"),
    item("public_benefit_share_county", 0.05, "share"),
    item("participant_cost_per_participant", 0, "NOK", 0, 10_000),
    item("induced_nav_cost_per_participant", 0, "NOK", 0, 10_000),
    item("induced_health_cost_per_participant", 0, "NOK", 0, 10_000),
    item("analysis_period_years", 40, "years"),
    item("discount_rate_1", 0.04, "share/year", 0.02, 0.06),
    item("discount_rate_2", 0.03, "share/year"),
    item("discount_rate_3", 0.02, "share/year"),
    item("discount_break_1", 40, "years"),
    item("discount_break_2", 75, "years"),
    item("tax_financing_cost", TAU, "share", 0.0, 0.5),
]

#: The R-109 schedule as the registry gives it: rates and break years named by assumption id.
R109_STEPS = [
    {"until_year": "discount_break_1", "rate": "discount_rate_1"},
    {"until_year": "discount_break_2", "rate": "discount_rate_2"},
    {"rate": "discount_rate_3"},
]


def registry_data(remove: tuple[str, ...] = (), add: tuple[dict, ...] = (), **values: float) -> dict[str, Any]:
    """The small model's registry as data, with ids removed, added or set to other values."""
    items = [copy.deepcopy(i) for i in BASE_ITEMS if i["id"] not in remove]
    for entry in items:
        if entry["id"] in values:
            entry["value"] = values[entry["id"]]
            entry["low"] = min(entry["low"], entry["value"])
            entry["high"] = max(entry["high"], entry["value"])
    items.extend(copy.deepcopy(list(add)))
    return {
        "programme": "test",
        "settings": {"report_price_year": 2024, "comparison_year": 2024, "price_index": "KPI"},
        "assumptions": items,
        "discount_schedule": copy.deepcopy(R109_STEPS),
        "nullalternative": {"work": {"default": "null_work_share"}, "education": {"default": "null_education_share"}},
    }


def make_registry(**kwargs: Any) -> A.Registry:
    """The small model's registry, validated (see :func:`registry_data`)."""
    return A.parse_registry(registry_data(**kwargs), file="test.yml")


def cohorts(participants: float = 100, work: float = 0.3, education: float = 0.5, year: int = 2024) -> pd.DataFrame:
    """One cohort: participants and its shares in work and in education (0-1)."""
    return pd.DataFrame(
        {"year": [year], "participants": [participants], "rate_work": [work], "rate_education": [education]}
    )


def costs(amount: float = COST, year: int = 2024, price_year: int = 2024, payer: str = "county") -> pd.DataFrame:
    """A one-row cost ledger."""
    return pd.DataFrame(
        {"year": [year], "category": ["staff"], "amount_nok": [amount], "price_year": [price_year], "payer": [payer]}
    )


def model(
    indices: pd.DataFrame,
    registry: A.Registry | None = None,
    ledger: pd.DataFrame | None = None,
    table: pd.DataFrame | None = None,
    **kwargs: Any,
) -> CostBenefitModel:
    """The small model prepared (any part replaced)."""
    return prepare(
        registry if registry is not None else make_registry(),
        ledger if ledger is not None else costs(),
        table if table is not None else cohorts(),
        indices,
        **kwargs,
    )
