"""The whole built bundle: disclosure control everywhere, and safe publishing under interruption."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from outcomes.report.runner import build_report
from tests.conftest import make_project, outcomes_root

pytestmark = pytest.mark.slow
THRESHOLD = 5


def small_cell_followup(path: Path) -> Path:
    """Two years; department 'Storby' is large, 'Liten' has 3 people; few NEET and non-respondents.

    2019 Storby: 40 education, 12 work, 6 measure, 2 neet, 3 no response (63)
    2019 Liten : 3 education
    2020 Storby: 30 education, 20 work, 4 other positive, 3 neet, 1 no response (58)
    2020 Liten : 2 work, 1 neet
    """
    rows = []
    spec = {
        (2019, "Storby"): [("Utdanning", 40), ("Arbeid", 12), ("Tiltak", 6), ("Utenfor", 2), ("Ikke nådd", 3)],
        (2019, "Liten"): [("Utdanning", 3)],
        (2020, "Storby"): [("Utdanning", 30), ("Arbeid", 20), ("Folkehøgskole", 4), ("Utenfor", 3), ("Ikke nådd", 1)],
        (2020, "Liten"): [("Arbeid", 2), ("Utenfor", 1)],
    }
    n = 0
    for (year, dept), items in spec.items():
        for label, count in items:
            for _ in range(count):
                n += 1
                rows.append(f"S{n:04d},{dept},{year},{label}")
    path.write_text("participant_id,department,followup_year,status\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("small") / "project")
    small_cell_followup(root / "data" / "raw" / "small.csv")
    with outcomes_root(root):
        return build_report(
            overrides={
                "inputs.followup": "data/raw/small.csv",
                "first_year": 2019,
                "report_year": 2020,
                "programme.slug": "small",
            },
            log=lambda m: None,
        )


def publishable(count, denominator) -> bool:
    if count is None or denominator is None:
        return True  # hidden
    rest = denominator - count
    return count >= THRESHOLD and denominator >= THRESHOLD and not (0 < rest < THRESHOLD)


def walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


class TestDisclosureEverywhere:
    def test_summary_json(self, small_bundle: Path) -> None:
        summary = json.loads((small_bundle / "summary.json").read_text())
        checked = 0
        for node in walk(summary.get("followup", {})):
            if "count" in node and "denominator" in node:
                assert publishable(node["count"], node["denominator"]), node
                if node["count"] is None:
                    assert node.get("share") is None and node.get("ci_low") is None and node.get("ci_high") is None
                checked += 1
            for key in ("contacted", "responded"):
                if node.get(key) is not None:
                    assert node[key] >= THRESHOLD, node
        assert checked > 0

    def test_csv_downloads(self, small_bundle: Path) -> None:
        files = list((small_bundle / "downloads").glob("*.csv"))
        assert files
        rates = pd.read_csv(small_bundle / "downloads" / "followup_rates.csv")
        for row in rates.itertuples():
            count = None if pd.isna(row.count) else row.count
            den = None if pd.isna(row.count) else row.denominator
            assert publishable(count, den)
            if count is None:
                assert pd.isna(row.share) and pd.isna(row.ci_low)
            if not pd.isna(row.contacted):
                assert row.contacted >= THRESHOLD and row.responded >= THRESHOLD
        # Liten (3 people a year) must not appear with any number, its denominator included
        liten = rates[rates.department == "Liten"]
        assert (
            liten[["contacted", "responded", "response_rate", "count", "denominator", "share", "ci_low", "ci_high"]]
            .isna()
            .all()
            .all()
        )
        # No whole number of people between 1 and 4 anywhere in the follow-up download
        people = rates[["contacted", "responded", "count", "denominator"]].stack()
        assert not ((people >= 1) & (people < THRESHOLD)).any()

    def test_audit_of_the_published_files_is_clean(self, small_bundle: Path) -> None:
        from outcomes.sdc.bundle import audit_bundle

        audit = audit_bundle(small_bundle)
        assert audit.clean, audit.report()
        assert json.loads((small_bundle / "summary.json").read_text())["disclosure_audit"]["clean"]

    def test_html_pages_tables_and_chart_text(self, small_bundle: Path) -> None:
        pages = list(small_bundle.glob("*.html"))
        assert len(pages) >= 3
        for page in pages:
            html = page.read_text()
            # hover texts and cards state n: never below the threshold
            for match in re.finditer(r"n\s?=\s?(\d+)", html):
                assert int(match.group(1)) >= THRESHOLD, (page.name, match.group(0))
            soup = BeautifulSoup(html, "html.parser")
            for table in soup.find_all("table"):
                headers = [th.get_text(strip=True) for th in table.find_all("th")]
                for tr in table.find_all("tr")[1:]:
                    cells = [td.get_text(strip=True) for td in tr.find_all("td")]
                    row = dict(zip(headers, cells, strict=False))
                    for key in ("n", "Kontaktet", "Svarte"):
                        value = row.get(key, "–").replace("\u00a0", "")
                        if value not in ("–", ""):
                            assert int(value) >= THRESHOLD, (page.name, row)
                    if row.get("Avdeling") == "Liten":
                        assert all(v == "–" for k, v in row.items() if k != "Avdeling"), row

    def test_chart_data_has_no_hidden_values(self, small_bundle: Path) -> None:
        html = (small_bundle / "followup.html").read_text()
        # The department chart: the 'Liten' bars carry no value (null) and no hover text.
        match = re.search(r'Plotly\.newPlot\(\s*"fig-followup-departments",\s*(\[.*?\])\s*,\s*\{', html, re.S)
        assert match
        traces = json.loads(match.group(1))
        for trace in traces:
            for label, x, hover in zip(trace["y"], trace["x"], trace["hovertext"], strict=False):
                if label == "Liten":
                    assert x is None and hover is None

    def test_footnote_explains_suppression(self, small_bundle: Path) -> None:
        html = (small_bundle / "followup.html").read_text()
        assert "færre enn 5 personer" in html


class TestInterruptedRun:
    @pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
    def test_previous_bundle_untouched(self, tmp_path: Path, sig: int) -> None:
        root = make_project(tmp_path / "project")
        cfg = root / "config" / "report.yml"
        # One section keeps the test quick; the publishing step is the same for any number.
        cfg.write_text(
            cfg.read_text().replace("sections: [followup, participants, baseline, costbenefit]", "sections: [followup]")
        )
        env = {**os.environ, "OUTCOMES_ROOT": str(root)}
        first = subprocess.run(
            [sys.executable, "-m", "outcomes.cli", "report"], env=env, capture_output=True, text=True
        )
        assert first.returncode == 0, first.stderr
        bundle = root / "reports" / "unginvest-demo" / "2020"
        before = {p.relative_to(bundle): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
        # Change an input so the second run would produce a different bundle.
        cfg.write_text(cfg.read_text().replace('title: "UngInvest AIB (demodata)"', 'title: "Endret tittel"'))
        proc = subprocess.Popen(
            [sys.executable, "-m", "outcomes.cli", "report"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(bundle.parent.glob(".2020.build-*")):
            time.sleep(0.05)
        assert list(bundle.parent.glob(".2020.build-*")), "the run never started building"
        time.sleep(1.0)
        os.killpg(proc.pid, sig)
        proc.wait(timeout=60)
        assert proc.returncode != 0
        after = {p.relative_to(bundle): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
        assert after == before


class TestKilledWhilePublishing:
    def test_bundle_moved_aside_is_put_back(self, tmp_path: Path) -> None:
        from outcomes.report.publish import clean_stale_builds

        parent = tmp_path / "reports" / "demo"
        aside = parent / ".2020.old-4242"
        aside.mkdir(parents=True)
        (aside / "index.html").write_text("previous")
        (parent / ".2020.build-4242").mkdir()
        clean_stale_builds(parent)
        assert (parent / "2020" / "index.html").read_text() == "previous"
        assert sorted(p.name for p in parent.iterdir()) == ["2020"]
