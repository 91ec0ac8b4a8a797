"""Charts of the cost-benefit analysis: waterfall, tornado and simulated ratio.

Every text on a chart is passed in, so the report's translation catalogue
supplies Norwegian or English. Money axes carry the price year through the
``money_unit`` argument (e.g. ``"MNOK, 2024 prices"``). Colours come from the
shared colour-blind-safe palette; bars are also told apart by position and
text, not by colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from outcomes.render.style import PALETTE, base_layout, figure, rgba

BLUE, ORANGE, GREEN, _PINK, SKY, VERMILION = PALETTE[:6]

#: English labels of the waterfall steps; pass translated ones in ``step_labels``.
WATERFALL_STEPS: dict[str, str] = {
    "programme_costs": "Programme costs",
    "participant_and_induced_costs": "Participants' and induced costs",
    "school_places": "School places for the additional youths in education",
    "tax_financing_on_costs": "Tax-financing cost",
    "value_of_work": "Value of the additional youths in work",
    "value_of_education": "Value of completed education (later work)",
    "tax_financing_on_savings": "Tax-financing gain on public savings",
    "net_present_value": "Net present value",
}


def _wrap(text: str, width: int) -> str:
    """Break a long label into lines joined by <br> so it fits beside a chart."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _scale(values: np.ndarray | pd.Series, divisor: float) -> np.ndarray:
    return np.asarray(values, dtype=float) / divisor


def _title(title: str | None) -> dict:
    """Layout entry of a chart title; none when there is no title."""
    return {} if title is None else {"title": {"text": title}}


def _vline(x: float, width: float, colour: str, dash: str | None = None) -> dict:
    """A vertical line at ``x`` over the plot's full height (like ``Figure.add_vline``)."""
    line = {"color": colour, "width": width} if dash is None else {"color": colour, "dash": dash, "width": width}
    return {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "line": line}


def _top_label(text: str, x: float, xanchor: str, above: bool = False) -> dict:
    """Text at the top of the plot at ``x`` (like the annotation of ``add_vline``/``add_vrect``).

    With ``above`` the text sits just above the plot area, clear of bars drawn up to its top.
    """
    return {
        "text": text,
        "x": x,
        "xref": "x",
        "y": 1,
        "yref": "y domain",
        "xanchor": xanchor,
        "yanchor": "bottom" if above else "top",
        "showarrow": False,
    }


def waterfall(
    steps: pd.DataFrame,
    *,
    money_unit: str,
    step_labels: Mapping[str, str] | None = None,
    divisor: float = 1e6,
    title: str | None = None,
) -> go.Figure:
    """Build-up of the society NPV from costs and benefits.

    Parameters
    ----------
    steps
        ``CostBenefitResult.waterfall``: columns ``step`` and ``amount_nok``
        (NOK, report prices; costs negative). The row ``net_present_value``
        is drawn as the total.
    money_unit
        Axis title naming unit and price year, e.g. ``"MNOK, 2024 prices"``.
    step_labels
        Text for each step; :data:`WATERFALL_STEPS` when ``None``.
    divisor
        Amounts are divided by this for display (1e6 gives MNOK).
    title
        Chart title, or none.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    labels = {**WATERFALL_STEPS, **(step_labels or {})}
    measure = ["total" if s == "net_present_value" else "relative" for s in steps["step"]]
    values = _scale(steps["amount_nok"], divisor)
    bars = {
        "type": "waterfall",
        "x": [_wrap(labels.get(s, s), 16) for s in steps["step"]],
        "y": values,
        "measure": measure,
        "text": [f"{v:,.0f}".replace(",", "\u202f").replace("-", "\u2212") for v in values],
        "textposition": "outside",
        "increasing": {"marker": {"color": GREEN}},
        "decreasing": {"marker": {"color": VERMILION}},
        "totals": {"marker": {"color": BLUE}},
        "connector": {"line": {"color": "#777777", "width": 1}},
        "hovertemplate": "%{x}: %{y:,.0f} " + money_unit + "<extra></extra>",
    }
    return figure(
        [bars],
        base_layout(y_title=money_unit),
        {
            "showlegend": False,
            # Labels side by side, wrapped, rather than turned on end and cut off.
            "xaxis": {"tickangle": 0, "tickfont": {"size": 12}},
            **_title(title),
            # The zero line across the full width.
            "shapes": [
                {
                    "type": "line",
                    "x0": 0,
                    "x1": 1,
                    "xref": "x domain",
                    "y0": 0,
                    "y1": 0,
                    "yref": "y",
                    "line": {"color": "#333333", "width": 1},
                }
            ],
        },
    )


def tornado(
    sensitivity: pd.DataFrame,
    *,
    base_ratio: float,
    ratio_title: str,
    low_label: str,
    high_label: str,
    labels: Mapping[str, str] | None = None,
    break_even_label: str = "1 krone back per krone",
    top: int | None = 12,
    title: str | None = None,
) -> go.Figure:
    """One-way sensitivity of the ratio: each assumption from its low to its high value.

    Parameters
    ----------
    sensitivity
        From :func:`outcomes.analyses.costbenefit.model.one_way_sensitivity` (indexed by id,
        sorted by swing, with ``bcr_at_low``, ``bcr_at_high`` and ``label``).
    base_ratio
        The ratio with every assumption at its value (kroner back per krone).
    ratio_title
        Axis title, e.g. ``"Kroner back per krone"``.
    low_label, high_label
        Legend names of the bars at the low and at the high value.
    labels
        Text per assumption id; the registry's ``label`` when ``None``.
    break_even_label
        Text of the line at ratio 1.
    top
        Show only this many assumptions with the largest swing (all if None).
    title
        Chart title, or none.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    table = sensitivity[sensitivity["swing"] > 0]
    if top is not None:
        table = table.head(top)
    table = table.iloc[::-1]  # largest swing at the top
    names = [_wrap((labels or {}).get(i, table.loc[i, "label"]), 45) for i in table.index]
    data = [
        {
            "type": "bar",
            "y": names,
            "x": (table[column] - base_ratio).to_numpy(),
            "base": base_ratio,
            "orientation": "h",
            "name": name,
            "marker": {"color": colour, "line": {"color": "#333333", "width": 0.5}},
            "customdata": np.stack([table[value_column], table[column]], axis=1),
            "hovertemplate": "%{y}<br>" + name + ": %{customdata[0]:,.3~g} → %{customdata[1]:.2f}<extra></extra>",
        }
        for column, name, colour, value_column in (
            ("bcr_at_low", low_label, SKY, "low"),
            ("bcr_at_high", high_label, ORANGE, "high"),
        )
    ]
    # Plotly sizes the axis from the bar lengths, not from base + length, so set it.
    ends = np.concatenate([table["bcr_at_low"], table["bcr_at_high"], [base_ratio, 1.0]])
    ends = ends[np.isfinite(ends)]
    pad = 0.05 * max(float(np.ptp(ends)), 0.5)
    # Each row as tall as its longest wrapped label needs, so labels never run into each other.
    lines = max((n.count("<br>") + 1 for n in names), default=1)
    height = max(360, (22 + 18 * lines) * len(table) + 160)
    return figure(
        data,
        base_layout(x_title=ratio_title, height=height),
        {
            "xaxis": {"range": [float(ends.min()) - pad, float(ends.max()) + pad]},
            "yaxis": {"automargin": True},
            "barmode": "overlay",
            **_title(title),
            "margin": {"l": 20, "t": 50},
            # Lines at the base ratio and at break-even, over the full height; the latter labelled at its top right.
            "shapes": [_vline(base_ratio, 1, "#333333"), _vline(1.0, 1.5, VERMILION, dash="dash")],
            "annotations": [_top_label(break_even_label, 1.0, "left", above=True)],
        },
    )


def ratio_histogram(
    ratios: np.ndarray,
    *,
    ratio_title: str,
    count_title: str,
    band_label: str = "5th-95th percentile",
    break_even_label: str = "1 krone back per krone",
    bins: int = 60,
    title: str | None = None,
) -> go.Figure:
    """Distribution of the simulated ratio, with its 5th-95th percentile band.

    Parameters
    ----------
    ratios
        ``SimulationResult.bcr`` (kroner back per krone, one per draw).
    ratio_title, count_title
        Axis titles.
    band_label
        Legend text of the shaded 5th-95th percentile band.
    break_even_label
        Text of the line at ratio 1.
    bins
        Number of histogram bins.
    title
        Chart title, or none.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    values = np.asarray(ratios, dtype=float)
    values = values[np.isfinite(values)]
    p5, p95 = (float(np.percentile(values, q)) for q in (5, 95)) if values.size else (np.nan, np.nan)
    histogram = {
        "type": "histogram",
        "x": values,
        "nbinsx": bins,
        "marker": {"color": BLUE},
        "name": count_title,
        "hovertemplate": "%{x}: %{y}<extra></extra>",
        "showlegend": False,
    }
    band = {
        "type": "rect",
        "x0": p5,
        "x1": p95,
        "xref": "x",
        "y0": 0,
        "y1": 1,
        "yref": "y domain",
        "fillcolor": rgba(ORANGE, 0.2),
        "line": {"width": 0},
        "layer": "below",
    }
    return figure(
        [histogram],
        base_layout(x_title=ratio_title, y_title=count_title),
        {
            # The 5th-95th percentile band and the break-even line, over the full height, labelled at their top
            # (the band's label inside its right edge, the line's to its left).
            "shapes": [band, _vline(1.0, 1.5, VERMILION, dash="dash")],
            "annotations": [_top_label(band_label, p95, "right"), _top_label(break_even_label, 1.0, "right")],
            **_title(title),
            "bargap": 0.02,
        },
    )
