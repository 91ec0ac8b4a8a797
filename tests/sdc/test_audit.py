"""The disclosure auditor, run on published files as an outside reader would read them.

Every expected range below is worked out by hand from the numbers in the files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from outcomes.cli import main
from outcomes.sdc.bundle import audit_bundle
from tests.conftest import TEST_DATA

BEFORE = TEST_DATA / "bundles" / "demo_2020_before"


def copy_with_neet_2014(bundle: Path, dest: Path, treatment: str, count: int) -> Path:
    """A copy of ``bundle`` (without plotly.js) whose follow-up download publishes the 2014 NEET count of all departments."""
    shutil.copytree(bundle, dest, ignore=shutil.ignore_patterns("assets"))
    file = dest / "downloads" / "followup_rates.csv"
    rates = pd.read_csv(file)
    row = (
        (rates.followup_year == 2014)
        & (rates.department == "all")
        & (rates.group == "neet")
        & (rates.treatment == treatment)
    )
    rates.loc[row, "count"] = count
    rates.to_csv(file, index=False)
    return dest


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "outcomes.cli", *args], capture_output=True, text=True, timeout=300)


class TestOldDemoBundle:
    def test_the_2014_neet_leak_is_found_by_the_cli(self) -> None:
        done = run_cli("audit", str(BEFORE), "--json")
        assert done.returncode == 1, done.stderr
        found = json.loads(done.stdout)
        assert not found["clean"]
        cells = {c["cell"]: c for c in found["disclosed_cells"]}
        neet = cells["neet (respondents) 2014, all"]
        # 2014, all departments: contacted 228, responded 199, NEET under "negative" 32 = NEET + 29 non-respondents.
        assert (neet["low"], neet["high"]) == (3, 3)
        assert any("(2014 all neet negative), column count" in w for w in neet["given_away_by"])
        assert "Traceback" not in done.stderr

    def test_the_rows_that_reveal_it_are_the_ones_the_issue_names(self) -> None:
        rates = pd.read_csv(BEFORE / "downloads" / "followup_rates.csv")
        row = rates[(rates.followup_year == 2014) & (rates.department == "all") & (rates.group == "neet")]
        negative = row[row.treatment == "negative"].iloc[0]
        assert (negative["count"], negative["contacted"], negative["responded"]) == (32, 228, 199)
        assert pd.isna(row[row.treatment == "respondents"].iloc[0]["count"])

    def test_text_output_lists_the_cells_and_exits_1(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["audit", str(BEFORE), "--limit", "400"]) == 1
        out = capsys.readouterr().out
        assert "DISCLOSED neet (respondents) 2014, all: between 3 and 3 people" in out
        assert "given away by downloads/followup_rates.csv line" in out

    def test_not_a_bundle_is_a_clear_error(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["audit", str(tmp_path)]) == 2
        err = capsys.readouterr().err
        assert "not a report bundle" in err and str(tmp_path) in err


@pytest.mark.slow
class TestNewDemoBundle:
    def test_clean_with_narrowest_range_at_least_the_threshold(self, demo_build: tuple[Path, Path]) -> None:
        _, bundle = demo_build
        audit = audit_bundle(bundle)
        assert audit.clean, audit.report()
        narrow = audit.result.narrowest
        assert narrow is None or narrow.width >= audit.threshold
        summary = json.loads((bundle / "summary.json").read_text(encoding="utf-8"))
        assert summary["disclosure_audit"]["clean"] is True
        assert summary["disclosure_audit"]["hidden_cells"] == audit.hidden_cells
        # The charts' data are read too, not only the downloads.
        assert "followup.html" in audit.files_read

    def test_the_2014_neet_cell_stays_hidden_everywhere(self, demo_build: tuple[Path, Path]) -> None:
        _, bundle = demo_build
        rates = pd.read_csv(bundle / "downloads" / "followup_rates.csv")
        rows = rates[(rates.followup_year == 2014) & (rates.department == "all") & (rates.group == "neet")]
        assert rows["count"].isna().all() and rows["share"].isna().all()

    def test_a_number_put_back_into_the_csv_is_caught(self, demo_build: tuple[Path, Path], tmp_path: Path) -> None:
        """Publishing one hidden count of a department is enough for the audit to fail."""
        _, bundle = demo_build
        # The 2014 NEET count of all departments, among respondents: 3 (see TestOldDemoBundle); under "negative" 32.
        copy = copy_with_neet_2014(bundle, tmp_path / "2020", "negative", 32)
        audit = audit_bundle(copy)
        labels = {d.cell.label for d in audit.disclosed}
        assert "neet (respondents) 2014, all" in labels

    def test_a_chart_that_shows_a_hidden_share_is_caught(self, demo_build: tuple[Path, Path], tmp_path: Path) -> None:
        """The CSV hides NEET 2014; a page whose chart data carried it (share and n) would give it back."""
        _, bundle = demo_build
        copy = tmp_path / "2020"
        shutil.copytree(bundle, copy, ignore=shutil.ignore_patterns("assets"))
        trace = {
            "type": "scatter",
            "x": [2014],
            "y": [1.51],
            "hovertext": ["NEET 2014: 2 % (n=199)"],
            "meta": {"cells": [{"year": 2014, "department": "all", "group": "neet", "treatment": "respondents"}]},
        }
        page = copy / "extra.html"
        page.write_text(
            f'<div id="fig-x"></div><script>Plotly.newPlot("fig-x", {json.dumps([trace])}, {{}}, {{}})</script>',
            encoding="utf-8",
        )
        audit = audit_bundle(copy)
        # 1.51 % of 199 is between 1.505 % and 1.515 % of 199, i.e. 2.99-3.01 people: 3.
        found = {d.cell.label: d for d in audit.disclosed}
        assert found["neet (respondents) 2014, all"].low == found["neet (respondents) 2014, all"].high == 3
        assert any("extra.html chart fig-x" in w.source for w in found["neet (respondents) 2014, all"].witnesses)


@pytest.mark.slow
class TestLastYearsBundle:
    """Late answers change counts between reports: last year's figures are a subtraction too."""

    def test_a_cell_published_last_year_makes_this_years_hidden_cell_disclosed(
        self, demo_build: tuple[Path, Path], tmp_path: Path
    ) -> None:
        _, bundle = demo_build
        now = tmp_path / "2020"
        shutil.copytree(bundle, now, ignore=shutil.ignore_patterns("assets"))
        copy_with_neet_2014(bundle, tmp_path / "2019", "respondents", 3)  # as if last year's report had published it
        # Same people contacted (228), same number answered (199): no late answers, and no answered
        # status shrinks between reports, so NEET now = NEET then = 3.
        audit = audit_bundle(now)
        found = {d.cell.label: d for d in audit.disclosed}
        assert (found["neet (respondents) 2014, all"].low, found["neet (respondents) 2014, all"].high) == (3, 3)
        assert any(w.source.startswith("last year's bundle") for w in found["neet (respondents) 2014, all"].witnesses)
        assert "2019/downloads/followup_rates.csv" in audit.files_read
        assert audit_bundle(now, previous=tmp_path / "none").clean  # without last year's bundle it is clean

    def test_the_report_takes_last_years_bundle_into_account(
        self, demo_build: tuple[Path, Path], tmp_path: Path
    ) -> None:
        """A leaky bundle from last year (old code) makes this year's protection hide more, and the report publishes."""
        from outcomes.report.runner import build_report
        from tests.conftest import make_project, outcomes_root

        _, bundle = demo_build
        root = make_project(tmp_path / "project")
        copy_with_neet_2014(bundle, root / "reports" / "unginvest-demo" / "2019", "respondents", 3)
        with outcomes_root(root):
            target = build_report(log=lambda m: None)
        summary = json.loads((target / "summary.json").read_text(encoding="utf-8"))
        assert summary["disclosure_audit"]["clean"]
        assert "2019/downloads/followup_rates.csv" in summary["disclosure_audit"]["files_read"]
        assert audit_bundle(target).clean
        now = pd.read_csv(target / "downloads" / "followup_rates.csv")
        demo = pd.read_csv(bundle / "downloads" / "followup_rates.csv")
        assert now["count"].isna().sum() > demo["count"].isna().sum()  # more is hidden than without last year's leak


def test_one_hidden_cost_benefit_cohort_is_a_finding(tmp_path: Path) -> None:
    """summary.json publishes the cohorts' additional youths summed; one hidden cohort is that sum minus the others."""
    bundle = tmp_path / "2020"
    (bundle / "downloads").mkdir(parents=True)
    (bundle / "summary.json").write_text(
        json.dumps(
            {
                "report_year": 2020,
                "followup": {"disclosure_threshold": 5, "groups": {"neet": {"statuses": ["neet"], "positive": False}}},
            }
        ),
        encoding="utf-8",
    )
    cohorts = "year,participants,rate,additional_youths,suppressed\n2019,,,,True\n2020,30,0.666667,3.2,\n"
    (bundle / "downloads" / "costbenefit_cohorts.csv").write_text(cohorts, encoding="utf-8")
    audit = audit_bundle(bundle)
    assert not audit.clean and "cost-benefit cohort 2019" in audit.findings[0]
    cohorts = "year,participants,rate,additional_youths,suppressed\n2019,,,,True\n2020,,,,True\n2018,40,0.7,5.1,\n"
    (bundle / "downloads" / "costbenefit_cohorts.csv").write_text(cohorts, encoding="utf-8")
    assert audit_bundle(bundle).clean
