"""Tests for the cost-benefit model (outcomes.analyses.costbenefit) against hand calculations.

Every expected number is computed in the test itself with plain arithmetic
(powers, sums, products), never by calling the code under test. The small
model used throughout:

* one cohort (2024): 100 participants, 80 % in education or work;
* comparison rate 50 %, attribution 20 %, displacement 0 %
  -> additional youths A = 100 * (0.8 - 0.5) * (1 - 0.2) = 24;
* NOK 100 000 a year of social value per additional youth for 3 years,
  20 % drop-off, 4 % discount rate
  -> S = 1/1.04 + 0.8/1.04**2 + 0.64/1.04**3 outcome-years (PV);
* 30 % of the value reaches public budgets, plus NOK 10 000 a year of
  transfers saved; tax-financing cost 20 %;
* NOK 1 000 000 programme cost in year 0, paid by the county.
All money is in 2024 prices unless a test says otherwise.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from outcomes.analyses.costbenefit import prices
from outcomes.analyses.costbenefit.analysis import analyse, result_to_dict
from outcomes.analyses.costbenefit.base_case import run_model
from outcomes.analyses.costbenefit.discounting import annuity_factor, discount_factors, discount_matrix, rate_matrix
from outcomes.analyses.costbenefit.evaluation import additional_youths, outcome_profile
from outcomes.analyses.costbenefit.labels import schedule_text
from outcomes.analyses.costbenefit.model import CostBenefitModel, prepare
from outcomes.analyses.costbenefit.model_inputs import (
    cohorts_from_followup,
    load_costs,
    validate_cohorts,
    validate_costs,
)
from outcomes.analyses.costbenefit.sensitivity import break_even, one_way_sensitivity
from outcomes.analyses.costbenefit.simulation import monte_carlo, sample_assumption
from outcomes.core.errors import ConfigError, InputError
from outcomes.core.i18n import Translator
from outcomes.registries import assumptions as A

ROOT = Path(__file__).resolve().parents[1]

# Hand-calculated quantities of the small model (see the module docstring).
S = 1 / 1.04 + 0.8 / 1.04**2 + 0.64 / 1.04**3
A_YOUTHS = 100 * (0.8 - 0.5) * (1 - 0.2) * (1 - 0.0)
V, T, SHARE, TAU, COST = 100_000.0, 10_000.0, 0.3, 0.2, 1_000_000.0


def _item(id_: str, value: float, unit: str, low: float, high: float, **extra: Any) -> dict[str, Any]:
    item = {
        "id": id_,
        "label": id_.replace("_", " "),
        "value": value,
        "unit": unit,
        "source": {"document": "Test hand calculation"},
        "evidence": "judgement",
        "low": low,
        "high": high,
        "quality": "green",
        "impact": "green",
    }
    if unit in ("NOK", "NOK/year"):
        item["price_year"] = 2024
    item.update(extra)
    return item


BASE_ITEMS = [
    _item("comparison_rate", 0.5, "share", 0.3, 0.7, distribution={"kind": "pert"}),
    _item("attribution", 0.2, "share", 0.0, 0.5, distribution={"kind": "uniform"}),
    _item("displacement", 0.0, "share", 0.0, 0.3),
    _item("value_per_year", V, "NOK/year", 50_000, 200_000, distribution={"kind": "triangular"}),
    _item("duration_years", 3, "years", 2, 5),
    _item("drop_off", 0.2, "share/year", 0.0, 0.5),
    _item("public_share_of_value", SHARE, "share", 0.2, 0.4),
    _item("transfers_saved_per_year", T, "NOK/year", 0, 50_000),
    _item("public_benefit_share_municipality", 0.25, "share", 0.25, 0.25),
    _item("public_benefit_share_county", 0.05, "share", 0.05, 0.05),
    _item("discount_rate_1", 0.04, "share/year", 0.02, 0.06),
    _item("discount_rate_2", 0.03, "share/year", 0.03, 0.03),
    _item("discount_rate_3", 0.02, "share/year", 0.02, 0.02),
    _item("discount_break_1", 40, "years", 40, 40),
    _item("discount_break_2", 75, "years", 75, 75),
    _item("tax_financing_cost", TAU, "share", 0.0, 0.5),
]


#: The R-109 schedule as the registry gives it: rates and break years named by assumption id.
R109_STEPS = [
    {"until_year": "discount_break_1", "rate": "discount_rate_1"},
    {"until_year": "discount_break_2", "rate": "discount_rate_2"},
    {"rate": "discount_rate_3"},
]


def registry_data(remove: tuple[str, ...] = (), add: tuple[dict, ...] = (), **values: float) -> dict[str, Any]:
    items = [copy.deepcopy(i) for i in BASE_ITEMS if i["id"] not in remove]
    for item in items:
        if item["id"] in values:
            item["value"] = values[item["id"]]
    items.extend(add)
    return {
        "programme": "test",
        "settings": {"report_price_year": 2024},
        "assumptions": items,
        "discount_schedule": copy.deepcopy(R109_STEPS),
    }


def make_registry(**kwargs: Any) -> A.Registry:
    return A.parse_registry(registry_data(**kwargs), file="test.yml")


def cohorts(participants: float = 100, rate: float = 0.8, year: int = 2024) -> pd.DataFrame:
    return pd.DataFrame({"year": [year], "participants": [participants], "rate": [rate]})


def costs(amount: float = COST, year: int = 2024, price_year: int = 2024, payer: str = "county") -> pd.DataFrame:
    return pd.DataFrame(
        {"year": [year], "category": ["staff"], "amount_nok": [amount], "price_year": [price_year], "payer": [payer]}
    )


@pytest.fixture(scope="module")
def indices() -> pd.DataFrame:
    return prices.load_price_indices()


def model(
    indices: pd.DataFrame,
    registry: A.Registry | None = None,
    ledger: pd.DataFrame | None = None,
    table: pd.DataFrame | None = None,
    **kwargs: Any,
) -> CostBenefitModel:
    return prepare(
        registry if registry is not None else make_registry(),
        ledger if ledger is not None else costs(),
        table if table is not None else cohorts(),
        indices,
        **kwargs,
    )


def demo_cohorts() -> pd.DataFrame:
    # Published education-or-work rates (seed 000, results slide); 2011 and 2012 are
    # not published and are interpolated between 2010 (75 %) and 2013 (79 %).
    # Participants: 200-250 a year (seed 000), rising as in the demo ledger.
    years = list(range(2011, 2021))
    participants = [205, 210, 215, 220, 225, 230, 235, 240, 245, 240]
    rates = [0.763, 0.777, 0.79, 0.85, 0.78, 0.87, 0.83, 0.82, 0.85, 0.87]
    return pd.DataFrame({"year": years, "participants": participants, "rate": rates})


# ====================================================================== building blocks


class TestDiscountFactors:
    def test_years_40_41_76(self):
        factors = discount_factors(80)
        assert factors[40] == pytest.approx(1 / 1.04**40, rel=1e-12)
        assert factors[41] == pytest.approx(1 / (1.04**40 * 1.03), rel=1e-12)
        assert factors[76] == pytest.approx(1 / (1.04**40 * 1.03**35 * 1.02), rel=1e-12)

    def test_year_0_is_not_discounted(self):
        assert discount_factors(5)[0] == 1.0
        assert discount_factors(5)[1] == pytest.approx(1 / 1.04)

    def test_flat_schedule_is_one_step(self):
        factors = discount_factors(30, [(None, 0.035)])
        assert factors[30] == pytest.approx(1 / 1.035**30, rel=1e-12)

    def test_four_steps(self):
        # 5 % for years 1-2, 4 % for year 3, 3 % for years 4-5, 1 % after.
        factors = discount_factors(7, [(2, 0.05), (3, 0.04), (5, 0.03), (None, 0.01)])
        by_hand = [1.0]
        for rate in (0.05, 0.05, 0.04, 0.03, 0.03, 0.01, 0.01):
            by_hand.append(by_hand[-1] / (1 + rate))
        np.testing.assert_allclose(factors, by_hand, rtol=1e-12)

    def test_until_years_out_of_order(self):
        with pytest.raises(ConfigError, match="wrong order"):
            discount_factors(10, [(75, 0.04), (40, 0.03), (None, 0.02)])

    def test_last_step_is_open(self):
        with pytest.raises(ConfigError, match="the last has none"):
            discount_factors(10, [(40, 0.04), (75, 0.03)])
        with pytest.raises(ConfigError, match="no steps"):
            discount_factors(10, [])

    def test_negative_horizon(self):
        with pytest.raises(ConfigError, match="horizon"):
            discount_factors(-1)


class TestRateMatrix:
    def test_one_row_per_parameter_set(self):
        # Two parameter sets: the first breaks after year 1, the second after year 2.
        matrix = rate_matrix([np.array([0.05, 0.06]), 0.02], [np.array([1, 2])], 3)
        np.testing.assert_array_equal(matrix, [[0.05, 0.02, 0.02], [0.06, 0.06, 0.02]])

    def test_first_step_covering_a_year_wins(self):
        # Until-years out of order (as a tornado may set them): year 2 is covered by step 1 first.
        matrix = rate_matrix([0.05, 0.04, 0.03], [3, 1], 4)
        np.testing.assert_array_equal(matrix, [[0.05, 0.05, 0.05, 0.03]])

    def test_counts_must_match(self):
        with pytest.raises(ConfigError, match="until-years"):
            rate_matrix([0.05, 0.04], [], 3)

    def test_discount_matrix_is_the_running_product(self):
        matrix = discount_matrix([0.1, 0.0], [1], 3)
        np.testing.assert_allclose(matrix, [[1 / 1.1, 1 / 1.1, 1 / 1.1]], rtol=1e-12)


class TestAnnuityFactor:
    def test_35_years_at_4_percent(self):
        expected = (1 - 1.04**-35) / 0.04
        assert expected == pytest.approx(18.6646, abs=1e-4)
        assert annuity_factor(35) == pytest.approx(expected, rel=1e-12)

    def test_crosses_the_40_year_break(self):
        expected = sum(1 / 1.04**t for t in range(1, 41)) + sum(
            1 / (1.04**40 * 1.03 ** (t - 40)) for t in range(41, 46)
        )
        assert annuity_factor(45) == pytest.approx(expected, rel=1e-12)

    def test_fraction_of_a_year(self):
        assert annuity_factor(1.5) == pytest.approx(1 / 1.04 + 0.5 / 1.04**2, rel=1e-12)


class TestOutcomeProfile:
    def test_drop_off_over_3_years(self):
        np.testing.assert_allclose(outcome_profile(3, 0.2), [1.0, 0.8, 0.64], rtol=1e-12)

    def test_ends_after_duration(self):
        np.testing.assert_allclose(outcome_profile(2, 0.1, horizon=4), [1.0, 0.9, 0.0, 0.0], rtol=1e-12)

    def test_pv_of_drop_off_over_3_years(self):
        # NOK 100 000 a year, 20 % drop-off, 3 years, 4 %: the hand-calculated PV.
        expected = 100_000 / 1.04 + 80_000 / 1.04**2 + 64_000 / 1.04**3
        assert expected == pytest.approx(227_014.11, abs=0.01)
        pv = 100_000 * np.sum(outcome_profile(3, 0.2) * discount_factors(3)[1:])
        assert pv == pytest.approx(expected, abs=1e-6)


class TestAdditionalYouths:
    def test_comparison_rate(self):
        out = additional_youths(cohorts(), comparison_rate=0.5, attribution=0.2, displacement=0.1)
        assert out.loc[2024] == pytest.approx(100 * (0.8 - 0.5) * 0.8 * 0.9)

    def test_deadweight(self):
        out = additional_youths(cohorts(), deadweight=0.4, attribution=0.2, displacement=0.0)
        assert out.loc[2024] == pytest.approx(100 * 0.8 * 0.6 * 0.8)

    def test_both_counterfactuals_is_an_error(self):
        with pytest.raises(ConfigError, match="not both"):
            additional_youths(cohorts(), comparison_rate=0.5, deadweight=0.3, attribution=0, displacement=0)

    def test_neither_is_an_error(self):
        with pytest.raises(ConfigError, match="neither"):
            additional_youths(cohorts(), attribution=0, displacement=0)


# ====================================================================== inputs


class TestValidateCohorts:
    def test_percent_rate_is_caught(self):
        with pytest.raises(InputError, match="divide percent by 100"):
            validate_cohorts(cohorts(rate=80))

    def test_missing_column(self):
        with pytest.raises(InputError, match="participants"):
            validate_cohorts(pd.DataFrame({"year": [2020], "rate": [0.5]}))

    def test_duplicate_year(self):
        table = pd.concat([cohorts(), cohorts()])
        with pytest.raises(InputError, match="twice"):
            validate_cohorts(table)


class TestCohortsFromFollowup:
    def test_picks_group_and_treatment(self):
        rates = pd.DataFrame(
            {
                "followup_year": [2019, 2019, 2020],
                "department": ["all", "all", "all"],
                "group": ["education_or_work", "education_or_work", "education_or_work"],
                "treatment": ["respondents", "negative", "respondents"],
                "contacted": [200, 200, 210],
                "share": [0.85, 0.7, 0.87],
            }
        )
        table = cohorts_from_followup(rates)
        assert table.to_dict("list") == {"year": [2019, 2020], "participants": [200.0, 210.0], "rate": [0.85, 0.87]}
        lower = cohorts_from_followup(rates, treatment="negative", participants=pd.Series({2019: 240}))
        assert lower.to_dict("list") == {"year": [2019], "participants": [240.0], "rate": [0.7]}

    def test_no_rows(self):
        rates = pd.DataFrame(columns=["followup_year", "department", "group", "treatment", "contacted", "share"])
        with pytest.raises(InputError, match="No follow-up rates"):
            cohorts_from_followup(rates)


class TestValidateCosts:
    def test_blank_payer_is_public_unspecified(self):
        ledger = costs()
        ledger["payer"] = [""]
        assert validate_costs(ledger)["payer"].tolist() == ["unspecified"]

    def test_unknown_payer_names_line(self):
        with pytest.raises(InputError) as info:
            validate_costs(costs(payer="NAV"))
        assert info.value.line == 2
        assert info.value.column == "payer"

    def test_non_numeric_amount(self):
        ledger = costs()
        ledger["amount_nok"] = ["1 000 kr"]
        with pytest.raises(InputError, match="amount_nok"):
            validate_costs(ledger)


class TestLoadCosts:
    def test_demo_ledger(self):
        ledger = load_costs(ROOT / "data" / "raw" / "demo" / "costs.csv")
        assert sorted(ledger["year"].unique()) == list(range(2011, 2021))
        assert set(ledger["payer"]) <= {"municipality", "county", "state", "other"}
        assert (ledger["price_year"] == ledger["year"]).all()  # nominal kroner of each year
        yearly = ledger.groupby("year")["amount_nok"].sum()
        assert yearly.between(35e6, 70e6).all()

    def test_missing_file(self, tmp_path):
        with pytest.raises(InputError, match="not found"):
            load_costs(tmp_path / "costs.csv")


# ====================================================================== the model


class TestPrepare:
    def test_both_counterfactuals_in_registry(self, indices):
        registry = make_registry(add=(_item("deadweight", 0.3, "share", 0.1, 0.5),))
        with pytest.raises(ConfigError, match="not both") as info:
            model(indices, registry)
        assert info.value.file == "test.yml"

    def test_no_counterfactual(self, indices):
        with pytest.raises(ConfigError, match="neither"):
            model(indices, make_registry(remove=("comparison_rate",)))

    def test_both_value_methods(self, indices):
        registry = make_registry(
            add=(
                _item("value_pv_per_youth", 1e6, "NOK", 1e6, 1e6),
                _item("value_pv_discount_rate", 0.04, "share/year", 0.04, 0.04),
            )
        )
        with pytest.raises(ConfigError, match="not both"):
            model(indices, registry)

    def test_missing_required(self, indices):
        with pytest.raises(ConfigError, match="drop_off"):
            model(indices, make_registry(remove=("drop_off",)))

    def test_wrong_unit(self, indices):
        data = registry_data()
        data["assumptions"][5]["unit"] = "share"  # drop_off must be a share per year
        with pytest.raises(ConfigError, match="share/year"):
            model(indices, A.parse_registry(data))

    def test_needs_a_discount_schedule(self, indices):
        data = registry_data()
        del data["discount_schedule"]
        with pytest.raises(ConfigError, match="no discount schedule") as info:
            model(indices, A.parse_registry(data, file="test.yml"))
        assert info.value.column == "discount_schedule" and info.value.file == "test.yml"

    def test_years_must_match(self, indices):
        with pytest.raises(InputError, match="costs but no participants for 2023"):
            model(indices, ledger=pd.concat([costs(), costs(year=2023)]))

    def test_costs_uprated_by_g(self, indices):
        prepared = model(indices, ledger=costs(price_year=2014))
        assert prepared.cost_by_year["total"].sum() == pytest.approx(COST * 122_225 / 87_328, rel=1e-12)

    def test_needs_a_price_year(self, indices):
        data = registry_data()
        data["settings"] = {}
        with pytest.raises(ConfigError, match="price year"):
            model(indices, A.parse_registry(data))


class TestRunModel:
    def test_society_ratio_by_hand(self, indices):
        result = run_model(model(indices))
        benefits = A_YOUTHS * S * (V + TAU * (SHARE * V + T))
        cost = COST * (1 + TAU)
        society = result.perspectives.loc["society"]
        assert result.additional_youths == pytest.approx(24.0)
        assert society["pv_benefits_nok"] == pytest.approx(benefits, abs=1e-6)
        assert society["pv_costs_nok"] == pytest.approx(cost, abs=1e-6)
        assert society["npv_nok"] == pytest.approx(benefits - cost, abs=1e-6)
        assert society["bcr"] == pytest.approx(benefits / cost, rel=1e-12)

    def test_pv_per_youth_with_drop_off(self, indices):
        result = run_model(model(indices))
        assert result.pv_per_additional_youth == pytest.approx(
            100_000 / 1.04 + 80_000 / 1.04**2 + 64_000 / 1.04**3, abs=1e-6
        )

    def test_public_and_participant_by_hand(self, indices):
        result = run_model(model(indices))
        public = result.perspectives.loc["public"]
        participant = result.perspectives.loc["participant"]
        assert public["pv_benefits_nok"] == pytest.approx(A_YOUTHS * S * (SHARE * V + T), abs=1e-6)
        assert public["pv_costs_nok"] == pytest.approx(COST)
        assert participant["pv_benefits_nok"] == pytest.approx(A_YOUTHS * S * ((1 - SHARE) * V - T), abs=1e-6)
        assert pd.isna(participant["bcr"])

    def test_perspectives_add_up(self, indices):
        # Transfers move money between public budgets and participants: without the
        # tax-financing cost, society = public + participant.
        result = run_model(model(indices, tax_financing=False))
        p = result.perspectives
        assert p.loc["society", "npv_nok"] == pytest.approx(
            p.loc["public", "npv_nok"] + p.loc["participant", "npv_nok"], abs=1e-6
        )

    def test_transfers_are_not_a_social_benefit(self, indices):
        low = run_model(model(indices, make_registry(transfers_saved_per_year=0), tax_financing=False))
        high = run_model(model(indices, make_registry(transfers_saved_per_year=40_000), tax_financing=False))
        assert low.perspectives.loc["society", "npv_nok"] == pytest.approx(
            high.perspectives.loc["society", "npv_nok"], abs=1e-6
        )
        assert high.perspectives.loc["public", "npv_nok"] > low.perspectives.loc["public", "npv_nok"]

    def test_tax_financing_switched_off(self, indices):
        result = run_model(model(indices, tax_financing=False))
        assert result.perspectives.loc["society", "pv_costs_nok"] == pytest.approx(COST)
        assert result.perspectives.loc["society", "pv_benefits_nok"] == pytest.approx(A_YOUTHS * S * V, abs=1e-6)
        assert result.tax_financing_rate == 0.0

    def test_tax_financing_is_20_percent_of_net_public_effect(self, indices):
        on = run_model(model(indices)).perspectives
        off = run_model(model(indices, tax_financing=False)).perspectives
        net_public = on.loc["public", "npv_nok"]
        assert on.loc["society", "npv_nok"] - off.loc["society", "npv_nok"] == pytest.approx(0.2 * net_public, abs=1e-6)

    def test_payback_year_by_hand(self, indices):
        # Costs 4 000 000 (4 800 000 with the tax-financing cost); benefits per year:
        yearly = [A_YOUTHS * (V + TAU * (SHARE * V + T)) * w / 1.04**t for t, w in ((1, 1.0), (2, 0.8), (3, 0.64))]
        assert sum(yearly[:2]) < 4_800_000 <= sum(yearly)
        result = run_model(model(indices, ledger=costs(amount=4_000_000)))
        assert result.perspectives.loc["society", "payback_year"] == 3
        assert result.flows["cumulative_npv_nok"].iloc[3] == pytest.approx(sum(yearly) - 4_800_000, abs=1e-6)

    def test_no_payback(self, indices):
        result = run_model(model(indices, ledger=costs(amount=10_000_000)))
        assert pd.isna(result.perspectives.loc["society", "payback_year"])

    def test_public_by_payer(self, indices):
        result = run_model(model(indices))
        payer = result.public_by_payer
        public_benefits = A_YOUTHS * S * (SHARE * V + T)
        assert payer.loc["municipality", "pv_benefits_nok"] == pytest.approx(0.25 * public_benefits, abs=1e-6)
        assert payer.loc["state", "pv_benefits_nok"] == pytest.approx(0.70 * public_benefits, abs=1e-6)
        assert payer.loc["county", "pv_costs_nok"] == pytest.approx(COST)

    def test_non_public_payer_has_no_tax_financing_cost(self, indices):
        result = run_model(model(indices, ledger=costs(payer="other")))
        assert result.perspectives.loc["society", "pv_costs_nok"] == pytest.approx(COST)
        assert result.perspectives.loc["public", "pv_costs_nok"] == 0

    def test_deadweight_counterfactual(self, indices):
        registry = make_registry(remove=("comparison_rate",), add=(_item("deadweight", 0.4, "share", 0.2, 0.6),))
        result = run_model(model(indices, registry))
        assert result.additional_youths == pytest.approx(100 * 0.8 * 0.6 * 0.8)
        assert result.counterfactual == "deadweight"

    def test_present_value_per_youth_of_15_9_million(self, indices):
        # NOK 15.9 million (2014) over 35 years at 4 %, no drop-off, uprated by G to 2024.
        registry = make_registry(
            remove=("value_per_year", "duration_years", "drop_off"),
            add=(
                _item("value_pv_per_youth", 15_900_000, "NOK", 7_640_000, 15_900_000, price_year=2014),
                _item("value_pv_discount_rate", 0.04, "share/year", 0.03, 0.05),
                _item("duration_years", 35, "years", 35, 35),
                _item("drop_off", 0.0, "share/year", 0.0, 0.2),
            ),
        )
        result = run_model(model(indices, registry))
        yearly = 15_900_000 * 0.04 / (1 - 1.04**-35) * 122_225 / 87_328
        assert result.yearly_value_per_youth == pytest.approx(yearly, rel=1e-12)
        assert result.pv_per_additional_youth == pytest.approx(15_900_000 * 122_225 / 87_328, rel=1e-12)
        assert result.value_method == "present_value"

    def test_kpi_instead_of_g(self, indices):
        registry = make_registry(
            remove=("value_per_year",), add=(_item("value_per_year", V, "NOK/year", V, V, price_year=2014),)
        )
        result = run_model(model(indices, registry, price_index="KPI", tax_financing=False))
        assert result.yearly_value_per_youth == pytest.approx(V * 133.6 / 97.9, rel=1e-12)

    def test_schedule_of_another_shape_by_hand(self, indices):
        # Two steps instead of three: 4 % in year 1, then 10 % (a new assumption), over the 3-year horizon.
        data = registry_data(add=(_item("discount_rate_late", 0.10, "share/year", 0.10, 0.10),))
        data["discount_schedule"] = [{"until_year": 1, "rate": "discount_rate_1"}, {"rate": "discount_rate_late"}]
        result = run_model(model(indices, A.parse_registry(data)))
        by_hand = V * (1 / 1.04 + 0.8 / (1.04 * 1.10) + 0.64 / (1.04 * 1.10**2))
        assert result.pv_per_additional_youth == pytest.approx(by_hand, rel=1e-12)
        assert result.flows["discount_factor"].tolist() == pytest.approx(
            [1, 1 / 1.04, 1 / 1.144, 1 / 1.2584], rel=1e-12
        )

    def test_break_year_named_by_id_moves_with_a_what_if(self, indices):
        # discount_break_1 = 1: year 1 at 4 %, years 2-3 at discount_rate_2 (3 %).
        registry = A.apply_overrides(make_registry(), {"discount_break_1": "1"})
        result = run_model(model(indices, registry))
        by_hand = V * (1 / 1.04 + 0.8 / (1.04 * 1.03) + 0.64 / (1.04 * 1.03**2))
        assert result.pv_per_additional_youth == pytest.approx(by_hand, rel=1e-12)

    def test_cohort_table(self, indices):
        table = pd.DataFrame({"year": [2023, 2024], "participants": [100, 50], "rate": [0.8, 0.9]})
        ledger = pd.concat([costs(year=2023, price_year=2024), costs(amount=500_000)])
        result = run_model(model(indices, ledger=ledger, table=table, tax_financing=False))
        assert result.cohorts["additional_youths"].tolist() == pytest.approx([24.0, 50 * 0.4 * 0.8])
        assert result.cohorts["bcr"].tolist() == pytest.approx([24 * S * V / 1e6, 16 * S * V / 5e5])


class TestBreakEven:
    @pytest.mark.parametrize(
        "assumption_id",
        ["comparison_rate", "attribution", "value_per_year", "drop_off", "discount_rate_1", "tax_financing_cost"],
    )
    def test_put_back_gives_npv_zero_to_the_krone(self, indices, assumption_id):
        registry = make_registry()
        # A cost that makes most break-even values fall inside their search range.
        ledger = costs(amount=4_000_000)
        table = break_even(model(indices, registry, ledger), [assumption_id])
        value = table.loc[assumption_id, "break_even"]
        assert np.isfinite(value), table.loc[assumption_id, "note"]
        again = run_model(model(indices, A.apply_overrides(registry, {assumption_id: repr(float(value))}), ledger))
        assert abs(again.perspectives.loc["society", "npv_nok"]) < 1.0

    def test_value_per_year_by_hand(self, indices):
        # NPV = A*S*(V + 0.2*(0.3*V + 10 000)) - 1 200 000 = 0  =>  V = (1 200 000/(A*S) - 2 000) / 1.06
        expected = (1_200_000 / (A_YOUTHS * S) - 0.2 * T) / (1 + TAU * SHARE)
        table = break_even(model(indices), ["value_per_year"])
        assert table.loc["value_per_year", "break_even"] == pytest.approx(expected, rel=1e-9)
        assert not table.loc["value_per_year", "within_range"]

    def test_comparison_rate_by_hand(self, indices):
        # 100*(0.8 - c)*0.8*S*108 000 = 1 200 000
        expected = 0.8 - 1_200_000 / (100 * 0.8 * S * (V + TAU * (SHARE * V + T)))
        table = break_even(model(indices), ["comparison_rate"])
        assert table.loc["comparison_rate", "break_even"] == pytest.approx(expected, rel=1e-9)

    def test_no_effect(self, indices):
        table = break_even(model(indices), ["public_benefit_share_municipality"])
        assert "does not depend" in table.loc["public_benefit_share_municipality", "note"]

    def test_default_is_every_varying_assumption(self, indices):
        table = break_even(model(indices))
        assert "discount_break_1" not in table.index
        assert "attribution" in table.index

    def test_unknown_id(self, indices):
        with pytest.raises(ConfigError, match="atribution"):
            break_even(model(indices), ["atribution"])


class TestOneWaySensitivity:
    def test_matches_override_runs(self, indices):
        table = one_way_sensitivity(model(indices))
        registry = make_registry()
        at_low = run_model(model(indices, A.apply_overrides(registry, {"attribution": "0.0"})))
        at_high = run_model(model(indices, A.apply_overrides(registry, {"attribution": "0.5"})))
        assert table.loc["attribution", "bcr_at_low"] == pytest.approx(
            at_low.perspectives.loc["society", "bcr"], rel=1e-12
        )
        assert table.loc["attribution", "bcr_at_high"] == pytest.approx(
            at_high.perspectives.loc["society", "bcr"], rel=1e-12
        )

    def test_sorted_by_swing_and_fixed_left_out(self, indices):
        table = one_way_sensitivity(model(indices))
        assert table["swing"].is_monotonic_decreasing
        assert "discount_rate_2" not in table.index
        base = run_model(model(indices)).perspectives.loc["society", "bcr"]
        assert table["bcr_base"].tolist() == pytest.approx([base] * len(table))

    def test_attribution_by_hand(self, indices):
        table = one_way_sensitivity(model(indices), ["attribution"])
        cost = COST * (1 + TAU)
        per_youth = S * (V + TAU * (SHARE * V + T))
        assert table.loc["attribution", "bcr_at_low"] == pytest.approx(100 * 0.3 * 1.0 * per_youth / cost, rel=1e-12)
        assert table.loc["attribution", "bcr_at_high"] == pytest.approx(100 * 0.3 * 0.5 * per_youth / cost, rel=1e-12)


class TestOverridesChangeTheRatio:
    def test_attribution_override_as_predicted(self, indices):
        registry = A.apply_overrides(make_registry(), {"attribution": "40%"})
        result = run_model(model(indices, registry))
        expected = 100 * (0.8 - 0.5) * (1 - 0.4) * S * (V + TAU * (SHARE * V + T)) / (COST * (1 + TAU))
        assert result.perspectives.loc["society", "bcr"] == pytest.approx(expected, rel=1e-12)
        assert result.overrides[0]["key"] == "attribution"

    def test_tax_financing_override(self, indices):
        registry = A.apply_overrides(make_registry(), {"tax_financing": "off"})
        result = run_model(model(indices, registry))
        assert result.perspectives.loc["society", "bcr"] == pytest.approx(A_YOUTHS * S * V / COST, rel=1e-12)


class TestSampleAssumption:
    def test_fixed_without_distribution(self):
        item = A.Assumption.model_validate(_item("x", 0.5, "share", 0.1, 0.9))
        assert (sample_assumption(item, 100, 1) == 0.5).all()

    def test_uniform_in_range(self):
        item = A.Assumption.model_validate(_item("x", 0.5, "share", 0.1, 0.9, distribution={"kind": "uniform"}))
        draws = sample_assumption(item, 20_000, 7)
        assert draws.min() >= 0.1 and draws.max() <= 0.9
        assert draws.mean() == pytest.approx(0.5, abs=0.01)

    def test_pert_mean(self):
        item = A.Assumption.model_validate(_item("x", 0.2, "share", 0.0, 1.0, distribution={"kind": "pert"}))
        draws = sample_assumption(item, 50_000, 7)
        assert draws.mean() == pytest.approx((0.0 + 4 * 0.2 + 1.0) / 6, abs=0.005)

    def test_normal_low_high_are_5th_and_95th_percentiles(self):
        item = A.Assumption.model_validate(_item("x", 100.0, "years", 80.0, 120.0, distribution={"kind": "normal"}))
        draws = sample_assumption(item, 200_000, 7)
        assert np.percentile(draws, 5) == pytest.approx(80.0, abs=0.3)
        assert np.percentile(draws, 95) == pytest.approx(120.0, abs=0.3)

    def test_stream_depends_on_id_not_on_order(self):
        a = A.Assumption.model_validate(_item("a", 0.5, "share", 0.1, 0.9, distribution={"kind": "uniform"}))
        b = A.Assumption.model_validate(_item("b", 0.5, "share", 0.1, 0.9, distribution={"kind": "uniform"}))
        assert not np.array_equal(sample_assumption(a, 10, 1), sample_assumption(b, 10, 1))
        assert np.array_equal(sample_assumption(a, 10, 1), sample_assumption(a, 10, 1))


class TestMonteCarlo:
    def test_same_seed_same_simulation(self, indices):
        prepared = model(indices)
        first = monte_carlo(prepared, draws=2_000, seed=42)
        second = monte_carlo(prepared, draws=2_000, seed=42)
        np.testing.assert_array_equal(first.bcr, second.bcr)
        assert first.p_benefits_exceed_costs == second.p_benefits_exceed_costs

    def test_other_seed_other_draws(self, indices):
        prepared = model(indices)
        assert not np.array_equal(monte_carlo(prepared, 500, seed=1).bcr, monte_carlo(prepared, 500, seed=2).bcr)

    def test_outputs(self, indices):
        sim = monte_carlo(model(indices), draws=10_000, seed=3)
        assert sim.bcr.shape == (10_000,)
        assert 0.0 <= sim.p_benefits_exceed_costs <= 1.0
        q = sim.bcr_percentiles()
        assert q["p5"] < q["p50"] < q["p95"]
        assert set(sim.varied) == {"comparison_rate", "attribution", "value_per_year"}
        # P(benefits > costs) is the share of draws with NPV > 0, and NPV > 0 exactly when the ratio > 1.
        assert sim.p_benefits_exceed_costs == pytest.approx(np.mean(sim.bcr > 1))

    def test_without_distributions_every_draw_is_the_deterministic_ratio(self, indices):
        data = registry_data()
        for item in data["assumptions"]:
            item.pop("distribution", None)
        prepared = model(indices, A.parse_registry(data))
        sim = monte_carlo(prepared, draws=100, seed=0)
        assert np.allclose(sim.bcr, run_model(prepared).perspectives.loc["society", "bcr"], rtol=1e-12)

    def test_bad_arguments(self, indices):
        with pytest.raises(ConfigError, match="draw"):
            monte_carlo(model(indices), draws=0)
        with pytest.raises(ConfigError, match="seed"):
            monte_carlo(model(indices), seed=-1)


class TestAnalyse:
    def test_runs_everything(self, indices):
        analysis = analyse(model(indices), draws=500, seed=1)
        assert analysis.simulation is not None and analysis.simulation.draws == 500
        assert not analysis.sensitivity.empty and not analysis.break_even.empty

    def test_without_simulation(self, indices):
        assert analyse(model(indices), simulate=False).simulation is None


class TestResultToDict:
    def test_json_serialisable_with_price_year(self, indices):
        payload = result_to_dict(analyse(model(indices), draws=500, seed=1))
        text = json.dumps(payload, allow_nan=False)
        assert "2024 prices" in payload["headline"]["unit"]
        assert payload["money"]["price_year"] == 2024
        for key in (
            "perspectives",
            "public_by_payer",
            "cohorts",
            "flows",
            "waterfall",
            "sensitivity",
            "break_even",
            "simulation",
        ):
            assert payload[key], key
        assert payload["simulation"]["seed"] == 1
        assert payload["headline"]["payback_year"] == 1
        assert isinstance(json.loads(text)["perspectives"][0]["npv_nok"], float)

    def test_result_only(self, indices):
        payload = result_to_dict(run_model(model(indices)))
        assert payload["simulation"] is None and payload["sensitivity"] == []
        json.dumps(payload, allow_nan=False)


class TestDemoRegistry:
    """Back test: the demo registry reproduces the sources' "1 krone gives 4 back"."""

    @pytest.fixture(scope="class")
    @classmethod
    def demo(cls, indices):
        registry = A.load_registry(ROOT / "config" / "assumptions" / "demo.yml")
        ledger = load_costs(ROOT / "data" / "raw" / "demo" / "costs.csv")
        return prepare(registry, ledger, demo_cohorts(), indices, report_price_year=2024)

    def test_about_four_kroner_back(self, demo):
        result = run_model(demo)
        assert result.perspectives.loc["society", "bcr"] == pytest.approx(4.0, abs=0.1)
        assert result.value_method == "present_value" and result.counterfactual == "comparison_rate"

    def test_simulation_range_is_wide(self, demo):
        sim = monte_carlo(demo, draws=10_000, seed=20240101)
        q = sim.bcr_percentiles()
        assert q["p5"] < 2.5 and q["p95"] > 5  # the judgement values leave a wide range
        assert sim.p_benefits_exceed_costs > 0.9

    def test_json(self, demo):
        json.dumps(result_to_dict(analyse(demo, draws=1_000)), allow_nan=False)


class TestScheduleText:
    R109 = [(40.0, 0.04), (75.0, 0.03), (None, 0.02)]

    @pytest.mark.parametrize(
        "horizon, expected",
        [
            (35, "4\u00a0% per år"),
            (40, "4\u00a0% per år"),
            (41, "4\u00a0% per år til og med år 40, deretter 3\u00a0%"),
            (100, "4\u00a0% per år til og med år 40, 3\u00a0% til og med år 75, deretter 2\u00a0%"),
        ],
    )
    def test_steps_up_to_the_horizon_in_bokmal(self, horizon, expected):
        assert schedule_text(self.R109, horizon, Translator("nb")) == expected

    def test_four_steps_in_english(self):
        steps = [(2.0, 0.05), (3.0, 0.04), (5.0, 0.035), (None, 0.01)]
        assert schedule_text(steps, 10, Translator("en")) == (
            "5% a year up to year 2, 4% up to year 3, 3.5% up to year 5, then 1%"
        )

    def test_one_step(self):
        assert schedule_text([(None, 0.035)], 100, Translator("en")) == "3.5% a year"


# ====================================================================== figures


class TestWaterfallFigure:
    def test_labels_and_total(self, indices):
        from outcomes.analyses.costbenefit import figures

        result = run_model(model(indices))
        fig = figures.waterfall(
            result.waterfall,
            money_unit="kNOK, 2024-priser",
            divisor=1e3,
            step_labels={"programme_costs": "Tiltakets kostnader"},
        )
        trace = fig.data[0]
        assert trace.type == "waterfall"
        assert trace.x[0] == "Tiltakets<br>kostnader"  # long labels wrap under the bar
        assert list(trace.measure)[-1] == "total"
        assert trace.y[0] == pytest.approx(-COST / 1e3)
        assert fig.layout.yaxis.title.text == "kNOK, 2024-priser"


class TestTornadoFigure:
    def test_bars_start_at_the_base_ratio(self, indices):
        from outcomes.analyses.costbenefit import figures

        prepared = model(indices)
        table = one_way_sensitivity(prepared)
        base = run_model(prepared).perspectives.loc["society", "bcr"]
        fig = figures.tornado(
            table,
            base_ratio=base,
            ratio_title="Kroner tilbake per krone",
            low_label="Lav verdi",
            high_label="Høy verdi",
            top=3,
        )
        low, high = fig.data
        assert (low.name, high.name) == ("Lav verdi", "Høy verdi")
        assert len(low.y) == 3
        # Largest swing is drawn last (at the top); each bar ends at the ratio for that value.
        top_id = table.index[0]
        assert low.x[-1] + base == pytest.approx(table.loc[top_id, "bcr_at_low"])
        assert fig.layout.xaxis.title.text == "Kroner tilbake per krone"

    def test_rows_leave_room_for_long_labels(self, indices):
        from outcomes.analyses.costbenefit import figures

        prepared = model(indices)
        table = one_way_sensitivity(prepared)
        long = {i: "Andel av den årlige samfunnsverdien som tilfaller offentlige budsjetter " * 2 for i in table.index}
        fig = figures.tornado(table, base_ratio=2.0, ratio_title="r", low_label="l", high_label="h", labels=long)
        rows = len(fig.data[0].y)
        lines = max(label.count("<br>") + 1 for label in fig.data[0].y)
        assert lines >= 3
        # plot height per row, in px, against the height of the row's label (14 px font, ~17 px a line)
        margin = fig.layout.margin
        plot = fig.layout.height - (margin.t or 0) - (margin.b or 0)
        assert plot / rows >= 17 * lines


class TestRatioHistogramFigure:
    def test_histogram_of_draws(self, indices):
        from outcomes.analyses.costbenefit import figures

        sim = monte_carlo(model(indices), draws=1_000, seed=5)
        fig = figures.ratio_histogram(sim.bcr, ratio_title="Ratio", count_title="Trekninger", band_label="5-95 %")
        assert fig.data[0].type == "histogram"
        assert len(fig.data[0].x) == 1_000
        texts = [a.text for a in fig.layout.annotations]
        assert "5-95 %" in texts
