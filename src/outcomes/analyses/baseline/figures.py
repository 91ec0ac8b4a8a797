"""Figures for the baseline: trends with the null point, largest challenges, positive deviance.

Every text shown (titles, axis titles, legend names) is an argument, so the
translation catalogue supplies Norwegian or English. Missing values are drawn
as gaps (``None`` in the trace, ``connectgaps=False``), never as zero.
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from outcomes.core.formatting import format_period
from outcomes.render.style import PALETTE, axis_ids, base_layout, figure, subplot_grid

_LEVEL_COLOURS = {"region": PALETTE[0], "county": PALETTE[1], "country": PALETTE[2], "municipality": "#999999"}
_LEVEL_DASH = {"region": "solid", "county": "dash", "country": "dot", "municipality": "solid"}
#: One colour per municipality of the region (thin lines under the region, county and country): six grey lines
#: that look the same cannot be told apart, so each has its own colour, legend entry and hover name.
_MUNICIPALITY_COLOURS = ("#CC79A7", "#56B4E9", "#D55E00", "#8C6D31", "#6A3D9A", "#4D4D4D", "#B15928", "#1B9E77")


def _wrap(text: str, width: int) -> str:
    """Break a long subplot title into lines (plotly does not wrap titles itself)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def _gaps(values: Sequence[float]) -> list[float | None]:
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]


def trend_small_multiples(
    table: pd.DataFrame,
    *,
    indicators: Sequence[str],
    titles: Mapping[str, str],
    level_labels: Mapping[str, str],
    baseline_year: int,
    baseline_label: str,
    y_titles: Mapping[str, str] | None = None,
    levels: Sequence[str] = ("region", "county", "country"),
    municipalities: Sequence[str] = (),
    columns: int = 2,
) -> go.Figure:
    """One small chart per indicator over time, with the baseline year marked.

    Parameters
    ----------
    table
        Output of :func:`outcomes.analyses.baseline.region.baseline_table`.
    indicators
        Indicator ids, in the order to draw.
    titles
        Subplot title per indicator id (translated).
    level_labels
        Legend name per level (``region``, ``county``, ``country``); for the
        region use its name, e.g. ``{"region": "Kongsvingerregionen", ...}``.
    baseline_year
        Year of the null point: a dashed vertical line.
    baseline_label
        Text beside that line (e.g. ``"Nullpunkt"``).
    y_titles
        Optional y-axis title per indicator (its unit, e.g. ``"Prosent"``).
    levels
        Which levels to draw as lines.
    municipalities
        Optional municipality codes (the region's own) drawn as thin lines, each in its own colour and named
        in the legend.
    columns
        Subplots per row.

    Returns
    -------
    plotly.graph_objects.Figure
        x = last year of each period (hover shows the published period label);
        y = value in the indicator's unit; missing values are gaps.
    """
    n = max(len(indicators), 1)
    rows = math.ceil(n / columns)
    width = 100 // columns
    layout = subplot_grid(
        rows,
        columns,
        titles=[_wrap(titles.get(i, i), width) for i in indicators],
        vertical_spacing=min(0.5 / rows, 0.2),
    )
    by_level, by_code = _points(table, indicators)
    traces: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    shown_legend: set[str] = set()
    for k, ind in enumerate(indicators):
        x_id, y_id = axis_ids(k + 1)
        x_axis, y_axis = layout[f"xaxis{x_id[1:]}"], layout[f"yaxis{y_id[1:]}"]
        series = [(lvl, lvl, by_level.get((ind, lvl), []), _LEVEL_COLOURS[lvl]) for lvl in levels]
        series += [
            ("municipality", str(code), by_code.get((ind, str(code)), []), _MUNICIPALITY_COLOURS[j % 8])
            for j, code in enumerate(municipalities)
        ]
        for level, key, part, colour in series:
            if not part:
                continue
            line = _line(level, key, part, level_labels, (x_id, y_id), showlegend=key not in shown_legend)
            line["line"]["color"] = colour
            traces.append(line)
            shown_legend.add(key)
        shape, annotation = _null_point(baseline_year, baseline_label, x_id, y_id)
        shapes.append(shape)
        layout["annotations"].append(annotation)
        if y_titles and ind in y_titles:
            y_axis["title"] = {"text": y_titles[ind]}
        x_axis.update(dtick=1, tickformat="d")
    layout["shapes"] = shapes
    # Room above the first row for its (possibly two-line) subplot titles.
    return figure(traces, base_layout(height=max(300 * rows, 340)), layout, {"margin": {"t": 80}})


#: One point of a line: indicator, level, region code, region name, last year of the period, value, period label.
_Point = tuple[str, str, str, str, int, float, str]


def _points(
    table: pd.DataFrame, indicators: Sequence[str]
) -> tuple[dict[tuple[str, str], list[_Point]], dict[tuple[str, str], list[_Point]]]:
    """The points of every line, by (indicator, level) and by (indicator, region code), each in period order.

    One pass over the table into plain lists: a pandas filter per line would cost more than the whole figure.
    """
    drawn = table[table["indicator"].isin(list(indicators))].sort_values("period_end", kind="stable")
    by_level: dict[tuple[str, str], list[_Point]] = defaultdict(list)
    by_code: dict[tuple[str, str], list[_Point]] = defaultdict(list)
    for rec in zip(
        *(
            drawn[c].tolist()
            for c in ("indicator", "level", "region_code", "region_name", "period_end", "value", "period")
        ),
        strict=False,
    ):
        by_level[rec[0], rec[1]].append(rec)
        by_code[rec[0], rec[2]].append(rec)
    return by_level, by_code


def _line(
    level: str,
    key: str,
    part: list[_Point],
    level_labels: Mapping[str, str],
    axes: tuple[str, str],
    *,
    showlegend: bool,
) -> dict[str, Any]:
    """One area's line over time: x = last year of each period, hover shows the published period."""
    _, _, _, region_names, ends, values, periods = zip(*part, strict=False)
    name = level_labels.get(key, str(region_names[0])) if level != "municipality" else str(region_names[0])
    return {
        "type": "scatter",
        "x": list(ends),
        "y": _gaps(values),
        "customdata": [format_period(p) for p in periods],
        "mode": "lines+markers",
        "name": name,
        "legendgroup": key,
        "showlegend": showlegend,
        "connectgaps": False,
        "line": {
            "color": _LEVEL_COLOURS[level],
            "dash": _LEVEL_DASH[level],
            "width": 1.5 if level == "municipality" else 3,
        },
        "hovertemplate": "%{customdata}: %{y:.1f}<extra>" + name + "</extra>",
        "xaxis": axes[0],
        "yaxis": axes[1],
    }


def _null_point(baseline_year: int, label: str, x_id: str, y_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The null point: a dashed line over the subplot's full height, with its label at the top.

    Explicit width: the simple_white template draws shapes with width 0 by default.
    """
    shape = {
        "type": "line",
        "x0": baseline_year,
        "x1": baseline_year,
        "xref": x_id,
        "y0": 0,
        "y1": 1,
        "yref": f"{y_id} domain",
        "line": {"color": "#555555", "dash": "dash", "width": 1.5},
    }
    annotation = {
        "x": baseline_year,
        "y": 1,
        "xref": x_id,
        "yref": f"{y_id} domain",
        "text": label,
        "showarrow": False,
        "xanchor": "left",
        "yanchor": "top",
        "font": {"size": 11, "color": "#555555"},
    }
    return shape, annotation


def largest_challenges_bar(
    challenges: pd.DataFrame,
    *,
    titles: Mapping[str, str],
    x_title: str,
) -> go.Figure:
    """Horizontal bars: per municipality, how far behind the country each top indicator is.

    Parameters
    ----------
    challenges
        Output of :func:`outcomes.analyses.baseline.challenges.largest_challenges`.
    titles
        Legend name per indicator id (translated).
    x_title
        Axis title for the score (e.g. ``"Standardavvik dårligere enn landet"``).

    Returns
    -------
    plotly.graph_objects.Figure
        One bar per municipality and indicator, coloured by indicator;
        length = score (positive = behind the country; standard deviations
        when ``score_method`` is ``standardised``).
    """
    data = [
        {
            "type": "bar",
            "y": part["region_name"].tolist(),
            "x": part["score"].tolist(),
            "orientation": "h",
            "name": titles.get(str(ind), str(ind)),
            "marker": {"color": PALETTE[k % len(PALETTE)]},
            "customdata": list(zip(part["value"], part["reference_value"], strict=True)),
            # The score's unit is the axis title (translated); the method's code name is not for readers.
            "hovertemplate": "%{y}: %{customdata[0]:.1f} vs %{customdata[1]:.1f}<extra>%{fullData.name}</extra>",
        }
        for k, (ind, part) in enumerate(challenges.groupby("indicator", sort=True))
    ]
    height = max(120 + 70 * challenges["region_code"].nunique(), 320)
    return figure(
        data, base_layout(x_title=x_title, height=height), {"barmode": "group", "yaxis": {"autorange": "reversed"}}
    )


#: Label positions tried in turn for points close to each other.
_POSITIONS = ("top right", "bottom left", "top left", "bottom right", "middle right", "middle left")


def _label_positions(x: Sequence[float], y: Sequence[float], span: float) -> list[str]:
    """A text position per point: neighbours in the order of x get different sides, so their labels do not overlap.

    Points are taken from left to right; each one's position is the first of
    :data:`_POSITIONS` not used by a point already placed within a tenth of
    ``span`` (the axes' range) in both directions.
    """
    near_x = near_y = (span or 1.0) / 10
    placed: list[tuple[float, float, str]] = []
    positions = [""] * len(x)
    for i in sorted(range(len(x)), key=lambda k: (x[k], y[k])):
        near = {p for px, py, p in placed if abs(px - x[i]) < near_x and abs(py - y[i]) < near_y}
        positions[i] = next((p for p in _POSITIONS if p not in near), _POSITIONS[i % len(_POSITIONS)])
        placed.append((x[i], y[i], positions[i]))
    return positions


def positive_deviance_scatter(
    table: pd.DataFrame,
    *,
    x_title: str,
    y_title: str,
    deviant_label: str,
    other_label: str,
    line_label: str,
    highlight: Mapping[str, str] | None = None,
    highlight_label: str = "",
) -> go.Figure:
    """Observed against predicted outcome; positive deviants stand out.

    Parameters
    ----------
    table
        ``DevianceResult.table`` (observed, predicted in the outcome's unit).
    x_title, y_title
        Axis titles (e.g. ``"Forventet NEET-andel (prosent)"``).
    deviant_label, other_label
        Legend names for positive deviants and the other municipalities.
    line_label
        Legend name of the "as predicted" diagonal.
    highlight
        Optional codes -> names to mark and label (e.g. the region's municipalities); every other point is
        named on hover only, so labels do not print over each other.
    highlight_label
        Legend name for those.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    lo = float(min(table["observed"].min(), table["predicted"].min()))
    hi = float(max(table["observed"].max(), table["predicted"].max()))
    data = [
        {
            "type": "scatter",
            "x": [lo, hi],
            "y": [lo, hi],
            "mode": "lines",
            "name": line_label,
            "line": {"color": "#777777", "dash": "dash"},
        }
    ]
    others = table[~table["positive_deviant"]]
    devs = table[table["positive_deviant"]]
    data.append(
        {
            "type": "scatter",
            "x": others["predicted"].tolist(),
            "y": others["observed"].tolist(),
            "mode": "markers",
            "name": other_label,
            "text": others["region_name"].tolist(),
            "marker": {"color": "#BBBBBB", "size": 6},
            "hovertemplate": "%{text}: %{y:.1f} (%{x:.1f})<extra></extra>",
        }
    )
    data.append(
        {
            "type": "scatter",
            "x": devs["predicted"].tolist(),
            "y": devs["observed"].tolist(),
            # Named on hover only: many deviants close together would print their names over each other.
            "mode": "markers",
            "name": deviant_label,
            "text": devs["region_name"].tolist(),
            "marker": {"color": PALETTE[2], "size": 10, "symbol": "diamond"},
            "hovertemplate": "%{text}: %{y:.1f} (%{x:.1f})<extra></extra>",
        }
    )
    if highlight:
        sel = table[table["region_code"].isin(list(highlight))]
        data.append(
            {
                "type": "scatter",
                "x": sel["predicted"].tolist(),
                "y": sel["observed"].tolist(),
                "mode": "markers+text",
                "name": highlight_label,
                "text": [highlight[c] for c in sel["region_code"]],
                "textposition": _label_positions(sel["predicted"].tolist(), sel["observed"].tolist(), hi - lo),
                "marker": {"color": PALETTE[0], "size": 10, "symbol": "circle-open", "line": {"width": 2}},
                "hovertemplate": "%{text}: %{y:.1f} (%{x:.1f})<extra></extra>",
            }
        )
    return figure(data, base_layout(x_title=x_title, y_title=y_title, height=520))
