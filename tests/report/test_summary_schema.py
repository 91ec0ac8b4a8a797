"""docs/summary-json.md documents every key of summary.json's top level, headlines and provenance."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def summary(demo_build) -> dict:
    return json.loads((demo_build[1] / "summary.json").read_text())


def documented() -> set[str]:
    return set(re.findall(r"`([a-z_0-9]+)`", (ROOT / "docs" / "summary-json.md").read_text()))


class TestSummarySchema:
    def test_top_level_keys_documented(self, summary: dict) -> None:
        assert set(summary) - documented() == set()

    def test_section_keys_documented(self, summary: dict) -> None:
        for section in ("followup", "costbenefit", "baseline"):
            assert (
                set(summary[section]["headline"])
                - documented()
                - {"labels", "cards", "indicators", "groups", "available", "treatment", "region"}
                == set()
            ), section

    def test_provenance_keys_documented(self, summary: dict) -> None:
        assert set(summary["provenance"]) - documented() == set()
        assert set(summary["provenance"]["inputs"][0]) - documented() == set()

    def test_every_section_has_common_keys(self, summary: dict) -> None:
        for section in summary["sections"]:
            assert {"analysis", "disclosure_threshold", "headline"} <= set(summary[section]), section

    def test_inputs_of_every_section_recorded(self, summary: dict) -> None:
        names = {i["name"] for i in summary["provenance"]["inputs"]}
        assert {"followup", "costs"} <= names and len(names) >= 4
