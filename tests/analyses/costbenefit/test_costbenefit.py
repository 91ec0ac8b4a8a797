"""Tests for the cost-benefit model (outcomes.analyses.costbenefit) against hand calculations.

Every expected number is computed in the test itself with plain arithmetic
(powers, sums, products), never by calling the code under test. The small
model is described in :mod:`tests.cba_small_model`: 10 additional youths in
work (NOK 100 000 a year, weights 1, 0.8, 0.64) and 20 in education (a school
year at NOK 50 000, then 0.2 of a youth-year in work in years 2 and 3,
weights 1 and 0.9), discounted at 4 % to the cohort's year 2024. The method's
own hand calculations (comparison year, KPI with real-price growth, education
with its cost, plus-minus, optimism bias) are in tests/analyses/costbenefit/test_costbenefit_method.py.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from outcomes.analyses.costbenefit import evaluation, prices
from outcomes.analyses.costbenefit.analysis import analyse, result_to_dict
from outcomes.analyses.costbenefit.base_case import payback_year, run_model
from outcomes.analyses.costbenefit.discounting import (
    annuity_factor,
    calendar_discount,
    discount_factors,
    discount_matrix,
    rate_matrix,
)
from outcomes.analyses.costbenefit.evaluation import additional_youths, education_profiles, evaluate, outcome_profile
from outcomes.analyses.costbenefit.labels import schedule_text
from outcomes.analyses.costbenefit.model import prepare
from outcomes.analyses.costbenefit.model_inputs import (
    cohorts_from_followup,
    load_costs,
    validate_cohorts,
    validate_costs,
)
from outcomes.analyses.costbenefit.sensitivity import break_even, one_way_sensitivity
from outcomes.analyses.costbenefit.simulation import draw_parameters, monte_carlo, sample_assumption
from outcomes.core.errors import ConfigError, InputError
from outcomes.core.i18n import Translator
from outcomes.registries import assumptions as A
from tests.cba_small_model import (
    A_E,
    A_W,
    COST,
    D1,
    S_GAIN,
    S_WORK,
    SHARE,
    T_M,
    T_S,
    TAU,
    K,
    V,
    cohorts,
    costs,
    item,
    make_registry,
    model,
    registry_data,
)
from tests.conftest import ROOT

# Hand-calculated present values of the small model (NOK, 2024 prices, PV in 2024).
VALUE_WORK = A_W * V * S_WORK
VALUE_EDUCATION = A_E * V * S_GAIN
SCHOOL = A_E * K * D1
TRANSFERS = (T_M + T_S) * (A_W * S_WORK + A_E * S_GAIN)
PUBLIC_SAVINGS = SHARE * (VALUE_WORK + VALUE_EDUCATION) + TRANSFERS
PUBLIC_COSTS = COST + SCHOOL
SOCIETY_BENEFITS = VALUE_WORK + VALUE_EDUCATION + TAU * PUBLIC_SAVINGS
SOCIETY_COSTS = COST + SCHOOL + TAU * PUBLIC_COSTS


@pytest.fixture(scope="module")
def indices() -> pd.DataFrame:
    return prices.load_price_indices()


def demo_cohorts() -> pd.DataFrame:
    # Published rates (seed 000, results slide): education or work and education; 2011 and 2012
    # are not published and are interpolated towards 2010 (75 % and 69 %). Participants 200-250 a year.
    years = list(range(2011, 2021))
    participants = [205, 210, 215, 220, 225, 230, 235, 240, 245, 240]
    either = [0.763, 0.777, 0.79, 0.85, 0.78, 0.87, 0.83, 0.82, 0.85, 0.87]
    education = [0.693, 0.697, 0.70, 0.78, 0.71, 0.73, 0.73, 0.69, 0.66, 0.77]
    work = [e - d for e, d in zip(either, education, strict=True)]
    return pd.DataFrame({"year": years, "participants": participants, "rate_work": work, "rate_education": education})


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


class TestCalendarDiscount:
    def test_before_and_after_the_comparison_year(self):
        factors = calendar_discount([0.04, 0.03, 0.02], [40, 75], np.arange(2020, 2027), 2024)
        expected = [1.04**4, 1.04**3, 1.04**2, 1.04, 1.0, 1 / 1.04, 1 / 1.04**2]
        np.testing.assert_allclose(factors[0], expected, rtol=1e-12)

    def test_steps_count_from_the_comparison_year(self):
        # 5 % for year 1 after 2024, then 1 %: 2026 is 1/(1.05*1.01); 2023 is compounded at the first rate.
        factors = calendar_discount([0.05, 0.01], [1], np.arange(2023, 2027), 2024)
        np.testing.assert_allclose(factors[0], [1.05, 1.0, 1 / 1.05, 1 / (1.05 * 1.01)], rtol=1e-12)

    def test_one_row_per_parameter_set(self):
        factors = calendar_discount([np.array([0.04, 0.05]), 0.03], [np.array([1, 1])], np.arange(2023, 2026), 2024)
        np.testing.assert_allclose(factors, [[1.04, 1.0, 1 / 1.04], [1.05, 1.0, 1 / 1.05]], rtol=1e-12)


class TestProfiles:
    def test_education_school_then_gain(self):
        # One school year, then 2 years of gain with 10 % drop-off: school 1,0,0,0; gain 0,1,0.9,0.
        school, gain = education_profiles(1, 2, 0.1, horizon=4)
        np.testing.assert_allclose(school, [1, 0, 0, 0], rtol=1e-12)
        np.testing.assert_allclose(gain, [0, 1, 0.9, 0], rtol=1e-12)

    def test_half_a_school_year(self):
        # 1.5 school years: year 2 is half school, half gain.
        school, gain = education_profiles(1.5, 1, 0.0, horizon=3)
        np.testing.assert_allclose(school, [1, 0.5, 0], rtol=1e-12)
        np.testing.assert_allclose(gain, [0, 0.5, 0.5], rtol=1e-12)


class TestAdditionalYouths:
    def test_per_stream(self):
        out = additional_youths(cohorts(), null_work=0.2, null_education=0.3, attribution=0.1, displacement=0.5)
        assert out["work"].iloc[0] == pytest.approx(100 * 0.1 * 0.9 * 0.5)
        # No displacement on education: a school place is a right.
        assert out["education"].iloc[0] == pytest.approx(100 * 0.2 * 0.9)


# ====================================================================== inputs


class TestValidateCohorts:
    def test_percent_rate_is_caught(self):
        with pytest.raises(InputError, match="divide percent by 100"):
            validate_cohorts(cohorts(education=50))

    def test_shares_add_up_to_at_most_one(self):
        with pytest.raises(InputError, match="add up to at most 1"):
            validate_cohorts(cohorts(work=0.6, education=0.5))

    def test_missing_column(self):
        with pytest.raises(InputError, match="rate_work"):
            validate_cohorts(pd.DataFrame({"year": [2020], "participants": [5], "rate": [0.5]}))

    def test_duplicate_year(self):
        with pytest.raises(InputError, match="twice"):
            validate_cohorts(pd.concat([cohorts(), cohorts()]))

    def test_rate_is_work_plus_education(self):
        assert validate_cohorts(cohorts())["rate"].iloc[0] == pytest.approx(0.8)


class TestCohortsFromFollowup:
    RATES = pd.DataFrame(
        {
            "followup_year": [2019, 2019, 2019, 2019, 2020, 2020],
            "department": ["all"] * 6,
            "group": ["education_or_work", "education", "education_or_work", "education"]
            + ["education_or_work", "education"],
            "treatment": ["respondents", "respondents", "negative", "negative", "respondents", "respondents"],
            "contacted": [200, 200, 200, 200, 210, 210],
            "share": [0.85, 0.70, 0.70, 0.60, 0.87, 0.77],
        }
    )

    def test_work_is_the_group_minus_education(self):
        table = cohorts_from_followup(self.RATES)
        assert table["year"].tolist() == [2019, 2020]
        assert table["rate_work"].tolist() == pytest.approx([0.15, 0.10])
        assert table["rate_education"].tolist() == pytest.approx([0.70, 0.77])

    def test_treatment_and_participants(self):
        lower = cohorts_from_followup(self.RATES, treatment="negative", participants=pd.Series({2019: 240}))
        assert lower["participants"].tolist() == [240.0]
        assert lower["rate_work"].tolist() == pytest.approx([0.10])

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
    def test_both_value_methods(self, indices):
        registry = make_registry(
            add=(
                item("value_pv_per_youth", 1e6, "NOK"),
                item("value_pv_years", 35, "years"),
                item("value_pv_discount_rate", 0.04, "share/year"),
            )
        )
        with pytest.raises(ConfigError, match="not both") as info:
            model(indices, registry)
        assert info.value.file == "test.yml"

    def test_missing_required(self, indices):
        with pytest.raises(ConfigError, match="drop_off_education"):
            model(indices, make_registry(remove=("drop_off_education",)))

    def test_wrong_unit(self, indices):
        data = registry_data()
        next(i for i in data["assumptions"] if i["id"] == "drop_off_work")["unit"] = "share"
        with pytest.raises(ConfigError, match="share/year"):
            model(indices, A.parse_registry(data))

    @pytest.mark.parametrize("block", ["discount_schedule", "nullalternative"])
    def test_needs_its_blocks(self, indices, block):
        data = registry_data()
        del data[block]
        with pytest.raises(ConfigError, match=f"no {block}") as info:
            model(indices, A.parse_registry(data, file="test.yml"))
        assert info.value.column == block

    def test_years_must_match(self, indices):
        with pytest.raises(InputError, match="costs but no participants for 2023"):
            model(indices, ledger=pd.concat([costs(), costs(year=2023)]))

    def test_costs_by_the_kpi(self, indices):
        prepared = model(indices, ledger=costs(price_year=2014))
        assert prepared.cost_by_year["total"].sum() == pytest.approx(COST * 133.6 / 97.9, rel=1e-12)

    def test_costs_by_g_when_asked(self, indices):
        prepared = model(indices, ledger=costs(price_year=2014), price_index="G")
        assert prepared.cost_by_year["total"].sum() == pytest.approx(COST * 122_225 / 87_328, rel=1e-12)

    def test_needs_a_price_year(self, indices):
        data = registry_data()
        data["settings"] = {}
        with pytest.raises(ConfigError, match="price year"):
            model(indices, A.parse_registry(data))

    def test_comparison_year_defaults_to_the_price_year(self, indices):
        data = registry_data()
        data["settings"] = {"report_price_year": 2024}
        assert model(indices, A.parse_registry(data)).comparison_year == 2024


class TestRunModel:
    def test_streams_by_hand(self, indices):
        result = run_model(model(indices))
        streams = result.streams
        assert streams.loc["work", "additional_youths"] == pytest.approx(A_W)
        assert streams.loc["education", "additional_youths"] == pytest.approx(A_E)
        assert streams.loc["work", "pv_value_nok"] == pytest.approx(VALUE_WORK, rel=1e-12)
        assert streams.loc["education", "pv_value_nok"] == pytest.approx(VALUE_EDUCATION, rel=1e-12)
        assert streams.loc["education", "pv_school_places_nok"] == pytest.approx(SCHOOL, rel=1e-12)

    def test_society_ratio_by_hand(self, indices):
        society = run_model(model(indices)).perspectives.loc["society"]
        assert society["pv_benefits_nok"] == pytest.approx(SOCIETY_BENEFITS, rel=1e-12)
        assert society["pv_costs_nok"] == pytest.approx(SOCIETY_COSTS, rel=1e-12)
        assert society["bcr"] == pytest.approx(SOCIETY_BENEFITS / SOCIETY_COSTS, rel=1e-12)

    def test_public_and_participant_by_hand(self, indices):
        p = run_model(model(indices)).perspectives
        assert p.loc["public", "pv_benefits_nok"] == pytest.approx(PUBLIC_SAVINGS, rel=1e-12)
        assert p.loc["public", "pv_costs_nok"] == pytest.approx(PUBLIC_COSTS, rel=1e-12)
        participant = (1 - SHARE) * (VALUE_WORK + VALUE_EDUCATION) - TRANSFERS
        assert p.loc["participant", "pv_benefits_nok"] == pytest.approx(participant, rel=1e-12)
        assert pd.isna(p.loc["participant", "bcr"])

    def test_perspectives_add_up(self, indices):
        # Transfers move money between public budgets and participants: without the tax-financing
        # cost, society = public + participant.
        p = run_model(model(indices, tax_financing=False)).perspectives
        assert p.loc["society", "npv_nok"] == pytest.approx(
            p.loc["public", "npv_nok"] + p.loc["participant", "npv_nok"]
        )

    def test_transfers_are_not_a_social_benefit(self, indices):
        low = run_model(model(indices, make_registry(transfers_saved_state_per_year=0), tax_financing=False))
        high = run_model(model(indices, make_registry(transfers_saved_state_per_year=40_000), tax_financing=False))
        assert low.perspectives.loc["society", "npv_nok"] == pytest.approx(high.perspectives.loc["society", "npv_nok"])
        assert high.payers.loc["state", "npv_nok"] > low.payers.loc["state", "npv_nok"]

    def test_tax_financing_is_20_percent_of_net_public_effect(self, indices):
        on = run_model(model(indices)).perspectives
        off = run_model(model(indices, tax_financing=False)).perspectives
        assert on.loc["society", "npv_nok"] - off.loc["society", "npv_nok"] == pytest.approx(
            0.2 * on.loc["public", "npv_nok"], rel=1e-9
        )

    def test_who_pays_who_gains_by_hand(self, indices):
        payers = run_model(model(indices)).payers
        taxes = SHARE * (VALUE_WORK + VALUE_EDUCATION)
        youth_years = A_W * S_WORK + A_E * S_GAIN
        assert payers.loc["municipality", "pv_benefits_nok"] == pytest.approx(0.25 * taxes + T_M * youth_years)
        assert payers.loc["county", "pv_benefits_nok"] == pytest.approx(0.05 * taxes)
        assert payers.loc["county", "pv_costs_nok"] == pytest.approx(COST + SCHOOL)
        assert payers.loc["state", "pv_benefits_nok"] == pytest.approx(0.70 * taxes + T_S * youth_years)
        assert list(payers.index) == ["municipality", "county", "state", "participant"]

    def test_participants_and_induced_costs(self, indices):
        registry = make_registry(participant_cost_per_participant=1_000, induced_nav_cost_per_participant=2_000)
        result = run_model(model(indices, registry))
        # 100 participants in the programme year 2024 (factor 1): NOK 100 000 and 200 000.
        assert result.payers.loc["participant", "pv_costs_nok"] == pytest.approx(100_000)
        assert result.payers.loc["state", "pv_costs_nok"] == pytest.approx(200_000)
        assert result.perspectives.loc["society", "pv_costs_nok"] == pytest.approx(
            SOCIETY_COSTS + 100_000 + 200_000 * (1 + TAU)
        )

    def test_payback_year_by_hand(self):
        # Costs 10 in 2024; net benefits 4, 4, 4 after it: cumulative -10, -6, -2, 2.
        assert payback_year(np.arange(2024, 2028), np.array([-10.0, 4, 4, 4])) == 2027
        assert payback_year(np.arange(2024, 2026), np.array([-10.0, 4])) is None
        # Above 0, below again, then above for good: the year it stays.
        assert payback_year(np.arange(2024, 2028), np.array([-1.0, 2, -3, 5])) == 2027

    def test_residual_value_after_the_analysis_period(self, indices):
        # A 2-year analysis period (2024-2025): the work stream's year 3 (2027) and the gain's year 3
        # lie after it, and year 2 (2026) too; residual = PV of the 2026 and 2027 flows.
        result = run_model(model(indices, make_registry(analysis_period_years=2)))
        d2, d3 = 1 / 1.04**2, 1 / 1.04**3
        later = A_W * V * (0.8 * d2 + 0.64 * d3) + A_E * V * 0.2 * (d2 + 0.9 * d3)
        later_public = SHARE * later + (T_M + T_S) * (A_W * (0.8 * d2 + 0.64 * d3) + A_E * 0.2 * (d2 + 0.9 * d3))
        assert result.analysis_period == (2024, 2025)
        assert result.residual_value_nok == pytest.approx(later + TAU * later_public, rel=1e-12)

    def test_present_value_per_youth(self, indices):
        # NOK 15.9 million (2023 prices) over 35 years at 4 %, to 2024 by the KPI (133.6 / 129.6).
        registry = make_registry(
            remove=("value_per_year",),
            add=(
                item("value_pv_per_youth", 15_900_000, "NOK", price_year=2023),
                item("value_pv_years", 35, "years"),
                item("value_pv_discount_rate", 0.04, "share/year"),
            ),
        )
        result = run_model(model(indices, registry))
        yearly = 15_900_000 * 0.04 / (1 - 1.04**-35) * 133.6 / 129.6
        assert result.yearly_value_per_youth == pytest.approx(yearly, rel=1e-12)
        assert result.value_method == "present_value"

    def test_schedule_of_another_shape_by_hand(self, indices):
        # 4 % in year 1, then 10 %: the work stream by hand.
        data = registry_data(add=(item("discount_rate_late", 0.10, "share/year"),))
        data["discount_schedule"] = [{"until_year": 1, "rate": "discount_rate_1"}, {"rate": "discount_rate_late"}]
        result = run_model(model(indices, A.parse_registry(data)))
        work = A_W * V * (1 / 1.04 + 0.8 / (1.04 * 1.10) + 0.64 / (1.04 * 1.10**2))
        assert result.streams.loc["work", "pv_value_nok"] == pytest.approx(work, rel=1e-12)


class TestBreakEven:
    @pytest.mark.parametrize(
        "assumption_id",
        ["null_work_share", "value_per_year", "drop_off_work", "upper_secondary_place_cost", "tax_financing_cost"],
    )
    def test_put_back_gives_npv_zero_to_the_krone(self, indices, assumption_id):
        registry = make_registry()
        ledger = costs(amount=1_500_000)  # every break-even value then falls inside its search range
        table = break_even(model(indices, registry, ledger), [assumption_id])
        value = table.loc[assumption_id, "break_even"]
        assert np.isfinite(value), table.loc[assumption_id, "note"]
        again = run_model(model(indices, A.apply_overrides(registry, {assumption_id: repr(float(value))}), ledger))
        assert abs(again.perspectives.loc["society", "npv_nok"]) < 1.0

    def test_value_per_year_by_hand(self, indices):
        # Benefits are linear in V: B(V) = V * (1 + TAU*SHARE) * Y + TAU * (T_M + T_S) * Y with
        # Y = A_W*S_WORK + A_E*S_GAIN/0.2*0.2 (youth-years, discounted); NPV = B - SOCIETY_COSTS = 0.
        youth_years = A_W * S_WORK + A_E * S_GAIN
        expected = (SOCIETY_COSTS - TAU * (T_M + T_S) * youth_years) / ((1 + TAU * SHARE) * youth_years)
        table = break_even(model(indices), ["value_per_year"])
        assert table.loc["value_per_year", "break_even"] == pytest.approx(expected, rel=1e-9)

    def test_no_effect(self, indices):
        table = break_even(model(indices), ["public_benefit_share_municipality"])
        assert "does not depend" in table.loc["public_benefit_share_municipality", "note"]

    def test_default_is_every_varying_assumption(self, indices):
        table = break_even(model(indices))
        assert "discount_break_1" not in table.index
        for new in ("null_education_share", "upper_secondary_place_cost", "induced_nav_cost_per_participant"):
            assert new in table.index

    def test_unknown_id(self, indices):
        with pytest.raises(ConfigError, match="atribution"):
            break_even(model(indices), ["atribution"])


class TestOneWaySensitivity:
    def test_matches_override_runs(self, indices):
        table = one_way_sensitivity(model(indices))
        registry = make_registry()
        for assumption_id in ("null_education_share", "completion_employment_gain"):
            at_low = run_model(model(indices, A.apply_overrides(registry, {assumption_id: "0.2"})))
            assert table.loc[assumption_id, "bcr_at_low"] == pytest.approx(
                at_low.perspectives.loc["society", "bcr"], rel=1e-12
            )

    def test_sorted_by_swing_and_fixed_left_out(self, indices):
        table = one_way_sensitivity(model(indices))
        assert table["swing"].is_monotonic_decreasing
        assert "discount_rate_2" not in table.index and "education_years" in table.index

    def test_school_cost_by_hand(self, indices):
        # School places at NOK 0 and 100 000: society costs COST*(1+TAU) + (1+TAU)*A_E*K'*D1.
        table = one_way_sensitivity(model(indices), ["upper_secondary_place_cost"])
        for column, k in (("bcr_at_low", 0.0), ("bcr_at_high", 100_000.0)):
            cost = (COST + A_E * k * D1) * (1 + TAU)
            assert table.loc["upper_secondary_place_cost", column] == pytest.approx(SOCIETY_BENEFITS / cost, rel=1e-12)


class TestMonteCarlo:
    def test_same_seed_same_simulation(self, indices):
        prepared = model(indices)
        first, second = monte_carlo(prepared, 2_000, seed=42), monte_carlo(prepared, 2_000, seed=42)
        np.testing.assert_array_equal(first.bcr, second.bcr)

    def test_other_seed_other_draws(self, indices):
        prepared = model(indices)
        assert not np.array_equal(monte_carlo(prepared, 500, seed=1).bcr, monte_carlo(prepared, 500, seed=2).bcr)

    def test_outputs(self, indices):
        sim = monte_carlo(model(indices), draws=10_000, seed=3)
        q = sim.bcr_percentiles()
        assert q["p5"] < q["p50"] < q["p95"]
        assert set(sim.varied) == {"null_work_share", "value_per_year"}
        assert sim.p_benefits_exceed_costs == pytest.approx(np.mean(sim.bcr > 1))

    def test_draws_evaluated_in_blocks_give_what_all_at_once_gives(self, indices, monkeypatch):
        """Many draws are evaluated a block at a time (memory and speed): each draw's figures are its own."""
        prepared = model(indices)
        params = draw_parameters(prepared, 1_000, seed=5)
        whole = evaluate(prepared, params)
        monkeypatch.setattr(evaluation, "BLOCK", 7)  # blocks of 7, the last one of 6
        calls: list[int] = []
        one_block = evaluation._evaluate
        monkeypatch.setattr(
            evaluation, "_evaluate", lambda m, p, *a: calls.append(len(p["attribution"])) or one_block(m, p, *a)
        )
        blocks = evaluate(prepared, params)
        assert calls == [7] * 142 + [6]
        assert set(blocks) == set(whole)
        for name, values in whole.items():
            np.testing.assert_allclose(blocks[name], values, rtol=1e-12, atol=1e-6, err_msg=name)

    def test_without_distributions_every_draw_is_the_deterministic_ratio(self, indices):
        data = registry_data()
        for entry in data["assumptions"]:
            entry.pop("distribution", None)
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

    def test_each_treatment_from_the_same_draws(self, indices):
        lower = cohorts(work=0.25, education=0.45)
        analysis = analyse(model(indices), draws=500, seed=1, other_cohorts={"negative": lower})
        assert list(analysis.nonresponse) == ["respondents", "negative"]
        assert analysis.nonresponse["negative"]["bcr_median"] < analysis.nonresponse["respondents"]["bcr_median"]
        # The base case under "negative" by hand: 5 youths in work, 15 in education.
        value = 5 * V * S_WORK + 15 * V * S_GAIN
        public = SHARE * value + (T_M + T_S) * (5 * S_WORK + 15 * S_GAIN)
        school = 15 * K * D1
        expected = (value + TAU * public) / (COST + school + TAU * (COST + school))
        assert analysis.nonresponse["negative"]["bcr_base_case"] == pytest.approx(expected, rel=1e-12)

    def test_without_simulation(self, indices):
        assert analyse(model(indices), simulate=False).simulation is None


class TestResultToDict:
    def test_json_serialisable(self, indices):
        payload = result_to_dict(analyse(model(indices), draws=500, seed=1))
        json.dumps(payload, allow_nan=False)
        assert payload["money"]["price_year"] == 2024 and payload["money"]["comparison_year"] == 2024
        for key in ("perspectives", "payers", "streams", "cohorts", "flows", "waterfall", "sensitivity"):
            assert payload[key], key
        assert payload["simulation"]["seed"] == 1

    def test_result_only(self, indices):
        payload = result_to_dict(run_model(model(indices)))
        assert payload["simulation"] is None and payload["sensitivity"] == []
        json.dumps(payload, allow_nan=False)


class TestDemoRegistry:
    """The demo registry with the published rates: its base case, simulation and claims."""

    @pytest.fixture(scope="class")
    @classmethod
    def demo(cls, indices):
        registry = A.load_registry(ROOT / "config" / "assumptions" / "demo.yml")
        ledger = load_costs(ROOT / "data" / "raw" / "demo" / "costs.csv")
        return prepare(registry, ledger, demo_cohorts(), indices, report_price_year=2024)

    def test_education_is_most_of_the_effect(self, demo):
        result = run_model(demo)
        assert (
            result.streams.loc["education", "additional_youths"] > 4 * result.streams.loc["work", "additional_youths"]
        )
        assert result.value_method == "present_value" and result.comparison_year == 2024

    def test_simulation_range_is_wide(self, demo):
        sim = monte_carlo(demo, draws=5_000, seed=20240101)
        q = sim.bcr_percentiles()
        assert q["p5"] < 1.5 and q["p95"] > 3
        assert q["p50"] < run_model(demo).perspectives.loc["society", "bcr"]  # the base case sits high

    def test_json(self, demo):
        json.dumps(result_to_dict(analyse(demo, draws=500)), allow_nan=False)


class TestSampleAssumption:
    def test_fixed_without_distribution(self):
        entry = A.Assumption.model_validate(item("x", 0.5, "share", 0.1, 0.9))
        assert (sample_assumption(entry, 100, 1) == 0.5).all()

    def test_uniform_in_range(self):
        entry = A.Assumption.model_validate(item("x", 0.5, "share", 0.1, 0.9, distribution={"kind": "uniform"}))
        draws = sample_assumption(entry, 20_000, 7)
        assert draws.min() >= 0.1 and draws.max() <= 0.9
        assert draws.mean() == pytest.approx(0.5, abs=0.01)

    def test_pert_mean(self):
        entry = A.Assumption.model_validate(item("x", 0.2, "share", 0.0, 1.0, distribution={"kind": "pert"}))
        draws = sample_assumption(entry, 50_000, 7)
        assert draws.mean() == pytest.approx((0.0 + 4 * 0.2 + 1.0) / 6, abs=0.005)

    def test_normal_low_high_are_5th_and_95th_percentiles(self):
        entry = A.Assumption.model_validate(item("x", 100.0, "years", 80.0, 120.0, distribution={"kind": "normal"}))
        draws = sample_assumption(entry, 200_000, 7)
        assert np.percentile(draws, 5) == pytest.approx(80.0, abs=0.3)
        assert np.percentile(draws, 95) == pytest.approx(120.0, abs=0.3)

    def test_stream_depends_on_id_not_on_order(self):
        a = A.Assumption.model_validate(item("a", 0.5, "share", 0.1, 0.9, distribution={"kind": "uniform"}))
        b = A.Assumption.model_validate(item("b", 0.5, "share", 0.1, 0.9, distribution={"kind": "uniform"}))
        assert not np.array_equal(sample_assumption(a, 10, 1), sample_assumption(b, 10, 1))
        assert np.array_equal(sample_assumption(a, 10, 1), sample_assumption(a, 10, 1))


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
