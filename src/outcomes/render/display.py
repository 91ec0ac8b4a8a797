"""Show results in a notebook so they render the same in JupyterLab and in the report.

Notebooks call these helpers instead of building HTML themselves. All text
passed in is escaped. In report mode (switched on by the report runner's first
cell in each notebook, :func:`set_report_mode`) a figure is written as a plain
``<div>`` with a stable id that draws with the bundle's one copy of
plotly.js; in JupyterLab the figure is shown the usual way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd
import plotly.graph_objects as go
from IPython.display import HTML, display

from outcomes.core.formatting import format_count
from outcomes.core.safety import escape_html
from outcomes.render.templates import render_template

if TYPE_CHECKING:
    from outcomes.core.i18n import Translator
    from outcomes.inputs.intake import InputSummary

_mode = {"report": False}


def set_report_mode(on: bool) -> None:
    """Show figures as the bundle's pages draw them (``True``, under ``outcomes report``) or as JupyterLab does."""
    _mode["report"] = bool(on)


def in_report_mode() -> bool:
    """Whether the notebook runs under ``outcomes report``."""
    return _mode["report"]


def html_table(
    table: pd.DataFrame,
    caption: str | None = None,
    footnotes: Iterable[str] = (),
    numeric: Sequence[str] = (),
    css_class: str = "data",
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
    """
    return render_template(
        "table.html",
        caption=caption,
        css_class=css_class,
        columns=list(table.columns),
        rows=[list(zip(table.columns, row, strict=True)) for row in table.itertuples(index=False)],
        numeric=set(numeric),
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
            parts.append(
                f'<details class="chart-data"><summary>{escape_html(data_label)}</summary>'
                f"{html_table(data, None, footnotes, numeric)}</details>"
            )
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
