"""Figures for the baseline: trends with the null point, largest challenges, positive deviance.

Every text shown (titles, axis titles, legend names) is an argument, so the
translation catalogue supplies Norwegian or English. Missing values are drawn
as gaps (``None`` in the trace, ``connectgaps=False``), never as zero.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from outcomes.figures.style import PALETTE, base_layout

_LEVEL_COLOURS = {"region": PALETTE[0], "county": PALETTE[1], "country": PALETTE[2], "municipality": "#999999"}
_LEVEL_DASH = {"region": "solid", "county": "dash", "country": "dot", "municipality": "solid"}


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
        Output of :func:`outcomes.baseline.baseline_table`.
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
        Optional municipality codes drawn as thin grey lines.
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
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=[_wrap(titles.get(i, i), width) for i in indicators],
                        vertical_spacing=min(0.5 / rows, 0.2))
    shown_legend: set[str] = set()
    for k, ind in enumerate(indicators):
        row, col = k // columns + 1, k % columns + 1
        data = table[table["indicator"] == ind]
        series: list[tuple[str, str, pd.DataFrame]] = [(lvl, lvl, data[data["level"] == lvl]) for lvl in levels]
        series += [("municipality", str(code), data[data["region_code"] == str(code)]) for code in municipalities]
        for level, key, part in series:
            if part.empty:
                continue
            part = part.sort_values("period_end")
            name = level_labels.get(key, str(part["region_name"].iloc[0])) if level != "municipality" else str(part["region_name"].iloc[0])
            fig.add_trace(
                go.Scatter(
                    x=part["period_end"].tolist(),
                    y=_gaps(part["value"].tolist()),
                    customdata=part["period"].tolist(),
                    mode="lines+markers",
                    name=name,
                    legendgroup=key,
                    showlegend=key not in shown_legend,
                    connectgaps=False,
                    line={"color": _LEVEL_COLOURS[level], "dash": _LEVEL_DASH[level], "width": 1 if level == "municipality" else 2.5},
                    hovertemplate="%{customdata}: %{y:.1f}<extra>" + name + "</extra>",
                ),
                row=row,
                col=col,
            )
            shown_legend.add(key)
        # Explicit width: the simple_white template draws shapes with width 0 by default.
        fig.add_vline(x=baseline_year, line_dash="dash", line_color="#555555", line_width=1.5, row=row, col=col)
        fig.add_annotation(
            x=baseline_year, y=1, yref=f"y{k + 1 if k else ''} domain", text=baseline_label, showarrow=False,
            xanchor="left", yanchor="top", font={"size": 11, "color": "#555555"}, row=row, col=col,
        )
        if y_titles and ind in y_titles:
            fig.update_yaxes(title_text=y_titles[ind], row=row, col=col)
        fig.update_xaxes(dtick=1, tickformat="d", row=row, col=col)
    fig = base_layout(fig, height=max(300 * rows, 340))
    # Room above the first row for its (possibly two-line) subplot titles.
    fig.update_layout(margin={"t": 80})
    return fig


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
        Output of :func:`outcomes.baseline.largest_challenges`.
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
    fig = go.Figure()
    for k, (ind, part) in enumerate(challenges.groupby("indicator", sort=True)):
        fig.add_trace(
            go.Bar(
                y=part["region_name"].tolist(),
                x=part["score"].tolist(),
                orientation="h",
                name=titles.get(str(ind), str(ind)),
                marker_color=PALETTE[k % len(PALETTE)],
                customdata=list(zip(part["value"], part["reference_value"], part["score_method"], strict=True)),
                hovertemplate="%{y}: %{customdata[0]:.1f} vs %{customdata[1]:.1f} (%{customdata[2]})<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(autorange="reversed")
    return base_layout(fig, x_title=x_title, height=max(120 + 70 * challenges["region_code"].nunique(), 320))


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
        Optional codes -> names to mark (e.g. the region's municipalities).
    highlight_label
        Legend name for those.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    fig = go.Figure()
    lo = float(min(table["observed"].min(), table["predicted"].min()))
    hi = float(max(table["observed"].max(), table["predicted"].max()))
    fig.add_trace(go.Scatter(x=[lo, hi], y=[lo, hi], mode="lines", name=line_label, line={"color": "#777777", "dash": "dash"}))
    others = table[~table["positive_deviant"]]
    devs = table[table["positive_deviant"]]
    fig.add_trace(
        go.Scatter(
            x=others["predicted"].tolist(), y=others["observed"].tolist(), mode="markers", name=other_label,
            text=others["region_name"].tolist(), marker={"color": "#BBBBBB", "size": 6},
            hovertemplate="%{text}: %{y:.1f} (%{x:.1f})<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=devs["predicted"].tolist(), y=devs["observed"].tolist(), mode="markers+text", name=deviant_label,
            text=devs["region_name"].tolist(), textposition="top center",
            marker={"color": PALETTE[2], "size": 10, "symbol": "diamond"},
            hovertemplate="%{text}: %{y:.1f} (%{x:.1f})<extra></extra>",
        )
    )
    if highlight:
        sel = table[table["region_code"].isin(list(highlight))]
        fig.add_trace(
            go.Scatter(
                x=sel["predicted"].tolist(), y=sel["observed"].tolist(), mode="markers+text", name=highlight_label,
                text=[highlight[c] for c in sel["region_code"]], textposition="bottom center",
                marker={"color": PALETTE[0], "size": 10, "symbol": "circle-open", "line": {"width": 2}},
                hovertemplate="%{text}: %{y:.1f} (%{x:.1f})<extra></extra>",
            )
        )
    return base_layout(fig, x_title=x_title, y_title=y_title, height=520)
