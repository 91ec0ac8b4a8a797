"""Shared fixtures: a throw-away copy of the project so tests never touch the real data/ or reports/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


def make_project(target: Path) -> Path:
    """Copy what a run needs (config, notebooks, demo inputs) into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    shutil.copytree(ROOT / "config", target / "config")
    shutil.copytree(ROOT / "notebooks", target / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "data" / "raw", target / "data" / "raw")
    (target / "data" / "processed").mkdir(parents=True)
    (target / "reports").mkdir()
    return target


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The default demo report, built once per test session in a private project: (root, bundle).

    Tests must not modify it; copy it first when a test needs to.
    """
    import os

    from outcomes.report import build_report

    root = make_project(tmp_path_factory.mktemp("demo_build") / "project")
    old = os.environ.get("OUTCOMES_ROOT")
    os.environ["OUTCOMES_ROOT"] = str(root)
    try:
        bundle = build_report(log=lambda m: None)
    finally:
        if old is None:
            os.environ.pop("OUTCOMES_ROOT", None)
        else:
            os.environ["OUTCOMES_ROOT"] = old
    return root, bundle


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private project root with the demo data; OUTCOMES_ROOT points at it."""
    root = make_project(tmp_path / "project")
    monkeypatch.setenv("OUTCOMES_ROOT", str(root))
    return root


def write_followup(path: Path, rows: list[tuple], header: str = "participant_id,department,followup_year,status") -> Path:
    """Write a small follow-up CSV from tuples."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [header] + [",".join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def small_records() -> pd.DataFrame:
    """Twelve contacted in 2019 and six in 2020, with canonical statuses.

    2019, department A (8) and B (4):
      education 4, apprenticeship 1, education_and_work 1, work 2,
      measure 1, other_positive 1, neet 1, no_response 1.
    2020, department A: education 3, work 1, neet 1, no_response 1.
    """
    statuses_2019 = (["education"] * 4 + ["apprenticeship", "education_and_work"] + ["work"] * 2
                     + ["measure", "other_positive", "neet", "no_response"])
    departments_2019 = ["A"] * 8 + ["B"] * 4
    statuses_2020 = ["education"] * 3 + ["work", "neet", "no_response"]
    return pd.DataFrame({
        "participant_id": [f"P{i}" for i in range(18)],
        "department": departments_2019 + ["A"] * 6,
        "followup_year": [2019] * 12 + [2020] * 6,
        "status": statuses_2019 + statuses_2020,
    })
