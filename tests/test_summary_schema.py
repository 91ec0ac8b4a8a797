"""docs/summary-json.md documents every key of summary.json's top level, headlines and provenance."""

from __future__ import annotations

import json
import os
import re

import pytest

from outcomes.report import build_report
from tests.conftest import ROOT, make_project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = make_project(tmp_path_factory.mktemp("schema") / "project")
    old = os.environ.get("OUTCOMES_ROOT")
    os.environ["OUTCOMES_ROOT"] = str(root)
    try:
        target = build_report(log=lambda m: None)
    finally:
        if old is None:
            os.environ.pop("OUTCOMES_ROOT", None)
        else:
            os.environ["OUTCOMES_ROOT"] = old
    return json.loads((target / "summary.json").read_text())


def documented() -> set[str]:
    return set(re.findall(r"`([a-z_0-9]+)`", (ROOT / "docs" / "summary-json.md").read_text()))


class TestSummarySchema:
    def test_top_level_keys_documented(self, summary: dict) -> None:
        assert set(summary) - documented() == set()

    def test_section_keys_documented(self, summary: dict) -> None:
        for section in ("followup", "costbenefit", "baseline"):
            assert set(summary[section]["headline"]) - documented() - {"labels", "cards", "indicators", "groups",
                                                                         "available", "treatment", "region"} == set(), section

    def test_provenance_keys_documented(self, summary: dict) -> None:
        assert set(summary["provenance"]) - documented() == set()
        assert set(summary["provenance"]["inputs"][0]) - documented() == set()

    def test_every_section_has_common_keys(self, summary: dict) -> None:
        for section in summary["sections"]:
            assert {"analysis", "disclosure_threshold", "headline"} <= set(summary[section]), section

    def test_inputs_of_every_section_recorded(self, summary: dict) -> None:
        names = {i["name"] for i in summary["provenance"]["inputs"]}
        assert {"followup", "costs"} <= names and len(names) >= 4
