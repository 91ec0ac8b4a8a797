"""Last year's bundle is compared on this year's data-and-methods page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from outcomes.report.runner import build_report
from tests.conftest import make_project

pytestmark = pytest.mark.slow


@pytest.fixture
def two_years(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    root = make_project(tmp_path / "project")
    monkeypatch.setenv("OUTCOMES_ROOT", str(root))
    sections = {"sections": ["followup", "costbenefit"]}
    last = build_report(
        overrides={**sections, "report_year": 2019, "costbenefit.overrides": {"attribution": 0.3}}, log=lambda m: None
    )
    this = build_report(overrides=sections, log=lambda m: None)
    return last, this


class TestChangesSinceLastYear:
    def test_headline_and_assumption_changes_listed(self, two_years: tuple[Path, Path]) -> None:
        last, this = two_years
        before = json.loads((last / "summary.json").read_text())
        now = json.loads((this / "summary.json").read_text())
        soup = BeautifulSoup((this / "methods.html").read_text(), "html.parser")
        section = soup.find(id="changes")
        text = section.find_next("table").get_text(" ", strip=True)
        # Headline: last year's share for 2019 and this year's for 2020, both as percent.
        old_share = round(before["followup"]["headline"]["groups"]["education_or_work"]["share"] * 100)
        new_share = round(now["followup"]["headline"]["groups"]["education_or_work"]["share"] * 100)
        assert f"{old_share}\u00a0% (2019)" in text and f"{new_share}\u00a0% (2020)" in text
        # The ratio moved because attribution went from 0.3 to 0.25.
        assert before["costbenefit"]["headline"]["bcr"] < now["costbenefit"]["headline"]["bcr"]
        changes = section.find_all_next("table")[1].get_text(" ", strip=True)
        # ... named by its label, in percent as the pages write shares; no id, no raw number.
        item = next(a for a in now["costbenefit"]["assumptions"] if a["id"] == "attribution")
        assert item["label"] in changes and "Verdi" in changes
        assert "30\u00a0%" in changes and f"{round(item['value'] * 100)}\u00a0%" in changes
        assert "attribution" not in changes and "0.3" not in changes

    def test_without_last_year_says_so(self, two_years: tuple[Path, Path], tmp_path: Path) -> None:
        last, _ = two_years
        html = (last / "methods.html").read_text()
        assert "ingen rapport for året før" in html
