"""Shared look of all charts: a colour-blind-safe palette and a plain layout.

Figures are assembled as plain dicts and lists (``{"type": "scatter", ...}``
traces, a layout dict) and turned into a :class:`plotly.graph_objects.Figure`
once, by :func:`figure`. plotly validates every call of its incremental API
(``add_trace``, ``update_layout``, ``make_subplots``, ``add_vline`` ...), which
made a chart cost 10-30 ms and the grid of trend charts ~0.2 s; one validated
constructor call costs a fifth to a tenth of that.

Text in a chart is plain text. plotly reads a subset of HTML in every text it
draws (trace names, hover texts, tick and category labels, axis and legend
titles, annotations): a department called ``<a href="...">`` would become a
live link. :func:`figure` therefore writes ``&``, ``<`` and ``>`` of every
string as entities, which plotly shows literally; the only markup kept is
the line break ``<br>`` the chart builders use to wrap long labels (and
``<extra>`` in hover templates). Trace ``meta`` is left as it is: it is not
drawn, and the disclosure audit reads the cells in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

#: Okabe-Ito palette, distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def rgba(hex_colour: str, alpha: float) -> str:
    """``#RRGGBB`` as an ``rgba()`` string with the given opacity."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def percent_list(shares: Iterable[float]) -> list[float | None]:
    """Shares (0-1) as percent for a chart axis, rounded to two decimals.

    Parameters
    ----------
    shares
        Shares between 0 and 1; a missing (suppressed) value draws as a gap.

    Returns
    -------
    list of float or None
        One percent value per share, ``None`` where the share is missing.
    """
    return [None if pd.isna(v) else round(float(v) * 100, 2) for v in shares]


def band_polygons(
    x: Sequence[int], low: Iterable[float | None], high: Iterable[float | None]
) -> tuple[list[int | None], list[float | None]]:
    """An interval band as one closed polygon per run of consecutive years with both bounds, for ``fill: toself``.

    Parameters
    ----------
    x
        Years, ascending.
    low, high
        Bounds per year (``None`` or NaN where hidden or missing).

    Returns
    -------
    (xs, ys)
        The polygons' points, separated by ``None``: plotly's ``toself`` fills
        each segment on its own. One path over all years would join the upper
        edge before a gap to the lower edge after it and draw crossed wedges;
        here a missing year (absent or hidden) breaks the band.
    """
    runs: list[list[tuple[int, float, float]]] = []
    for year, lo, hi in zip(x, low, high, strict=True):
        if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
            runs.append([])
            continue
        if not runs or not runs[-1] or year - runs[-1][-1][0] != 1:
            runs.append([])
        runs[-1].append((int(year), float(lo), float(hi)))
    xs: list[int | None] = []
    ys: list[float | None] = []
    for run in (r for r in runs if r):
        years = [r[0] for r in run]
        xs += years + years[::-1] + [None]
        ys += [r[2] for r in run] + [r[1] for r in run][::-1] + [None]
    return xs[:-1], ys[:-1]


#: Gap between groups of bars (plotly's default, set explicitly so :func:`missing_marks` can place its marks).
BARGAP = 0.2

#: The mark of a hidden or missing bar; the footnote beside the chart says what it means.
MISSING_MARK = "–"


def missing_marks(
    values: Sequence[Sequence[float | None]], *, horizontal: bool, positions: Sequence[float] | None = None
) -> list[dict[str, Any]]:
    """A "–" annotation at zero for every bar that is hidden or missing, so it does not read as zero.

    Parameters
    ----------
    values
        The bar values of each trace in trace order (``None`` where hidden),
        one per category; the traces are grouped side by side
        (``barmode: group`` with :data:`BARGAP` and no gap within a group).
    horizontal
        Bars along x (categories on y) or along y.
    positions
        Where each category sits on its axis: the years of a numeric axis;
        by default the index (0, 1, ...), which is where a category axis puts
        its categories.

    Returns
    -------
    list of dict
        Layout annotations, one per hidden bar, at the middle of its slot.
    """
    k = max(len(values), 1)
    width = (1 - BARGAP) / k
    marks = []
    for i, trace in enumerate(values):
        offset = -(1 - BARGAP) / 2 + (i + 0.5) * width
        for j, v in enumerate(trace):
            if v is not None and not pd.isna(v):
                continue
            at = (positions[j] if positions is not None else j) + offset
            mark: dict[str, Any] = {"text": MISSING_MARK, "showarrow": False, "font": {"size": 16, "color": "#333"}}
            if horizontal:
                mark |= {"x": 0, "y": at, "xanchor": "left", "yanchor": "middle", "xshift": 3}
            else:
                mark |= {"x": at, "y": 0, "xanchor": "center", "yanchor": "bottom", "yshift": 2}
            marks.append(mark)
    return marks


_AXIS = {
    "showline": True,
    "linecolor": "#444",
    "linewidth": 1,
    "ticks": "outside",
    "tickcolor": "#444",
    "showgrid": False,
    "zeroline": False,
    "automargin": True,
}

#: A small template in the spirit of plotly's "simple_white". plotly's own templates
#: are large: loading and copying one cost ~0.1 s per figure and put ~8 kB of
#: styling into every chart of the bundle; this one holds only what we use.
TEMPLATE = go.layout.Template(
    layout={
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "colorway": list(PALETTE),
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "hovermode": "closest",
    }
)

#: Top margin of :func:`base_layout`, in px.
TOP_MARGIN = 30


def base_layout(*, y_title: str | None = None, x_title: str | None = None, height: int = 420) -> dict[str, Any]:
    """The common layout as a dict: white background, readable fonts, legend below.

    Axis titles go on the (single) x- and y-axis; a grid of subplots sets its
    own per-axis titles. Merge chart-specific settings over it with :func:`figure`.
    """
    layout: dict[str, Any] = {
        "template": TEMPLATE,
        "height": height,
        # The right margin leaves room for half of a last tick label such as "100 %" at the end of an x-axis.
        "margin": {"l": 60, "r": 40, "t": TOP_MARGIN, "b": 60},
        "font": {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 14},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        "hoverlabel": {"namelength": -1},
    }
    if y_title is not None:
        layout["yaxis"] = {"title": {"text": y_title}}
    if x_title is not None:
        layout["xaxis"] = {"title": {"text": x_title}}
    return layout


def merge(base: dict[str, Any], *updates: Mapping[str, Any] | None) -> dict[str, Any]:
    """``base`` updated in place by each of ``updates`` in turn, nested dicts merged key by key.

    Like ``Figure.update_layout``: a dict value is merged into the dict already
    there, any other value (number, string, list) replaces it.
    """
    for update in updates:
        for key, value in (update or {}).items():
            if isinstance(value, Mapping) and isinstance(base.get(key), dict):
                merge(base[key], value)
            elif isinstance(value, Mapping):
                base[key] = merge({}, value)
            else:
                base[key] = value
    return base


#: Markup the chart builders write themselves and that stays live: a line break in a label.
_KEPT_MARKUP = {"&lt;br&gt;": "<br>"}
#: ... and in hover templates, the box for the trace name (``<extra>...</extra>``).
_KEPT_TEMPLATE_MARKUP = {**_KEPT_MARKUP, "&lt;extra&gt;": "<extra>", "&lt;/extra&gt;": "</extra>"}
#: Keys whose values plotly never draws; ``meta`` holds the cells the disclosure audit reads.
_NOT_DRAWN = frozenset({"meta"})


def plain_text(text: str, *, template: bool = False) -> str:
    """``text`` as plotly should show it: ``&``, ``<``, ``>`` as entities, so no markup in it is live.

    plotly decodes the entities when it draws, so the reader sees the text as
    written. Line breaks ``<br>`` (and, with ``template``, a hover template's
    ``<extra>``/``</extra>``) stay markup: the chart builders wrap labels with
    them, and neither can link, load or style anything.

    Parameters
    ----------
    text
        A label, hover text, title or hover template.
    template
        Whether ``text`` is a hover or text template.

    Returns
    -------
    str
        The escaped text.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for entity, tag in (_KEPT_TEMPLATE_MARKUP if template else _KEPT_MARKUP).items():
        escaped = escaped.replace(entity, tag)
    return escaped


def _plain(value: Any, key: str = "") -> Any:
    """``value`` with every string in it passed through :func:`plain_text` (``meta`` untouched)."""
    if isinstance(value, str):
        return plain_text(value, template=key.endswith("template"))
    if isinstance(value, Mapping):
        return {k: v if k in _NOT_DRAWN else _plain(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, key) for v in value]
    if isinstance(value, (np.ndarray, pd.Series, pd.Index)):
        # Numbers need no escaping (and stay an array); text and mixed values are walked.
        return value if value.dtype.kind in "biufcmM" else [_plain(v, key) for v in value.tolist()]
    return value


def figure(data: Sequence[Mapping[str, Any]], *layouts: Mapping[str, Any] | None) -> go.Figure:
    """The figure of ``data`` (trace dicts, each with its ``type``) and the merged ``layouts``.

    The only place a chart becomes a plotly object: one validated
    ``go.Figure`` call instead of one per trace and per layout update. Every
    string in the traces and the layout (names, hover texts, labels, titles,
    annotations, tick texts, custom data) is made plain text here with
    :func:`plain_text`; trace ``meta`` is passed on unchanged.
    """
    return go.Figure({"data": [_plain(trace) for trace in data], "layout": _plain(merge({}, *layouts))})


def axis_ids(k: int) -> tuple[str, str]:
    """Trace references (``xaxis``, ``yaxis``) of subplot ``k`` (1-based, row by row): ``x``/``y``, ``x2``/``y2`` ..."""
    suffix = str(k) if k > 1 else ""
    return f"x{suffix}", f"y{suffix}"


def subplot_grid(
    rows: int,
    cols: int,
    *,
    titles: Sequence[str] | None = None,
    horizontal_spacing: float | None = None,
    vertical_spacing: float | None = None,
) -> dict[str, Any]:
    """Layout of a ``rows`` x ``cols`` grid of x-y subplots, as ``plotly.subplots.make_subplots`` makes it.

    Subplot ``k`` (1-based, row by row from the top left) uses the axes
    ``xaxis{k}``/``yaxis{k}`` (no number for 1; see :func:`axis_ids`), each
    anchored to the other, with the same domains as ``make_subplots``. Titles
    become annotations centred above their subplot. Spacings default as in
    ``make_subplots``: 0.2 / cols across, 0.5 / rows (0.3 / rows without
    titles) down.

    Returns
    -------
    dict
        Layout entries ``xaxis``, ``yaxis``, ``xaxis2`` ... and ``annotations``.
    """
    if horizontal_spacing is None:
        horizontal_spacing = 0.2 / cols
    if vertical_spacing is None:
        vertical_spacing = (0.5 if titles is not None else 0.3) / rows
    for name, size, spacing in (("Horizontal", cols, horizontal_spacing), ("Vertical", rows, vertical_spacing)):
        if spacing < 0 or spacing > 1 or (size > 1 and spacing > 1.0 / (size - 1)):
            raise ValueError(f"{name} spacing {spacing} does not fit {size} subplots.")
    width = (1.0 - horizontal_spacing * (cols - 1)) / cols
    height = (1.0 - vertical_spacing * (rows - 1)) / rows
    layout: dict[str, Any] = {}
    annotations = []
    for r in range(rows):
        # make_subplots counts grid rows from the bottom: the top row starts highest.
        y_start = sum([height] * (rows - 1 - r)) + (rows - 1 - r) * vertical_spacing
        y_domain = [min(max(y_start, 0.0), 1.0), min(max(y_start + height, 0.0), 1.0)]
        for c in range(cols):
            x_start = sum([width] * c) + c * horizontal_spacing
            x_domain = [x_start, x_start + width]
            k = r * cols + c + 1
            x_id, y_id = axis_ids(k)
            layout[f"xaxis{x_id[1:]}"] = {"anchor": y_id, "domain": x_domain}
            layout[f"yaxis{y_id[1:]}"] = {"anchor": x_id, "domain": y_domain}
            if titles is not None and k <= len(titles) and titles[k - 1]:
                annotations.append(
                    {
                        "text": titles[k - 1],
                        "x": sum(x_domain) / 2.0,
                        "y": y_domain[1],
                        "xref": "paper",
                        "yref": "paper",
                        "xanchor": "center",
                        "yanchor": "bottom",
                        "showarrow": False,
                        "font": {"size": 16},
                    }
                )
    layout["annotations"] = annotations
    return layout
