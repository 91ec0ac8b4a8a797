"""Tests for outcomes.registries.assumptions: registry schema, loading, overrides and diffs."""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path

import pandas as pd
import pytest
import yaml

from outcomes.core.errors import ConfigError
from outcomes.registries import assumptions as A
from tests.conftest import ROOT

DEMO = ROOT / "config" / "assumptions" / "demo.yml"

SMALL = textwrap.dedent(
    """\
    programme: test
    settings:
      price_index: G
    assumptions:
      - id: attribution
        label: Share due to others
        value: 0.25
        unit: share
        source: {document: Judgement (test)}
        evidence: judgement
        low: 0.1
        high: 0.5
        distribution: {kind: pert}
        quality: red
        impact: amber
      - id: value_per_year
        label: Value per youth and year
        value: 100000
        unit: NOK/year
        price_year: 2014
        source: {document: Some report, locator: table 3}
        evidence: research
        low: 50000
        high: 200000
        quality: amber
        impact: red
    """
)


def write(tmp_path: Path, text: str, name: str = "reg.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def small_data() -> dict:
    return yaml.safe_load(SMALL)


class TestLoadRegistry:
    def test_demo_registry_loads(self):
        registry = A.load_registry(DEMO)
        assert registry.programme == "demo"
        assert registry.source_file == str(DEMO)
        assert {"null_work_share", "null_education_share", "attribution"} <= set(registry.ids)
        assert registry.nullalternative is not None and registry.nullalternative.work.default == "null_work_share"

    def test_demo_every_number_has_source_and_evidence(self):
        registry = A.load_registry(DEMO)
        for item in registry.assumptions:
            assert item.source.document, item.id
            if item.evidence != "judgement":
                assert item.source.locator, item.id
            if item.is_money:
                assert item.price_year is not None

    def test_demo_cites_the_15_9_million_in_its_g_uprated_price_year(self):
        # Seed 002 says the 2014 figure was already uprated by G; it is taken as 2023 prices,
        # from the unit-cost library, with the uprating it already had stated.
        item = A.load_registry(DEMO).get("value_pv_per_youth")
        assert item.value == 15_900_000
        assert item.price_year == 2023
        assert (item.price_basis.uprated_by, item.price_basis.from_year) == ("G", 2014)
        assert item.unit_cost == "life_in_work_pv_vista_2014"
        assert "2014/09" in item.source.document

    def test_small_registry(self, tmp_path):
        registry = A.load_registry(write(tmp_path, SMALL))
        assert registry.values() == {"attribution": 0.25, "value_per_year": 100_000.0}
        assert registry.get("value_per_year").is_money
        assert registry.settings.tax_financing is True

    def test_missing_file(self, tmp_path):
        with pytest.raises(ConfigError, match="not found"):
            A.load_registry(tmp_path / "nothing.yml")

    def test_invalid_yaml_gives_line(self, tmp_path):
        path = write(tmp_path, "programme: x\nassumptions: [\n  - id: a\n")
        with pytest.raises(ConfigError) as info:
            A.load_registry(path)
        assert info.value.line is not None
        assert "not valid YAML" in info.value.message

    def test_unknown_key_names_assumption_key_and_line(self, tmp_path):
        text = SMALL.replace("    low: 0.1\n", "    lowe: 0.1\n    low: 0.1\n", 1)
        with pytest.raises(ConfigError) as info:
            A.load_registry(write(tmp_path, text))
        message = info.value.describe()
        assert "unknown key 'lowe'" in message
        assert "assumption 'attribution'" in message
        assert "line 11: " in message  # the line of 'lowe:' in the file
        assert info.value.column == "attribution"
        assert str(tmp_path) in message

    def test_unknown_top_level_key(self, tmp_path):
        with pytest.raises(ConfigError, match="unknown key 'assumption'"):
            A.load_registry(write(tmp_path, SMALL.replace("assumptions:", "assumption: []\nassumptions:")))

    def test_missing_source_is_an_error(self, tmp_path):
        text = SMALL.replace("    source: {document: Judgement (test)}\n", "", 1)
        with pytest.raises(ConfigError, match="missing key 'source'"):
            A.load_registry(write(tmp_path, text))

    def test_research_without_locator(self, tmp_path):
        text = SMALL.replace("{document: Some report, locator: table 3}", "{document: Some report}")
        with pytest.raises(ConfigError, match="locator"):
            A.load_registry(write(tmp_path, text))

    def test_money_without_price_year(self, tmp_path):
        text = SMALL.replace("    price_year: 2014\n", "")
        with pytest.raises(ConfigError, match="price_year"):
            A.load_registry(write(tmp_path, text))

    def test_price_year_on_a_share(self, tmp_path):
        text = SMALL.replace("    unit: share\n", "    unit: share\n    price_year: 2014\n", 1)
        with pytest.raises(ConfigError, match="only for money"):
            A.load_registry(write(tmp_path, text))

    def test_percent_instead_of_share(self, tmp_path):
        text = SMALL.replace("value: 0.25", "value: 25").replace("high: 0.5", "high: 50")
        with pytest.raises(ConfigError, match="0-1"):
            A.load_registry(write(tmp_path, text))

    def test_value_outside_low_high(self, tmp_path):
        with pytest.raises(ConfigError, match="low <= value <= high"):
            A.load_registry(write(tmp_path, SMALL.replace("low: 0.1", "low: 0.3")))

    def test_duplicate_id(self):
        data = small_data()
        data["assumptions"].append(copy.deepcopy(data["assumptions"][0]))
        with pytest.raises(ConfigError, match="more than once"):
            A.parse_registry(data)

    def test_bad_rating(self):
        data = small_data()
        data["assumptions"][0]["quality"] = "yellow"
        with pytest.raises(ConfigError, match="quality"):
            A.parse_registry(data)

    def test_sd_only_for_normal(self):
        data = small_data()
        data["assumptions"][0]["distribution"] = {"kind": "uniform", "sd": 0.1}
        with pytest.raises(ConfigError, match="sd"):
            A.parse_registry(data)

    def test_all_problems_listed_at_once(self):
        data = small_data()
        data["assumptions"][0]["colour"] = "blue"
        del data["assumptions"][1]["source"]
        with pytest.raises(ConfigError, match="2 problems"):
            A.parse_registry(data)

    def test_not_a_mapping(self):
        with pytest.raises(ConfigError, match="not a YAML mapping"):
            A.parse_registry(["a", "b"])


SCHEDULED = SMALL + textwrap.dedent(
    """\
      - id: rate_early
        label: Discount rate, early years
        value: 0.04
        unit: share/year
        source: {document: R-109, locator: section 5}
        evidence: research
        low: 0.02
        high: 0.06
        quality: green
        impact: amber
      - id: rate_late
        label: Discount rate, later years
        value: 0.03
        unit: share/year
        source: {document: R-109, locator: section 5}
        evidence: research
        low: 0.03
        high: 0.03
        quality: green
        impact: green
      - id: break_year
        label: Last year of the early rate
        value: 40
        unit: years
        source: {document: R-109, locator: section 5}
        evidence: research
        low: 30
        high: 50
        quality: green
        impact: green
    discount_schedule:
      - {until_year: break_year, rate: rate_early}
      - {until_year: 75, rate: rate_late}
      - {rate: rate_late}
    """
)


class TestDiscountSchedule:
    def test_steps_by_id_and_by_number(self, tmp_path):
        registry = A.load_registry(write(tmp_path, SCHEDULED))
        assert [(s.until_year, s.rate) for s in registry.discount_schedule] == [
            ("break_year", "rate_early"),
            (75, "rate_late"),
            (None, "rate_late"),
        ]
        assert registry.discount_steps() == [(40.0, 0.04), (75.0, 0.03), (None, 0.03)]

    def test_demo_is_r109(self):
        assert A.load_registry(DEMO).discount_steps() == [(40.0, 0.04), (75.0, 0.03), (None, 0.02)]

    def test_schedule_is_optional_for_the_registry(self, tmp_path):
        assert A.load_registry(write(tmp_path, SMALL)).discount_schedule == ()

    def test_another_shape_is_a_registry_edit(self, tmp_path):
        text = SCHEDULED.replace("  - {until_year: 75, rate: rate_late}\n", "")
        assert A.load_registry(write(tmp_path, text)).discount_steps() == [(40.0, 0.04), (None, 0.03)]

    @pytest.mark.parametrize(
        "old, new, message",
        [
            ("rate: rate_early}", "rate: rate_erly}", "step 1: rate 'rate_erly' is not an assumption id"),
            ("rate: rate_early}", "rate: attribution}", "rate 'attribution' has unit 'share', expected 'share/year'"),
            ("until_year: break_year,", "until_year: rate_late,", "has unit 'share/year', expected 'years'"),
            ("  - {rate: rate_late}\n", "", "step 2 is the last, so it has no 'until_year'"),
            ("  - {until_year: 75, rate: rate_late}", "  - {rate: rate_late}", "step 2 needs 'until_year'"),
            ("until_year: 75,", "until_year: 30,", "step 2 ends at year 30, before step 1 (year 40)"),
        ],
    )
    def test_problems_across_assumptions_name_the_step(self, tmp_path, old, new, message):
        assert old in SCHEDULED
        with pytest.raises(ConfigError) as info:
            A.load_registry(write(tmp_path, SCHEDULED.replace(old, new)))
        assert message in info.value.message
        assert "line 57: registry, key 'discount_schedule'" in info.value.message  # the line of 'discount_schedule:'

    @pytest.mark.parametrize("year", ["0", "40.5", "true", "Break"])
    def test_until_year_is_a_whole_year_or_an_id(self, tmp_path, year):
        with pytest.raises(ConfigError) as info:
            A.load_registry(write(tmp_path, SCHEDULED.replace("until_year: 75,", f"until_year: {year},")))
        assert "line 59: registry, key 'discount_schedule.1.until_year'" in info.value.message
        assert "a whole number of years (1 or more) or an assumption id" in info.value.message
        assert "1 problem)" in info.value.message

    def test_unknown_key_in_a_step(self, tmp_path):
        with pytest.raises(ConfigError, match="unknown key 'discount_schedule.0.from_year'"):
            A.load_registry(
                write(tmp_path, SCHEDULED.replace("{until_year: break_year,", "{from_year: 1, until_year: break_year,"))
            )

    def test_what_if_on_a_break_year(self, tmp_path):
        registry = A.load_registry(write(tmp_path, SCHEDULED))
        assert A.apply_overrides(registry, {"break_year": "50"}).discount_steps()[0] == (50.0, 0.04)

    def test_what_if_that_breaks_the_order_is_refused(self, tmp_path):
        registry = A.load_registry(write(tmp_path, SCHEDULED))
        with pytest.raises(ConfigError) as info:
            A.apply_overrides(registry, {"break_year": "80"})
        assert "step 2 ends at year 75, before step 1 (year 80)" in info.value.message
        assert info.value.column == "break_year"

    def test_diff_lists_changed_steps(self, tmp_path):
        old = A.load_registry(write(tmp_path, SCHEDULED))
        new = A.load_registry(
            write(tmp_path, SCHEDULED.replace("  - {until_year: 75, rate: rate_late}\n", ""), "new.yml")
        )
        rows = [(r.id, r.field, r.change, r.a, r.b) for r in A.diff_registries(old, new).itertuples()]
        assert rows == [
            ("discount_schedule", "step 2", "changed", "rate_late until year 75", "rate_late after"),
            ("discount_schedule", "step 3", "removed", "rate_late after", ""),
        ]


class TestApplyOverrides:
    @pytest.fixture
    def registry(self, tmp_path):
        return A.load_registry(write(tmp_path, SMALL))

    @pytest.mark.parametrize("given", ["0.3", "0,3", "30%", 0.3])
    def test_share_spellings(self, registry, given):
        changed = A.apply_overrides(registry, {"attribution": given})
        assert changed.get("attribution").value == pytest.approx(0.3)
        assert registry.get("attribution").value == 0.25  # the original is untouched

    def test_override_is_recorded(self, registry):
        changed = A.apply_overrides(registry, {"attribution": "0.3"})
        assert changed.overrides[0].key == "attribution"
        assert changed.overrides[0].previous == 0.25
        assert changed.overrides[0].new == 0.3

    def test_value_outside_range_widens_it(self, registry):
        changed = A.apply_overrides(registry, {"value_per_year": "400000"})
        item = changed.get("value_per_year")
        assert (item.low, item.value, item.high) == (50_000, 400_000, 400_000)

    def test_low_and_high(self, registry):
        changed = A.apply_overrides(registry, {"attribution.low": "0.2", "attribution.high": "0.9"})
        assert (changed.get("attribution").low, changed.get("attribution").high) == (0.2, 0.9)

    def test_low_above_value(self, registry):
        with pytest.raises(ConfigError, match="above the value"):
            A.apply_overrides(registry, {"attribution.low": "0.4"})

    def test_unknown_id_suggests(self, registry):
        with pytest.raises(ConfigError) as info:
            A.apply_overrides(registry, {"atribution": "0.3"})
        assert "'atribution'" in info.value.message
        assert "attribution" in info.value.hint
        assert info.value.column == "atribution"

    def test_not_a_number(self, registry):
        with pytest.raises(ConfigError, match="not a number"):
            A.apply_overrides(registry, {"attribution": "a lot"})

    def test_share_above_one(self, registry):
        with pytest.raises(ConfigError, match="outside 0-1"):
            A.apply_overrides(registry, {"attribution": "1.5"})

    def test_percent_on_money(self, registry):
        with pytest.raises(ConfigError, match="percent"):
            A.apply_overrides(registry, {"value_per_year": "10%"})

    @pytest.mark.parametrize(
        "given, expected", [("off", False), ("false", False), ("nei", False), ("on", True), ("1", True)]
    )
    def test_tax_financing_switch(self, registry, given, expected):
        assert A.apply_overrides(registry, {"tax_financing": given}).settings.tax_financing is expected

    def test_price_index_and_year(self, registry):
        changed = A.apply_overrides(registry, {"price_index": "kpi", "report_price_year": "2023"})
        assert changed.settings.price_index == "KPI"
        assert changed.settings.report_price_year == 2023

    def test_bad_setting(self, registry):
        with pytest.raises(ConfigError, match="G or KPI"):
            A.apply_overrides(registry, {"price_index": "CPI"})

    def test_empty_overrides_return_same(self, registry):
        assert A.apply_overrides(registry, {}) is registry


class TestDiffRegistries:
    def test_no_change(self, tmp_path):
        registry = A.load_registry(write(tmp_path, SMALL))
        diff = A.diff_registries(registry, registry)
        assert diff.empty
        assert list(diff.columns) == ["id", "field", "change", "a", "b"]

    def test_changes_added_removed(self):
        old = A.parse_registry(small_data())
        data = small_data()
        data["assumptions"][0]["value"] = 0.3
        data["assumptions"][0]["source"]["document"] = "New judgement"
        removed = data["assumptions"].pop(1)
        removed = {**removed, "id": "value_per_year_v2"}
        data["assumptions"].append(removed)
        data["settings"]["tax_financing"] = False
        new = A.parse_registry(data)
        diff = A.diff_registries(old, new)
        rows = {(r.id, r.field, r.change): (r.a, r.b) for r in diff.itertuples()}
        assert rows[("attribution", "value", "changed")] == ("0.25", "0.3")
        assert rows[("attribution", "source.document", "changed")] == ("Judgement (test)", "New judgement")
        assert ("value_per_year", "", "removed") in rows
        assert rows[("value_per_year_v2", "", "added")] == ("", "100000")
        assert rows[("settings", "tax_financing", "changed")] == ("True", "False")

    def test_overrides_show_in_diff(self):
        old = A.parse_registry(small_data())
        new = A.apply_overrides(old, {"attribution": "0.4"})
        diff = A.diff_registries(old, new)
        assert set(diff["field"]) == {"value"}


class TestLabelsInTheReportLanguage:
    def test_bokmal_label_replaces_the_label_numbers_untouched(self):
        registry = A.load_registry(DEMO)
        nb = registry.in_language("nb")
        item = nb.get("attribution")
        assert item.label == registry.get("attribution").label_nb
        assert item.label.startswith("Andel av den ekstra effekten som skyldes andre")
        assert nb.values() == registry.values()
        assert registry.in_language("en").get("attribution").label.startswith("Share of the additional outcome")

    def test_demo_registry_has_a_bokmal_label_for_every_assumption(self):
        assert A.load_registry(DEMO).missing_labels("nb") == []

    def test_without_bokmal_label_the_english_label_is_shown_marked(self, tmp_path):
        registry = A.load_registry(write(tmp_path, SMALL))
        assert registry.missing_labels("nb") == registry.ids
        nb = registry.in_language("nb")
        assert [a.label for a in nb.assumptions] == [f"{a.label} (engelsk tekst)" for a in registry.assumptions]
        # the bokmål view is made once: asking again marks nothing twice
        assert nb.in_language("nb") == nb
        assert registry.in_language("en") == registry


class TestBokmalTexts:
    """Every text a bokmål reader sees has a bokmål version (``*_nb``), or is listed as missing."""

    def test_the_demo_registry_lacks_no_bokmal_text(self):
        assert A.load_registry(DEMO).missing_bokmal() == []

    def test_the_unit_cost_library_lacks_no_bokmal_text(self):
        from outcomes.registries.bokmal import missing_bokmal

        library = A.load_unit_costs([ROOT / "config" / "unit_costs" / "norway.yml"])
        assert [m for entry in library.values() for m in missing_bokmal(entry, "unit_costs")] == []

    def test_the_indicator_catalogue_lacks_no_bokmal_text(self, catalogue):
        assert catalogue.missing_bokmal() == []

    def test_missing_texts_are_listed_by_entry_and_field(self, tmp_path):
        registry = A.load_registry(write(tmp_path, SMALL))
        missing = registry.missing_bokmal()
        first = registry.assumptions[0]
        assert f"assumptions[{first.id}].label" in missing
        assert f"assumptions[{first.id}].source.document" in missing

    def test_sources_and_notes_in_bokmal_or_marked(self):
        registry = A.load_registry(DEMO)
        nb = registry.in_language("nb")
        attribution = nb.get("attribution")
        assert attribution.source.document == "Skjønn (demo), se begrunnelsen for tilskriving under nullalternativet"
        assert attribution.note is not None and attribution.note.startswith("Ikke simulert")
        assert nb.title == "UngInvest AIB – demoregister for nytte-kostnadsanalysen"
        # a unit cost still to verify brings its bokmål note to the assumption
        assert nb.get("upper_secondary_place_cost").to_verify.startswith("Ikke noe tall i kildene vi har.")
        assert nb.values() == registry.values()


class TestRegistryTable:
    def test_columns_and_rows(self):
        table = A.registry_table(A.load_registry(DEMO))
        assert {"id", "value", "unit", "price_year", "source", "evidence", "quality", "impact"} <= set(table.columns)
        assert table.loc[table["id"] == "value_pv_per_youth", "price_year"].iloc[0] == 2023
        assert (
            table.loc[table["id"] == "value_pv_per_youth", "price_basis"].iloc[0].startswith("uprated by G from 2014")
        )
        assert pd.isna(table.loc[table["id"] == "attribution", "price_year"].iloc[0])
        assert table.loc[table["id"] == "tax_financing_cost", "distribution"].iloc[0] == "fixed"
