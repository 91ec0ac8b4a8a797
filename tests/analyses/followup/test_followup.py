"""Follow-up rates on a small fixture, checked against hand calculations.

Fixture (see conftest.small_records), 2019, all departments: 12 contacted,
1 no response, so 11 responded.
  education group  = education 4 + apprenticeship 1 + education_and_work 1 = 6
  work group       = work 2 + education_and_work 1                        = 3
  education_or_work= 4 + 1 + 1 + 2                                        = 8
  positive_activity= 8 + measure 1 + other_positive 1                     = 10
  neet             = 1
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from outcomes.analyses.followup import views
from outcomes.analyses.followup.narrative import NoteCode, followup_notes, followup_summary, input_rows_sentence
from outcomes.analyses.followup.rates import ALL, followup_rates, headline, publishable_rates, select
from outcomes.analyses.followup.results import FollowupResults
from outcomes.core.i18n import Translator
from outcomes.inputs.intake import InputSummary
from outcomes.inputs.problems import PROBLEM_COLUMNS
from outcomes.registries.statuses import OutcomeGroups, StatusMap, load_status_map
from outcomes.render.cards import Card

Z = 1.959963984540054


def wilson(k: int, n: int) -> tuple[float, float]:
    p = k / n
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / (1 + Z**2 / n)
    return centre - half, centre + half


@pytest.fixture(scope="module")
def status_map() -> StatusMap:
    from tests.conftest import ROOT

    return load_status_map(ROOT / "config" / "status_map.yml")


@pytest.fixture(scope="module")
def groups(status_map: StatusMap):
    return status_map.group_members()


def row(rates: pd.DataFrame, year: int, group: str, treatment: str = "respondents", department: str = ALL) -> pd.Series:
    sel = rates[
        (rates.followup_year == year)
        & (rates.group == group)
        & (rates.treatment == treatment)
        & (rates.department == department)
    ]
    assert len(sel) == 1
    return sel.iloc[0]


class TestFollowupRates:
    @pytest.mark.parametrize(
        ("group", "count"),
        [("education", 6), ("work", 3), ("education_or_work", 8), ("positive_activity", 10), ("neet", 1)],
    )
    def test_respondents_share_and_interval(self, small_records, groups, group, count) -> None:
        rates = followup_rates(small_records, groups)
        r = row(rates, 2019, group)
        assert (r.contacted, r.responded, r["count"], r.denominator) == (12, 11, count, 11)
        assert round(r.response_rate, 4) == round(11 / 12, 4) == 0.9167
        assert round(r.share, 4) == round(count / 11, 4)
        lo, hi = wilson(count, 11)
        assert round(r.ci_low, 4) == round(lo, 4)
        assert round(r.ci_high, 4) == round(hi, 4)

    def test_hand_values_written_out(self, small_records, groups) -> None:
        rates = followup_rates(small_records, groups)
        r = row(rates, 2019, "education_or_work")
        # 8/11 = 0.7273; Wilson: centre (0.72727 + 0.17461) / 1.34923 = 0.66845,
        # half 1.95996 * sqrt(0.018032 + 0.007937) / 1.34922 = 0.23410
        assert round(r.share, 4) == 0.7273
        assert round(r.ci_low, 4) == 0.4344
        assert round(r.ci_high, 4) == 0.9025

    def test_bounds_for_nonresponse(self, small_records, groups) -> None:
        rates = followup_rates(small_records, groups)
        low = row(rates, 2019, "education_or_work", "negative")
        high = row(rates, 2019, "education_or_work", "positive")
        assert (low["count"], low.denominator) == (8, 12)
        assert (high["count"], high.denominator) == (9, 12)
        assert round(low.share, 4) == 0.6667 and round(high.share, 4) == 0.75
        neet_low = row(rates, 2019, "neet", "negative")
        neet_high = row(rates, 2019, "neet", "positive")
        assert (neet_low["count"], neet_high["count"]) == (2, 1)

    def test_by_department(self, small_records, groups) -> None:
        rates = followup_rates(small_records, groups, by_department=True)
        a = row(rates, 2019, "education", department="A")
        b = row(rates, 2019, "education", department="B")
        # A: 4 education + apprenticeship + education_and_work = 6 of 8; B: none of 3 responded
        assert (a["count"], a.denominator) == (6, 8)
        assert (b["count"], b.denominator, b.contacted) == (0, 3, 4)

    def test_every_year_group_treatment_present(self, small_records, groups) -> None:
        rates = followup_rates(small_records, groups)
        assert len(rates) == 2 * 5 * 3


class TestPublishableRates:
    def test_small_cells_hidden(self, small_records, groups) -> None:
        published = publishable_rates(followup_rates(small_records, groups, by_department=True), threshold=5)
        # neet 1 of 11: count below 5 -> hidden
        neet = row(published, 2019, "neet")
        assert (
            pd.isna(neet["count"]) and pd.isna(neet.share) and pd.isna(neet.ci_low) and neet.suppressed == "small_count"
        )
        # positive activity 10 of 11: complement 1 would reveal the NEET count -> hidden
        pos = row(published, 2019, "positive_activity")
        assert pd.isna(pos.share) and pos.suppressed == "complement"
        # work 3 of 11 hidden; education 6 of 11 shown
        assert pd.isna(row(published, 2019, "work").share)
        assert round(row(published, 2019, "education").share, 4) == 0.5455
        # department B: 4 contacted -> everything hidden, including the counts contacted/responded
        b = row(published, 2019, "education", department="B")
        assert pd.isna(b.contacted) and pd.isna(b.responded) and pd.isna(b.response_rate) and pd.isna(b.share)

    def test_threshold_is_configurable(self, small_records, groups) -> None:
        published = publishable_rates(followup_rates(small_records, groups), threshold=1)
        assert row(published, 2019, "neet")["count"] == 1
        published = publishable_rates(followup_rates(small_records, groups), threshold=7)
        assert pd.isna(row(published, 2019, "education").share)  # 6 < 7


class TestSelectAndHeadline:
    def test_headline_uses_published_values(self, small_records, groups) -> None:
        published = publishable_rates(followup_rates(small_records, groups), threshold=5)
        head = headline(published, 2019)
        assert head["responded"] == 11 and head["groups"]["neet"]["share"] is None
        assert head["groups"]["education_or_work"]["share"] is None  # 8 of 11: complement 3 < 5
        assert head["groups"]["education"]["share"] == round(6 / 11, 6)

    def test_select_rejects_unknown_treatment(self, small_records, groups) -> None:
        with pytest.raises(ValueError, match="treatment"):
            select(followup_rates(small_records, groups), "optimistic")


class TestGroupsFromTheStatusMap:
    def test_a_group_added_to_the_map_is_computed(self, small_records, status_map) -> None:
        groups = {**status_map.group_members(), "in_measure": frozenset({"measure"})}
        extended = OutcomeGroups(groups, status_map.positive_groups | {"in_measure"})
        rates = followup_rates(small_records, extended)
        # measure: 1 of 11 respondents; counted positive, so the one non-respondent joins it in the upper bound
        r = row(rates, 2019, "in_measure")
        assert (r["count"], r.denominator) == (1, 11)
        assert row(rates, 2019, "in_measure", "negative")["count"] == 1
        assert row(rates, 2019, "in_measure", "positive")["count"] == 2
        assert select(rates)["group"].drop_duplicates().tolist()[-1] == "in_measure"

    def test_positive_flag_decides_the_bounds(self, small_records, status_map) -> None:
        members = status_map.group_members()
        nothing_positive = OutcomeGroups(dict(members), frozenset())
        rates = followup_rates(small_records, nothing_positive)
        # education_or_work 8 of 11; not positive now, so the non-respondent joins it in the lower bound
        assert row(rates, 2019, "education_or_work", "negative")["count"] == 9
        assert row(rates, 2019, "education_or_work", "positive")["count"] == 8

    def test_select_all_groups_in_order(self, small_records, groups) -> None:
        rates = followup_rates(small_records, groups)
        shown = select(rates)
        assert shown["group"].drop_duplicates().tolist() == list(groups)
        assert select(rates, groups=["neet"])["group"].unique().tolist() == ["neet"]


def results_for(records: pd.DataFrame, status_map: StatusMap, year: int) -> FollowupResults:
    """Unsuppressed rates as if published, so every hand-computed share is shown."""
    summary = InputSummary("followup", "followup", "data/f.csv", "0" * 64, 20, 18, 2, "utf-8", ",", 0)
    rates = followup_rates(records, status_map.group_members(), by_department=True)
    return FollowupResults(rates, status_map, summary, pd.DataFrame(columns=PROBLEM_COLUMNS), 5, 2019, year)


EN = Translator("en")


class TestViews:
    def test_rates_by_year(self, small_records, status_map) -> None:
        table = views.rates_by_year(results_for(small_records, status_map, 2020), EN)
        assert table.columns.tolist()[:6] == [
            "Year",
            "n",
            "In education",
            "In education (95% CI)",
            "In work",
            "In work (95% CI)",
        ]
        assert table.columns.tolist()[-2:] == ["NEET", "NEET (95% CI)"]
        # 2019: 6, 3, 8, 10 and 1 of 11 respondents; 2020: 3, 1, 4, 4 and 1 of 5
        assert table["Year"].tolist() == ["2019", "2020"] and table["n"].tolist() == ["11", "5"]
        assert table["In education"].tolist() == ["55%", "60%"]
        assert table["In education or work"].tolist() == ["73%", "80%"]
        assert table["In positive activity"].tolist() == ["91%", "80%"]
        assert table["In education or work (95% CI)"].iloc[0] == "43–90%"  # Wilson 0.4344-0.9025

    def test_trend_table_shows_the_over_time_groups(self, small_records, status_map) -> None:
        table = views.trend_table(results_for(small_records, status_map, 2020), EN)
        assert table.columns.tolist() == [
            "Year",
            "n",
            "In education or work",
            "In education or work (95% CI)",
            "In education",
            "In education (95% CI)",
            "In positive activity",
            "In positive activity (95% CI)",
        ]

    def test_department_table(self, small_records, status_map) -> None:
        table = views.department_table(results_for(small_records, status_map, 2019), EN)
        # A: all 8 answered and all are in education or work; B: 3 of 4 answered, measure and other positive
        assert table["Department"].tolist() == ["All departments", "A", "B"]
        assert table["n"].tolist() == ["11", "8", "3"]
        assert table["In education or work"].tolist() == ["73%", "100%", "0%"]
        assert table["In positive activity"].tolist() == ["91%", "100%", "67%"]
        assert len(table.columns) == 6

    def test_bounds_table(self, small_records, status_map) -> None:
        table = views.bounds_table(results_for(small_records, status_map, 2019), EN)
        assert table["Group"].tolist() == [
            "Non-respondents counted as negative (lower bound)",
            EN("treatment.respondents"),
            EN("treatment.positive"),
        ]
        # 12 contacted: 8 or 9 (the non-respondent) in education or work, 10 or 11 in positive activity
        assert table["In education or work"].tolist() == ["67%", "73%", "75%"]
        assert table["In positive activity"].tolist() == ["83%", "91%", "92%"]

    def test_response_table(self, small_records, status_map) -> None:
        table = views.response_table(results_for(small_records, status_map, 2020), EN)
        assert table.values.tolist() == [["2019", "12", "11", "92%"], ["2020", "6", "5", "83%"]]

    def test_definitions(self, status_map) -> None:
        groups = views.group_definitions(status_map, EN)
        assert groups.iloc[0].tolist() == ["In education", "Education, Education and work, Apprenticeship"]
        assert len(groups) == 5
        statuses = views.status_definitions(status_map, EN)
        assert statuses.iloc[-1, 0] == "No response" and len(statuses) == 8

    def test_headline_cards(self, small_records, status_map) -> None:
        cards = views.headline_cards(results_for(small_records, status_map, 2019), EN)
        assert [c.label for c in cards] == [
            "In education or work (2019)",
            "In positive activity (2019)",
            "In education (2019)",
        ]
        assert cards[0] == Card("73%", "In education or work (2019)", "95% CI 43–90%, n = 11")

    def test_no_cards_without_the_year(self, small_records, status_map) -> None:
        assert views.headline_cards(results_for(small_records, status_map, 2021), EN) == []

    def test_charts_draw_the_shown_groups(self, small_records, status_map) -> None:
        results = results_for(small_records, status_map, 2019)
        trend = views.trend_chart(results, EN)
        names = [trace.name for trace in trend.data if trace.name]
        assert "In education or work" in names and "NEET" not in names
        departments = views.department_chart(results, EN)
        assert {trace.name for trace in departments.data} == {"In education or work", "In positive activity"}


class TestSummaryNotes:
    def test_codes_for_a_year_after_another(self, small_records, status_map) -> None:
        rates = followup_rates(small_records, status_map.group_members())
        notes = followup_notes(rates, 2020, status_map)
        # reach; the lead group, its change (+7 points: 80% vs 73%) and overlapping intervals; the others; bounds
        assert [n.code for n in notes] == [
            NoteCode.REACHED,
            NoteCode.GROUP,
            NoteCode.CHANGE_UP,
            NoteCode.CHANGE_UNCERTAIN,
            NoteCode.GROUP,
            NoteCode.GROUP,
            NoteCode.BOUNDS,
        ]
        assert [n.values["group"] for n in notes if n.code == NoteCode.GROUP] == list(status_map.headline_groups)
        assert notes[2].values == {"diff": 7, "previous": 2019}
        assert notes[-1].values == {"low": 4 / 6, "high": 5 / 6}

    def test_first_year_has_no_change(self, small_records, status_map) -> None:
        notes = followup_notes(followup_rates(small_records, status_map.group_members()), 2019, status_map)
        assert NoteCode.CHANGE_UP not in [n.code for n in notes] and notes[-1].code == NoteCode.BOUNDS

    def test_suppressed_year(self, small_records, status_map) -> None:
        published = publishable_rates(followup_rates(small_records, status_map.group_members()), threshold=20)
        notes = followup_notes(published, 2020, status_map)
        assert [(n.code, dict(n.values)) for n in notes] == [(NoteCode.SUPPRESSED, {"year": 2020})]

    def test_sentences(self, small_records, status_map) -> None:
        rates = followup_rates(small_records, status_map.group_members())
        text = followup_summary(rates, 2020, status_map, "en")
        assert text[0] == "In 2020, 5 of 6 former participants contacted were reached (83%)."
        assert text[1].startswith("80% were in education or work (95% CI ")
        assert text[2] == "That is 7 percentage points more than in 2019."
        assert text[-1].endswith(" is 67%; if they are counted as active, it is 83%.")

    def test_lead_group_from_the_map(self, small_records, status_map) -> None:
        neet_first = status_map.model_copy(
            update={"shown": status_map.shown.model_copy(update={"headline": ["neet", "education"]})}
        )
        rates = followup_rates(small_records, neet_first.group_members())
        notes = followup_notes(rates, 2020, neet_first)
        # neet 1 of 5 in 2020 vs 1 of 11: +11 points; bounds 1/6 (non-respondent active) to 2/6
        assert notes[1].values["group"] == "neet" and notes[2].values == {"diff": 11, "previous": 2019}
        assert notes[-1].values == {"low": 2 / 6, "high": 1 / 6}
        assert followup_summary(rates, 2020, neet_first, "en")[1].startswith("20% were NEET (95% CI")


def test_input_rows_sentence() -> None:
    summary = InputSummary("followup", "followup", "data/f.csv", "0" * 64, 1234, 1230, 4, "utf-8", ",", 0)
    assert input_rows_sentence(summary, "followup.data_rows", Translator("nb")) == (
        "data/f.csv: 1\u00a0234 rader lest, 1\u00a0230 brukt, 4 holdt utenfor."
    )


@pytest.mark.slow
def test_a_group_added_to_the_status_map_reaches_the_report(tmp_path, monkeypatch) -> None:
    """Adding a group is an edit of config/status_map.yml: the pages, summary.json and downloads show it."""
    import json

    import yaml

    from outcomes.report.runner import build_report
    from tests.conftest import make_project

    root = make_project(tmp_path / "project")
    monkeypatch.setenv("OUTCOMES_ROOT", str(root))
    status_map = root / "config" / "status_map.yml"
    data = yaml.safe_load(status_map.read_text(encoding="utf-8"))
    data["groups"]["in_measure"] = {
        "title": {"nb": "I arbeidsrettet tiltak", "en": "In a labour-market measure"},
        "statuses": ["measure"],
        "positive": True,
    }
    data["shown"]["over_time"].append("in_measure")
    status_map.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    bundle = build_report(overrides={"sections": ["followup"]}, log=lambda m: None)

    summary = json.loads((bundle / "summary.json").read_text(encoding="utf-8"))
    assert summary["followup"]["groups"]["in_measure"] == {"statuses": ["measure"], "positive": True}
    assert "in_measure" in summary["followup"]["headline"]["groups"]
    assert ",in_measure," in (bundle / "downloads" / "followup_rates.csv").read_text(encoding="utf-8")
    page = (bundle / "followup.html").read_text(encoding="utf-8")
    assert page.count("I arbeidsrettet tiltak") >= 3  # the table, the chart and the definitions
