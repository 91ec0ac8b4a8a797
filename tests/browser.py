"""Helpers for the tests that open the rendered bundle in headless Chromium (Debian's chromium, via playwright)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Every page of the demo bundle (the demo configuration renders every section).
PAGES = [
    "index.html",
    "summary.html",
    "followup.html",
    "participants.html",
    "baseline.html",
    "cost_benefit.html",
    "methods.html",
]
#: Waits until every chart of the page is drawn (plotly has put its SVG into each figure's div).
CHARTS_DRAWN = "[...document.querySelectorAll('div[id^=\"fig-\"]')].every(d => d.querySelector('.main-svg'))"


def open_offline(browser: Any, page_file: Path, **context: Any) -> tuple[Any, list[str], list[str]]:
    """Open a page from disk with every network request refused; return (page, errors, blocked).

    ``context`` is passed to ``browser.new_context`` (e.g. ``viewport``).
    """
    page = browser.new_context(offline=True, **context).new_page()
    errors: list[str] = []
    blocked: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def route(r: Any) -> None:
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(page_file.as_uri(), wait_until="load")
    return page, errors, blocked
