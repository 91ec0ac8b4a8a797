"""Shared fixtures: a throw-away copy of the project so tests never touch the real data/ or reports/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Test fixtures (recorded responses, bad inputs, bundles, reference tables).
TEST_DATA = ROOT / "tests" / "data"


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


@contextmanager
def outcomes_root(root: Path) -> Iterator[Path]:
    """Point ``OUTCOMES_ROOT`` at ``root`` while the block runs, then put back what was there.

    Parameters
    ----------
    root
        The project folder runs inside the block should use.

    Yields
    ------
    pathlib.Path
        ``root``.
    """
    old = os.environ.get("OUTCOMES_ROOT")
    os.environ["OUTCOMES_ROOT"] = str(root)
    try:
        yield root
    finally:
        if old is None:
            os.environ.pop("OUTCOMES_ROOT", None)
        else:
            os.environ["OUTCOMES_ROOT"] = old


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The default demo report, built once per test session in a private project: (root, bundle).

    Tests must not modify it; copy it first when a test needs to.
    """
    from outcomes.report.runner import build_report

    root = make_project(tmp_path_factory.mktemp("demo_build") / "project")
    with outcomes_root(root):
        bundle = build_report(log=lambda m: None)
    return root, bundle


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private project root with the demo data; OUTCOMES_ROOT points at it."""
    root = make_project(tmp_path / "project")
    monkeypatch.setenv("OUTCOMES_ROOT", str(root))
    return root


@pytest.fixture(scope="session")
def catalogue():
    """The project's indicator catalogue, ``config/indicators.yml`` (frozen, so shared by every test)."""
    from outcomes.registries.indicator_catalogue import load_catalogue

    return load_catalogue(ROOT / "config" / "indicators.yml")


def tidy_row(frame: pd.DataFrame, indicator: str, code: str, period: str) -> pd.Series:
    """The one row of a tidy indicator table for an indicator, region code and period.

    Parameters
    ----------
    frame
        A tidy table (columns ``indicator``, ``region_code``, ``period``).
    indicator, code, period
        The row's indicator id, region code and period label.

    Returns
    -------
    pandas.Series
        The row; the test fails unless exactly one row matches.
    """
    sel = frame[(frame["indicator"] == indicator) & (frame["region_code"] == code) & (frame["period"] == period)]
    assert len(sel) == 1, sel
    return sel.iloc[0]


def write_followup(
    path: Path, rows: list[tuple], header: str = "participant_id,department,followup_year,status"
) -> Path:
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
    statuses_2019 = (
        ["education"] * 4
        + ["apprenticeship", "education_and_work"]
        + ["work"] * 2
        + ["measure", "other_positive", "neet", "no_response"]
    )
    departments_2019 = ["A"] * 8 + ["B"] * 4
    statuses_2020 = ["education"] * 3 + ["work", "neet", "no_response"]
    return pd.DataFrame(
        {
            "participant_id": [f"P{i}" for i in range(18)],
            "department": departments_2019 + ["A"] * 6,
            "followup_year": [2019] * 12 + [2020] * 6,
            "status": statuses_2019 + statuses_2020,
        }
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium for one test module; skipped without chromium, except under CI, where that fails."""
    from tests.browser import CHROMIUM, LAUNCH_ARGS

    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run should have installed it")
        pytest.skip("chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def bundle(demo_build: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo bundle copied to a neutral place, as an official would from a USB stick."""
    stick = tmp_path_factory.mktemp("usb") / "bundle"
    shutil.copytree(demo_build[1], stick)
    return stick
