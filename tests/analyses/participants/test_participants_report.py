"""The participants page end to end: built once in a private project with the demo inputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from outcomes.report.runner import build_report
from tests.conftest import make_project, outcomes_root

pytestmark = pytest.mark.slow

PROFILE = "data/raw/demo/participants/profile.csv"
SURVEY = "data/raw/demo/participants/survey.csv"
#: The demo's small categories (substance abuse 4/2/3, gambling 1/2/0) in every spelling an output could use.
SMALL_NAMES = ("substance_abuse", "gambling", "Rusmisbruk", "Substance abuse", "Spillavhengighet", "Gambling addiction")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """The report with the follow-up and participants sections, built once."""
    root = make_project(tmp_path_factory.mktemp("participants") / "project")
    with outcomes_root(root):
        bundle = build_report(
            overrides={"sections": ["followup", "participants"], "inputs.profile": PROFILE, "inputs.survey": SURVEY},
            log=lambda m: None,
        )
        yield {"root": root, "bundle": bundle}


def page(built) -> str:
    return (built["bundle"] / "participants.html").read_text(encoding="utf-8")


class TestParticipantsPage:
    def test_charts_present(self, built) -> None:
        html = page(built)
        for name in ("participants-profile", "participants-services", "participants-survey"):
            assert f'id="fig-{name}"' in html

    def test_no_code(self, built) -> None:
        html = page(built)
        for marker in (
            "import pandas",
            "load_config(",
            "participants_results(",
            "config_path =",
            "jp-InputArea",
            "In&nbsp;[",
        ):
            assert marker not in html

    def test_published_figures_shown(self, built) -> None:
        html = page(built)
        assert "ADHD/ADD" in html and "Lærerne mine bryr seg om meg" in html
        assert "Én person kan ha flere vansker" in html

    def test_small_category_nowhere(self, built) -> None:
        bundle = built["bundle"]
        files = [bundle / "participants.html", bundle / "summary.json", *sorted((bundle / "downloads").glob("*.csv"))]
        assert any(f.name.startswith("participants_") for f in files)
        for file in files:
            text = file.read_text(encoding="utf-8")
            for name in SMALL_NAMES:
                assert name not in text, (file.name, name)

    def test_summary_has_headline_and_inputs(self, built) -> None:
        summary = json.loads((built["bundle"] / "summary.json").read_text(encoding="utf-8"))
        assert summary["participants"]["headline"]["profile"]["participants"] == 240
        files = {i["file"] for i in summary["provenance"]["inputs"]}
        assert {PROFILE, SURVEY} <= files


class TestCommandLine:
    def test_participants_json_exits_0(self, built) -> None:
        env = {**os.environ, "OUTCOMES_ROOT": str(built["root"])}
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "outcomes.cli",
                "participants",
                "--json",
                "--set",
                f"inputs.profile={PROFILE}",
                "--set",
                f"inputs.survey={SURVEY}",
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=built["root"],
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        data = json.loads(done.stdout)
        assert data["headline"]["survey"]["year"] == 2020
        for name in SMALL_NAMES:
            assert name not in done.stdout
