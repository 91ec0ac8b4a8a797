"""Every page on A4 paper and on a phone, in headless Chromium: nothing cut off, no column lost.

Paper: each page is printed to PDF as Chromium prints it (``@page`` sizes from
report.css, so wide tables go on landscape sheets); every table column header
must be in the PDF's text (``pdftotext`` from poppler-utils) and every word
inside the page's margins, and under print styles no table or chart may be
wider than the printable width of its sheet. The summary page prints on at
most two A4 sheets.

Phone: at 390 px (and 360 px) no element of any page reaches past the screen's
edge, charts included.

Needs Debian's chromium and poppler-utils (``.ci/run`` installs them); without
them the tests are skipped locally and fail under CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHARTS_DRAWN, PAGES, open_offline

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Printable width of an A4 sheet in CSS px (96 per inch) with report.css's margins: portrait 210 - 2 x 12 mm,
#: landscape 297 - 2 x 14 mm.
PORTRAIT_PX = round((210 - 24) / 25.4 * 96)
LANDSCAPE_PX = round((297 - 28) / 25.4 * 96)
#: A4 in PDF points.
A4_POINTS = (595, 842)
#: Words closer to a sheet's side than this (points) are in its margin: the side margins are 34 and 40 points.
SIDE_POINTS = 28
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture(scope="module")
def pdftotext() -> str:
    if PDFTOTEXT is None:
        if os.environ.get("CI"):
            pytest.fail("pdftotext is not installed; .ci/run should have installed poppler-utils")
        pytest.skip("pdftotext not installed (apt-get install poppler-utils)")
    return PDFTOTEXT


def _drawn(page: Any) -> None:
    page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
    page.wait_for_timeout(400)  # report.js fits tables and charts after load


#: For each table and chart under print styles: what it is, its width, and the width its sheet allows.
_PRINT_WIDTHS = """([portrait, landscape]) => {
  const sheet = e => { for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
    if (getComputedStyle(n).page === 'landscape') return landscape; } return portrait; };
  const out = [];
  for (const t of document.querySelectorAll('main table')) {
    if (t.getClientRects().length === 0) continue;
    out.push(['table ' + (t.querySelector('caption, th') || t).textContent.slice(0, 40), t.scrollWidth, sheet(t)]);
  }
  for (const c of document.querySelectorAll('main .js-plotly-plot, main .js-plotly-plot .main-svg')) {
    out.push(['chart ' + (c.closest('[id^=fig-]') || c).id, c.getBoundingClientRect().width, portrait]);
  }
  return out;
}"""


def _print_layout(browser: Any, page_file: Path) -> Any:
    """The page laid out as on paper: print styles, the printable width, and report.js's preparations for printing."""
    page, errors, _ = open_offline(browser, page_file, viewport={"width": 1280, "height": 900})
    _drawn(page)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": PORTRAIT_PX, "height": 1000})
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_timeout(300)
    assert errors == []
    return page


def _pdf_words(pdf: Path, pdftotext: str) -> list[tuple[float, float, float, float, str]]:
    """``(page width, page height, xMin, xMax, word)`` of every word of a PDF (``pdftotext -bbox``)."""
    html = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        width, height = float(page.group(1)), float(page.group(2))
        for w in re.finditer(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', page.group(3)
        ):
            words.append((width, height, float(w.group(1)), float(w.group(2)), w.group(3)))
    return words


def _squeezed(text: str) -> str:
    """Text without any white space (a header wrapped over two lines in the PDF still matches)."""
    return re.sub(r"\s+", "", text)


class TestPrint:
    @pytest.mark.parametrize("name", PAGES)
    def test_no_table_or_chart_wider_than_its_sheet(self, browser, bundle: Path, name: str) -> None:
        page = _print_layout(browser, bundle / name)
        too_wide = [
            (what, round(width), allowed)
            for what, width, allowed in page.evaluate(_PRINT_WIDTHS, [PORTRAIT_PX, LANDSCAPE_PX])
            if width > allowed + 1
        ]
        assert too_wide == [], name
        hidden = page.evaluate(
            "[...document.querySelectorAll('.modebar-container, nav')].map(e => getComputedStyle(e).display)"
        )
        assert set(hidden) <= {"none"}
        page.context.close()

    @pytest.mark.parametrize("name", PAGES)
    def test_pdf_has_every_column_header_within_the_margins(
        self, browser, bundle: Path, name: str, pdftotext: str, tmp_path: Path
    ) -> None:
        page, errors, _ = open_offline(browser, bundle / name, viewport={"width": 1280, "height": 900})
        _drawn(page)
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(page.pdf(prefer_css_page_size=True))
        headers = page.evaluate("[...document.querySelectorAll('main th')].map(th => th.textContent)")
        page.context.close()
        assert errors == []
        # -raw: the text in the order it is drawn, so a header wrapped within its cell stays in one piece
        raw = subprocess.run([pdftotext, "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        text = _squeezed(raw)
        missing = sorted({h for h in headers if _squeezed(h) not in text})
        assert missing == [], name
        words = _pdf_words(pdf, pdftotext)
        assert words, name
        sheets = {(round(w), round(h)) for w, h, *_ in words}
        assert sheets <= {A4_POINTS, A4_POINTS[::-1]}, sheets
        outside = [(word, x0, x1, w) for w, _, x0, x1, word in words if x0 < SIDE_POINTS or x1 > w - SIDE_POINTS]
        assert outside == [], name

    def test_summary_prints_on_at_most_two_sheets(self, browser, bundle: Path, pdftotext: str, tmp_path: Path) -> None:
        page, _, _ = open_offline(browser, bundle / "summary.html")
        pdf = tmp_path / "summary.pdf"
        pdf.write_bytes(page.pdf(prefer_css_page_size=True))
        page.context.close()
        text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        sheets = text.rstrip("\f").count("\f") + 1
        assert 1 <= sheets <= 2
        assert {(round(w), round(h)) for w, h, *_ in _pdf_words(pdf, pdftotext)} == {A4_POINTS}
        # what it must carry to a meeting: the headline figures, the cost-benefit labels, the challenges, the contact
        for needle in ("95\u00a0% KI", "Perspektiv:", "Kongsvinger", "kari.nordmann@example.no", "15. mars 2021"):
            assert _squeezed(needle) in _squeezed(text), needle

    def test_long_appendix_table_prints_short(self, browser, bundle: Path, pdftotext: str, tmp_path: Path) -> None:
        # The 356 municipalities of the positive-deviance model: the first rows and a note on paper, all on screen.
        page, _, _ = open_offline(browser, bundle / "baseline.html")
        _drawn(page)
        rows = page.evaluate("[...document.querySelectorAll('.table-wrap.long tbody tr')].length")
        pdf = tmp_path / "baseline.pdf"
        pdf.write_bytes(page.pdf(prefer_css_page_size=True))
        page.context.close()
        text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert rows >= 300
        assert "Utskriften viser de første 15 av 356 radene" in " ".join(text.split())
        sheets = text.rstrip("\f").count("\f") + 1
        assert sheets <= 16


#: Every element drawn past the screen's right or left edge (elements moved wholly off screen on purpose, like
#: the skip link and plotly's measuring SVG, are not drawn on it).
_OVERFLOW = """(width) => {
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= 0) continue;
    if (r.right > width + 1 || r.left < -1) {
      const where = e.closest('[id^=fig-]');
      out.push(`${where ? where.id + ' ' : ''}${e.tagName.toLowerCase()}.${e.getAttribute('class') || ''} `
        + `${Math.round(r.left)}..${Math.round(r.right)} ${(e.textContent || '').trim().slice(0, 40)}`);
    }
  }
  return out;
}"""


class TestPhone:
    @pytest.mark.parametrize("width", [390, 360])
    @pytest.mark.parametrize("name", PAGES)
    def test_no_element_wider_than_the_screen(self, browser, bundle: Path, name: str, width: int) -> None:
        page, errors, _ = open_offline(browser, bundle / name, viewport={"width": width, "height": 800})
        _drawn(page)
        page.wait_for_timeout(600)  # charts are fitted to the narrow screen after load
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate(_OVERFLOW, width) == []
        assert errors == []
        page.context.close()

    def test_wide_table_is_stacked_with_column_names(self, browser, bundle: Path) -> None:
        page, _, _ = open_offline(browser, bundle / "followup.html", viewport={"width": 390, "height": 800})
        _drawn(page)
        stacked = page.locator(".table-wrap.stacked").first
        assert stacked.count() == 1
        labels = stacked.evaluate("w => [...w.querySelectorAll('tbody tr:first-child td')].map(td => td.dataset.label)")
        headers = stacked.evaluate("w => [...w.querySelectorAll('thead th')].map(th => th.textContent)")
        assert labels == headers
        # back on a wide screen the table is a table again
        page.set_viewport_size({"width": 1280, "height": 800})
        page.wait_for_timeout(400)
        assert page.locator(".table-wrap.stacked").count() == 0
        page.context.close()
