"""Charts of follow-up rates. Inputs are tables already under disclosure control.

Suppressed values are missing and draw as gaps; hover texts are built only
from published values, so no hidden number reaches the chart. Each trace's
``meta.cells`` names the follow-up cell behind every point (year,
department, group, treatment), so the disclosure audit can relate what a
chart shows to the rest of the bundle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from outcomes.core.formatting import format_count, format_interval, format_percent
from outcomes.render.style import (
    BARGAP,
    PALETTE,
    band_polygons,
    base_layout,
    figure,
    missing_marks,
    percent_list,
    rgba,
)


def _cells(rows: pd.DataFrame) -> list[dict[str, object]]:
    """The follow-up cell behind each row (for ``meta.cells``)."""
    return [
        {"year": int(y), "department": str(d), "group": str(g), "treatment": str(t)}
        for y, d, g, t in zip(rows["followup_year"], rows["department"], rows["group"], rows["treatment"], strict=False)
    ]


def rates_over_time(
    rates: pd.DataFrame,
    groups: Sequence[str],
    group_titles: Mapping[str, str],
    *,
    lang: str = "nb",
    y_title: str = "",
    interval_label: str = "95 % KI",
) -> go.Figure:
    """Line per group over follow-up years with a shaded 95% interval band.

    Parameters
    ----------
    rates
        Published rates for one treatment and department (one row per year and
        group; ``share``, ``ci_low``, ``ci_high`` as 0-1, missing when suppressed).
    groups
        Groups to draw, in order.
    group_titles
        Label per group in the report language.
    """
    data = []
    for i, group in enumerate(groups):
        rows = rates[rates["group"] == group].sort_values("followup_year")
        colour = PALETTE[i % len(PALETTE)]
        years = rows["followup_year"].astype(int).tolist()
        band_x, band_y = band_polygons(years, percent_list(rows["ci_low"]), percent_list(rows["ci_high"]))
        data.append(
            {
                "type": "scatter",
                "x": band_x,
                "y": band_y,
                "fill": "toself",
                "fillcolor": rgba(colour, 0.15),
                "line": {"width": 0},
                "hoverinfo": "skip",
                "showlegend": False,
                "name": f"{group_titles[group]} {interval_label}",
                "legendgroup": group,
            }
        )
        hover = [
            None
            if pd.isna(s)
            else f"{group_titles[group]} {y}: {format_percent(s, 0, lang)} "
            f"({interval_label} {format_interval(lo, hi, 0, lang)}, n={format_count(n, lang)})"
            for y, s, lo, hi, n in zip(
                years, rows["share"], rows["ci_low"], rows["ci_high"], rows["denominator"], strict=False
            )
        ]
        data.append(
            {
                "type": "scatter",
                "x": years,
                "y": percent_list(rows["share"]),
                "mode": "lines+markers",
                "name": group_titles[group],
                "line": {"color": colour, "width": 2.5},
                "marker": {"size": 7, "symbol": i},
                "hovertext": hover,
                "hoverinfo": "text",
                "legendgroup": group,
                "connectgaps": False,
                "meta": {"cells": _cells(rows)},
            }
        )
    return figure(
        data,
        base_layout(y_title=y_title),
        {
            "yaxis": {"range": [0, 100], "ticksuffix": " %" if lang == "nb" else "%"},
            "xaxis": {"dtick": 1, "tickformat": "d"},
        },
    )


def departments_compared(
    rates: pd.DataFrame,
    groups: Sequence[str],
    group_titles: Mapping[str, str],
    department_titles: Mapping[str, str] | None = None,
    *,
    lang: str = "nb",
    x_title: str = "",
    interval_label: str = "95 % KI",
) -> go.Figure:
    """Horizontal bars per department for the report year, with interval whiskers.

    ``rates`` holds one row per department and group for one year and treatment.
    """
    data: list[dict[str, Any]] = []
    departments = sorted(rates["department"].unique(), key=lambda d: (d != "all", d))
    labels = [(department_titles or {}).get(d, d) for d in departments]
    for i, group in enumerate(groups):
        rows = rates[rates["group"] == group].set_index("department").reindex(departments)
        share = percent_list(rows["share"])
        plus = [
            None if s is None or pd.isna(h) else round(float(h) * 100 - s, 2)
            for s, h in zip(share, rows["ci_high"], strict=False)
        ]
        minus = [
            None if s is None or pd.isna(lo) else round(s - float(lo) * 100, 2)
            for s, lo in zip(share, rows["ci_low"], strict=False)
        ]
        hover = [
            None
            if pd.isna(s)
            else f"{lab}: {format_percent(s, 0, lang)} ({interval_label} "
            f"{format_interval(lo, hi, 0, lang)}, n={format_count(n, lang)})"
            for lab, s, lo, hi, n in zip(
                labels, rows["share"], rows["ci_low"], rows["ci_high"], rows["denominator"], strict=False
            )
        ]
        data.append(
            {
                "type": "bar",
                "y": labels,
                "x": share,
                "orientation": "h",
                "name": group_titles[group],
                "marker": {"color": PALETTE[i % len(PALETTE)]},
                "error_x": {"type": "data", "array": plus, "arrayminus": minus, "visible": True, "thickness": 1.2},
                "hovertext": hover,
                "hoverinfo": "text",
                "meta": {
                    "cells": [
                        None if pd.isna(y) else {"year": int(y), "department": d, "group": group, "treatment": t}
                        for d, y, t in zip(departments, rows["followup_year"], rows["treatment"], strict=False)
                    ]
                },
            }
        )
    return figure(
        data,
        base_layout(x_title=x_title, height=120 + 60 * len(departments)),
        {
            "barmode": "group",
            "bargap": BARGAP,
            "xaxis": {"range": [0, 100], "ticksuffix": " %" if lang == "nb" else "%"},
            "yaxis": {"autorange": "reversed"},
            # A hidden bar is marked "–" (the footnote says why), not left to read as zero.
            "annotations": missing_marks([trace["x"] for trace in data], horizontal=True),
        },
    )


def response_rate_over_time(rates: pd.DataFrame, *, lang: str = "nb", name: str = "", y_title: str = "") -> go.Figure:
    """Bars of the response rate by year (one row per year; ``response_rate`` 0-1)."""
    rows = rates.drop_duplicates("followup_year").sort_values("followup_year")
    hover = [
        None
        if pd.isna(r)
        else f"{y}: {format_percent(r, 0, lang)} ({format_count(resp, lang)}/{format_count(c, lang)})"
        for y, r, resp, c in zip(
            rows["followup_year"], rows["response_rate"], rows["responded"], rows["contacted"], strict=False
        )
    ]
    bar: dict[str, Any] = {
        "type": "bar",
        "x": rows["followup_year"].astype(int).tolist(),
        "y": percent_list(rows["response_rate"]),
        "name": name,
        "marker": {"color": PALETTE[4]},
        "hovertext": hover,
        "hoverinfo": "text",
        "meta": {
            "cells": [
                {"year": int(y), "department": str(d)}
                for y, d in zip(rows["followup_year"], rows["department"], strict=False)
            ]
        },
    }
    return figure(
        [bar],
        base_layout(y_title=y_title, height=320),
        {
            "bargap": BARGAP,
            "yaxis": {"range": [0, 100], "ticksuffix": " %" if lang == "nb" else "%"},
            "xaxis": {"dtick": 1, "tickformat": "d"},
            "annotations": missing_marks([bar["y"]], horizontal=False, positions=bar["x"]),
        },
    )
