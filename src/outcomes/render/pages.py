"""The bundle's pages: executed notebooks as HTML, the page frame and the front page, from templates.

Pages are Jinja2 templates in ``src/outcomes/templates/`` (see
:mod:`outcomes.render.templates`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import nbformat
from markupsafe import Markup

from outcomes import __version__
from outcomes.core.i18n import Translator
from outcomes.render.cards import Card
from outcomes.render.templates import render_template

#: The printable summary page (``outcomes.render.summary``).
SUMMARY_PAGE = "summary.html"

#: Cells the reader never sees: notes for the analyst, and the notebook's parameters.
_HIDDEN_CELL_TAGS = frozenset({"remove-cell", "injected-parameters", "parameters"})


def _output_html(output: dict[str, Any]) -> str:
    """One cell output as the reader sees it ("" when it is not for the reader).

    The report notebooks display everything through :mod:`outcomes.render.display`,
    i.e. as HTML. Of any other rich output the richest form a page can show is
    kept (HTML, SVG, PNG, Markdown). Streams (``print``, warnings, logs) and
    plain-text results are for the analyst's console and are left out.
    """
    if output.get("output_type") not in ("display_data", "execute_result"):
        return ""
    data = output.get("data", {})
    if "text/html" in data:
        return "".join(data["text/html"])
    if "image/svg+xml" in data:
        return "".join(data["image/svg+xml"])
    if "image/png" in data:
        return f'<img alt="" src="data:image/png;base64,{"".join(data["image/png"]).strip()}">'
    if "text/markdown" in data:
        return _markdown_html("".join(data["text/markdown"]))
    return ""


def _markdown_html(text: str) -> str:
    import mistune

    return str(mistune.html(text))


def notebook_body_html(notebook: nbformat.NotebookNode) -> str:
    """The outputs of an executed notebook as HTML, with no code and no prompts.

    Visible Markdown cells are rendered; of code cells only their outputs are
    kept (see :func:`_output_html`); cells tagged ``remove-cell``,
    ``parameters`` or ``injected-parameters`` are left out whole. (This is
    what nbconvert's HTML exporter with those options gives, without its cost
    of ~1 s to import and ~0.15 s per page.)
    """
    parts = []
    for cell in notebook.cells:
        if _HIDDEN_CELL_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "markdown":
            parts.append(f'<div class="cell">{_markdown_html(cell.source)}</div>')
        elif cell.cell_type == "code":
            body = "\n".join(h for h in (_output_html(o) for o in cell.get("outputs", [])) if h)
            if body:
                parts.append(f'<div class="cell">\n{body}\n</div>')
    return "\n".join(parts)


def render_page(lang: str, programme: str, title: str, body: str, current: str, pages: list[tuple[str, str]]) -> str:
    """Wrap a page body (HTML) in the bundle's page frame: navigation, footer, assets.

    Parameters
    ----------
    lang
        The report language.
    programme
        The programme's title, shown above the navigation.
    title
        The page's title.
    body
        The page's content, already HTML.
    current
        The page's file name (marked as the current page in the navigation).
    pages
        ``(file, label)`` of every page, in navigation order.
    """
    t = Translator(lang)
    return render_template(
        "page.html",
        lang=lang,
        version=__version__,
        title=title,
        skip=t("report.skip"),
        programme=programme,
        nav_label=t("report.nav_label"),
        pages=pages,
        current=current,
        body=Markup(body),
        footer=t("report.generated_by", version=__version__),
    )


@dataclass(frozen=True)
class DownloadLinks:
    """The bundle's downloads as the front page lists them.

    Attributes
    ----------
    workbook
        ``(file, label)`` of the Excel workbook with every table.
    tables
        ``(file, label)`` of each CSV file.
    """

    workbook: tuple[str, str]
    tables: list[tuple[str, str]] = field(default_factory=list)


def front_page_html(
    lang: str,
    title: str,
    period: str,
    cards: list[Card],
    summary: list[str],
    sections: list[tuple[str, str]],
    notes: list[str] | None = None,
    about: Sequence[tuple[str, str]] = (),
    downloads: DownloadLinks | None = None,
) -> str:
    """The front page's content: title, headline cards, a summary in words, links, metadata and downloads.

    Parameters
    ----------
    lang
        The report language.
    title, period
        The page's heading and the years it covers.
    cards
        The headline figures, in order.
    summary
        Sentences summarising the results.
    sections
        ``(file, label)`` of the other pages; a link to the summary page is shown when it is among them.
    notes
        Sentences about what the report leaves out and why (e.g. a section without data for its years).
    about
        ``(label, text)`` of the report's metadata (publisher, contact, date ...).
    downloads
        The downloads to list, if any.
    """
    t = Translator(lang)
    return render_template(
        "front.html",
        title=title,
        period=period,
        summary_link=t("summary.link_front") if any(href == SUMMARY_PAGE for href, _ in sections) else "",
        headline_title=t("report.front_headline"),
        cards=cards,
        summary=summary,
        footnote=t("common.footnote_interval"),
        sections_title=t("report.front_sections"),
        sections=sections,
        notes=notes or [],
        about_title=t("about.title"),
        about=list(about),
        downloads_title=t("downloads.title"),
        workbook=downloads.workbook if downloads else ("", ""),
        downloads=downloads.tables if downloads else [],
        csv_summary=t("downloads.csv_summary"),
        csv_intro=t("downloads.csv_intro"),
    )
