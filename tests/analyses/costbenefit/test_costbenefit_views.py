"""Tests for outcomes.analyses.costbenefit.views and views_evidence: the sentences and tables the page shows.

The results are those of the small model of :mod:`tests.cba_small_model` (one
2024 cohort of 100; 10 additional youths in work, 20 in education; NOK 100 000
a year; a school year at NOK 50 000; NOK 1 000 000 paid by the county; 20 %
tax-financing cost; 4 % from 2024). By hand, with
S_W = 1/1.04 + 0.8/1.04**2 + 0.64/1.04**3 = 2.270141 and
S_G = 0.2 * (1/1.04**2 + 0.9/1.04**3) = 0.344931:

* production: work 10 * 100 000 * S_W = 2 270 141, education 20 * 100 000 * S_G = 689 861;
* school places 20 * 50 000 / 1.04 = 961 538; transfers 15 000 * (10 S_W + 20 S_G) = 444 000;
* public budgets: benefits 0.3 * 2 960 002 + 444 000 = 1 332 001, costs 1 961 538,
  NPV -629 537, ratio 0.68, never paid back;
* society: benefits 2 960 002 + 0.2 * 1 332 001 = 3 226 402, costs 1.2 * 1 961 538
  = 2 353 846, NPV 872 556, ratio 1.37; cumulative by year -1 200 000 (2024),
  -1 305 769 (2025), -96 450 (2026), +872 556 (2027): paid back from 2027;
* participants: benefits 0.7 * 2 960 002 - 444 000 = 1 628 001, no costs.

Amounts of a million or more print rounded to 0.1 million kroner (``kr 3,2 mill.``),
smaller ones in whole kroner (``kr 872 556``).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from outcomes.analyses.costbenefit import views, views_evidence
from outcomes.analyses.costbenefit.analysis import analyse
from outcomes.analyses.costbenefit.labels import headline_labels
from outcomes.analyses.costbenefit.model import prepare
from outcomes.analyses.costbenefit.nonpriced import plus_minus_table
from outcomes.analyses.costbenefit.prices import load_price_indices
from outcomes.analyses.costbenefit.results import CbaResults
from outcomes.analyses.costbenefit.sensitivity import break_even
from outcomes.core.formatting import NBSP
from outcomes.inputs.intake import InputSummary
from outcomes.registries import assumptions as A
from tests.cba_small_model import cohorts, costs, make_registry

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
        non_priced=plus_minus_table(registry, lang),
        unit_costs=pd.DataFrame(),
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
        assert len(lines) == 4  # median with range, context, base case, payback
        assert "200 simuleringer" in lines[0]
        assert "2024-kroner" in lines[1] and "nåverdi i 2024" in lines[1] and f"4{NBSP}%" in lines[1]
        assert (
            "1,4" in lines[2]
            and mill("3,2") in lines[2]
            and mill("2,4") in lines[2]
            and f"kr{NBSP}872{NBSP}556" in lines[2]
        )
        # benefits 3,2 mill. > costs 2,4 mill.: DFØ's term for a positive net present value
        assert lines[2].endswith("er tiltaket samfunnsøkonomisk lønnsomt: nytten er større enn kostnadene.")
        assert lines[3].endswith("fra 2027.")

    def test_labels_in_order(self, nb: CbaResults):
        assert views.label_lines(nb) == [
            nb.labels[k] for k in ("perspective", "counterfactual", "horizon_discount", "price_year")
        ]
        assert f"20{NBSP}% av de samme ungdommene vært i arbeid" in views.label_lines(nb)[1]

    def test_no_simulation_no_median(self, nb: CbaResults):
        without = dataclasses.replace(nb, analysis=dataclasses.replace(nb.analysis, simulation=None))
        lines = views.headline_lines(without)
        assert len(lines) == 3 and "simuleringer" not in lines[0]
        assert views_evidence.simulation_text(without) == ""
        assert views_evidence.simulation_table(without).empty

    def test_calibrated_values_are_named(self, nb: CbaResults):
        from tests.cba_small_model import registry_data

        data = registry_data()
        next(i for i in data["assumptions"] if i["id"] == "drop_off_work")["calibrated_to"] = "4 kroner"
        flagged = small_results("nb", A.parse_registry(data))
        assert "drop_off_work" in views.headline_lines(flagged)[-1]

    def test_nonresponse_table(self, nb: CbaResults):
        table = views.nonresponse_table(nb)
        assert table.iloc[0, 0].endswith("*") and table.iloc[0, 4] == "1,4"


class TestTables:
    def test_perspectives_by_hand(self, nb: CbaResults):
        table = views.perspectives_table(nb)
        assert list(table.columns) == [
            "Perspektiv",
            "Nytte (nåverdi), 2024-kroner",
            "Kostnader (nåverdi), 2024-kroner",
            "Netto nåverdi, 2024-kroner",
            "Kroner tilbake per krone",
            "Nytten dekker kostnadene fra",
        ]
        assert table.values.tolist() == [
            ["Samfunnet", mill("3,2"), mill("2,4"), f"kr{NBSP}872{NBSP}556", "1,4", "2027"],
            ["Offentlige budsjetter", mill("1,3"), mill("2,0"), f"kr{NBSP}−629{NBSP}537", "0,7", DASH],
            ["Deltakerne", mill("1,6"), "kr\u00a00", mill("1,6"), DASH, DASH],
        ]

    def test_payers(self, nb: CbaResults):
        table = views.payers_table(nb).set_index("Betaler")
        assert list(table.index) == ["Kommunene", "Fylkeskommunen", "Staten", "Deltakerne"]
        # The county paid the programme and the school places: 1 000 000 + 961 538.
        assert table.loc["Fylkeskommunen"].iloc[1] == mill("2,0")

    def test_streams(self, nb: CbaResults):
        table = views.streams_table(nb)
        assert table.iloc[:, 1].tolist() == ["10,0", "20,0"]
        assert table.iloc[1, 3] == f"kr{NBSP}961{NBSP}538"  # school places, 20 * 50 000 / 1.04

    def test_waterfall(self, nb: CbaResults):
        table = views.waterfall_table(nb)
        assert len(table) == 8
        assert table.iloc[0, 1] == f"kr{NBSP}−1,0{NBSP}mill."  # the programme's costs
        assert table.iloc[-1, 1] == f"kr{NBSP}872{NBSP}556"  # the NPV
        assert list(views.waterfall_step_labels(nb)) == nb.result.waterfall["step"].tolist()

    def test_cohorts(self, nb: CbaResults):
        row = views.cohort_table(nb).iloc[0].tolist()
        assert row == [
            "2024",
            "100",
            f"30{NBSP}%",
            f"50{NBSP}%",
            f"20{NBSP}% / 30{NBSP}%",
            "30,0",
            "1,000",
            mill("2,4"),
            mill("3,2"),
            "1,4",
        ]

    def test_sensitivity_values_in_their_units(self, nb: CbaResults):
        table = views_evidence.sensitivity_table(nb).set_index("Forutsetning")
        assert table.loc["value per year"].iloc[0] == f"kr{NBSP}50{NBSP}000 (2024-kroner) per år"
        assert table.loc["null work share"].iloc[:2].tolist() == [f"10{NBSP}%", f"30{NBSP}%"]

    def test_simulation(self, nb: CbaResults):
        table = views_evidence.simulation_table(nb)
        assert len(table) == 7
        assert table.iloc[-1, 1] == "200 (1)"
        assert "200" in views_evidence.simulation_text(nb)

    def test_break_even_notes_are_translated_from_codes(self, nb: CbaResults):
        model = prepare(nb.registry, costs(), cohorts(), load_price_indices())
        table = break_even(model, ["public_benefit_share_municipality", "null_work_share"])
        assert table["note_code"].tolist() == ["no_effect", ""]
        shown = dataclasses.replace(nb, analysis=dataclasses.replace(nb.analysis, break_even=table))
        notes = views_evidence.break_even_table(shown)["Merknad"].tolist()
        assert notes == ["Resultatet avhenger ikke av denne forutsetningen", ""]
        english = dataclasses.replace(shown, language="en")
        assert views_evidence.break_even_table(english)["Note"].iloc[0] != notes[0]

    def test_assumptions(self, nb: CbaResults):
        table = views_evidence.assumption_table(nb)
        assert "Id" not in table.columns and len(table) == len(nb.registry.assumptions)
        assert table["Forutsetning"].tolist() == [a.label for a in nb.registry.assumptions]
        table.index = pd.Index(nb.registry.ids)
        assert table.loc["value_per_year", "Prisår"] == "2024" and table.loc["attribution", "Prisår"] == DASH
        assert table.loc["discount_break_1", "Verdi"] == "40 år"
        assert table.loc["value_per_year", "Enhet"] == "kr per år" and table.loc["attribution", "Enhet"] == "andel"
        rating = table.loc["attribution", "Kvalitet"]
        assert str(rating) in ("rød", "gul", "grønn") and f">{rating}</span>" in rating.__html__()

    def test_notes_overrides_and_data(self, nb: CbaResults):
        assert views_evidence.assumption_notes_table(nb).empty  # the small registry has no notes
        assert views_evidence.overrides_table(nb).shape == (0, 3)
        changed = small_results("nb", A.apply_overrides(make_registry(), {"displacement": "20%"}))
        label = changed.registry.get("displacement").label
        assert views_evidence.overrides_table(changed).values.tolist() == [[label, "0\u00a0%", "20\u00a0%"]]
        lines = views.data_lines(nb)
        assert len(lines) == 3 and "data/raw/test/costs.csv" in lines[0] and "abcdef012345" in lines[1]

    def test_missing_labels(self, nb: CbaResults, en: CbaResults):
        # The small registry has no bokmål texts: the nb page says how many are shown in English, naming no id.
        missing = len(nb.registry.missing_bokmal())
        assert missing > 0
        assert views_evidence.missing_labels_text(nb).startswith(f"Tekster i registeret som mangler bokmål ({missing})")
        assert "null_work_share" not in views_evidence.missing_labels_text(nb)
        assert views_evidence.missing_labels_text(en) == ""

    def test_english(self, en: CbaResults):
        assert views.perspectives_table(en).iloc[0, 0] == "Society"
        assert views.cohort_table(en).iloc[0, 1:4].tolist() == ["100", "30%", "50%"]
