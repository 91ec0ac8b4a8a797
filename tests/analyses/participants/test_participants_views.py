"""The participants page's tables and sentences, on small inputs worked out by hand.

Profile (threshold 3), ten participants in each school year:
  2018/19: adhd 5, anxiety 4, child welfare 6, mental health 3.
  2019/20: adhd 6, anxiety 2 (below 3: merged into "other", whose 2 people are hidden),
           child welfare 5, mental health 4.
Survey (threshold 1, so every cell but the zeros is shown):
  "Welcome" 2019: A agree, agree, disagree; B strongly agree, somewhat agree -> 3 of 5 agree (60%).
            2020: A agree x3, disagree; B agree, somewhat agree            -> 4 of 6 (67%); A 3/4, B 1/2.
  "Listen"  2019: A agree, don't know, blank; B agree, agree               -> 3 of 3 (100%).
            2020: A agree, agree; B disagree, don't know                    -> 2 of 3 (67%); A 2/2, B 0/1.
"""

from __future__ import annotations

import pandas as pd
import pytest

from outcomes.analyses.participants import views
from outcomes.analyses.participants.profile import (
    load_categories,
    profile_from_flags,
    publishable_profile,
    services_change,
)
from outcomes.analyses.participants.results import ParticipantsResults, participants_page_results
from outcomes.analyses.participants.survey import publishable_survey, survey_change, survey_counts
from outcomes.core.config import load_config
from outcomes.core.i18n import Translator
from tests.conftest import ROOT

EN = Translator("en")
NB = Translator("nb")


def flags(year: str, **counts: int) -> pd.DataFrame:
    """Ten participants of one school year; the first ``n`` have each named category."""
    return pd.DataFrame({"school_year": year, **{c: ["1"] * n + ["0"] * (10 - n) for c, n in counts.items()}})


def answers(year: int, department: str, item: str, *given: str | None) -> pd.DataFrame:
    return pd.DataFrame({"year": year, "department": department, "item": item, "answer": list(given)})


@pytest.fixture(scope="module")
def results() -> ParticipantsResults:
    catalogue = load_categories(ROOT / "config" / "participant_categories.yml")
    data = pd.concat(
        [
            flags("2018/19", adhd=5, anxiety=4, child_welfare=6, mental_health=3),
            flags("2019/20", adhd=6, anxiety=2, child_welfare=5, mental_health=4),
        ],
        ignore_index=True,
    )
    profile = publishable_profile(profile_from_flags(data, catalogue, 3), 3)
    survey_rows = pd.concat(
        [
            answers(2019, "A", "Welcome", "agree", "agree", "disagree"),
            answers(2019, "B", "Welcome", "strongly_agree", "somewhat_agree"),
            answers(2019, "A", "Listen", "agree", "dont_know", None),
            answers(2019, "B", "Listen", "agree", "agree"),
            answers(2020, "A", "Welcome", "agree", "agree", "agree", "disagree"),
            answers(2020, "B", "Welcome", "agree", "somewhat_agree"),
            answers(2020, "A", "Listen", "agree", "agree"),
            answers(2020, "B", "Listen", "disagree", "dont_know"),
        ],
        ignore_index=True,
    )
    survey = publishable_survey(survey_counts(survey_rows), 1)
    return ParticipantsResults(
        catalogue,
        3,
        2020,
        "en",
        profile=profile,
        profile_kind="profile",
        services=services_change(profile, catalogue.of_kind("service")),
        survey=survey,
        change=survey_change(survey, 2020),
        survey_year=2020,
    )


class TestProfile:
    def test_intro(self, results) -> None:
        assert views.profile_intro(results, EN).endswith("Participants: 10 in 2018/19, 10 in 2019/20.")

    def test_shown_difficulties(self, results) -> None:
        # anxiety is shown for 2018/19; the difficulties with no one are merged into "other"
        assert views.shown_difficulties(results) == ["adhd", "anxiety", "other"]

    def test_table(self, results) -> None:
        table = views.profile_table(results, EN)
        assert table.columns.tolist() == ["Category", "2018/19", "2019/20"]
        assert table.iloc[0].tolist() == ["Participants", "10", "10"]
        assert table.iloc[1].tolist() == ["ADHD/ADD", "5 (50%)", "6 (60%)"]
        # 2019/20: anxiety merged (no row), "other" 2 people below the threshold (hidden)
        assert table.iloc[2].tolist()[1:] == ["4 (40%)", "–"]
        assert table.iloc[3].tolist()[1:] == ["–", "–"]

    def test_footnotes(self, results) -> None:
        notes = views.profile_footnotes(results, EN)
        assert len(notes) == 3 and notes[2] == EN("common.footnote_suppressed", threshold=3)
        counts = ParticipantsResults(
            results.categories, 3, 2020, "en", profile=results.profile, profile_kind="profile_counts"
        )
        assert len(views.profile_footnotes(counts, EN)) == 4

    def test_chart_draws_the_shown_difficulties(self, results) -> None:
        fig = views.profile_chart(results, EN)
        assert len(fig.data) == 2  # one bar per school year

    def test_definitions(self, results) -> None:
        table = views.category_definitions(results, EN)
        assert table["Category"].tolist()[0] == "ADHD/ADD"
        assert set(table.iloc[:, 1]) == {"Difficulty", "Service"}
        assert len(table) == 5  # adhd, anxiety, other, child welfare, mental health


class TestServices:
    def test_table(self, results) -> None:
        table = views.services_table(results, EN)
        last = table.iloc[-2:].values.tolist()
        # 2019/20: child welfare 5 of 10 (60% the year before), mental health 4 of 10 (30% before)
        assert last[0][2:] == ["5", "50%", "60%", "\u221210"]
        assert last[1][2:] == ["4", "40%", "30%", "10"]
        assert table.iloc[0, 4] == "–"  # no school year before 2018/19

    def test_intro(self, results) -> None:
        intro = views.services_intro(results, NB)
        assert intro is not None and intro.startswith("I 2019/20")
        assert "50\u00a0%" in intro and " og " in intro

    def test_no_services_no_intro(self, results) -> None:
        bare = ParticipantsResults(results.categories, 3, 2020, "en")
        assert views.services_intro(bare, EN) is None


class TestSurvey:
    def test_years_and_items(self, results) -> None:
        assert views.survey_years(results) == [2019, 2020]
        assert views.survey_items(results) == ["Welcome", "Listen"]
        assert "2019, 2020" in views.survey_intro(results, EN)

    def test_answers_table(self, results) -> None:
        table = views.answers_table(results, EN)
        welcome = table.iloc[0].tolist()
        # 2020, all departments: 6 answered on the scale; disagree 1, somewhat agree 1, agree 4,
        # strongly agree 0 (below the threshold of 1: hidden). The agreeing side (5) is published with the
        # share, so somewhat agree, the next smallest on that side, is hidden too (5 - 4 - 0 would give it).
        assert welcome[:6] == ["Welcome", "6", "1 (17%)", "–", "4 (67%)", "–"]
        assert table.iloc[1].tolist()[-2:] == ["1", "–"]  # Listen: one "don't know", no blanks (0: hidden)

    def test_agreeing_table(self, results) -> None:
        table = views.agreeing_table(results, EN)
        assert table.columns.tolist()[4] == "2019"
        # Welcome: 2020 5 of 6 agree (agree 4 + somewhat agree 1: "Litt enig" agrees), 2019 4 of 5
        assert table.iloc[0].tolist()[1:3] == ["6", "83%"]
        assert table.iloc[0].tolist()[4:6] == ["80%", "+3"]  # 83.3 - 80.0
        assert table.iloc[1].tolist()[4:6] == ["100%", "\u221233"]
        # Newcombe's interval of 5/6 - 4/5 is wide for six and five answers: no clear change
        assert table.columns.tolist()[6] == "95% CI of the change (percentage points)"
        low, high = (float(x) for x in table.iloc[0, 6].replace("+", "").replace("\u2212", "-").split(" to "))
        assert low < 0 < high
        assert table.iloc[0, -1] == "No clear change"

    def test_trend_table(self, results) -> None:
        table = views.trend_table(results, EN)
        assert table.columns.tolist()[1:] == ["2019", "2020"]
        assert table.iloc[0].tolist()[1:] == ["80% (n = 5)", "83% (n = 6)"]
        assert table.iloc[1].tolist()[1:] == ["100% (n = 3)", "67% (n = 3)"]

    def test_department_table(self, results) -> None:
        table = views.department_table(results, EN)
        assert table.columns.tolist()[1:] == ["A", "B"]
        assert table.iloc[0, 1].startswith("75% (") and table.iloc[0, 1].endswith("n = 4")
        # Listen: B 0 of 1 agree (0 is below the threshold of 1), so A is hidden too: the all-departments
        # figure is shown, and A could be worked out from it and B
        assert table.iloc[1, 1:].tolist() == ["–", "–"]

    def test_footnotes(self) -> None:
        assert views.survey_footnotes(EN, 5)[1] == EN("common.footnote_suppressed", threshold=5)
        assert len(views.agreeing_footnotes(EN, 5)) == 4 and len(views.department_footnotes(EN, 5)) == 3

    def test_chart(self, results) -> None:
        assert len(views.answers_chart(results, EN).data) >= 4  # one trace per answer


class TestWithoutInputs:
    def test_profile_views_need_a_profile(self, results) -> None:
        bare = ParticipantsResults(results.categories, 3, 2020, "en")
        with pytest.raises(ValueError, match="no profile"):
            views.profile_table(bare, EN)
        with pytest.raises(ValueError, match="no survey"):
            views.trend_table(bare, EN)
        assert views.profile_kind_sentence(bare, EN) is None
        assert views.profile_kind_sentence(results, EN) == EN(
            "participants.data_profile_kind", kind=EN("participants.kind_profile")
        )


class TestPageResults:
    def test_rejected_rows_are_listed_not_an_error(self, project) -> None:
        (project / "data" / "raw" / "s.csv").write_text(
            "year,department,item,answer\n2020,A,I feel welcome,Agree\n2020,A,I feel welcome,Maybe\n", encoding="utf-8"
        )
        cfg = load_config(
            "config/report.yml",
            {"inputs.survey": "data/raw/s.csv", "inputs.profile": None, "sections": ["participants"]},
        )
        results = participants_page_results(cfg)
        assert results.inputs[0].rows_rejected == 1 and results.survey is not None
