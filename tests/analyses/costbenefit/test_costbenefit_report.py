"""The cost-benefit section wired end to end: pipeline, command line and report page.

Fast tests call :func:`outcomes.analyses.cba_results` / ``outcomes cba`` in a
private copy of the project (demo registry, demo ledger, demo follow-up
records). The page tests (marked slow) build the report once per module with
the sections ``followup`` and ``costbenefit`` and read ``cost_benefit.html``.

The hand calculation behind the what-if test, from the model in
:mod:`outcomes.analyses.costbenefit.evaluation`: every benefit (production,
taxes, transfers) is proportional to the additional youths, and attribution
multiplies all of them by (1 - attribution). Of the costs only the school
places of the additional youths in education are, so with S the present value
of the school places (``streams``) and tau = 20 %:

    benefits(a) = benefits(0) * (1 - a)
    costs(a)    = costs(0) - a * S * (1 + tau)

Moving attribution from 0 (demo registry) to 0.40 multiplies the society
benefits by 0.6 and takes 0.4 * S * 1.2 off the costs.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import numpy as np
import pytest
import yaml

from outcomes.analyses import CbaResults, cba_json, cba_results
from outcomes.core.config import load_config
from outcomes.core.errors import ConfigError, RejectedRowsError
from outcomes.core.formatting import format_ratio
from outcomes.core.safety import escape_html
from outcomes.registries.assumptions import registry_table
from tests.conftest import ROOT, make_project, outcomes_root

ATTRIBUTION = 0.40


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory):
    """A private project with the demo data; OUTCOMES_ROOT points at it for the module."""
    project = make_project(tmp_path_factory.mktemp("cba") / "project")
    with outcomes_root(project):
        yield project


@pytest.fixture(scope="module")
def base(root: Path) -> CbaResults:
    """The demo analysis with the configuration as shipped (2,000 draws to keep it quick)."""
    return cba_results(load_config(), draws=2000)


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "OUTCOMES_ROOT": str(root)}
    return subprocess.run(
        [sys.executable, "-m", "outcomes.cli", *args], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )


def bad_ledger(root: Path, name: str, line: int, column: str, value: str) -> str:
    """A copy of the demo ledger with one cell changed (line counts the header as 1)."""
    lines = (root / "data" / "raw" / "demo" / "costs.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(cells)
    target = root / "data" / "raw" / "demo" / name
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"data/raw/demo/{name}"


# ====================================================================== pipeline


class TestCbaResults:
    def test_demo_headline(self, base: CbaResults) -> None:
        head = base.headline()
        assert head["perspective"] == "society" and head["price_year"] == 2024 and head["comparison_year"] == 2024
        # The headline is the simulated median; the base case is beside it.
        assert head["bcr_kind"] == "simulated_median"
        assert head["bcr"] == pytest.approx(float(np.median(base.simulation.bcr)), rel=1e-12)
        assert head["bcr_base_case"] == pytest.approx(head["pv_benefits_nok"] / head["pv_costs_nok"], rel=1e-12)
        assert head["npv_nok"] == pytest.approx(head["pv_benefits_nok"] - head["pv_costs_nok"], rel=1e-12)
        assert 0 <= head["p_benefits_exceed_costs"] <= 1 and head["bcr_p5"] < head["bcr"] < head["bcr_p95"]
        # Below the sources' "3 to 4 kroner": education is no longer valued as lifelong work.
        assert 1.0 < head["bcr"] < 3.0 and head["bcr"] < head["bcr_base_case"]

    def test_headline_json_says_what_the_ratio_rests_on(self, base: CbaResults) -> None:
        head = base.headline()
        assert set(head["nonresponse"]) == {"respondents", "negative", "positive"}
        for treatment in head["nonresponse"].values():
            assert {"bcr_median", "bcr_p5", "bcr_p95", "p_benefits_exceed_costs", "bcr_base_case"} <= set(treatment)
        assert head["nonresponse"]["negative"]["bcr_median"] < head["bcr"]
        assert head["discount_steps"][1] == {"from_year": 2025, "until_year": 2064, "rate": 0.04}
        assert head["horizon"]["analysis_period"] == [2011, 2050] and head["horizon"]["residual_value_nok"] > 0
        assert head["calibrated_assumptions"] == []

    def test_ledger_accounting(self, base: CbaResults) -> None:
        s = base.costs_input
        assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (57, 57, 0)

    def test_costs_are_the_ledger_uprated(self, base: CbaResults) -> None:
        # All 2011 rows sum to NOK 40 185 000 in 2011 prices; by the KPI to 2024: x 133.6 / 93.3.
        row = base.cost_by_year.set_index("year").loc[2011]
        assert row["total"] == pytest.approx(40_185_000 * 133.6 / 93.3, rel=1e-12)
        assert row["municipality"] / row["total"] == pytest.approx(485_000 / 40_185_000, rel=1e-12)

    def test_cohorts_use_contacted_and_followup_rate(self, base: CbaResults, root: Path) -> None:
        import pandas as pd

        data = pd.read_csv(root / "data" / "raw" / "demo" / "followup.csv")
        contacted_2012 = int((data.followup_year == 2012).sum())
        row = base.cohorts.set_index("year").loc[2012]
        assert row["participants"] == contacted_2012 == 164

    def test_four_labels(self, base: CbaResults) -> None:
        assert list(base.labels) == ["perspective", "counterfactual", "horizon_discount", "price_year"]
        assert "7,4" in base.labels["counterfactual"] and "48,1" in base.labels["counterfactual"]
        horizon = base.labels["horizon_discount"]
        assert "2011–2050" in horizon and "restverdi" in horizon and "neddiskontert til 2024" in horizon
        assert "2024" in base.labels["price_year"] and "konsumprisindeksen" in base.labels["price_year"]

    def test_labels_in_english(self, root: Path) -> None:
        results = cba_results(load_config(overrides={"language": "en"}), draws=100)
        assert results.labels["perspective"].startswith("Perspective:")
        assert results.labels["price_year"].startswith("Price year: all amounts in 2024 kroner")
        assert results.labels["counterfactual"].startswith("Nullalternativ:")

    def test_small_cohorts_are_not_published_but_still_counted(self, base: CbaResults) -> None:
        # 164 people were contacted in 2012: a threshold of 200 hides that cohort's figures (and, by the
        # complement rule, every other cohort's, since 30-40 a year were not in education or work).
        strict = cba_results(load_config(overrides={"disclosure_threshold": 200}), draws=2000)
        row = strict.cohorts.set_index("year").loc[2012]
        assert isinstance(row["suppressed"], str)
        assert math.isnan(row["participants"]) and math.isnan(row["rate"]) and math.isnan(row["bcr"])
        assert not math.isnan(row["costs_nok"])
        # The model still uses every cohort, the hidden years with their pooled shares: the additional
        # youths add up to the same total, and the ratio moves only through the cohorts' discount weights.
        assert strict.result.additional_youths == pytest.approx(base.result.additional_youths, rel=1e-12)
        assert strict.headline()["bcr_base_case"] == pytest.approx(base.headline()["bcr_base_case"], rel=0.05)
        published = {r["year"]: r for r in cba_json(strict)["cohorts"]}
        assert published[2012]["participants"] is None and published[2012]["suppressed"]
        assert published[2012]["costs_nok"] is not None  # costs are not about people
        assert base.cohorts["suppressed"].isna().all() and cba_json(base)["cohorts"][8]["participants"] == 248

    def test_attribution_what_if_by_hand(self, base: CbaResults) -> None:
        changed = cba_results(load_config(), {"attribution": "0.4"}, draws=2000)
        old, new = base.result.perspectives, changed.result.perspectives
        school = base.result.streams.at["education", "pv_school_places_nok"]
        assert new.at["society", "pv_benefits_nok"] == pytest.approx(
            old.at["society", "pv_benefits_nok"] * (1 - ATTRIBUTION), rel=1e-12
        )
        assert new.at["society", "pv_costs_nok"] == pytest.approx(
            old.at["society", "pv_costs_nok"] - ATTRIBUTION * school * 1.2, rel=1e-12
        )
        assert changed.overrides["caller"] == {"attribution": "0.4"}

    def test_discount_what_if_is_the_same_as_a_registry_edit(self, root: Path, base: CbaResults) -> None:
        # The schedule's steps name their rate and break year by assumption id, so the ids of
        # today's registry stay the what-if keys: --assume discount_rate_1=3% discount_break_1=30.
        changed = cba_results(load_config(), {"discount_rate_1": "3%", "discount_break_1": "30"}, draws=100)
        data = yaml.safe_load((root / "config" / "assumptions" / "demo.yml").read_text(encoding="utf-8"))
        for item in data["assumptions"]:
            if item["id"] == "discount_rate_1":
                item["value"] = 0.03
            if item["id"] == "discount_break_1":
                item["value"], item["low"], item["high"] = 30, 30, 30
        edited = root / "config" / "assumptions" / "demo_discount_edit.yml"
        edited.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        by_edit = cba_results(
            load_config(overrides={"costbenefit.assumptions": "config/assumptions/demo_discount_edit.yml"}), draws=100
        )
        assert changed.headline()["bcr"] == pytest.approx(by_edit.headline()["bcr"], rel=1e-12)
        assert changed.headline()["discount_steps"][1] == {"from_year": 2025, "until_year": 2054, "rate": 0.03}
        assert changed.headline()["bcr_base_case"] > base.headline()["bcr_base_case"]  # later benefits weigh more
        assert "3\u00a0% per år" in changed.labels["horizon_discount"]
        assert changed.facts["discount_rates"] == [0.03, 0.03, 0.02]
        assert changed.facts["discount_breaks"] == [30.0, 75.0]
        assert base.facts["discount_rates"] == [0.04, 0.03, 0.02] and base.facts["discount_breaks"] == [40.0, 75.0]

    def test_configured_what_if_comes_first(self, root: Path) -> None:
        cfg = load_config(overrides={"costbenefit.overrides": {"attribution": 0.1}})
        both = cba_results(cfg, {"attribution": "0.4"}, draws=100)
        assert both.registry.get("attribution").value == 0.4
        assert [o.key for o in both.registry.overrides] == ["attribution", "attribution"]

    def test_unknown_assumption_suggests(self, root: Path) -> None:
        with pytest.raises(ConfigError, match="attribution"):
            cba_results(load_config(), {"atribution": "0.4"}, draws=100)

    def test_same_seed_same_simulation(self, root: Path) -> None:
        cfg = load_config()
        a = cba_results(cfg, seed=11, draws=3000).simulation
        b = cba_results(cfg, seed=11, draws=3000).simulation
        c = cba_results(cfg, seed=12, draws=3000).simulation
        assert a.draws == 3000 and a.seed == 11
        assert np.array_equal(a.bcr, b.bcr) and a.p_benefits_exceed_costs == b.p_benefits_exceed_costs
        assert not np.array_equal(a.bcr, c.bcr)

    def test_rejected_row_stops_unless_allowed(self, root: Path) -> None:
        path = bad_ledger(root, "costs_badpayer.csv", 7, "payer", "banken")
        cfg = load_config(overrides={"inputs.costs": path})
        with pytest.raises(RejectedRowsError) as caught:
            cba_results(cfg, draws=100)
        message = str(caught.value)
        assert path in message and "line 7" in message and "column 'payer'" in message and "banken" in message
        allowed = cba_results(cfg, draws=100, allow_rejects=True)
        assert (allowed.costs_input.rows_accepted, allowed.costs_input.rows_rejected) == (56, 1)

    def test_blank_payer_is_public_payer_unknown(self, root: Path, base: CbaResults) -> None:
        path = bad_ledger(root, "costs_blankpayer.csv", 3, "payer", "")
        results = cba_results(load_config(overrides={"inputs.costs": path}), draws=100)
        payers = results.result.payers
        assert "unspecified" in payers.index and payers.at["unspecified", "pv_costs_nok"] > 0
        # Moving a cost from the county to "public, payer unknown" leaves society's ratio as it was.
        assert results.headline()["bcr_base_case"] == pytest.approx(base.headline()["bcr_base_case"], rel=1e-12)

    def test_norwegian_payer_names(self, root: Path, base: CbaResults) -> None:
        path = bad_ledger(root, "costs_norsk.csv", 2, "payer", "fylkeskommunen")
        results = cba_results(load_config(overrides={"inputs.costs": path}), draws=100)
        assert results.headline()["bcr_base_case"] == pytest.approx(base.headline()["bcr_base_case"], rel=1e-12)

    def test_scenarios_reproduce_the_claims(self, base: CbaResults) -> None:
        rows = {r["scenario"]: r for r in base.analysis.scenarios}
        assert rows["dnv_gl_4_kroner"]["bcr"] == pytest.approx(4.0, rel=1e-9)
        assert rows["letter_3_kroner"]["bcr"] == pytest.approx(3.0, rel=1e-9)
        for claim in ("dnv_gl_4_kroner", "letter_3_kroner"):
            assert rows[claim]["calibrated"] == ["drop_off_education", "drop_off_work"]
        # Less drop-off is needed for 4 kroner than for 3.
        drop = {
            k: next(c["scenario"] for c in rows[k]["changes"] if c["calibrated"]) for k in rows if k != "optimism_bias"
        }
        assert drop["dnv_gl_4_kroner"] < drop["letter_3_kroner"]
        assert rows["optimism_bias"]["bcr"] < base.headline()["bcr_base_case"]


class TestCbaJson:
    def test_serialisable_without_nan(self, base: CbaResults) -> None:
        text = json.dumps(cba_json(base), allow_nan=False)
        assert "NaN" not in text

    def test_every_output_present(self, base: CbaResults) -> None:
        data = cba_json(base)
        for key in (
            "headline",
            "labels",
            "perspectives",
            "payers",
            "streams",
            "scenarios",
            "optimism_bias",
            "non_priced",
            "unit_costs",
            "cohorts",
            "waterfall",
            "tornado",
            "break_even",
            "simulation",
            "assumptions",
            "input",
            "registry",
        ):
            assert data[key], key
        assert [p["perspective"] for p in data["perspectives"]] == ["society", "public", "participant"]
        for row in data["perspectives"]:
            assert {"pv_benefits_nok", "pv_costs_nok", "npv_nok", "bcr", "payback_year"} <= set(row)
        assert {"p_benefits_exceed_costs", "bcr_p5", "bcr_p95"} <= set(data["simulation"])
        assert set(data["headline"]["labels"]) == {"perspective", "counterfactual", "horizon_discount", "price_year"}
        assert len(data["assumptions"]) == len(registry_table(base.registry))

    def test_price_year_on_every_money_row(self, base: CbaResults) -> None:
        data = cba_json(base)

        def rows(node):
            if isinstance(node, dict):
                yield node
                for value in node.values():
                    yield from rows(value)
            elif isinstance(node, list):
                for value in node:
                    yield from rows(value)

        money_rows = [r for r in rows(data) if any(k.endswith("_nok") for k in r)]
        assert len(money_rows) > 40
        assert all(r.get("price_year") == 2024 for r in money_rows)
        be = {r["id"]: r for r in data["break_even"]}
        assert be["value_pv_per_youth"]["value_price_year"] == 2023  # the assumption keeps its own price year


# ====================================================================== command line


class TestCbaCommand:
    def test_set_changes_the_ratio_as_calculated_by_hand(self, root: Path) -> None:
        before = run_cli(root, "cba", "--json", "--draws", "200")
        after = run_cli(root, "cba", "--json", "--draws", "200", "--set", "attribution=0.4")
        as_percent = run_cli(root, "cba", "--json", "--draws", "200", "--assume", "attribution=40%")
        assert before.returncode == after.returncode == as_percent.returncode == 0, after.stderr
        old, new = json.loads(before.stdout), json.loads(after.stdout)
        school = next(s for s in old["streams"] if s["stream"] == "education")["pv_school_places_nok"]
        # Benefits x (1 - 0.40); costs less 0.40 of the school places and their tax-financing cost.
        assert new["headline"]["pv_benefits_nok"] == pytest.approx(old["headline"]["pv_benefits_nok"] * 0.6)
        assert new["headline"]["pv_costs_nok"] == pytest.approx(old["headline"]["pv_costs_nok"] - 0.4 * school * 1.2)
        assert json.loads(as_percent.stdout)["headline"]["bcr"] == pytest.approx(new["headline"]["bcr"], rel=1e-12)

    @pytest.mark.parametrize(
        "what_if",
        ["drop_off_education=5%", "upper_secondary_place_cost=150000", "comparison_year=2011", "price_index=G"],
    )
    def test_new_items_are_what_ifs(self, root: Path, what_if: str) -> None:
        done = run_cli(root, "cba", "--json", "--draws", "100", "--assume", what_if)
        assert done.returncode == 0, done.stderr
        applied = json.loads(done.stdout)["overrides"]["applied"]
        assert applied[0]["key"] == what_if.split("=")[0]

    def test_seed_gives_the_same_simulation(self, root: Path) -> None:
        a = json.loads(run_cli(root, "cba", "--json", "--seed", "5", "--draws", "500").stdout)["simulation"]
        b = json.loads(run_cli(root, "cba", "--json", "--seed", "5", "--draws", "500").stdout)["simulation"]
        assert a == b and a["seed"] == 5 and a["draws"] == 500

    def test_bad_ledger_row_exit_1_names_file_line_column(self, root: Path) -> None:
        path = bad_ledger(root, "costs_badamount.csv", 5, "amount_nok", "3 060 kr")
        done = run_cli(root, "cba", "--json", "--set", f"inputs.costs={path}")
        assert done.returncode == 1
        assert done.stdout == ""
        assert path in done.stderr and "line 5" in done.stderr and "column 'amount_nok'" in done.stderr
        assert "Traceback" not in done.stderr

    def test_discount_break_out_of_order_exit_2(self, root: Path) -> None:
        done = run_cli(root, "cba", "--assume", "discount_break_1=80")
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert "step 2 ends at year 75, before step 1 (year 80)" in done.stderr

    def test_unknown_assumption_exit_2(self, root: Path) -> None:
        done = run_cli(root, "cba", "--set", "atribution=0.4")
        assert done.returncode == 2 and "attribution" in done.stderr and "Traceback" not in done.stderr


class TestAssumptionsDiff:
    def test_lists_a_changed_value(self, root: Path, tmp_path: Path) -> None:
        old = root / "config" / "assumptions" / "demo.yml"
        data = yaml.safe_load(old.read_text(encoding="utf-8"))
        for item in data["assumptions"]:
            if item["id"] == "displacement":
                item["value"] = 0.2
        new = tmp_path / "demo_next_year.yml"
        new.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        done = run_cli(root, "assumptions", "diff", str(old), str(new))
        assert done.returncode == 0, done.stderr
        changed = [line.split() for line in done.stdout.splitlines() if line.strip().startswith("displacement")]
        assert changed == [["displacement", "value", "changed", "0.1", "0.2"]]
        assert len(done.stdout.strip().splitlines()) == 2  # header and the one change

    def test_no_differences(self, root: Path) -> None:
        old = root / "config" / "assumptions" / "demo.yml"
        done = run_cli(root, "assumptions", "diff", str(old), str(old))
        assert done.returncode == 0 and "No differences" in done.stdout


# ====================================================================== the report page

INJECTED = "Judgement (demo) <b>bold</b> & co"


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory):
    """cost_benefit.html built once in its own private project (registry text with HTML in it)."""
    from outcomes.report.runner import build_report

    project = make_project(tmp_path_factory.mktemp("cba_page") / "project")
    registry = project / "config" / "assumptions" / "demo.yml"
    text = registry.read_text(encoding="utf-8")
    marker = "      document_nb: Skjønn (demo)\n      note: >-\n        Entry-level jobs"
    assert marker in text
    untranslated = "    label_nb: Skattefinansieringskostnad per krone i netto virkning på offentlige budsjetter\n"
    assert untranslated in text
    text = text.replace(untranslated, "")  # one assumption without a bokmål label
    registry.write_text(
        text.replace(marker, f'      document_nb: "{INJECTED}"\n      note: >-\n        Entry-level jobs'),
        encoding="utf-8",
    )
    with outcomes_root(project):
        target = build_report(overrides={"sections": ["followup", "costbenefit"]}, log=lambda m: None)
        results = cba_results(load_config(), draws=200)
        yield {"html": (target / "cost_benefit.html").read_text(encoding="utf-8"), "results": results, "target": target}


@pytest.mark.slow
class TestCostBenefitPage:
    def test_page_in_bundle_and_navigation(self, page) -> None:
        assert (page["target"] / "cost_benefit.html").is_file()
        assert 'href="cost_benefit.html"' in (page["target"] / "index.html").read_text(encoding="utf-8")

    def test_figures(self, page) -> None:
        for name in ("cba-waterfall", "cba-tornado", "cba-simulation"):
            assert f'id="fig-{name}"' in page["html"], name
            assert f'id="cap-{name}"' in page["html"]  # caption, and the data table as text alternative
        assert page["html"].count('<details class="chart-data">') >= 3

    def test_headline_and_four_labels(self, page) -> None:
        text, results = unescape(page["html"]), page["results"]
        ratio = format_ratio(results.headline()["bcr"], "nb")
        assert f"får samfunnet {ratio} kroner tilbake (median av" in text
        assert "nåverdi i 2024" in text and "restverdi" in text
        for key in ("perspective", "counterfactual", "horizon_discount", "price_year"):
            assert results.labels[key] in text, key

    def test_money_carries_the_price_year(self, page) -> None:
        assert "(2024-kroner)" in page["html"] and "2024-kroner</th>" in page["html"]

    def test_assumption_table_with_sources_and_ratings(self, page) -> None:
        # Compared as text: the converter may write quotes in text unescaped, which is safe.
        text, results = unescape(page["html"]), page["results"]
        for row in registry_table(results.registry).itertuples():
            assert re.search(rf"<td( class=\"[^\"]*\")?>{re.escape(row.label)}</td>", text), row.id
            assert row.source in text, row.id
            assert f">{row.id}<" not in text  # ids are not shown
        for rating in ("rød", "gul", "grønn"):  # the word, on its colour
            css = {"rød": "red", "gul": "amber", "grønn": "green"}[rating]
            assert f'<td><span class="rating rating-{css}">{rating}</span></td>' in text
        for word in ("Kvalitet", "Betydning", "Prisår", "Kilde", "<td>andel</td>", "<td>kr per år</td>"):
            assert word in text

    def test_assumptions_named_in_bokmal(self, page) -> None:
        # the tornado chart, its data table and the assumption table name each assumption in bokmål
        text = unescape(page["html"])
        registry = page["results"].registry
        assert "Andel av den ekstra effekten som skyldes andre" in text
        assert "Share of the additional outcome due to others" not in text
        assert all(a.label_nb is None or a.label == a.label_nb for a in registry.assumptions)
        # one without a bokmål label shows its English one, marked, and the page says so (without its id)
        assert "Tax-financing cost per krone of net public budget effect (engelsk tekst)" in text
        assert "Tekster i registeret som mangler bokmål (1), står på engelsk, merket «(engelsk tekst)»." in text
        assert "tax_financing_cost" not in text

    def test_registry_text_is_escaped(self, page) -> None:
        assert escape_html(INJECTED) in page["html"]
        assert "<b>bold</b>" not in page["html"]

    def test_break_even_and_perspectives(self, page) -> None:
        html = page["html"]
        for text in (
            "Kritiske verdier for samfunnet",
            "Hvor påstandene om 3 og 4 kroner kommer fra",
            "pluss-minus-metode",
            "Enhetskostnader",
            "Samfunnet",
            "Offentlige budsjetter",
            "Deltakerne",
            "Fylkeskommunen",
            "Kommunene",
            "Staten",
        ):
            assert text in html, text

    def test_no_code(self, page) -> None:
        for marker in (
            "import pandas",
            "load_config(",
            "cba_results(",
            "config_path =",
            "jp-InputArea",
            "In&nbsp;[",
            "def money",
        ):
            assert marker not in page["html"]


@pytest.mark.slow
class TestCostBenefitNotebook:
    def test_parameters_and_tags(self) -> None:
        import nbformat

        nb = nbformat.read(ROOT / "notebooks" / "30_cost_benefit.ipynb", as_version=4)
        tags = [c.metadata.get("tags", []) for c in nb.cells]
        assert tags[0] == ["remove-cell"] and nb.cells[0].cell_type == "markdown"
        params = [c for c, t in zip(nb.cells, tags, strict=False) if "parameters" in t]
        assert len(params) == 1
        assert 'config_path = "config/report.yml"' in params[0].source and "overrides = {}" in params[0].source
        code = [t for c, t in zip(nb.cells, tags, strict=False) if c.cell_type == "code" and "parameters" not in t]
        assert code and all("remove-input" in t for t in code)


class TestCatalogue:
    def test_same_keys_and_placeholders_in_both_languages(self) -> None:
        from string import Formatter

        files = {lang: ROOT / "src" / "outcomes" / "locales" / lang / "costbenefit.yml" for lang in ("nb", "en")}
        labels = {lang: yaml.safe_load(path.read_text(encoding="utf-8"))["costbenefit"] for lang, path in files.items()}
        assert set(labels["nb"]) == set(labels["en"])
        for key in labels["nb"]:
            assert isinstance(key, str) and isinstance(labels["nb"][key], str), key  # no YAML booleans (yes/no)
            names = [{f for _, f, _, _ in Formatter().parse(labels[lang][key]) if f} for lang in ("nb", "en")]
            assert names[0] == names[1], key
