"""Text in charts is plain text: a department or group title written as HTML never becomes live markup.

plotly reads a subset of HTML in every text it draws (trace names, hover texts,
category and tick labels, axis and legend titles, annotations), so a department
called ``<a href="https://...">`` would be a live link in the chart.
:func:`outcomes.render.style.figure` writes ``&``, ``<`` and ``>`` as entities,
which plotly shows literally; only its own line breaks stay markup.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from outcomes.analyses.followup.figures import departments_compared, rates_over_time
from outcomes.render.style import figure, plain_text
from tests.conftest import ROOT, make_project

LINK = '<a href="https://x.example">Drammen</a>'
BOLD_TITLE = "I <b>utdanning</b> eller arbeid"


def drawn_strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string plotly draws from a figure's JSON: all but those under ``meta``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "meta":
                yield from drawn_strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for value in node:
            yield from drawn_strings(value, path)
    elif isinstance(node, str):
        yield path, node


def assert_no_live_markup(fig_json: dict[str, Any]) -> list[str]:
    """Fail on any tag but ``<br>``/``<extra>`` in what plotly draws; return the drawn strings."""
    texts = [text for _, text in drawn_strings(fig_json)]
    for path, text in drawn_strings(fig_json):
        live = re.sub(r"</?extra>|<br>", "", text) if path.endswith("template") else text.replace("<br>", "")
        assert "<" not in live and ">" not in live, (path, text)
    return texts


def hostile_rates() -> pd.DataFrame:
    rows = []
    for dept in ("all", LINK, "Kongsberg"):
        for year in (2019, 2020):
            rows.append(
                {
                    "followup_year": year,
                    "department": dept,
                    "group": "education_or_work",
                    "treatment": "respondents",
                    "share": 0.8,
                    "ci_low": 0.7,
                    "ci_high": 0.9,
                    "denominator": 40,
                }
            )
    return pd.DataFrame(rows)


class TestPlainText:
    def test_markup_becomes_entities(self) -> None:
        assert plain_text(LINK) == '&lt;a href="https://x.example"&gt;Drammen&lt;/a&gt;'
        assert plain_text("R&D <b>") == "R&amp;D &lt;b&gt;"

    def test_own_line_breaks_and_template_boxes_stay(self) -> None:
        assert plain_text("Tiltakets<br>kostnader") == "Tiltakets<br>kostnader"
        assert plain_text("%{y}<extra><b>x</b></extra>", template=True) == "%{y}<extra>&lt;b&gt;x&lt;/b&gt;</extra>"
        assert plain_text("<extra>") == "&lt;extra&gt;"  # only hover templates have that box


class TestFigureBuilder:
    def test_department_and_group_title_are_text(self) -> None:
        rates = hostile_rates()
        titles = {"education_or_work": BOLD_TITLE}
        for fig in (
            departments_compared(rates[rates.followup_year == 2020], ["education_or_work"], titles),
            rates_over_time(rates[rates.department == "all"], ["education_or_work"], titles, y_title="<i>%</i>"),
        ):
            texts = assert_no_live_markup(fig.to_plotly_json())
            assert any("&lt;b&gt;utdanning&lt;/b&gt;" in t for t in texts)
        bars = departments_compared(rates[rates.followup_year == 2020], ["education_or_work"], titles).to_plotly_json()
        assert '&lt;a href="https://x.example"&gt;Drammen&lt;/a&gt;' in list(bars["data"][0]["y"])
        # meta is what the disclosure audit reads: the department as it is in the data
        assert {c["department"] for c in bars["data"][0]["meta"]["cells"] if c} >= {LINK}

    def test_every_kind_of_text_in_data_and_layout(self) -> None:
        import numpy as np

        fig = figure(
            [
                {
                    "type": "bar",
                    "x": np.array([LINK, "b"], dtype=object),
                    "y": [1, 2],
                    "name": LINK,
                    "text": [LINK, None],
                    "hovertext": [LINK, LINK],
                    "customdata": [[LINK, 1.5]],
                    "hovertemplate": "%{x}: " + LINK + "<extra>" + LINK + "</extra>",
                    "meta": {"cells": [{"department": LINK}]},
                }
            ],
            {
                "title": {"text": LINK},
                "xaxis": {"title": {"text": LINK}, "tickvals": [0], "ticktext": [LINK]},
                "legend": {"title": {"text": LINK}},
                "annotations": [{"text": LINK, "x": 0, "y": 0}],
            },
        )
        data = fig.to_plotly_json()
        texts = assert_no_live_markup(data)
        assert sum("&lt;a href" in t for t in texts) >= 11
        assert data["data"][0]["meta"] == {"cells": [{"department": LINK}]}
        assert data["data"][0]["hovertemplate"].endswith("</extra>")

    def test_every_chart_goes_through_figure(self) -> None:
        """The escaping is done once, in ``figure()``: no chart may be built or changed around it."""
        sources = [
            *sorted((ROOT / "src" / "outcomes" / "analyses").glob("*/figures.py")),
            *sorted((ROOT / "notebooks").glob("*.py")),
            *sorted((ROOT / "src" / "outcomes" / "render").glob("*.py")),
        ]
        bypass = re.compile(
            r"go\.Figure\(|make_subplots|\.add_(trace|annotation|shape|vline|hline)\(|\.update_(traces|xaxes|yaxes)\(|"
            r"\.update_layout\((?!separators=)|px\."
        )
        found = [
            f"{p.relative_to(ROOT)}:{i}"
            for p in sources
            if p.name != "style.py"
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if bypass.search(line) and not line.lstrip().startswith("#") and "-> go.Figure" not in line
        ]
        assert found == []


@pytest.fixture(scope="module")
def hostile_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A follow-up report whose largest department is ``<a href=...>Drammen</a>`` and a group title has ``<b>``."""
    root = make_project(tmp_path_factory.mktemp("chart_text") / "project")
    with open(root / "data" / "raw" / "demo" / "followup.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        if row[1] == "Drammen":
            row[1] = LINK
    with open(root / "data" / "raw" / "hostile.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    status_map = (root / "config" / "status_map.yml").read_text(encoding="utf-8")
    assert 'title: {nb: "I utdanning eller arbeid"' in status_map
    (root / "config" / "hostile_map.yml").write_text(
        status_map.replace('title: {nb: "I utdanning eller arbeid"', f'title: {{nb: "{BOLD_TITLE}"'), encoding="utf-8"
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "outcomes.cli",
            "report",
            "--programme",
            "hostile",
            "--set",
            "sections=[followup]",
            "--followup",
            "data/raw/hostile.csv",
            "--status-map",
            "config/hostile_map.yml",
        ],
        env={**os.environ, "OUTCOMES_ROOT": str(root)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return root / "reports" / "hostile" / "2020"


def page_figures(html: str) -> list[tuple[str, dict[str, Any]]]:
    """``(element id, {"data": ..., "layout": ...})`` of every chart in a page, decoded from its JSON."""
    decoder = json.JSONDecoder()
    out = []
    for match in re.finditer(r'Plotly\.newPlot\(\s*"([^"]+)"\s*,\s*', html):
        data, end = decoder.raw_decode(html, match.end())
        layout, _ = decoder.raw_decode(html, html.index("{", end))
        out.append((match.group(1), {"data": data, "layout": layout}))
    return out


@pytest.mark.slow
class TestReportCharts:
    def test_no_live_markup_in_any_chart(self, hostile_bundle: Path) -> None:
        figures = page_figures((hostile_bundle / "followup.html").read_text(encoding="utf-8"))
        assert {name for name, _ in figures} >= {"fig-followup-trend", "fig-followup-departments"}
        texts = [t for _, fig in figures for t in assert_no_live_markup(fig)]
        assert any('&lt;a href="https://x.example"&gt;Drammen&lt;/a&gt;' in t for t in texts)
        assert any("&lt;b&gt;utdanning&lt;/b&gt;" in t for t in texts)

    def test_tables_and_pages_escape_too(self, hostile_bundle: Path) -> None:
        for page in hostile_bundle.glob("*.html"):
            html = page.read_text(encoding="utf-8")
            assert '<a href="https://x.example"' not in html, page.name
            assert "<b>utdanning</b>" not in html, page.name


@pytest.mark.slow
@pytest.mark.browser
class TestChartsInBrowser:
    def test_no_link_and_no_bold_inside_the_charts(self, hostile_bundle: Path, browser: Any) -> None:
        page = browser.new_context(offline=True).new_page()
        page.goto((hostile_bundle / "followup.html").as_uri(), wait_until="load")
        page.wait_for_function("document.querySelectorAll('div[id^=\"fig-\"] .main-svg').length >= 3", timeout=30_000)
        # Hover the department bars so their hover labels are drawn too.
        page.evaluate(
            "Plotly.Fx.hover('fig-followup-departments', [{curveNumber: 0, pointNumber: 0},"
            " {curveNumber: 0, pointNumber: 1}])"
        )
        page.wait_for_timeout(300)
        charts = "div[id^='fig-']"
        assert page.eval_on_selector_all(f"{charts} svg a", "els => els.length") == 0
        assert page.eval_on_selector_all(f"{charts} svg b, {charts} svg tspan[style*='bold']", "els => els.length") == 0
        labels = page.eval_on_selector_all(f"{charts} svg text", "els => els.map(e => e.textContent)")
        assert LINK in labels  # the department's tick label, shown as written
        assert any(BOLD_TITLE in label for label in labels)  # the legend entry, shown as written
