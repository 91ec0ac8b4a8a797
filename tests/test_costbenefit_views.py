"""Tests for outcomes.analyses.costbenefit.views: the sentences and tables the cost-benefit page shows.

The results are those of the small model of ``tests/test_costbenefit.py``
(one cohort of 100, 80 % in the outcome against 50 %, 20 % attribution,
NOK 100 000 a year for 3 years with 20 % drop-off at 4 %, NOK 1 000 000
paid by the county, 20 % tax-financing cost). By hand, with
S = 1/1.04 + 0.8/1.04**2 + 0.64/1.04**3 = 2.27014 and A = 24 additional youths:

* society: benefits A*S*(100 000 + 0.2*(0.3*100 000 + 10 000)) = NOK 5 884 206,
  costs 1 200 000, NPV 4 684 206, ratio 4.90; year 1 alone brings
  24*108 000/1.04 = 2 492 308 > 1 200 000, so payback in year 1;
* public budgets: benefits A*S*40 000 = 2 179 336, costs 1 000 000, ratio
  2.18; year 1 brings 923 077 < 1 000 000, years 1-2 1 633 136, so year 2;
* participants: benefits A*S*60 000 = 3 269 003, no costs, no ratio.

Amounts print rounded to 0.1 million kroner (``kr 5,9 mill.``).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from outcomes.analyses.costbenefit import views
from outcomes.analyses.costbenefit.analysis import analyse
from outcomes.analyses.costbenefit.labels import headline_labels
from outcomes.analyses.costbenefit.model import prepare
from outcomes.analyses.costbenefit.prices import load_price_indices
from outcomes.analyses.costbenefit.results import CbaResults
from outcomes.analyses.costbenefit.sensitivity import break_even
from outcomes.core.formatting import NBSP
from outcomes.inputs.intake import InputSummary
from outcomes.registries import assumptions as A
from tests.test_costbenefit import cohorts, costs, make_registry

DASH = "–"


def small_results(lang: str = "nb", registry: A.Registry | None = None) -> CbaResults:
    """The small model's results as the cost-benefit section holds them (200 draws, seed 1)."""
    registry = registry if registry is not None else make_registry()
    model = prepare(registry, costs(), cohorts(), load_price_indices())
    analysis = analyse(model, draws=200, seed=1)
    labels, facts = headline_labels(analysis, registry, "education_or_work", lang)
    published = analysis.result.cohorts.assign(suppressed=pd.Series([pd.NA], dtype="string"))
    summary = InputSummary(
        name="costs",
        kind="costs",
        file="data/raw/test/costs.csv",
        sha256="0" * 64,
        rows_read=3,
        rows_accepted=3,
        rows_rejected=0,
        encoding="utf-8",
        delimiter=",",
        blank_rows=0,
    )
    return CbaResults(
        analysis=analysis,
        registry=registry,
        assumptions=A.registry_table(registry),
        cohorts=published,
        cost_by_year=model.cost_by_year.reset_index(),
        costs_input=summary,
        cost_problems=pd.DataFrame(),
        labels=labels,
        facts=facts,
        programme="test",
        language=lang,
        outcome_group="education_or_work",
        treatment="respondents",
        years=(2024, 2024),
        threshold=5,
        registry_file="config/assumptions/test.yml",
        registry_sha256="abcdef0123456789" * 4,
    )


@pytest.fixture(scope="module")
def nb() -> CbaResults:
    return small_results("nb")


@pytest.fixture(scope="module")
def en() -> CbaResults:
    return small_results("en")


def mill(text: str, lang: str = "nb") -> str:
    """``5,9`` -> ``kr 5,9 mill.`` with the non-breaking spaces the formatter uses."""
    return f"kr{NBSP}{text}{NBSP}mill." if lang == "nb" else f"NOK{NBSP}{text}{NBSP}million"


class TestNumbersInWords:
    def test_money_carries_its_price_year(self):
        assert views.money_text(15_900_000, 2014, "nb") == f"{mill('15,9')} (2014-kroner)"
        assert views.money_text(15_900_000, 2014, "en") == f"{mill('15.9', 'en')} (2014 prices)"
        assert views.money_text(None, 2014, "nb") == DASH
        assert views.money_text(float("nan"), 2014, "nb") == DASH

    def test_money_column(self):
        assert views.money_column("npv", 2024, "en").endswith(", 2024 prices")

    @pytest.mark.parametrize(
        "value, unit, price_year, expected",
        [
            (0.25, "share", None, f"25{NBSP}%"),
            (0.555, "share", None, f"55,5{NBSP}%"),
            (0.12, "share/year", None, f"12{NBSP}% per år"),
            (15_900_000, "NOK", 2014.0, f"{mill('15,9')} (2014-kroner)"),
            (150_000, "NOK/year", 2024, f"kr{NBSP}150{NBSP}000 (2024-kroner) per år"),
            (35, "years", None, "35 år"),
            (2.5, "years", None, "2,5 år"),
            (float("nan"), "share", None, DASH),
        ],
    )
    def test_value_in_its_own_unit(self, value, unit, price_year, expected):
        assert views.value_text(value, unit, price_year, "nb") == expected


class TestHeadline:
    def test_lines(self, nb: CbaResults):
        lines = views.headline_lines(nb)
        assert len(lines) == 4  # ratio, amounts, payback, simulation
        assert "4,9" in lines[0]
        assert mill("5,9") in lines[1] and mill("1,2") in lines[1] and mill("4,7") in lines[1]
        assert "(2024-kroner)" in lines[1]
        assert "200" in lines[3]

    def test_labels_in_order(self, nb: CbaResults):
        assert views.label_lines(nb) == [
            nb.labels[k] for k in ("perspective", "counterfactual", "horizon_discount", "price_year")
        ]
        assert views.label_lines(nb)[2].endswith(f"4{NBSP}% per år (Finansdepartementets R-109).")

    def test_no_simulation_no_line(self, nb: CbaResults):
        without = dataclasses.replace(nb, analysis=dataclasses.replace(nb.analysis, simulation=None))
        assert len(views.headline_lines(without)) == 3
        assert views.simulation_text(without) == ""
        assert views.simulation_table(without).empty


class TestTables:
    def test_perspectives_by_hand(self, nb: CbaResults):
        table = views.perspectives_table(nb)
        assert list(table.columns) == [
            "Perspektiv",
            "Nytte (nåverdi), 2024-kroner",
            "Kostnader (nåverdi), 2024-kroner",
            "Netto nåverdi, 2024-kroner",
            "Kroner tilbake per krone",
            "Nytten dekker kostnadene etter (år)",
        ]
        assert table.values.tolist() == [
            ["Samfunnet", mill("5,9"), mill("1,2"), mill("4,7"), "4,9", "1"],
            ["Offentlige budsjetter", mill("2,2"), mill("1,0"), mill("1,2"), "2,2", "2"],
            ["Deltakerne", mill("3,3"), "kr\u00a00", mill("3,3"), DASH, DASH],
        ]

    def test_payers(self, nb: CbaResults):
        table = views.payers_table(nb).set_index("Betaler")
        # 70 % of the public benefits (NOK 2 179 336) go to the state; the county paid the programme.
        assert table.loc["Staten"].tolist() == [mill("1,5"), "kr\u00a00", mill("1,5")]
        assert table.loc["Fylkeskommunen"].iloc[1] == mill("1,0")

    def test_waterfall(self, nb: CbaResults):
        table = views.waterfall_table(nb)
        assert len(table) == 5
        assert table.iloc[0, 1] == f"kr{NBSP}−1,0{NBSP}mill."  # the programme's costs
        assert table.iloc[-1, 1] == mill("4,7")  # the NPV
        assert list(views.waterfall_step_labels(nb)) == nb.result.waterfall["step"].tolist()

    def test_cohorts(self, nb: CbaResults):
        row = views.cohort_table(nb).iloc[0].tolist()
        assert row == ["2024", "100", f"80{NBSP}%", "24,0", mill("1,2"), mill("5,9"), "4,9"]

    def test_sensitivity_values_in_their_units(self, nb: CbaResults):
        table = views.sensitivity_table(nb).set_index("Forutsetning")
        # attribution moves 0-0.5: the ratio is 4.90 * (1 - a) / 0.8, i.e. 6.13 at 0 and 3.06 at 0.5.
        assert table.loc["attribution"].tolist() == [f"0{NBSP}%", f"50{NBSP}%", "6,13", "3,06"]
        assert table.loc["value per year"].iloc[0] == f"kr{NBSP}50{NBSP}000 (2024-kroner) per år"

    def test_simulation(self, nb: CbaResults):
        table = views.simulation_table(nb)
        assert len(table) == 7
        assert table.iloc[-1, 1] == "200 (1)"
        assert "200" in views.simulation_text(nb)

    def test_break_even_notes_are_translated_from_codes(self, nb: CbaResults):
        model = prepare(nb.registry, costs(), cohorts(), load_price_indices())
        table = break_even(model, ["public_benefit_share_municipality", "attribution"])
        assert table["note_code"].tolist() == ["no_effect", ""]
        shown = dataclasses.replace(nb, analysis=dataclasses.replace(nb.analysis, break_even=table))
        notes = views.break_even_table(shown)["Merknad"].tolist()
        assert notes == ["Resultatet avhenger ikke av denne forutsetningen", ""]
        english = dataclasses.replace(shown, language="en")
        assert views.break_even_table(english)["Note"].iloc[0] != notes[0]

    def test_assumptions(self, nb: CbaResults):
        table = views.assumption_table(nb).set_index("Id")
        assert len(table) == len(nb.registry.assumptions)
        assert table.loc["value_per_year", "Prisår"] == "2024" and table.loc["attribution", "Prisår"] == DASH
        assert table.loc["discount_break_1", "Verdi"] == "40 år"

    def test_notes_overrides_and_data(self, nb: CbaResults):
        assert views.assumption_notes_table(nb).empty  # the small registry has no notes
        assert views.overrides_table(nb).shape == (0, 3)
        changed = small_results("nb", A.apply_overrides(make_registry(), {"attribution": "40%"}))
        assert views.overrides_table(changed).values.tolist() == [["attribution", "0.2", "0.4"]]
        lines = views.data_lines(nb)
        assert len(lines) == 3 and "data/raw/test/costs.csv" in lines[0] and "abcdef012345" in lines[1]

    def test_missing_labels(self, nb: CbaResults, en: CbaResults):
        # The small registry has no bokmål labels: the nb page names every id; English needs none.
        assert "comparison_rate" in views.missing_labels_text(nb)
        assert views.missing_labels_text(en) == ""

    def test_english(self, en: CbaResults):
        assert views.perspectives_table(en).iloc[0, 0] == "Society"
        assert views.cohort_table(en).iloc[0, 1:4].tolist() == ["100", "80%", "24.0"]
