"""Follow-up years given as yearly counts (issue 15, item 6): contract, combination with records, report.

The expected figures are worked out here by hand (or, in the strongest check, from the same people given as
records), never read back from the code under test.
"""

from __future__ import annotations

import json
from math import sqrt
from pathlib import Path
from statistics import NormalDist

import pandas as pd
import pytest

from outcomes.core.config import load_config
from outcomes.core.errors import InputError
from tests.conftest import ROOT

DEMO = ROOT / "data" / "raw" / "demo" / "followup.csv"
#: 95% normal quantile, computed here rather than taken from outcomes.core.stats.
Z = NormalDist().inv_cdf(0.975)
GROUPS = ("education", "work", "education_or_work", "positive_activity", "neet")


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson score interval written out (Wilson 1927): centre ± half-width, both over 1 + z²/n."""
    p = k / n
    denominator = 1 + Z**2 / n
    centre = (p + Z**2 / (2 * n)) / denominator
    half = Z * sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / denominator
    return centre - half, centre + half


def write_records(project: Path, first: int, last: int, name: str = "records.csv") -> str:
    """The demo's person-level records for ``first``-``last`` as a file of the project; its project path."""
    records = pd.read_csv(DEMO, dtype=str)
    years = records["followup_year"].astype(int)
    records[(years >= first) & (years <= last)].to_csv(project / "data" / "raw" / name, index=False)
    return f"data/raw/{name}"


def demo_counts(first: int, last: int) -> pd.DataFrame:
    """The demo records for ``first``-``last`` aggregated as a programme would table them: people per label."""
    records = pd.read_csv(DEMO, dtype=str)
    years = records["followup_year"].astype(int)
    chosen = records[(years >= first) & (years <= last)]
    table = chosen.groupby(["followup_year", "department", "status"]).size().rename("count").reset_index()
    return table.sample(frac=1.0, random_state=3)  # a table's row order says nothing


def write_csv(project: Path, name: str, text: str) -> str:
    (project / "data" / "raw" / name).write_text(text, encoding="utf-8")
    return f"data/raw/{name}"


class TestSameAsRecords:
    """(a) Counts made from the demo records of 2011-2015, with the records of 2016-2020, publish exactly what the
    records alone publish: every year, department, group and treatment, suppression included."""

    def test_published_rates_identical(self, project: Path) -> None:
        from outcomes.analyses.followup.results import followup_results

        demo_counts(2011, 2015).to_csv(project / "data" / "raw" / "counts.csv", index=False)
        late = write_records(project, 2016, 2020)
        alone = followup_results(load_config())
        combined = followup_results(
            load_config(overrides={"inputs.followup": late, "inputs.followup_counts": "data/raw/counts.csv"})
        )
        assert len(alone.rates) > 0 and alone.rates["suppressed"].notna().any()  # protection really at work
        pd.testing.assert_frame_equal(combined.rates, alone.rates)
        assert combined.years_from_counts == [2011, 2012, 2013, 2014, 2015]
        assert alone.years_from_counts == [] and alone.counts is None

    def test_contacted_per_year_is_the_table_total(self, project: Path) -> None:
        """Contacted in a counts year is the sum of the table's rows, non-respondents included (224 in 2011)."""
        from outcomes.analyses.followup.results import followup_results

        counts = demo_counts(2011, 2015)
        counts.to_csv(project / "data" / "raw" / "counts.csv", index=False)
        cfg = load_config(
            overrides={
                "inputs.followup": write_records(project, 2016, 2020),
                "inputs.followup_counts": "data/raw/counts.csv",
            }
        )
        rates = followup_results(cfg).rates
        totals = counts.groupby(counts["followup_year"].astype(int))["count"].sum()
        assert totals[2011] == 224  # the demo file's 2011 rows, counted with `cut | uniq -c`
        published = rates[(rates["department"] == "all") & (rates["group"] == "education")].set_index("followup_year")
        for year in range(2011, 2016):
            assert published.loc[year, "contacted"].iloc[0] == totals[year]

    def test_costbenefit_cohorts_identical(self, project: Path) -> None:
        from outcomes.analyses.costbenefit.results import cba_results

        demo_counts(2011, 2015).to_csv(project / "data" / "raw" / "counts.csv", index=False)
        late = write_records(project, 2016, 2020)
        alone = cba_results(load_config(), draws=200)
        combined = cba_results(
            load_config(overrides={"inputs.followup": late, "inputs.followup_counts": "data/raw/counts.csv"}),
            draws=200,
        )
        pd.testing.assert_frame_equal(combined.cohorts, alone.cohorts)
        assert combined.result.additional_youths == alone.result.additional_youths
        pd.testing.assert_frame_equal(combined.result.perspectives, alone.result.perspectives)


#: A hand-made table for 2015, no departments. By status: education 30, apprenticeship 6,
#: education_and_work 5, work 12, measure 7, other_positive 5, neet 9, no_response 10.
TINY = """år;situasjon;antall
2015;Utdanning;18
2015;Videregående skole;12
2015;Lærling;6
2015;Utdanning og arbeid;5
2015;I jobb;12
2015;Tiltak;7
2015;Folkehøgskole;5
2015;Utenfor;9
2015;Ikke svart;10
"""
#: contacted 84, responded 74; each group's count among respondents:
#: education 30+6+5, work 12+5, education_or_work 30+6+5+12, positive_activity 53+7+5, neet 9.
TINY_GROUPS = {"education": 41, "work": 17, "education_or_work": 53, "positive_activity": 65, "neet": 9}
POSITIVE = {"education", "work", "education_or_work", "positive_activity"}


class TestHandMadeTable:
    """(b) A tiny table gives the shares and Wilson intervals worked out by hand."""

    @pytest.fixture
    def rates(self, project: Path) -> pd.DataFrame:
        from outcomes.analyses.followup.results import followup_results

        cfg = load_config(
            overrides={
                "inputs.followup": write_records(project, 2016, 2020),
                "inputs.followup_counts": write_csv(project, "tiny.csv", TINY),
                "first_year": 2015,
                "sections": ["followup"],
            }
        )
        rates = followup_results(cfg).rates
        return rates[rates["followup_year"] == 2015]

    def test_only_all_departments(self, rates: pd.DataFrame) -> None:
        assert set(rates["department"]) == {"all"}
        assert rates["suppressed"].isna().all()  # every status has at least 5 people: nothing to hide

    def test_shares_and_intervals(self, rates: pd.DataFrame) -> None:
        contacted, responded, nonresponse = 84, 74, 10
        for group, count in TINY_GROUPS.items():
            positive = group in POSITIVE
            expected = {
                "respondents": (count, responded),
                "negative": (count + (0 if positive else nonresponse), contacted),
                "positive": (count + (nonresponse if positive else 0), contacted),
            }
            for treatment, (k, n) in expected.items():
                row = rates[(rates["group"] == group) & (rates["treatment"] == treatment)].iloc[0]
                low, high = wilson(k, n)
                assert (row["contacted"], row["responded"]) == (contacted, responded)
                assert (row["count"], row["denominator"]) == (k, n), (group, treatment)
                assert row["share"] == pytest.approx(k / n, abs=1e-12)
                assert row["ci_low"] == pytest.approx(low, abs=1e-9) and row["ci_high"] == pytest.approx(high, abs=1e-9)
        assert row["response_rate"] == pytest.approx(74 / 84)

    def test_one_interval_as_printed_by_hand(self, rates: pd.DataFrame) -> None:
        """Education among respondents, 41 of 74, worked out on paper: 55.4 % (44.1-66.2 %)."""
        row = rates[(rates["group"] == "education") & (rates["treatment"] == "respondents")].iloc[0]
        assert (round(row["share"], 6), round(row["ci_low"], 6), round(row["ci_high"], 6)) == (
            0.554054,
            0.440931,
            0.661842,
        )


class TestRefusedCombinations:
    """(c) A year in both inputs is refused, naming it, the files and what to do; so is a year with departments on
    some rows only."""

    def test_year_in_both(self, project: Path) -> None:
        from outcomes.analyses.followup.results import load_followup

        counts = write_csv(project, "counts.csv", "year,status,count\n2015,Utdanning,20\n2016,Utdanning,30\n")
        cfg = load_config(overrides={"inputs.followup_counts": counts})  # the demo records have 2011-2020
        with pytest.raises(InputError) as caught:
            load_followup(cfg)
        message = caught.value.describe()
        assert caught.value.file == "data/raw/counts.csv" and caught.value.line == 2
        assert "follow-up years 2015\u20132016 are in the yearly counts and also in the person-level records" in message
        assert "data/raw/demo/followup.csv" in message
        assert "Remove 2015\u20132016 from the counts (inputs.followup_counts) or from the records" in message

    def test_one_year_in_both_named(self, project: Path) -> None:
        from outcomes.analyses.followup.results import load_followup

        counts = write_csv(project, "counts.csv", "year,status,count\n2014,Utdanning,20\n2016,Arbeid,30\n")
        cfg = load_config(
            overrides={"inputs.followup": write_records(project, 2016, 2020), "inputs.followup_counts": counts}
        )
        with pytest.raises(InputError, match="follow-up year 2016 is in the yearly counts") as caught:
            load_followup(cfg)
        assert caught.value.line == 3 and caught.value.column == "followup_year"

    def test_report_refuses_before_any_notebook(self, project: Path) -> None:
        from outcomes.report.runner import build_report

        counts = write_csv(project, "counts.csv", "year,status,count\n2016,Utdanning,30\n")
        with pytest.raises(InputError, match="2016"):
            build_report(overrides={"inputs.followup_counts": counts}, log=lambda m: None)
        assert not any((project / "reports").rglob("summary.json"))

    def test_departments_on_some_rows_only(self, project: Path) -> None:
        from outcomes.analyses.followup.results import load_followup

        text = "year,department,status,count\n2014,Drammen,Utdanning,20\n2014,,Arbeid,7\n2015,,Arbeid,9\n"
        cfg = load_config(
            overrides={
                "inputs.followup": write_records(project, 2016, 2020),
                "inputs.followup_counts": write_csv(project, "counts.csv", text),
            }
        )
        with pytest.raises(InputError, match="follow-up year 2014 gives a department on some rows") as caught:
            load_followup(cfg)
        assert (caught.value.line, caught.value.column) == (3, "department")


class TestBadRows:
    """(d) A bad counts row is rejected with file, line and column, and listed in the rejects file."""

    BAD = (
        "Oppfølgingsår;Avdeling;Situasjon;Antall\n"
        "2014;Drammen;Utdanning;12\n"
        "2014;Drammen;I jobb;-3\n"
        "2014;Drammen;Sabbatsår;4\n"
        "2014;Drammen;utdanning ;2\n"
        "2014;Drammen;Ikke svart;2,5\n"
    )

    def test_rejected_with_file_line_column(self, project: Path) -> None:
        from outcomes.inputs.preflight import intake_configured, rejected_rows_error

        cfg = load_config(
            overrides={
                "inputs.followup": write_records(project, 2016, 2020),
                "inputs.followup_counts": write_csv(project, "bad.csv", self.BAD),
            }
        )
        result = next(r for r in intake_configured(cfg) if r.summary.name == "followup_counts")
        s = result.summary
        assert (s.rows_read, s.rows_accepted, s.rows_rejected) == (5, 0, 5)
        found = {(p["line"], p["column"]): p for p in result.problems.to_dict(orient="records")}
        assert found[(3, "count")]["problem"] == "below the lowest allowed value 0"
        assert found[(4, "status")]["problem"] == "status label is not in the status map"
        assert found[(4, "status")]["value"] == "Sabbatsår"
        assert found[(6, "count")]["problem"] == "not a whole number"
        # the same label twice in a year and department (any case and spacing): both copies rejected
        assert "duplicate record (also on line 2)" in found[(5, "followup_year, department, status")]["problem"]
        assert {p["file"] for p in found.values()} == {"data/raw/bad.csv"}
        rejects = pd.read_csv(project / "data" / "processed" / "rejects" / "followup_counts.csv", dtype=str)
        assert rejects["_line"].astype(int).tolist() == [2, 3, 4, 5, 6]
        assert "below the lowest allowed value 0" in rejects.loc[1, "reason"]
        assert "Sabbatsår" in rejects.loc[2, "reason"]
        error = rejected_rows_error(intake_configured(cfg))
        assert error is not None and "data/raw/bad.csv, line 3, column 'count'" in error.describe()

    def test_validate_command_checks_the_configured_counts(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        from outcomes.cli.main import main

        bad = write_csv(project, "bad.csv", self.BAD)
        assert main(["validate", "--set", f"inputs.followup_counts={bad}"]) == 1
        out = capsys.readouterr().out
        assert "data/raw/bad.csv: 5 rows read, 0 accepted, 5 rejected" in out
        assert "data/raw/bad.csv | 4 | status | Sabbatsår | status label is not in the status map" in out
        assert main(["validate", "--kind", "followup_counts", str(project / "data" / "raw" / "bad.csv")]) == 1

    def test_followup_command_refuses_rejected_count_rows(self, project: Path) -> None:
        from outcomes.cli.main import main

        bad = write_csv(project, "bad.csv", self.BAD)
        records = write_records(project, 2016, 2020)
        assert (
            main(
                ["followup", "--json", "--set", f"inputs.followup={records}", "--set", f"inputs.followup_counts={bad}"]
            )
            == 1
        )

    def test_file_without_department_column(self, project: Path) -> None:
        """Unique by year and status when the department column is left out; a repeated label is caught."""
        from outcomes.inputs.intake import intake_file
        from outcomes.registries.statuses import load_status_map

        path = write_csv(project, "c.csv", "year,status,count\n2014,Arbeid,3\n2014,arbeid,4\n2014,Jobb,5\n")
        result = intake_file(path, "followup_counts", status_map=load_status_map("config/status_map.yml"))
        assert result.summary.rows_rejected == 2 and set(result.problems["line"]) == {2, 3}
        assert result.data["status"].tolist() == ["work"] and result.data["department"].isna().all()


class TestExpansion:
    def test_rows_are_people_counted_with_generated_ids(self) -> None:
        from outcomes.analyses.followup.counts import expand_counts

        counts = pd.DataFrame(
            {
                "followup_year": [2014, 2014, 2015],
                "department": ["A", "A", None],
                "status": ["education", "no_response", "work"],
                "count": [3, 0, 2],
                "_line": [2, 3, 4],
            }
        )
        rows = expand_counts(counts)
        assert rows["participant_id"].tolist() == ["counts-2-1", "counts-2-2", "counts-2-3", "counts-4-1", "counts-4-2"]
        assert rows["status"].tolist() == ["education"] * 3 + ["work"] * 2
        assert rows["from_counts"].all() and "count" not in rows


@pytest.mark.slow
class TestReport:
    """(e) A report from counts for 2010-2015 and records for 2016-2020 renders, passes its disclosure audit and says
    which years come from counts on the follow-up page, in summary.json and on the methods page."""

    #: 2010 has no departments: 40 in education, 15 in work, 8 in measures, 12 NEET, 11 not reached.
    YEAR_2010 = pd.DataFrame(
        {
            "followup_year": [2010] * 5,
            "department": [""] * 5,
            "status": ["Utdanning", "Arbeid", "Tiltak", "Utenfor", "Ikke svart"],
            "count": [40, 15, 8, 12, 11],
        }
    )

    @pytest.fixture
    def bundle(self, project: Path) -> Path:
        from outcomes.report.runner import build_report

        counts = pd.concat([self.YEAR_2010, demo_counts(2011, 2015)], ignore_index=True)
        counts.to_csv(project / "data" / "raw" / "counts.csv", index=False)
        costs = pd.read_csv(project / "data" / "raw" / "demo" / "costs.csv", dtype=str)
        year_2010 = costs[costs["year"] == "2011"].assign(year="2010", price_year="2010")
        pd.concat([year_2010, costs]).to_csv(project / "data" / "raw" / "costs.csv", index=False)
        overrides = {
            "inputs.followup": write_records(project, 2016, 2020),
            "inputs.followup_counts": "data/raw/counts.csv",
            "inputs.costs": "data/raw/costs.csv",
            "first_year": 2010,
            "sections": ["followup", "costbenefit"],
            "costbenefit.draws": 200,
        }
        return build_report(overrides=overrides, log=lambda m: None)

    def test_renders_audited_and_says_which_years(self, bundle: Path) -> None:
        from outcomes.core.i18n import Translator

        summary = json.loads((bundle / "summary.json").read_text(encoding="utf-8"))
        assert summary["disclosure_audit"]["clean"] is True and summary["disclosure_audit"]["disclosed"] == 0
        counts = summary["followup"]["input"]["counts"]
        assert counts["file"] == "data/raw/counts.csv" and counts["years"] == [2010, 2011, 2012, 2013, 2014, 2015]
        assert counts["rows_rejected"] == 0 and counts["rows_read"] == counts["rows_accepted"] == 5 + 306
        assert summary["followup"]["input"]["file"] == "data/raw/records.csv"
        assert {"followup", "followup_counts", "costs"} <= {i["name"] for i in summary["provenance"]["inputs"]}

        t = Translator("nb")
        page = (bundle / "followup.html").read_text(encoding="utf-8")
        assert t("followup.counts_note", years="2010\u20132015", file="data/raw/counts.csv") in page
        assert t("followup.counts_note_records", years="2016\u20132020", file="data/raw/records.csv") in page
        assert t("followup.counts_note_all_departments", years="2010") in page
        assert "data/raw/counts.csv: 311 rader lest, 311 brukt, 0 holdt utenfor." in page
        assert "followup_counts" in (bundle / "methods.html").read_text(encoding="utf-8")

    def test_counts_years_published_like_any_other(self, bundle: Path) -> None:
        rates = pd.read_csv(bundle / "downloads" / "followup_rates.csv")
        assert sorted(set(rates["followup_year"])) == list(range(2010, 2021))
        assert set(rates.loc[rates["followup_year"] == 2010, "department"]) == {"all"}
        first = rates[(rates["followup_year"] == 2010) & (rates["group"] == "education")]
        row = first[first["treatment"] == "respondents"].iloc[0]
        # contacted 86 (40 + 15 + 8 + 12 + 11), responded 75: education 40 of 75
        assert (row["contacted"], row["responded"], row["count"]) == (86, 75, 40)
        assert row["share"] == pytest.approx(40 / 75, abs=1e-6)
        cohorts = pd.read_csv(bundle / "downloads" / "costbenefit_cohorts.csv")
        assert cohorts["year"].tolist()[0] == 2010
