"""Participant profile and experience survey: hand calculations, merging, suppression, contracts.

Fixtures are written here, small enough to count by hand; the threshold is 5.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
import yaml

from outcomes.analyses.participants.figures import diverging_bars, profile_bars
from outcomes.analyses.participants.profile import (
    load_categories,
    profile_from_counts,
    profile_from_flags,
    publishable_profile,
    school_year_label,
    services_change,
)
from outcomes.analyses.participants.results import participants_json, participants_results, profile_kind
from outcomes.analyses.participants.survey import ALL, SECONDARY, publishable_survey, survey_change, survey_counts
from outcomes.core.config import load_config
from outcomes.core.errors import InputError, RejectedRowsError
from outcomes.inputs.contracts import load_contract, normalise_header
from outcomes.inputs.intake import intake_file
from tests.conftest import ROOT
from tests.core.test_stats import wilson_by_hand

CATEGORIES = load_categories(ROOT / "config" / "participant_categories.yml")
SMALL = ("substance_abuse", "gambling")
#: Every way the small categories could be named in an output.
SMALL_NAMES = ("substance_abuse", "gambling", "Rusmisbruk", "Substance abuse", "Spillavhengighet", "Gambling addiction")


def flags_fixture() -> pd.DataFrame:
    """2019/20: 20 people; 2018/19: 12 people (person numbers below are 0-based within the year).

    2019/20: adhd 0-7 (8), anxiety 0-5 (6), substance abuse 8-9 (2), gambling 9-10 (2),
             other 11-13 (3), child welfare 0-16 (17), mental health 0-9 (10).
    2018/19: adhd 0-4 (5), anxiety 0-7 (8), substance abuse 0-3 (4).
    """
    rows = []
    for i in range(20):
        rows.append(
            {
                "participant_id": f"A{i}",
                "school_year": "2019/2020",
                "adhd": "1" if i < 8 else "0",
                "anxiety": "1" if i < 6 else None,
                "substance_abuse": "1" if i in (8, 9) else "0",
                "gambling": "1" if i in (9, 10) else "0",
                "other": "1" if i in (11, 12, 13) else "0",
                "child_welfare": "1" if i < 17 else "0",
                "mental_health": "1" if i < 10 else "0",
            }
        )
    for i in range(12):
        rows.append(
            {
                "participant_id": f"B{i}",
                "school_year": "2018/19",
                "adhd": "1" if i < 5 else "0",
                "anxiety": "1" if i < 8 else "0",
                "substance_abuse": "1" if i < 4 else "0",
                "gambling": "0",
                "other": "0",
                "child_welfare": "0",
                "mental_health": "0",
            }
        )
    return pd.DataFrame(rows)


def counts_fixture() -> pd.DataFrame:
    """The same profile as counts."""
    data = {
        "2019/20": {
            "participants": 20,
            "adhd": 8,
            "anxiety": 6,
            "substance_abuse": 2,
            "gambling": 2,
            "other": 3,
            "child_welfare": 17,
            "mental_health": 10,
        },
        "2018/19": {"participants": 12, "adhd": 5, "anxiety": 8, "substance_abuse": 4},
    }
    return pd.DataFrame(
        [{"school_year": y, "category": c, "count": n} for y, cs in data.items() for c, n in cs.items()]
    )


def cell(table: pd.DataFrame, year: str, category: str) -> pd.Series:
    rows = table[(table["school_year"] == year) & (table["category"] == category)]
    assert len(rows) == 1, (year, category)
    return rows.iloc[0]


class TestSchoolYear:
    @pytest.mark.parametrize("text", ["2019/20", "2019/2020", "2019-20", "2019 / 20", "2019–2020"])
    def test_label(self, text: str) -> None:
        assert school_year_label(text) == "2019/20"

    def test_turn_of_century(self) -> None:
        assert school_year_label("1999/2000") == "1999/00"

    @pytest.mark.parametrize("text", ["2019/21", "2019", "19/20"])
    def test_refused(self, text: str) -> None:
        with pytest.raises(ValueError):
            school_year_label(text)


class TestProfileFromFlags:
    def test_counts_and_shares_by_hand(self) -> None:
        table = profile_from_flags(flags_fixture(), CATEGORIES)
        assert cell(table, "2019/20", "adhd")[["count", "participants"]].tolist() == [8, 20]
        assert cell(table, "2019/20", "adhd")["share"] == pytest.approx(0.40)
        assert cell(table, "2019/20", "anxiety")["count"] == 6  # blanks count as no
        assert cell(table, "2019/20", "mental_health")["share"] == pytest.approx(0.50)
        assert cell(table, "2018/19", "adhd")["share"] == pytest.approx(5 / 12)
        assert cell(table, "2018/19", "anxiety")["count"] == 8

    def test_small_difficulties_merged_into_other_as_people(self) -> None:
        table = profile_from_flags(flags_fixture(), CATEGORIES)
        # 2019/20: other {11,12,13} + substance abuse {8,9} + gambling {9,10} = 6 people (person 9 once)
        assert cell(table, "2019/20", "other")["count"] == 6
        assert bool(cell(table, "2019/20", "substance_abuse")["merged"])
        assert bool(cell(table, "2019/20", "autism")["merged"])  # 0 people is below the threshold too
        assert not bool(cell(table, "2019/20", "child_welfare")["merged"])  # services are never merged

    def test_one_person_can_have_several(self) -> None:
        table = profile_from_flags(flags_fixture(), CATEGORIES)
        year = table[table["school_year"] == "2019/20"]
        assert year["count"].sum() > 20


class TestProfileFromCounts:
    def test_same_as_flags_except_merged_sum(self) -> None:
        table = profile_from_counts(counts_fixture(), CATEGORIES)
        assert cell(table, "2019/20", "adhd")["share"] == pytest.approx(0.40)
        assert cell(table, "2018/19", "anxiety")["count"] == 8
        # counts cannot see that person 9 has both: 3 + 2 + 2
        assert cell(table, "2019/20", "other")["count"] == 7

    def test_participants_row_needed(self) -> None:
        with pytest.raises(ValueError, match="2018/19"):
            profile_from_counts(
                counts_fixture().query("not (school_year == '2018/19' and category == 'participants')"), CATEGORIES
            )


class TestPublishableProfile:
    def test_published_values(self) -> None:
        published = publishable_profile(profile_from_flags(flags_fixture(), CATEGORIES))
        assert cell(published, "2019/20", "adhd")["count"] == 8
        assert cell(published, "2019/20", "other")["count"] == 6
        assert cell(published, "2019/20", "other")["share"] == pytest.approx(0.30)
        assert cell(published, "2018/19", "adhd")["share"] == pytest.approx(5 / 12)

    def test_complement_of_shown_total_hidden(self) -> None:
        published = publishable_profile(profile_from_flags(flags_fixture(), CATEGORIES))
        # 17 of 20 shown would reveal the 3 not followed; 8 of 12 would reveal 4
        for year, category in (("2019/20", "child_welfare"), ("2018/19", "anxiety")):
            row = cell(published, year, category)
            assert pd.isna(row["count"]) and pd.isna(row["share"]) and row["suppressed"] == "complement"

    def test_small_merged_other_hidden(self) -> None:
        published = publishable_profile(profile_from_flags(flags_fixture(), CATEGORIES))
        row = cell(published, "2018/19", "other")  # only substance abuse (4) merged: still 4
        assert pd.isna(row["count"]) and row["suppressed"] == "small_count"

    def test_merged_categories_absent(self) -> None:
        published = publishable_profile(profile_from_flags(flags_fixture(), CATEGORIES))
        assert not published["category"].isin(SMALL).any()
        assert not published["category"].isin(["autism", "psychiatric"]).any()

    def test_services_change(self) -> None:
        data = flags_fixture()
        data.loc[data["school_year"] == "2018/19", "mental_health"] = ["1"] * 6 + ["0"] * 6
        published = publishable_profile(profile_from_flags(data, CATEGORIES))
        change = services_change(published, CATEGORIES.of_kind("service"))
        row = change[(change["school_year"] == "2019/20") & (change["category"] == "mental_health")].iloc[0]
        assert row["previous_share"] == pytest.approx(0.5) and row["change_pp"] == pytest.approx(0.0)
        cw = change[(change["school_year"] == "2019/20") & (change["category"] == "child_welfare")].iloc[0]
        assert pd.isna(cw["share"]) and pd.isna(cw["change_pp"])


class TestSmallCategoryNeverVisible:
    def test_not_in_figure(self) -> None:
        published = publishable_profile(profile_from_flags(flags_fixture(), CATEGORIES))
        titles = CATEGORIES.titles("nb")
        for kind in ("difficulty", "service"):
            fig = profile_bars(published[published["kind"] == kind], CATEGORIES.of_kind(kind), titles)
            for trace in fig.data:
                values = [trace.x, trace.y, trace.text, trace.hovertext, trace.customdata, trace.name]
                text = json.dumps([list(v) if isinstance(v, (list, tuple)) else v for v in values], default=str)
                for name in SMALL_NAMES:
                    assert name not in text
        # hidden counts do not reach the chart: child welfare 2019/20 (17) has no bar and no hover
        fig = profile_bars(published[published["kind"] == "service"], CATEGORIES.of_kind("service"), titles)
        trace = next(t for t in fig.data if t.name == "2019/20")
        assert all(h is None or "17" not in h for h in trace.hovertext)


def survey_rows(year: int, department: str, item: str, **counts: int) -> list[dict]:
    labels = {
        "disagree": "Uenig",
        "somewhat_agree": "Litt enig",
        "agree": "Enig",
        "strongly_agree": "Helt enig",
        "dont_know": "Vet ikke",
        "blank": "",
    }
    rows = []
    for answer, n in counts.items():
        rows += [{"year": year, "department": department, "item": item, "answer": labels[answer]}] * n
    return rows


ITEM = "Jeg føler meg velkommen & <sett>"
OTHER_ITEM = "Lærerne bryr seg"


def survey_fixture() -> list[dict]:
    """2020: A 30 on the scale (+2 don't know, 1 blank), B 20, C 3; 2019: A 30, B 20."""
    return (
        survey_rows(2020, "A", ITEM, disagree=5, somewhat_agree=6, agree=10, strongly_agree=9, dont_know=2, blank=1)
        + survey_rows(2020, "B", ITEM, disagree=1, somewhat_agree=5, agree=8, strongly_agree=6)
        + survey_rows(2020, "C", ITEM, agree=2, strongly_agree=1)
        + survey_rows(2019, "A", ITEM, disagree=5, somewhat_agree=10, agree=10, strongly_agree=5)
        + survey_rows(2019, "B", ITEM, disagree=3, somewhat_agree=3, agree=10, strongly_agree=4)
    )


def canonical(rows: list[dict]) -> pd.DataFrame:
    """As the survey contract leaves the answers: canonical ids, blank missing."""
    ids = {
        "Uenig": "disagree",
        "Litt enig": "somewhat_agree",
        "Enig": "agree",
        "Helt enig": "strongly_agree",
        "Vet ikke": "dont_know",
        "": None,
    }
    frame = pd.DataFrame(rows)
    return frame.assign(answer=frame["answer"].map(ids))


def srow(table: pd.DataFrame, year: int, department: str, item: str = ITEM) -> pd.Series:
    rows = table[(table["year"] == year) & (table["department"] == department) & (table["item"] == item)]
    assert len(rows) == 1
    return rows.iloc[0]


class TestSurveyCounts:
    def test_shares_and_wilson_by_hand(self) -> None:
        counts = survey_counts(canonical(survey_fixture()))
        a = srow(counts, 2020, "A")
        # "Litt enig" agrees: somewhat 6 + agree 10 + strongly 9 = 25 of the 30 on the scale (disagree 5)
        assert (a["n"], a["agreeing"], a["disagreeing"]) == (30, 25, 5)
        assert round(a["share"], 4) == round(25 / 30, 4) == 0.8333
        assert (round(a["ci_low"], 4), round(a["ci_high"], 4)) == tuple(round(x, 4) for x in wilson_by_hand(25, 30))
        assert (round(a["ci_low"], 4), round(a["ci_high"], 4)) == (0.6644, 0.9266)
        whole = srow(counts, 2020, ALL)
        # A 25 + B 19 + C 3 = 47 of 53
        assert (whole["n"], whole["agreeing"]) == (53, 47)
        assert round(whole["share"], 4) == 0.8868
        assert (round(whole["ci_low"], 4), round(whole["ci_high"], 4)) == (0.7742, 0.9471)

    def test_dont_know_and_blank_excluded_and_counted(self) -> None:
        counts = survey_counts(canonical(survey_fixture()))
        a = srow(counts, 2020, "A")
        assert (a["dont_know"], a["blank"]) == (2, 1)
        assert a["n"] == 33 - 3
        assert a["share_disagree"] == pytest.approx(5 / 30)

    def test_item_text_kept(self) -> None:
        counts = survey_counts(canonical(survey_fixture()))
        assert set(counts["item"]) == {ITEM}


class TestPublishableSurvey:
    def published(self) -> pd.DataFrame:
        return publishable_survey(survey_counts(canonical(survey_fixture())))

    def test_small_department_hidden_and_next_smallest_too(self) -> None:
        out = self.published()
        c, b, a = srow(out, 2020, "C"), srow(out, 2020, "B"), srow(out, 2020, "A")
        assert pd.isna(c["n"]) and c["suppressed_n"] == "small_denominator"
        # all (53) - A (30) would give C's 3 if B (20) were shown
        assert pd.isna(b["n"]) and pd.isna(b["share"]) and b["suppressed_n"] == SECONDARY
        assert a["n"] == 30 and a["share"] == pytest.approx(25 / 30)

    def test_never_exactly_one_hidden_department_under_a_shown_total(self) -> None:
        out = self.published()
        for (_year, _item), group in out[out["department"] != ALL].groupby(["year", "item"]):
            assert group["n"].isna().sum() != 1
            assert group["share"].isna().sum() != 1

    def test_answer_cells_for_all_departments_only(self) -> None:
        out = self.published()
        whole = srow(out, 2020, ALL)
        assert [whole[a] for a in ("disagree", "somewhat_agree", "agree", "strongly_agree")] == [6, 11, 20, 16]
        assert pd.isna(whole["dont_know"]) and pd.isna(whole["blank"])  # 2 and 1: small
        assert srow(out, 2020, "A")[["disagree", "agree", "dont_know"]].isna().all()

    def test_side_secondary(self) -> None:
        # somewhat 2 + agree 10 + strongly 12 = 24 on the agreeing side (published with the share):
        # hiding 2 alone would leave 24 - 10 - 12; the next smallest (agree 10) is hidden too
        rows = canonical(survey_rows(2020, "A", OTHER_ITEM, disagree=8, somewhat_agree=2, agree=10, strongly_agree=12))
        whole = srow(publishable_survey(survey_counts(rows)), 2020, ALL, OTHER_ITEM)
        assert whole["suppressed_somewhat_agree"] == "small_count" and whole["suppressed_agree"] == SECONDARY
        assert pd.isna(whole["somewhat_agree"]) and pd.isna(whole["agree"]) and pd.isna(whole["share_agree"])
        assert whole["strongly_agree"] == 12 and whole["disagree"] == 8 and whole["share"] == pytest.approx(24 / 32)

    def test_hidden_share_hides_all_answer_cells(self) -> None:
        # 3 not agreeing: the share is hidden, and so must be every cell (30 - 27 would give 3)
        rows = canonical(survey_rows(2020, "A", OTHER_ITEM, disagree=3, agree=15, strongly_agree=12))
        whole = srow(publishable_survey(survey_counts(rows)), 2020, ALL, OTHER_ITEM)
        assert pd.isna(whole["share"])
        assert whole[["disagree", "somewhat_agree", "agree", "strongly_agree"]].isna().all()

    def test_change_from_last_year(self) -> None:
        change = survey_change(self.published(), 2020)
        whole = change[change["department"] == ALL].iloc[0]
        # 2019: 42 of 50 agreeing (disagree 5 + 3 = 8); 2020: 47 of 53
        assert whole["previous_share"] == pytest.approx(42 / 50)
        assert round(whole["change_pp"], 4) == round((47 / 53 - 42 / 50) * 100, 4) == 4.6792
        # Newcombe by hand: d -/+ sqrt of the two Wilson distances (tests/core/test_stats.py: wilson_by_hand)
        l1, u1 = wilson_by_hand(42, 50)
        l2, u2 = wilson_by_hand(47, 53)
        d = 47 / 53 - 42 / 50
        low, high = d - math.hypot(47 / 53 - l2, u1 - 42 / 50), d + math.hypot(u2 - 47 / 53, 42 / 50 - l1)
        assert (whole["change_low_pp"], whole["change_high_pp"]) == pytest.approx((low * 100, high * 100))
        assert round(whole["change_low_pp"], 2) == -8.94 and round(whole["change_high_pp"], 2) == 18.57
        assert not bool(whole["clear_change"])
        b = change[change["department"] == "B"].iloc[0]
        assert pd.isna(b["change_pp"]) and pd.isna(b["clear_change"])  # this year's share hidden

    def test_clear_change_even_when_intervals_overlap(self) -> None:
        # 2019: 30 of 50 agree; 2020: 42 of 50. Wilson intervals 46-72 % and 71-92 %: they overlap,
        # yet the difference (+24 points) has a 95% interval that leaves out 0.
        rows = canonical(
            survey_rows(2019, "A", ITEM, disagree=20, agree=30) + survey_rows(2020, "A", ITEM, disagree=8, agree=42)
        )
        published = publishable_survey(survey_counts(rows))
        before, now = srow(published, 2019, ALL), srow(published, 2020, ALL)
        assert now["ci_low"] < before["ci_high"]
        whole = survey_change(published, 2020).query("department == @ALL").iloc[0]
        assert whole["change_pp"] == pytest.approx(24.0)
        assert whole["change_low_pp"] > 0 and bool(whole["clear_change"])

    def test_chart_has_only_published_values(self) -> None:
        out = self.published()
        whole = out[(out["year"] == 2020) & (out["department"] == ALL)]
        titles = {"disagree": "Uenig", "somewhat_agree": "Litt enig", "agree": "Enig", "strongly_agree": "Helt enig"}
        fig = diverging_bars(whole, titles)
        by_name = {t.name: t for t in fig.data}
        # "Litt enig" agrees: right of zero with Enig and Helt enig; the right side sums to the share agreeing
        assert by_name["Uenig"].x[0] < 0 and by_name["Litt enig"].x[0] > 0
        assert by_name["Enig"].x[0] > 0 and by_name["Helt enig"].x[0] > 0
        right = sum(by_name[n].x[0] for n in ("Litt enig", "Enig", "Helt enig"))
        assert right == pytest.approx(47 / 53 * 100, abs=0.02)
        assert by_name["Enig"].x[0] == pytest.approx(20 / 53 * 100, abs=0.01)
        assert "&lt;sett&gt;" in by_name["Enig"].y[0] and "<sett>" not in by_name["Enig"].y[0]


class TestContracts:
    def test_categories_and_contracts_agree(self) -> None:
        flags = load_contract("profile")
        counts = load_contract("profile_counts").columns["category"]
        synonyms = {k.casefold(): v for k, v in counts.synonyms.items()}
        for category in CATEGORIES.categories:
            assert category.id in flags.columns
            names = [category.id, *category.aliases, category.title.nb, category.title.en]
            assert {normalise_header(a) for a in names[1:]} <= {
                normalise_header(a) for a in flags.columns[category.id].aliases
            }
            assert all(synonyms[a.casefold()] == category.id for a in names)
            assert category.id in counts.allowed

    def test_kind_detected_from_header(self, tmp_path: Path) -> None:
        counts = tmp_path / "c.csv"
        counts.write_text("skoleår;kategori;antall\n2019/20;deltakere;20\n", encoding="utf-8")
        flags = tmp_path / "f.csv"
        flags.write_text("deltaker_id,skoleår,ADHD/ADD\nA1,2019/20,ja\n", encoding="utf-8")
        assert profile_kind(str(counts)) == "profile_counts"
        assert profile_kind(str(flags)) == "profile"


def write_csv(path: Path, header: str, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


class TestSurveyIntake:
    def test_bad_answer_rejected_with_line_and_column(self, project: Path) -> None:
        file = write_csv(
            project / "data" / "raw" / "s.csv",
            "år,avdeling,spørsmål,svar",
            ["2020,A,Jeg trives,Enig", "2020,A,Jeg trives,Kanskje", "2020,A,Jeg trives,", "2020,A,Jeg trives,vet ikke"],
        )
        result = intake_file(file, "survey", write=False, use_cache=False)
        assert result.summary.rows_rejected == 1
        problem = result.problems.iloc[0]
        assert (problem["line"], problem["column"], problem["value"]) == (3, "answer", "Kanskje")
        assert result.data["answer"].tolist()[:1] == ["agree"] and pd.isna(result.data["answer"].iloc[1])
        assert result.data["answer"].iloc[2] == "dont_know"

    def test_rejects_stop_the_section(self, project: Path) -> None:
        write_csv(
            project / "data" / "raw" / "s.csv",
            "year,department,item,answer",
            ["2020,A,I feel welcome,Agree", "2020,A,I feel welcome,Maybe"],
        )
        cfg = load_config(
            "config/report.yml",
            {"inputs.survey": "data/raw/s.csv", "inputs.profile": None, "sections": ["participants"]},
        )
        with pytest.raises(RejectedRowsError) as err:
            participants_results(cfg)
        text = str(err.value)
        assert "data/raw/s.csv, line 3, column 'answer'" in text and "not one of the allowed values" in text
        results = participants_results(cfg, allow_rejects=True)
        assert results.inputs[0].rows_rejected == 1 and results.profile is None

    def test_flags_file_needs_a_category_column(self, project: Path) -> None:
        write_csv(project / "data" / "raw" / "p.csv", "deltaker_id,skoleår", ["A1,2019/20"])
        cfg = load_config("config/report.yml", {"inputs.profile": "data/raw/p.csv", "sections": ["participants"]})
        with pytest.raises(InputError, match="no category columns"):
            participants_results(cfg)

    def test_inconsistent_school_year_is_a_rejected_row(self, project: Path) -> None:
        write_csv(project / "data" / "raw" / "p.csv", "deltaker_id,skoleår,adhd", ["A1,2019/20,1", "A2,2019/21,0"])
        cfg = load_config("config/report.yml", {"inputs.profile": "data/raw/p.csv", "sections": ["participants"]})
        with pytest.raises(RejectedRowsError) as err:
            participants_results(cfg)
        assert "line 3, column 'school_year': not a school year (found '2019/21')" in str(err.value)

    def test_same_school_year_written_two_ways_is_a_duplicate(self, project: Path) -> None:
        write_csv(
            project / "data" / "raw" / "p.csv",
            "deltaker_id,skoleår,adhd",
            ["A1,2019/20,1", "A2,2019/20,0", "A1,2019/2020,1", "A3,2019 - 20,1"],
        )
        cfg = load_config("config/report.yml", {"inputs.profile": "data/raw/p.csv", "sections": ["participants"]})
        with pytest.raises(RejectedRowsError) as err:
            participants_results(cfg)
        text = str(err.value)
        assert "2 of 4 rows" in text  # both copies of A1; A2 and A3 (2019 - 20) are fine
        assert "line 2, column 'participant_id, school_year': duplicate record (repeated on a later line)" in text
        assert "line 4, column 'participant_id, school_year': duplicate record (also on line 2)" in text
        accounting = participants_results(cfg, allow_rejects=True).inputs[0]
        assert (accounting.rows_read, accounting.rows_accepted, accounting.rows_rejected) == (4, 2, 2)


class TestPipelineOnDemo:
    def test_json_published_only(self, project: Path) -> None:
        cfg = load_config(
            "config/report.yml",
            {
                "inputs.profile": "data/raw/demo/participants/profile.csv",
                "inputs.survey": "data/raw/demo/participants/survey.csv",
                "sections": ["participants"],
            },
        )
        data = participants_json(participants_results(cfg))
        text = json.dumps(data, ensure_ascii=False)
        for name in SMALL_NAMES:
            assert name not in text
        head = data["headline"]["profile"]
        assert head["school_year"] == "2019/20" and head["participants"] == 240
        assert head["services"]["child_welfare"]["share"] == pytest.approx(65 / 240, abs=1e-6)
        assert head["services"]["mental_health"]["previous_share"] == pytest.approx(106 / 225, abs=1e-6)
        assert {i["kind"] for i in data["inputs_checked"]} == {"profile", "survey"}
        adhd = [r for r in data["profile"] if r["category"] == "adhd"]
        assert [r["count"] for r in adhd] == [72, 54, 55]

    def test_counts_file_gives_the_same_published_counts(self, project: Path) -> None:
        base = {"sections": ["participants"]}
        flags = participants_json(
            participants_results(
                load_config("config/report.yml", {**base, "inputs.profile": "data/raw/demo/participants/profile.csv"})
            )
        )
        counts = participants_json(
            participants_results(
                load_config(
                    "config/report.yml", {**base, "inputs.profile": "data/raw/demo/participants/profile_counts.csv"}
                )
            )
        )
        assert counts["profile_kind"] == "profile_counts"
        key = lambda rows: {(r["school_year"], r["category"]): r["count"] for r in rows if r["category"] != "other"}  # noqa: E731
        assert key(flags["profile"]) == key(counts["profile"])


class TestDemoData:
    def test_files_are_what_the_generator_makes(self, tmp_path: Path) -> None:
        from outcomes.demo.participants import write_demo_participants

        for path in write_demo_participants(tmp_path):
            committed = ROOT / "data" / "raw" / "demo" / "participants" / path.name
            assert path.read_bytes() == committed.read_bytes(), path.name

    def test_small_category_in_demo(self) -> None:
        data = yaml.safe_load((ROOT / "config" / "participant_categories.yml").read_text(encoding="utf-8"))
        assert "substance_abuse" in {c["id"] for c in data["categories"]}
        counts = pd.read_csv(ROOT / "data" / "raw" / "demo" / "participants" / "profile_counts.csv")
        assert (counts.loc[counts["kategori"] == "Rus", "antall"] < 5).all()
