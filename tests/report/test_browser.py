"""The rendered bundle in a real browser: headless Chromium, network off, opened from disk.

Needs Debian's chromium (``.ci/run`` installs it). Without it the tests are
skipped locally but fail under CI, so a missing browser cannot pass silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import PAGES, open_offline

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: Charts each section page must draw (the demo configuration renders every section).
CHARTS = {"followup.html": 3, "participants.html": 3, "baseline.html": 3, "cost_benefit.html": 3}


class TestBundleInBrowser:
    def test_bundle_has_every_page(self, bundle: Path) -> None:
        assert sorted(p.name for p in bundle.glob("*.html")) == sorted(PAGES)

    @pytest.mark.parametrize("name", PAGES)
    def test_pages_load_without_errors_or_network(self, browser, bundle: Path, name: str) -> None:
        page, errors, blocked = open_offline(browser, bundle / name)
        assert errors == [] and blocked == []
        page.context.close()

    @pytest.mark.parametrize("name", sorted(CHARTS))
    def test_every_chart_draws(self, browser, bundle: Path, name: str) -> None:
        page, errors, _ = open_offline(browser, bundle / name)
        charts = page.locator("div[id^='fig-']")
        expected = charts.count()
        assert expected >= CHARTS[name]
        page.wait_for_function(
            "n => document.querySelectorAll('div[id^=\"fig-\"] .main-svg').length >= n", arg=expected, timeout=30_000
        )
        for i in range(expected):
            chart = charts.nth(i)
            assert chart.locator(".main-svg").count() >= 1
            assert chart.locator("g.trace, g.barlayer .point, path.js-line, g.scatterlayer .point").count() > 0
            box = chart.bounding_box()
            assert box and box["height"] > 200
        assert errors == []
        page.context.close()


class TestAccessibility:
    @pytest.mark.parametrize("name", PAGES)
    def test_no_serious_axe_violations(self, browser, bundle: Path, name: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        page, errors, _ = open_offline(browser, bundle / name)
        page.wait_for_timeout(500)
        results = Axe().run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s), e.g. {v['nodes'][0]['html'][:120]}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == []
        page.context.close()

    def test_headings_in_order(self, browser, bundle: Path) -> None:
        for name in PAGES:
            page, _, _ = open_offline(browser, bundle / name)
            levels = page.eval_on_selector_all(
                "main h1, main h2, main h3, main h4", "els => els.map(e => +e.tagName[1])"
            )
            assert levels[0] == 1 and levels.count(1) == 1
            assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), (name, levels)
            page.context.close()

    def test_print_keeps_charts(self, browser, bundle: Path) -> None:
        page, _, _ = open_offline(browser, bundle / "followup.html")
        page.wait_for_function("document.querySelectorAll('div[id^=\"fig-\"] .main-svg').length >= 3", timeout=20_000)
        page.emulate_media(media="print")
        assert page.eval_on_selector("nav", "e => getComputedStyle(e).display") == "none"
        # the chart itself is never split across sheets; its table of numbers may go on to the next one
        avoid = page.eval_on_selector("figure.chart > div:first-of-type", "e => getComputedStyle(e).breakInside")
        assert avoid == "avoid"
        assert page.eval_on_selector(".modebar-container", "e => getComputedStyle(e).display") == "none"
        pdf = page.pdf()
        assert len(pdf) > 10_000
        page.context.close()
