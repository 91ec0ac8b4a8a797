"""The baseline section end to end: notebook 20_baseline through the report runner, and the CLI.

One Norwegian bundle (with a target configured) and one English bundle are
built once for the module; the other checks call the pipeline in process.
Expected numbers are computed here by hand from the demo files (JSON-stat is
row-major: the last dimension varies fastest).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from outcomes.analyses import baseline_json, baseline_results
from outcomes.core.config import load_config
from outcomes.render.pages import notebook_body_html
from outcomes.report.kernels import execute_section
from outcomes.report.runner import build_report
from tests.conftest import ROOT, make_project

pytestmark = pytest.mark.slow

REGION = ["3401", "3414", "3415", "3416", "3417", "3418"]
SECTIONS = {"sections": ["followup", "baseline"]}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """The demo bundle with the baseline section in bokmål (NEET target 12 %), and the English page.

    The English page is the baseline notebook alone, run and converted the way
    the runner does it (a second full bundle would only repeat the follow-up).
    OUTCOMES_ROOT points at the private project until the module's tests are done.
    """
    root = make_project(tmp_path_factory.mktemp("baseline") / "project")
    saved = {k: os.environ.get(k) for k in ("OUTCOMES_ROOT",)}
    os.environ["OUTCOMES_ROOT"] = str(root)
    try:
        nb = build_report(overrides={**SECTIONS, "baseline.targets": {"neet_15_29": 12.0}}, log=lambda m: None)
        en = execute_section(
            "baseline",
            root / "notebooks" / "20_baseline.ipynb",
            {"config_path": "config/report.yml", "overrides": {"language": "en"}},
            root,
        )
        yield {
            "root": root,
            "nb": (nb / "baseline.html").read_text(encoding="utf-8"),
            "en": notebook_body_html(en.notebook),
            "nb_summary": json.loads((nb / "summary.json").read_text(encoding="utf-8")),
        }
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def numbers_in_tables(html: str) -> list[float]:
    """Every right-aligned table cell read back as a number (both languages' formats)."""
    out = []
    for cell in re.findall(r'<td class="num">([^<]*)</td>', html):
        text = cell.replace("\xa0", " ").replace("\u2212", "-").replace("prosentpoeng", "").replace("pp", "")
        match = re.search(r"[-+]?[\d ,.]*\d", text)
        if match is None:
            out.append(float("nan"))
            continue
        token = match.group(0).replace(" ", "")
        token = (
            token.replace(",", ".")
            if "," in token and "." not in token and not re.search(r",\d{3}$", token)
            else token.replace(",", "")
        )
        out.append(float(token))
    return out


def neet_by_hand(pull: str, year: str, leave_out: tuple[str, ...] = ()) -> float:
    """Region NEET share (percent) = sum of NEET persons / sum of all persons 15-29, read straight from the file."""
    data = json.loads((ROOT / "data/raw/demo/indicators" / pull / "ssb_13556_neet.json").read_text())
    dims = [data["dimension"][d]["category"]["index"] for d in data["id"]]
    sizes = data["size"]

    def cell(region: str, status: str) -> float:
        wanted = {
            "Region": region,
            "Kjonn": "0",
            "Alder": "15-29",
            "HovArbStyrkStatus": status,
            "ContentsCode": "Bosatte",
            "Tid": year,
        }
        pos = 0
        for dim_id, index, size in zip(data["id"], dims, sizes, strict=True):
            pos = pos * size + index[wanted[dim_id]]
        return data["value"][pos]

    codes = [c for c in REGION if c not in leave_out]
    return sum(cell(c, "NEET") for c in codes) / sum(cell(c, "TOT3") for c in codes) * 100


class TestBaselinePage:
    def test_charts_present(self, built) -> None:
        for name in ("baseline-trends", "baseline-challenges", "baseline-deviance"):
            assert f'id="fig-{name}"' in built["nb"]
        # every chart has its numbers as a text alternative
        assert built["nb"].count('<details class="chart-data">') == 3

    def test_no_code(self, built) -> None:
        for marker in ("import ", "baseline_results(", "config_path =", "jp-InputArea", "In&nbsp;[", "Traceback"):
            assert marker not in built["nb"]

    def test_missing_value_is_a_dash_with_footnote(self, built) -> None:
        html = built["nb"]
        # NEET, Grue, 2022 is '..' in ssb_13556_neet.json: 2021 16,4 %, 2022 –, 2023 16,0 %
        assert re.search(
            r"<td>Grue</td><td class=\"num\">16,4\xa0%</td><td class=\"num\">–</td><td class=\"num\">16,0\xa0%", html
        )
        assert (
            "Grue, Unge 15–29 år utenfor arbeid, utdanning og arbeidsrettede tiltak (NEET), 2022: «..» betyr at tallet mangler"
            in html
        )
        assert "2022: regiontallet er regnet uten Grue («..»" in html
        # Ungdata, Grue, 2019_2021 is ':' (anonymised): the null-point cell of the theme table is '–'
        assert (
            "Grue, Ungdomsskoleelever som føler seg trygge i nærmiljøet (Ungdata), 2019–2021: «:» betyr at tallet er skjult"
            in html
        )

    def test_change_from_unrounded_figures_is_explained(self, built) -> None:
        # the region's Ungdata share: 90,6 % at the null point, 90,2 % now, yet the change reads −0,3 (from 90.55 → 90.24 or so)
        html = built["nb"]
        assert re.search(
            r"Kongsvingerregionen</td><td>2019–2021 → 2022–2024</td><td class=\"num\">90,6\xa0%</td>"
            r"<td class=\"num\">90,2\xa0%</td><td class=\"num\">−0,3",
            html,
        )
        assert "regnet av de uavrundede tallene: den kan derfor avvike med en tidel" in html

    def test_periods_shown_in_one_form(self, built) -> None:
        # FHI codes three-year periods 2022_2024, SSB writes 2022-2024: readers see 2022–2024 for both
        for page in (built["nb"], built["en"]):
            text = re.sub(r"<script.*?</script>", "", page, flags=re.S)  # chart data keeps the source's codes
            assert not re.search(r"\b20\d\d[_-]20\d\d\b", text)
            assert "2019–2021 → 2022–2024" in text

    def test_sources_cited(self, built) -> None:
        for publisher, table, url in (
            ("SSB", "13556", "https://www.ssb.no/statbank/table/13556"),
            ("SSB", "13563", "https://www.ssb.no/statbank/table/13563"),
            ("SSB", "08764", "https://www.ssb.no/statbank/table/08764"),
            ("SSB", "07459", "https://www.ssb.no/statbank/table/07459"),
            ("FHI", "360", "https://statistikk.fhi.no/"),
            ("FHI", "399", "https://statistikk.fhi.no/"),
        ):
            assert f"{publisher}, tabell {table}, {url}" in built["nb"]

    def test_summary_change_and_judgement(self, built) -> None:
        # NEET is better lower, 14,6 % (2023) -> 14,1 % (2024), but 1102/7572 -> 1057/7512 gives a 95% interval
        # of the difference of about -1,6 to +0,6 points: no clear change, and never "Dårligere"/"Bedre" for noise
        assert (
            "14,1\xa0% i 2024, mot 14,6\xa0% ved nullpunktet (2023); −0,5\xa0prosentpoeng, ingen klar endring."
            in built["nb"]
        )
        # Periods that share years are not compared; each source's own baseline period is footnoted
        assert "2021–2023 → 2022–2024" in built["nb"] and "Kan ikke sammenlignes (periodene overlapper)" in built["nb"]
        assert "siste periode som slutter i eller før 2023:" in built["nb"]

    def test_target_gap_when_configured(self, built) -> None:
        assert "Avstand til målene" in built["nb"]
        assert "Distance to the targets" not in built["en"]
        # remaining = 14.07 - 12.0 = 2.07 percentage points
        assert "2,1\xa0prosentpoeng" in built["nb"]

    def test_positive_deviance_fit_shown(self, built) -> None:
        dev = built["nb_summary"]["baseline"]["deviance"]
        r2 = f"{dev['r_squared']:.2f}".replace(".", ",")
        assert f"R² = {r2}" in built["nb"] and f"n = {dev['n']} kommuner" in built["nb"]
        assert "Tall for små kommuner svinger mye" in built["nb"]  # the small-numbers caveat


class TestBaselineNumbers:
    def test_region_figure_equals_hand_calculation(self, built) -> None:
        head = built["nb_summary"]["baseline"]["headline"]
        neet = head["indicators"]["neet_15_29"]
        assert (head["region"], head["baseline_year"], head["latest_year"]) == ("Kongsvingerregionen", 2023, 2024)
        assert neet["latest_value"] == pytest.approx(neet_by_hand("pull_2024", "2024"))
        assert neet["baseline_value"] == pytest.approx(neet_by_hand("pull_2024", "2023"))
        assert neet["change"] == pytest.approx(neet_by_hand("pull_2024", "2024") - neet_by_hand("pull_2024", "2023"))
        assert neet["assessment"] == "no_clear_change"  # -0.5 points: within the interval from the counts

    def test_missing_value_excluded_from_region(self, built) -> None:
        data = baseline_json(baseline_results(load_config("config/report.yml")))
        row = next(
            r
            for r in data["table"]
            if r["indicator"] == "neet_15_29" and r["region_code"] == "region" and r["period"] == "2022"
        )
        assert row["value"] == pytest.approx(neet_by_hand("pull_2024", "2022", leave_out=("3417",)))
        assert row["excluded"] == "3417 (..)" and row["n_included"] == 5
        grue = next(
            r
            for r in data["table"]
            if r["indicator"] == "neet_15_29" and r["region_code"] == "3417" and r["period"] == "2022"
        )
        assert grue["value"] is None and grue["status"] == ".."

    def test_english_same_numbers_other_text(self, built) -> None:
        nb_page = built["nb"].split("Avstand til målene")[0]  # the English run has no target
        nb, en = numbers_in_tables(nb_page), numbers_in_tables(built["en"])
        assert len(nb) > 500 and len(nb) == len(en)
        assert nb == pytest.approx(en, nan_ok=True)
        assert (
            "Baseline: Kongsvingerregionen" in built["en"] and "Nullpunktsanalyse: Kongsvingerregionen" in built["nb"]
        )
        assert "14.1% in 2024, against 14.6% at the baseline (2023); \u22120.5\xa0pp, no clear change." in built["en"]
        assert "In brief" in built["en"] and "Kort oppsummert" not in built["en"]
        assert (
            "Source of “Young people 15–29 not in employment, education or training (NEET)”: SSB, table 13556"
            in built["en"]
        )

    def test_rerun_with_later_pull_shows_change(self, built) -> None:
        first = baseline_json(
            baseline_results(
                load_config("config/report.yml", {"inputs.indicators": "data/raw/demo/indicators/pull_2023"})
            )
        )
        later = baseline_json(
            baseline_results(
                load_config("config/report.yml", {"inputs.indicators": "data/raw/demo/indicators/pull_2024"})
            )
        )
        a, b = first["headline"]["indicators"]["neet_15_29"], later["headline"]["indicators"]["neet_15_29"]
        # In the baseline year there is nothing to compare yet ...
        assert (a["latest_period"], a["assessment"]) == ("2023", "no_new_data")
        assert a["baseline_value"] == pytest.approx(neet_by_hand("pull_2023", "2023"))
        # ... a year later the same null point is compared with 2024
        assert (b["baseline_period"], b["latest_period"]) == ("2023", "2024")
        assert b["change"] == pytest.approx(neet_by_hand("pull_2024", "2024") - neet_by_hand("pull_2024", "2023"))
        assert first["headline"]["latest_year"] == 2023 and later["headline"]["latest_year"] == 2024

    def test_no_small_count_published(self, built) -> None:
        data = baseline_json(baseline_results(load_config("config/report.yml", {"disclosure_threshold": 40})))
        rows = [r for r in data["table"] if r["numerator_suppressed"]]
        # AAP/uføretrygd counts of 32-39 in the smaller municipalities fall under 40; their rates stay published
        assert rows and all(r["numerator"] is None and r["value"] is not None for r in rows)
        assert all(r["numerator"] is None or r["numerator"] >= 40 for r in data["table"])


class TestBaselineNotebookAlone:
    def test_baseline_year_pull_renders_without_change(self, built, monkeypatch: pytest.MonkeyPatch) -> None:
        root = built["root"]
        run = execute_section(
            "baseline",
            root / "notebooks" / "20_baseline.ipynb",
            {
                "config_path": "config/report.yml",
                "overrides": {"inputs.indicators": "data/raw/demo/indicators/pull_2023"},
            },
            root,
        )
        html = notebook_body_html(run.notebook)
        assert "Ingen nye tall" in html and "ingen nyere tall ennå" in html
        assert 'id="fig-baseline-trends"' in html


class TestBaselineCli:
    def test_json_command(self, built) -> None:
        env = {**os.environ, "OUTCOMES_ROOT": str(built["root"])}
        proc = subprocess.run(
            [sys.executable, "-m", "outcomes.cli", "baseline", "--json"],
            capture_output=True,
            text=True,
            env=env,
            cwd=built["root"],
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr
        data = json.loads(proc.stdout)
        assert data["headline"]["indicators"]["neet_15_29"]["latest_value"] == pytest.approx(
            neet_by_hand("pull_2024", "2024")
        )
        assert data["table"] and data["deviance"]["n"] > 30
