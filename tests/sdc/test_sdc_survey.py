"""Survey protection over departments: the case the cell rule missed, worked by hand."""

from __future__ import annotations

import pandas as pd

from outcomes.analyses.participants.survey import publishable_survey, survey_counts
from outcomes.sdc.survey import audit_survey, protect_survey

ITEM = "Jeg føler meg velkommen og sett"


def answers(spec: dict[str, list[str]]) -> pd.DataFrame:
    rows = [(2020, dept, ITEM, a) for dept, given in spec.items() for a in given]
    return pd.DataFrame(rows, columns=["year", "department", "item", "answer"])


def two_small_departments() -> pd.DataFrame:
    """Liten: 3 answers (2 agree, 1 disagree); Mini: 1 (agree); Storby: 12; Midtby: 13 -> 29 in all."""
    return answers(
        {
            "Liten": ["agree", "strongly_agree", "disagree"],
            "Mini": ["agree"],
            "Storby": ["agree"] * 5 + ["strongly_agree"] * 3 + ["somewhat_agree"] * 2 + ["disagree"] * 2,
            "Midtby": ["agree"] * 6 + ["strongly_agree"] * 3 + ["somewhat_agree"] * 3 + ["disagree"] * 1,
        }
    )


class TestTwoHiddenDepartments:
    def test_the_cell_rule_alone_lets_the_two_be_found_together(self) -> None:
        counts = survey_counts(two_small_departments())
        old = publishable_survey(counts, 5)
        rows = old.set_index("department")
        # Liten (3) and Mini (1) are hidden; all = 29 and Storby 12 + Midtby 13 = 25 are published:
        # 29 - 25 = 4 answers in the two small departments together.
        assert pd.isna(rows.loc["Liten", "n"]) and pd.isna(rows.loc["Mini", "n"])
        assert rows.loc["all", "n"] == 29 and rows.loc["Storby", "n"] + rows.loc["Midtby", "n"] == 25
        audit = audit_survey(old, 5)
        labels = {d.cell.label for d in audit.disclosed}
        # Each answer of Liten is then between 0 and 4 people: narrower than 5, so disclosed.
        # (Storby's agreeing count, 8 of 12, is hidden by the complement rule: 12 - 8 = 4.)
        assert any("Liten" in label or "Mini" in label for label in labels)
        narrow = [d for d in audit.disclosed if "Liten" in d.cell.label and "«agree»" in d.cell.label]
        assert narrow and (narrow[0].low, narrow[0].high) == (0, 4)

    def test_protection_hides_enough_and_keeps_the_total(self) -> None:
        counts = survey_counts(two_small_departments())
        out = protect_survey(counts, publishable_survey(counts, 5), 5)
        assert not audit_survey(out, 5).disclosed
        rows = out.set_index("department")
        assert rows.loc["all", "n"] == 29  # the programme's total stays
        # A third department's figures are hidden as well (the smaller of the two big ones first).
        hidden = [d for d in ("Storby", "Midtby") if pd.isna(rows.loc[d, "agreeing"]) or pd.isna(rows.loc[d, "n"])]
        assert hidden


class TestWithBlockReasoning:
    """The same case with the reasoning used for national-size tables switched on (:mod:`outcomes.sdc.blocks`)."""

    def test_finds_exactly_what_the_solver_finds(self) -> None:
        from tests.sdc.test_sdc import block_reasoning

        counts = survey_counts(two_small_departments())
        old = publishable_survey(counts, 5)
        reference = {d.cell.key: (d.low, d.high) for d in audit_survey(old, 5).disclosed}
        with block_reasoning():
            fast = {d.cell.key: (d.low, d.high) for d in audit_survey(old, 5).disclosed}
        assert fast == reference and reference  # Liten's answers, 0-4 among others

    def test_protects_as_soundly(self) -> None:
        from tests.sdc.test_sdc import block_reasoning

        counts = survey_counts(two_small_departments())
        with block_reasoning():
            out = protect_survey(counts, publishable_survey(counts, 5), 5)
        assert not audit_survey(out, 5).disclosed  # checked by the solver alone
        assert out.set_index("department").loc["all", "n"] == 29
