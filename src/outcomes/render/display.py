"""Show results in a notebook so they render the same in JupyterLab and in the report.

Notebooks call these helpers instead of building HTML themselves. All text
passed in is escaped. In report mode (switched on by the report runner's first
cell in each notebook, :func:`set_report_mode`) a figure is written as a plain
``<div>`` with a stable id that draws with the bundle's one copy of
plotly.js; in JupyterLab the figure is shown the usual way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML, display
from markupsafe import Markup

from outcomes.core.formatting import format_count
from outcomes.core.i18n import Translator
from outcomes.core.safety import escape_html
from outcomes.render.templates import keep_percent, render_template

if TYPE_CHECKING:
    from outcomes.inputs.intake import InputSummary

_mode = {"report": False}


def set_report_mode(on: bool) -> None:
    """Show figures as the bundle's pages draw them (``True``, under ``outcomes report``) or as JupyterLab does."""
    _mode["report"] = bool(on)


def in_report_mode() -> bool:
    """Whether the notebook runs under ``outcomes report``."""
    return _mode["report"]


#: Tables with this many columns or more print on a landscape page.
WIDE_COLUMNS = 10
#: A word this long (a file name, checksum, address or code) may wrap anywhere rather than widen its table.
LONG_WORD = 30
#: Tables with more rows than this print only their first :data:`PRINT_ROWS` rows, with a note (see :func:`show_figure`).
LONG_TABLE_ROWS = 30
PRINT_ROWS = 15
_LONG_WORD = re.compile(rf"\S{{{LONG_WORD},}}")


def _cell(value: object, numeric: bool, header: bool = False) -> tuple[str, str]:
    """A cell's text and its classes; a header has no line break between a number and ``%`` ("95 % KI").

    Values are shown as given: their numbers are formatted with no-break spaces already. A value that is
    already HTML (it has ``__html__``, e.g. :class:`outcomes.render.cells.Html`) is kept as HTML.
    """
    text = keep_percent(value) if header else Markup(value.__html__()) if hasattr(value, "__html__") else str(value)
    classes = ["num"] if numeric else []
    if _LONG_WORD.search(text):
        classes.append("any")
    return text, " ".join(classes)


def html_table(
    table: pd.DataFrame,
    caption: str | None = None,
    footnotes: Iterable[str] = (),
    numeric: Sequence[str] = (),
    css_class: str = "data",
    print_rows: int | None = None,
    print_note: str = "",
) -> str:
    """An accessible HTML table: caption, header cells with scope, escaped text.

    Parameters
    ----------
    table
        Already formatted cells (strings); the index is not shown.
    caption
        Caption read out by screen readers and shown above the table.
    footnotes
        Lines shown under the table.
    numeric
        Columns aligned right.
    css_class
        Class of the ``<table>``.
    print_rows, print_note
        On paper, only the first ``print_rows`` rows and then ``print_note``
        (a long appendix table whose whole is on screen and in the downloads).
    """
    numbers = set(numeric)
    wrap = ["table-wrap"] + (["wide"] if len(table.columns) >= WIDE_COLUMNS else [])
    shorten = print_rows is not None and len(table) > print_rows
    if shorten:
        wrap.append("long")
    limit = print_rows if shorten and print_rows is not None else len(table)
    return render_template(
        "table.html",
        caption=caption,
        css_class=css_class,
        wrap_class=" ".join(wrap),
        columns=[_cell(c, c in numbers, header=True) for c in table.columns],
        rows=[
            (i >= limit, [_cell(v, c in numbers) for c, v in zip(table.columns, row, strict=True)])
            for i, row in enumerate(table.itertuples(index=False))
        ],
        print_note=print_note if shorten else "",
        notes=[n for n in footnotes if n],
    )


def show_table(
    table: pd.DataFrame, caption: str | None = None, footnotes: Iterable[str] = (), numeric: Sequence[str] = ()
) -> None:
    """Display :func:`html_table` output."""
    display(HTML(html_table(table, caption, footnotes, numeric)))


def show_heading(text: str, level: int = 2) -> None:
    """Display a heading (escaped)."""
    display(HTML(f"<h{level}>{escape_html(text)}</h{level}>"))


def show_text(*paragraphs: str, css_class: str | None = None) -> None:
    """Display paragraphs of plain text (escaped)."""
    body = "".join(f"<p>{escape_html(p)}</p>" for p in paragraphs if p)
    if css_class:
        body = f'<div class="{escape_html(css_class)}">{body}</div>'
    display(HTML(body))


#: plotly's number separators (decimal, thousands) per report language.
SEPARATORS = {"nb": ",\u00a0", "en": ".,"}


def figure_html(fig: go.Figure, name: str) -> str:
    """The figure as a ``<div>`` with a stable id, drawn by the page's plotly.js."""
    return fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"fig-{name}",
        config={"displaylogo": False, "responsive": True},
    )


def show_figure(
    fig: go.Figure,
    name: str,
    caption: str,
    data: pd.DataFrame | None = None,
    data_label: str = "Data",
    numeric: Sequence[str] = (),
    footnotes: Iterable[str] = (),
    lang: str | None = None,
) -> None:
    """Display a figure with its caption and, as its text alternative, its numbers.

    Parameters
    ----------
    fig
        The figure.
    name
        Stable identifier (used for the element id; letters, digits, ``-``).
    caption
        What the figure shows, in the report language.
    data
        The figure's numbers as a formatted table; shown in a collapsible
        block so readers of screen readers and of print get the same numbers.
    data_label
        Label of the collapsible block.
    lang
        The report language: axis ticks and hover numbers use its decimal and
        thousands separators (``0,5`` and ``1 000`` in bokmål).
    """
    if lang in SEPARATORS:
        fig.update_layout(separators=SEPARATORS[lang])
    if in_report_mode():
        parts = [f'<figure class="chart" aria-labelledby="cap-{escape_html(name)}">', figure_html(fig, name)]
        parts.append(f'<figcaption id="cap-{escape_html(name)}">{escape_html(caption)}</figcaption>')
        if data is not None:
            note = ""
            if lang is not None and len(data) > LONG_TABLE_ROWS:
                note = Translator(lang)("print.rows_shown", shown=PRINT_ROWS, rows=format_count(len(data), lang))
            table = html_table(data, None, footnotes, numeric, print_rows=PRINT_ROWS if note else None, print_note=note)
            parts.append(f'<details class="chart-data"><summary>{escape_html(data_label)}</summary>{table}</details>')
        parts.append("</figure>")
        display(HTML("".join(parts)))
    else:
        fig.show()
        display(HTML(f"<p><em>{escape_html(caption)}</em></p>"))
        if data is not None:
            show_table(data, None, footnotes, numeric)


def show_rejected_rows(summary: InputSummary, t: Translator) -> None:
    """Say how many rows of an input were rejected and why; nothing when none were.

    Parameters
    ----------
    summary
        The input's row accounting.
    t
        The report language's translator.
    """
    if not summary.rows_rejected:
        return
    lang = t.lang
    show_text(
        t(
            "report.rejected_rows",
            rejected=format_count(summary.rows_rejected, lang),
            read=format_count(summary.rows_read, lang),
            file=summary.file,
        )
    )
    reasons = pd.DataFrame(
        {
            t("report.reason"): list(summary.reasons),
            t("common.count"): [format_count(v, lang) for v in summary.reasons.values()],
        }
    )
    show_table(reasons, None, numeric=[t("common.count")])
