"""Screenshots of a rendered report as readers see it: every page at 1280 px and 390 px, and printed to A4.

    python scripts/screenshots.py                     # the bundle written last under reports/
    python scripts/screenshots.py reports/unginvest-demo/2020 --out reports/screenshots

Writes into the output folder (default ``reports/screenshots/``, not committed):

- ``<page>-1280.png`` and ``<page>-390.png``: the whole page on a desktop and a phone screen;
- ``print/<page>.pdf``: each page printed to A4 as Chromium prints it;
- ``print/summary-<n>.png``: the printed summary page, one picture per sheet (needs ``pdftoppm``
  from poppler-utils).

``make screenshots`` renders the report first and then runs this. Needs Debian's
chromium and the ``playwright`` package (the ``dev`` extra); the page is opened
from disk with every network request refused, as an official opens a bundle
from a USB stick.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WIDTHS = (1280, 390)
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def latest_bundle(reports: Path) -> Path:
    """The bundle folder (``reports/<programme>/<year>``) whose front page was written last."""
    fronts = sorted(reports.glob("*/[0-9]*/index.html"), key=lambda p: p.stat().st_mtime)
    if not fronts:
        raise SystemExit(f"no report under {reports}: run `make report` first")
    return fronts[-1].parent


def _open(context: Any, page_file: Path) -> Any:
    """Open a page from disk with the network refused; wait until its charts are drawn and fitted."""
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page.goto(page_file.as_uri(), wait_until="load")
    page.wait_for_function(
        "[...document.querySelectorAll('div[id^=\"fig-\"]')].every(d => d.querySelector('.main-svg'))"
    )
    page.wait_for_timeout(800)  # report.js fits tables and charts after load (and again 150 ms after a resize)
    return page


def screenshots(bundle: Path, out: Path, chromium: str) -> list[Path]:
    """Write the screenshots and printed pages of every page of ``bundle`` into ``out``; return the files."""
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    (out / "print").mkdir(parents=True, exist_ok=True)
    pages = sorted(bundle.glob("*.html"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=LAUNCH_ARGS)
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
            for page_file in pages:
                page = _open(context, page_file)
                target = out / f"{page_file.stem}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
                if width == WIDTHS[0]:
                    pdf = out / "print" / f"{page_file.stem}.pdf"
                    pdf.write_bytes(page.pdf(prefer_css_page_size=True, print_background=True))
                    written.append(pdf)
                page.close()
            context.close()
        browser.close()
    written += _summary_pictures(out / "print")
    return written


def _summary_pictures(folder: Path) -> list[Path]:
    """The printed summary as one PNG per sheet (nothing when pdftoppm is missing)."""
    pdf = folder / "summary.pdf"
    if not pdf.is_file() or shutil.which("pdftoppm") is None:
        return []
    for old in folder.glob("summary-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(folder / "summary")], check=True)
    return sorted(folder.glob("summary-*.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", nargs="?", type=Path, help="bundle folder (default: the one written last)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "screenshots", help="output folder")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    bundle = args.bundle or latest_bundle(ROOT / "reports")
    files = screenshots(bundle.resolve(), args.out, chromium)
    print(f"{len(files)} files from {bundle} written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
