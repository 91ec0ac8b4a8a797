"""The section registry (issue 14) and sections without data for the report's years (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from outcomes.cli import main
from outcomes.core.config import load_config
from outcomes.core.errors import ConfigError
from outcomes.core.i18n import Translator
from outcomes.sections import SECTIONS
from tests.conftest import ROOT


class TestRegistry:
    @pytest.mark.parametrize("name", list(SECTIONS))
    def test_every_declared_piece_exists(self, name: str) -> None:
        section = SECTIONS[name]
        assert (ROOT / section.notebook).is_file()
        assert (ROOT / section.notebook).with_suffix(".py").is_file()
        module = section.module()
        assert callable(getattr(module, section.results)) and callable(getattr(module, section.to_json))
        if section.data_check:
            assert callable(getattr(module, section.data_check))
        for lang in ("nb", "en"):
            assert Translator(lang)(f"report.section_{name}") != f"report.section_{name}"

    def test_pages_are_distinct(self) -> None:
        pages = [s.page for s in SECTIONS.values()]
        assert len(set(pages)) == len(pages) and "index.html" not in pages and "methods.html" not in pages

    def test_unknown_section_is_a_configuration_error(self) -> None:
        with pytest.raises(ConfigError, match="unknown section 'survey'; expected one of followup, participants"):
            load_config(ROOT / "config" / "report.yml", {"sections": ["followup", "survey"]})

    def test_a_section_missing_its_block_is_named(self) -> None:
        with pytest.raises(ConfigError, match="section 'baseline' is listed but there is no 'baseline:' block"):
            load_config(ROOT / "config" / "report.yml", {"sections": ["followup", "baseline"], "baseline": None})


class TestNoDataForTheYears:
    def test_command_says_which_years_the_files_have(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["participants", "--year", "2015"]) == 2
        err = capsys.readouterr().err
        assert "internal error" not in err
        assert "no data for 2011–2015" in err and "profile.csv has 2018–2020" in err

    def test_report_leaves_the_section_out_and_says_why(
        self, project: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["report", "--year", "2015"]) == 0
        bundle = project / "reports" / "unginvest-demo" / "2015"
        summary = json.loads((bundle / "summary.json").read_text(encoding="utf-8"))
        assert "participants" not in summary["sections"] and "participants" not in summary
        assert [s["section"] for s in summary["sections_left_out"]] == ["participants"]
        assert not (bundle / "participants.html").exists()
        front = (bundle / "index.html").read_text(encoding="utf-8")
        assert "Delen «Deltakerne» er ikke med i rapporten: inndataene har ingen tall for 2011–2015" in front
        assert 'href="participants.html"' not in front
