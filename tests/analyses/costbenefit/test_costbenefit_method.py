"""The cost-benefit method (docs/cost-benefit-method.md), each rule against a hand calculation.

Every expected number is written out here with plain arithmetic from the
small model of :mod:`tests.cba_small_model` (work: 10 additional youths,
NOK 100 000 a year, weights 1, 0.8, 0.64; education: 20 additional youths,
a school year at NOK 50 000, then 0.2 of a youth-year in work with weights 1
and 0.9; 4 % from the comparison year), never with the code under test.
Price indices from outcomes/data/price_indices.csv: KPI 2014 = 97.9,
2023 = 129.6, 2024 = 133.6; G yearly average 2014 = 87 328, 2024 = 122 225.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from outcomes.analyses.costbenefit import prices
from outcomes.analyses.costbenefit.analysis import analyse
from outcomes.analyses.costbenefit.base_case import run_model
from outcomes.analyses.costbenefit.cards import front_cards
from outcomes.analyses.costbenefit.headline import build_headline
from outcomes.analyses.costbenefit.model import prepare
from outcomes.analyses.costbenefit.model_inputs import load_costs
from outcomes.analyses.costbenefit.nonpriced import consequence, plus_minus_table, symbol
from outcomes.analyses.costbenefit.scenarios import optimism_bias, scenario_table
from outcomes.core.errors import ConfigError
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

KPI_2014, KPI_2023, KPI_2024 = 97.9, 129.6, 133.6


@pytest.fixture(scope="module")
def indices() -> pd.DataFrame:
    return prices.load_price_indices()


@pytest.fixture(scope="module")
def demo(indices):
    """The demo registry and ledger with two years of cohorts is enough to check prices and flags."""
    registry = A.load_registry(ROOT / "config" / "assumptions" / "demo.yml")
    ledger = load_costs(ROOT / "data" / "raw" / "demo" / "costs.csv")
    ledger = ledger[ledger["year"].isin([2019, 2020])]
    table = pd.DataFrame(
        {"year": [2019, 2020], "participants": [245, 240], "rate_work": [0.19, 0.10], "rate_education": [0.66, 0.77]}
    )
    return prepare(registry, ledger, table, indices)


class TestOneComparisonYear:
    """Two cohorts, 2022 and 2024, both discounted to the comparison year 2024."""

    @pytest.fixture(scope="class")
    @classmethod
    def result(cls, indices):
        table = pd.concat([cohorts(year=2022), cohorts(year=2024)])
        ledger = pd.concat([costs(year=2022), costs(year=2024)])  # both NOK 1 000 000 in 2024 prices
        return run_model(model(indices, table=table, ledger=ledger, tax_financing=False))

    def test_each_cohorts_factor(self, result):
        # Programme year 2022 is two years before 2024: compounded forward, 1.04**2 = 1.0816.
        assert result.cohorts["discount_factor"].tolist() == pytest.approx([1.04**2, 1.0], rel=1e-12)

    def test_costs_at_the_comparison_year(self, result):
        # Not 1 000 000 + 1 000 000 (each cohort at its own year): the 2022 cost counts 1.0816 times.
        school_2022 = A_E * K * 1.04  # school year 2023, one year before 2024
        school_2024 = A_E * K / 1.04  # school year 2025
        expected = COST * 1.04**2 + COST + school_2022 + school_2024
        assert result.perspectives.loc["society", "pv_costs_nok"] == pytest.approx(expected, rel=1e-12)

    def test_benefits_year_by_year(self, result):
        # Cohort 2022: work in 2023, 2024, 2025 (factors 1.04, 1, 1/1.04); gain in 2024 and 2025.
        work_2022 = A_W * V * (1 * 1.04 + 0.8 * 1 + 0.64 / 1.04)
        gain_2022 = A_E * V * 0.2 * (1 * 1 + 0.9 / 1.04)
        # Cohort 2024: work in 2025, 2026, 2027; gain in 2026 and 2027.
        work_2024 = A_W * V * (1 / 1.04 + 0.8 / 1.04**2 + 0.64 / 1.04**3)
        gain_2024 = A_E * V * 0.2 * (1 / 1.04**2 + 0.9 / 1.04**3)
        assert result.streams.loc["work", "pv_value_nok"] == pytest.approx(work_2022 + work_2024, rel=1e-12)
        assert result.streams.loc["education", "pv_value_nok"] == pytest.approx(gain_2022 + gain_2024, rel=1e-12)
        assert result.cohorts["pv_benefits_nok"].tolist() == pytest.approx(
            [work_2022 + gain_2022, work_2024 + gain_2024], rel=1e-12
        )

    def test_another_comparison_year_moves_every_amount_alike(self, indices, result):
        # Comparison year 2022: every flow (all within the 4 % step) is worth 1/1.04**2 of its 2024 value.
        table = pd.concat([cohorts(year=2022), cohorts(year=2024)])
        ledger = pd.concat([costs(year=2022), costs(year=2024)])
        registry = A.apply_overrides(make_registry(), {"comparison_year": "2022"})
        earlier = run_model(model(indices, registry, table=table, ledger=ledger, tax_financing=False))
        for column in ("pv_benefits_nok", "pv_costs_nok"):
            assert earlier.perspectives.loc["society", column] == pytest.approx(
                result.perspectives.loc["society", column] / 1.04**2, rel=1e-12
            )
        assert earlier.cohorts["discount_factor"].tolist() == pytest.approx([1.0, 1 / 1.04**2], rel=1e-12)

    def test_steps_count_from_the_comparison_year(self, indices):
        # A break after year 1 of the comparison year 2024 (5 % then 1 %): cohort 2024's work in 2025-2027.
        data = registry_data(add=(item("late_rate", 0.01, "share/year"),), discount_rate_1=0.05)
        data["discount_schedule"] = [{"until_year": 1, "rate": "discount_rate_1"}, {"rate": "late_rate"}]
        result = run_model(model(indices, A.parse_registry(data)))
        work = A_W * V * (1 / 1.05 + 0.8 / (1.05 * 1.01) + 0.64 / (1.05 * 1.01**2))
        assert result.streams.loc["work", "pv_value_nok"] == pytest.approx(work, rel=1e-12)


class TestKpiWithRealPriceGrowth:
    """A labour-linked value in 2014 prices: KPI to 2024, and 1 % real growth from 2014 to each year."""

    def test_labour_linked_value(self, indices):
        registry = make_registry(
            remove=("value_per_year",),
            add=(item("value_per_year", V, "NOK/year", price_year=2014, labour_linked=True),),
            real_price_growth=0.01,
        )
        table = cohorts(education=0.3)  # no additional youths in education: the work stream alone
        result = run_model(model(indices, registry, table=table, tax_financing=False))
        by_year = [
            V * KPI_2024 / KPI_2014 * 1.01 ** (year - 2014) * weight / 1.04 ** (year - 2024)
            for year, weight in ((2025, 1.0), (2026, 0.8), (2027, 0.64))
        ]
        assert result.streams.loc["work", "pv_value_nok"] == pytest.approx(A_W * sum(by_year), rel=1e-12)
        # Its value per youth-year in 2024 prices includes ten years of real growth: 100 000 x 1.366 x 1.01**10.
        assert result.yearly_value_per_youth == pytest.approx(V * KPI_2024 / KPI_2014 * 1.01**10, rel=1e-12)

    def test_not_labour_linked_gets_the_kpi_only(self, indices):
        registry = make_registry(
            remove=("transfers_saved_municipality_per_year",),
            add=(item("transfers_saved_municipality_per_year", T_M, "NOK/year", price_year=2014),),
            real_price_growth=0.01,
        )
        result = run_model(model(indices, registry, table=cohorts(education=0.3)))
        transfers = A_W * T_M * KPI_2024 / KPI_2014 * S_WORK
        taxes = 0.25 * SHARE * A_W * V * S_WORK
        assert result.payers.loc["municipality", "pv_benefits_nok"] == pytest.approx(taxes + transfers, rel=1e-12)

    def test_ledger_by_the_kpi_whatever_the_category(self, indices):
        ledger = costs(price_year=2014)
        ledger["category"] = ["premises"]
        prepared = model(indices, ledger=ledger)
        assert prepared.cost_by_year["total"].sum() == pytest.approx(COST * KPI_2024 / KPI_2014, rel=1e-12)


class TestEducationValuedWithItsCost:
    """20 additional youths in education, none in work: the school place now, the work it brings later."""

    @pytest.fixture(scope="class")
    @classmethod
    def result(cls, indices):
        return run_model(model(indices, table=cohorts(work=0.2), ledger=costs(amount=0.0)))

    def test_the_stream(self, result):
        assert result.streams.loc["work", "additional_youths"] == 0
        # School: 20 youths x NOK 50 000 in 2025 -> 1 000 000 / 1.04.
        assert result.streams.loc["education", "pv_school_places_nok"] == pytest.approx(20 * 50_000 / 1.04)
        # Later work: 20 x 0.5 completing x 0.4 added share in work x NOK 100 000, in 2026 and 2027 (drop 10 %).
        gain = 20 * 0.5 * 0.4 * 100_000 * (1 / 1.04**2 + 0.9 / 1.04**3)
        assert result.streams.loc["education", "pv_value_nok"] == pytest.approx(gain, rel=1e-12)

    def test_society_and_the_county(self, result):
        school = 20 * 50_000 / 1.04
        gain = 20 * 0.5 * 0.4 * 100_000 * (1 / 1.04**2 + 0.9 / 1.04**3)
        youth_years = 20 * 0.2 * (1 / 1.04**2 + 0.9 / 1.04**3)
        public_savings = 0.3 * gain + (10_000 + 5_000) * youth_years
        society_npv = gain + 0.2 * public_savings - school * 1.2
        assert result.perspectives.loc["society", "npv_nok"] == pytest.approx(society_npv, rel=1e-12)
        # The county pays the school place and gets 5 % of the taxes.
        assert result.payers.loc["county", "pv_costs_nok"] == pytest.approx(school, rel=1e-12)
        assert result.payers.loc["county", "pv_benefits_nok"] == pytest.approx(0.05 * 0.3 * gain, rel=1e-12)

    def test_valued_as_lifelong_work_it_would_be_far_more(self, indices, result):
        # The old reading: every youth in education counted as a youth in work (3 years, no school cost).
        as_work = A.apply_overrides(
            make_registry(),
            {
                "education_years": "0",
                "education_completion_share": "1",
                "completion_employment_gain": "1",
                "education_gain_years": "3",
                "drop_off_education": "0.2",
            },
        )
        old = run_model(model(indices, as_work, table=cohorts(work=0.2), ledger=costs(amount=0.0)))
        assert old.streams.loc["education", "pv_value_nok"] == pytest.approx(20 * V * S_WORK, rel=1e-12)
        assert old.streams.loc["education", "pv_value_nok"] > 4 * result.streams.loc["education", "pv_value_nok"]


class TestPlusMinus:
    """DFØ's plus-minus method: importance (1-3) and extent (1-3) give max(1, i + e - 2) pluses or minuses."""

    @pytest.mark.parametrize(
        "importance, extent, direction, expected, text",
        [
            ("large", "large", "positive", 4, "++++"),  # 3 + 3 - 2
            ("large", "medium", "positive", 3, "+++"),  # 3 + 2 - 2
            ("medium", "medium", "negative", -2, "--"),  # 2 + 2 - 2
            ("small", "large", "positive", 2, "++"),  # 1 + 3 - 2
            ("small", "small", "negative", -1, "-"),  # max(1, 0)
            ("large", "none", "positive", 0, "0"),  # no extent, no consequence
        ],
    )
    def test_consequence(self, importance, extent, direction, expected, text):
        assert consequence(importance, extent, direction) == expected
        assert symbol(expected) == text

    def test_table_from_the_registry(self):
        data = registry_data()
        data["non_priced"] = [
            {
                "id": "health",
                "effect": "Health",
                "effect_nb": "Helse",
                "direction": "positive",
                "importance": "large",
                "extent": "small",
                "who": "Youths",
                "evidence": "judgement",
            },
            {
                "id": "lock_in",
                "effect": "Lock-in",
                "direction": "negative",
                "importance": "medium",
                "extent": "large",
                "who": "Youths",
                "evidence": "judgement",
            },
        ]
        table = plus_minus_table(A.parse_registry(data), "nb")
        assert table["effect"].tolist() == ["Helse", "Lock-in"]  # bokmål where given
        assert table["consequence"].tolist() == [2, -3]  # 3 + 1 - 2; -(2 + 3 - 2)
        assert table["symbol"].tolist() == ["++", "---"]

    def test_demo_registry_assesses_what_the_issue_names(self):
        table = plus_minus_table(A.load_registry(ROOT / "config" / "assumptions" / "demo.yml"))
        assert {"youth_wellbeing", "mental_health", "crime", "next_generation"} <= set(table["id"])
        assert table["who"].str.len().gt(0).all() and table["evidence"].str.len().gt(0).all()


class TestOptimismBiasByRating:
    """Haircuts red 40 %, amber 20 %, green 0 %; work's effect input red and value amber, education's effect green."""

    @pytest.fixture(scope="class")
    @classmethod
    def prepared(cls, indices):
        data = registry_data(
            add=(
                item("ob_red", 0.4, "share"),
                item("ob_amber", 0.2, "share"),
                item("ob_green", 0.0, "share"),
            )
        )
        ratings = {"null_work_share": "red", "value_per_year": "amber", "upper_secondary_place_cost": "red"}
        for entry in data["assumptions"]:
            entry["quality"] = ratings.get(entry["id"], "green")
        data["optimism_bias"] = {
            "rates": {"red": "ob_red", "amber": "ob_amber", "green": "ob_green"},
            "benefits": {
                "work": {"effect": ["null_work_share"], "value": ["value_per_year"]},
                "education": {"effect": ["education_completion_share"], "value": ["value_per_year"]},
            },
            "costs": ["upper_secondary_place_cost"],
        }
        return model(indices, A.parse_registry(data))

    def test_multipliers(self, prepared):
        bias, table = optimism_bias(prepared)
        assert bias["work"] == pytest.approx(0.6 * 0.8)  # red effect, amber value
        assert bias["education"] == pytest.approx(1.0 * 0.8)  # green effect, amber value
        assert bias["school_places"] == pytest.approx(1.4) and bias["ledger"] == pytest.approx(1.0)
        assert table.set_index("element").loc["work_effect", "rating"] == "red"

    def test_scenario_ratio_by_hand(self, prepared):
        work, education = 0.48 * A_W * V * S_WORK, 0.8 * A_E * V * S_GAIN
        public = SHARE * (work + education) + (T_M + T_S) * (0.48 * A_W * S_WORK + 0.8 * A_E * S_GAIN)
        school = 1.4 * A_E * K * D1
        expected = (work + education + TAU * public) / ((COST + school) * (1 + TAU))
        row = next(r for r in scenario_table(prepared) if r["scenario"] == "optimism_bias")
        assert row["bcr"] == pytest.approx(expected, rel=1e-12)


class TestNoValueUpratedTwice:
    """Every money value of the demo registry is uprated once, from the price year its basis states."""

    def test_every_money_value_from_its_stated_basis(self, demo):
        factors = {2014: KPI_2014, 2023: KPI_2023, 2024: KPI_2024}
        for entry in demo.registry.assumptions:
            if not entry.is_money:
                continue
            expected = KPI_2024 / factors[entry.price_year]
            assert demo.money_factors[entry.id] == pytest.approx(expected, rel=1e-12), entry.id
            # Real-price growth runs from the value's own price year, never from an earlier one.
            assert demo.growth_base[entry.id] == entry.price_year, entry.id
            basis = entry.price_basis
            if basis is not None and basis.from_year is not None:
                assert basis.from_year < entry.price_year, entry.id
                assert demo.money_factors[entry.id] != pytest.approx(KPI_2024 / factors[basis.from_year]), entry.id

    def test_the_15_9_million_is_in_2023_prices(self, demo):
        value = demo.registry.get("value_pv_per_youth")
        assert (value.value, value.price_year) == (15_900_000, 2023)
        assert (value.price_basis.uprated_by, value.price_basis.from_year) == ("G", 2014)
        # Once: 15.9 million x 133.6 / 129.6 = 16.39 million (2024), not x 122 225 / 87 328 = 22.25 million.
        assert 15_900_000 * demo.money_factors["value_pv_per_youth"] == pytest.approx(15_900_000 * 133.6 / 129.6)

    def test_a_price_year_at_the_basis_year_is_refused(self):
        data = registry_data(
            remove=("value_per_year",),
            add=(
                item(
                    "value_per_year", V, "NOK/year", price_year=2014, price_basis={"uprated_by": "G", "from_year": 2014}
                ),
            ),
        )
        with pytest.raises(ConfigError, match="count the growth twice"):
            A.parse_registry(data)


class TestCalibratedValues:
    def test_demo_headline_has_no_calibrated_value(self, demo):
        assert demo.registry.calibrated() == []
        assert not any(a.calibrated_to for a in demo.registry.assumptions)

    def test_a_calibrated_value_is_named_by_the_headline_and_the_card(self, indices):
        data = registry_data()
        next(i for i in data["assumptions"] if i["id"] == "drop_off_work")["calibrated_to"] = "4 kroner back"
        registry = A.parse_registry(data)
        analysis = analyse(model(indices, registry), draws=200, seed=1)
        head = build_headline(analysis, registry, {})
        # Every assumption marked calibrated is in the headline's list: none enters it unflagged.
        assert set(registry.calibrated()) == set(head["calibrated_assumptions"]) == {"drop_off_work"}

        class Cfg:
            language = "en"

        card = front_cards(None, {"headline": head}, Cfg())[0]
        assert "calibrated" in card.detail and "drop_off_work" in card.detail

    def test_scenarios_reproduce_the_claims_and_flag_the_calibrated_value(self, indices):
        data = registry_data()
        data["scenarios"] = [
            {
                "id": "claim",
                "label": "Claim",
                "claim": "4 kroner",
                "source": {"document": "Seed 000"},
                "set": {"education_years": 0},
                "calibrate": {"ids": ["drop_off_work", "drop_off_education"], "target_ratio": 2.0},
            }
        ]
        rows = scenario_table(model(indices, A.parse_registry(data)))
        row = rows[0]
        assert row["bcr"] == pytest.approx(2.0, rel=1e-9) and row["reached"]
        assert row["calibrated"] == ["drop_off_education", "drop_off_work"]
        changes = {c["id"]: c for c in row["changes"]}
        assert changes["drop_off_work"]["calibrated"] and not changes["education_years"]["calibrated"]
        assert changes["drop_off_work"]["scenario"] == changes["drop_off_education"]["scenario"]


class TestAttributionNeedsAReason:
    def test_refused_without_a_reason(self):
        with pytest.raises(ConfigError, match="attribution_reason"):
            A.parse_registry(registry_data(attribution=0.2))

    def test_allowed_with_a_reason_and_applied(self, indices):
        data = registry_data(attribution=0.2)
        data["nullalternative"]["attribution_reason"] = "The comparison group had no NAV follow-up."
        result = run_model(model(indices, A.parse_registry(data)))
        assert result.streams.loc["work", "additional_youths"] == pytest.approx(A_W * 0.8)
        assert result.streams.loc["education", "additional_youths"] == pytest.approx(A_E * 0.8)


class TestUnitCostLibrary:
    @staticmethod
    def library(tmp_path: Path, entry: dict) -> Path:
        import yaml

        file = tmp_path / "costs.yml"
        file.write_text(yaml.safe_dump({"title": "t", "unit_costs": [entry]}), encoding="utf-8")
        return file

    ENTRY = {
        "id": "place",
        "label": "School place",
        "amount": 180_000,
        "unit": "NOK/year",
        "per": "pupil-year",
        "price_year": 2024,
        "payer": "county",
        "labour_linked": True,
        "source": {"document": "KOSTRA", "locator": "table 1"},
        "evidence": "data",
        "quality": "amber",
        "status": "sourced",
    }

    def test_the_assumption_takes_the_library_number(self, tmp_path):
        library = A.load_unit_costs([self.library(tmp_path, self.ENTRY)])
        data = registry_data(remove=("upper_secondary_place_cost",))
        data["assumptions"].append(
            {
                "id": "upper_secondary_place_cost",
                "unit_cost": "place",
                "label": "place",
                "low": 150_000,
                "high": 200_000,
                "impact": "green",
            }
        )
        entry = A.parse_registry(data, library=library).get("upper_secondary_place_cost")
        assert (entry.value, entry.price_year, entry.quality, entry.labour_linked) == (180_000, 2024, "amber", True)

    def test_repeating_the_number_is_refused(self, tmp_path):
        library = A.load_unit_costs([self.library(tmp_path, self.ENTRY)])
        data = registry_data()
        next(i for i in data["assumptions"] if i["id"] == "upper_secondary_place_cost")["unit_cost"] = "place"
        with pytest.raises(ConfigError, match="repeats"):
            A.parse_registry(data, library=library)

    def test_no_amount_without_a_source_and_none_while_to_verify(self, tmp_path):
        with pytest.raises(ConfigError, match="locator"):
            A.load_unit_costs([self.library(tmp_path, {**self.ENTRY, "source": {"document": "KOSTRA"}})])
        with pytest.raises(ConfigError, match="no amount"):
            A.load_unit_costs([self.library(tmp_path, {**self.ENTRY, "status": "to_verify", "verify": "check"})])

    def test_demo_library(self):
        library = A.load_unit_costs([ROOT / "config" / "unit_costs" / "norway.yml"])
        required = {
            "social_assistance_per_recipient_year",
            "aap_per_recipient_year_under_25",
            "disability_benefit_young_per_year",
            "upper_secondary_place_per_year",
            "nav_measure_per_participant_year",
            "child_welfare_measure_per_child_year",
            "mental_health_contact",
        }
        assert required <= set(library)
        for entry in library.values():
            # An amount only with its source's page or table; an entry without one says what to verify.
            assert (entry.amount is not None and entry.source.locator) or (entry.amount is None and entry.verify)
            assert entry.payer in {"municipality", "county", "state", "society", "participant"}

    def test_demo_registry_refers_to_the_library(self, demo):
        referred = {a.unit_cost for a in demo.registry.assumptions if a.unit_cost}
        assert {"life_in_work_pv_vista_2014", "upper_secondary_place_per_year"} <= referred
        # A value still to verify is flagged so the page says it.
        assert demo.registry.get("upper_secondary_place_cost").to_verify


class TestNullalternativPerCohort:
    def test_a_cohort_with_its_own_figure(self, indices):
        # 2022 takes the default (20 % work, 30 % education); 2024 has data of its own: 25 % in education.
        data = registry_data(
            add=(
                item(
                    "null_education_share_2024",
                    0.25,
                    "share",
                    evidence="data",
                    source={"document": "Register data", "locator": "table 1"},
                ),
            )
        )
        data["nullalternative"]["education"]["by_year"] = {2024: "null_education_share_2024"}
        table = pd.concat([cohorts(year=2022), cohorts(year=2024)])
        ledger = pd.concat([costs(year=2022), costs(year=2024)])
        result = run_model(model(indices, A.parse_registry(data), ledger=ledger, table=table))
        assert result.cohorts["null_education"].tolist() == [0.30, 0.25]
        # 100 x (0.50 - 0.30) = 20 and 100 x (0.50 - 0.25) = 25 additional youths in education.
        assert result.cohorts["additional_education"].tolist() == pytest.approx([20.0, 25.0])

    def test_an_unknown_id_is_refused(self):
        data = registry_data()
        data["nullalternative"]["work"]["by_year"] = {2024: "no_such_share"}
        with pytest.raises(ConfigError, match="no_such_share"):
            A.parse_registry(data)


class TestHiddenYearsArePooled:
    """Years the follow-up page hides get one pooled share, so no published total gives one back."""

    @staticmethod
    def published(hidden: dict[str, list[int]]) -> pd.DataFrame:
        rows = [
            {
                "followup_year": y,
                "group": g,
                "treatment": "respondents",
                "department": "all",
                "suppressed": "secondary" if y in hidden.get(g, []) else None,
            }
            for y in (2018, 2019, 2020)
            for g in ("education_or_work", "education")
        ]
        return pd.DataFrame(rows)

    COHORTS = pd.DataFrame(
        {
            "year": [2018, 2019, 2020],
            "participants": [100.0, 300.0, 200.0],
            "rate_work": [0.1, 0.2, 0.1],
            "rate_education": [0.6, 0.5, 0.7],
            "rate": [0.7, 0.7, 0.8],
        }
    )

    def test_two_hidden_years_share_their_pooled_share(self):
        from outcomes.analyses.costbenefit.results import _pool_hidden

        out = _pool_hidden(self.COHORTS, self.published({"education_or_work": [2018, 2019]}), "respondents")
        # (100 x 0.7 + 300 x 0.7) / 400 = 0.7 in education or work; education as published.
        assert out["rate"].tolist() == pytest.approx([0.7, 0.7, 0.8])
        assert out["rate_education"].tolist() == pytest.approx([0.6, 0.5, 0.7])

    def test_the_sum_over_the_hidden_years_is_kept(self):
        from outcomes.analyses.costbenefit.results import _pool_hidden

        out = _pool_hidden(self.COHORTS, self.published({"education": [2019, 2020]}), "respondents")
        # (300 x 0.5 + 200 x 0.7) / 500 = 0.58 for both; the participants-weighted sum stays 290.
        assert out["rate_education"].tolist() == pytest.approx([0.6, 0.58, 0.58])
        assert float(out["participants"] @ out["rate_education"]) == pytest.approx(100 * 0.6 + 300 * 0.5 + 200 * 0.7)
        assert out["rate_work"].tolist() == pytest.approx([0.1, 0.7 - 0.58, 0.8 - 0.58])

    def test_one_hidden_year_takes_the_published_years_share(self):
        from outcomes.analyses.costbenefit.results import _pool_hidden

        out = _pool_hidden(self.COHORTS, self.published({"education": [2019]}), "respondents")
        # (100 x 0.6 + 200 x 0.7) / 300 = 0.6667: nothing of 2019's own share is used.
        assert out["rate_education"].tolist() == pytest.approx([0.6, 2 / 3, 0.7])
