"""Commands that print published figures refuse rejected rows, as `outcomes report` does (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from outcomes.cli import main


@pytest.fixture
def unlisted_labels(project: Path) -> Path:
    """The demo follow-up with 35 rows of the report year given a label the status map does not list."""
    source = project / "data" / "raw" / "demo" / "followup.csv"
    records = pd.read_csv(source, dtype=str, keep_default_na=False)
    rows = records.index[records["followup_year"] == "2020"][:35]
    records.loc[rows, "status"] = "Ukjent aktivitet"
    target = project / "data" / "raw" / "followup_unlisted.csv"
    records.to_csv(target, index=False)
    return target


class TestRejectedRowsStopPrinting:
    def test_followup_json_exits_1_and_names_the_rows(
        self, unlisted_labels: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        code = main(["followup", "--json", "--followup", str(unlisted_labels)])
        out, err = capsys.readouterr()
        assert code == 1
        assert out == ""  # no figure printed
        assert "no figures were printed" in err
        assert "35 of" in err and "followup_unlisted.csv" in err
        assert "column 'status'" in err and "Ukjent aktivitet" in err
        assert "--allow-rejects" in err

    def test_allow_rejects_prints_the_figures_without_those_rows(
        self, project: Path, unlisted_labels: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["followup", "--json", "--followup", str(unlisted_labels), "--allow-rejects"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["input"]["rows_rejected"] == 35
        # Hand count: the report year's respondents in the file, less the 35 rows left out.
        records = pd.read_csv(project / "data" / "raw" / "demo" / "followup.csv", dtype=str)
        year = records[records["followup_year"] == "2020"]
        assert data["headline"]["contacted"] == len(year) - 35

    def test_cba_refuses_rejected_follow_up_rows(
        self, unlisted_labels: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["cba", "--json", "--followup", str(unlisted_labels)]) == 1
        out, err = capsys.readouterr()
        assert out == "" and "no figures were printed" in err

    def test_a_section_without_rejects_prints(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["participants", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["headline"]
