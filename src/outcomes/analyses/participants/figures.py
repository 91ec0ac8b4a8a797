"""Charts of the participant profile and the experience survey.

Inputs are tables already under disclosure control: a hidden value is missing
and draws as a gap, and hover texts are built only from published values.
Labels (category titles, answer labels, item texts) come in as arguments; item
texts are shown as given: :func:`.style.figure` writes ``<``, ``>`` and ``&``
as entities so plotly shows them as text instead of reading them as markup.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, cast

import pandas as pd
import plotly.graph_objects as go

from outcomes.analyses.participants.survey import AGREEING, DISAGREEING
from outcomes.core.formatting import format_count, format_percent
from outcomes.render.style import BARGAP, PALETTE, TOP_MARGIN, base_layout, figure, missing_marks, percent_list

#: Colours of the agreement scale: the one disagreeing step warm (Okabe-Ito vermilion), the three agreeing
#: steps in blues that darken with agreement (Okabe-Ito sky blue and blue, then a darker blue).
SCALE_COLOURS = {"disagree": "#D55E00", "somewhat_agree": "#56B4E9", "agree": "#0072B2", "strongly_agree": "#00466E"}


def plot_text(text: object) -> str:
    """Text for a plotly label or hover, as given: :func:`.style.figure` escapes the markup of every chart text."""
    return str(text)


def wrap_label(text: object, width: int = 38) -> str:
    """A long label on several lines (``<br>``); :func:`.style.figure` escapes the text around the breaks."""
    return "<br>".join(plot_text(line) for line in textwrap.wrap(str(text), width) or [""])


def _legend_below(height: int, bottom: int = 120) -> dict:
    """Layout that puts the legend a fixed distance below the x-axis title, whatever the chart's height."""
    plot_height = height - TOP_MARGIN - bottom
    return {"margin": {"b": bottom}, "legend": {"y": -75 / plot_height, "yanchor": "top"}}


def profile_bars(
    profile: pd.DataFrame,
    categories: Sequence[str],
    titles: Mapping[str, str],
    *,
    lang: str = "nb",
    x_title: str = "",
    of_label: str = "of",
) -> go.Figure:
    """Horizontal bars: share of participants in each category, one bar per school year.

    Parameters
    ----------
    profile
        A published profile table (``school_year``, ``category``, ``count``,
        ``participants``, ``share`` 0-1; missing when hidden). Categories not in
        it (merged into "other") are not drawn.
    categories
        Category ids in the order to draw, top to bottom.
    titles
        Title per category in the report language.
    of_label
        Word between count and participants in the hover ("of", "av").
    """
    shown = [c for c in categories if c in set(profile["category"])]
    labels = [wrap_label(titles[c], 30) for c in shown]
    data: list[dict[str, Any]] = []
    for i, (year, rows) in enumerate(profile.groupby("school_year", sort=True)):
        rows = rows.set_index("category").reindex(shown)
        hover = [
            None
            if pd.isna(s)
            else f"{plot_text(titles[c])}, {year}: {format_percent(s, 0, lang)} "
            f"({format_count(n, lang)} {of_label} {format_count(p, lang)})"
            for c, s, n, p in zip(shown, rows["share"], rows["count"], rows["participants"], strict=False)
        ]
        data.append(
            {
                "type": "bar",
                "y": labels,
                "x": percent_list(rows["share"]),
                "orientation": "h",
                "name": str(year),
                "marker": {"color": PALETTE[i % len(PALETTE)]},
                "hovertext": hover,
                "hoverinfo": "text",
            }
        )
    height = max(340, 160 + 26 * len(shown) * max(1, profile["school_year"].nunique()))
    return figure(
        data,
        base_layout(x_title=x_title, height=height),
        {
            "barmode": "group",
            "bargap": BARGAP,
            "xaxis": {"rangemode": "tozero", "ticksuffix": " %" if lang == "nb" else "%"},
            "yaxis": {"autorange": "reversed"},
            # A hidden share is marked "–" (the footnote says why), not left to read as zero.
            "annotations": missing_marks([trace["x"] for trace in data], horizontal=True),
        },
        _legend_below(height),
    )


def _answer_traces(
    rows: pd.DataFrame, labels: list[str], answer_titles: Mapping[str, str], lang: str
) -> list[dict[str, Any]]:
    """One bar trace per answer of the scale (shares as percent; disagreeing answers to the left of zero)."""
    data = []
    # Bars stack outward from zero in trace order: the milder answer goes first on each side.
    # "Litt enig" agrees (the scale has no neutral step): it goes right of zero, next to it.
    for answer, sign in (("disagree", -1), ("somewhat_agree", 1), ("agree", 1), ("strongly_agree", 1)):
        shares = percent_list(rows[f"share_{answer}"])
        hover = [
            None
            if s is None
            else f"{plot_text(item)}<br>{plot_text(answer_titles[answer])}: "
            f"{format_percent(s / 100, 0, lang)} ({format_count(c, lang)} / n = {format_count(n, lang)})"
            for item, s, c, n in zip(rows["item"], shares, rows[answer], rows["n"], strict=False)
        ]
        data.append(
            {
                "type": "bar",
                "y": labels,
                "x": [None if s is None else sign * s for s in shares],
                "orientation": "h",
                "name": answer_titles[answer],
                "marker": {"color": SCALE_COLOURS[answer]},
                "hovertext": hover,
                "hoverinfo": "text",
                "legendrank": {"disagree": 1, "somewhat_agree": 2, "agree": 3, "strongly_agree": 4}[answer],
            }
        )
    return data


def _unsplit_traces(
    rows: pd.DataFrame, labels: list[str], side_titles: Mapping[str, str], lang: str
) -> list[dict[str, Any]]:
    """A paler, hatched trace per side for the part of its published share whose answers are hidden."""
    data = []
    for side, members, sign, colour in (
        ("disagreeing", DISAGREEING, -1, "#F5C89A"),
        ("agreeing", AGREEING, 1, "#CFE8F7"),
    ):
        side_share = rows["share"].astype("Float64") if side == "agreeing" else 1 - rows["share"].astype("Float64")
        # The stubs type a sum of Series as possibly the start value 0; it is a Series here.
        shown = cast(pd.Series, sum(rows[f"share_{a}"].astype("Float64").fillna(0) for a in members))
        rest = [
            None if pd.isna(total) or total - done < 1e-9 else round(float(total - done) * 100, 2)
            for total, done in zip(side_share, shown, strict=False)
        ]
        if all(r is None for r in rest):
            continue
        hover = [
            None
            if r is None
            else f"{plot_text(item)}<br>{plot_text(side_titles[side])}: "
            f"{format_percent(r / 100, 0, lang)} (n = {format_count(n, lang)})"
            for item, r, n in zip(rows["item"], rest, rows["n"], strict=False)
        ]
        data.append(
            {
                "type": "bar",
                "y": labels,
                "x": [None if r is None else sign * r for r in rest],
                "orientation": "h",
                "name": side_titles[side],
                "marker": {"color": colour, "pattern": {"shape": "/", "fgcolor": "#666"}},
                "hovertext": hover,
                "hoverinfo": "text",
                "legendrank": 5 if side == "disagreeing" else 6,
            }
        )
    return data


def diverging_bars(
    rows: pd.DataFrame,
    answer_titles: Mapping[str, str],
    *,
    lang: str = "nb",
    x_title: str = "",
    side_titles: Mapping[str, str] | None = None,
) -> go.Figure:
    """Diverging stacked bars of the agreement scale, one bar per item.

    Disagree extends left of zero; somewhat agree, agree and strongly agree
    right of it (the scale's three agreeing steps: "Litt enig" agrees, a
    little), so the length to the right is the share agreeing. Where the
    answers of one side are hidden but the side's share is published (``share``
    = agreeing, 1 - ``share`` = disagreeing), the side is drawn as one paler,
    hatched segment so the bar does not look as if nobody gave those answers.

    Parameters
    ----------
    rows
        Published survey rows for one year and one department (or all), in item
        order: ``item``, ``n`` and for each answer of the scale its count and
        ``share_<answer>`` (0-1 of n; missing when hidden).
    answer_titles
        Label per answer id (``disagree``, ``somewhat_agree``, ``agree``,
        ``strongly_agree``) in the report language.
    side_titles
        Labels of the unsplit sides (``disagreeing``, ``agreeing``).
    """
    rows = rows.sort_values("item_order") if "item_order" in rows else rows
    labels = [wrap_label(item) for item in rows["item"]]
    side_titles = side_titles or {"disagreeing": "Disagree", "agreeing": "Somewhat agree, agree or strongly agree"}
    data = _answer_traces(rows, labels, answer_titles, lang) + _unsplit_traces(rows, labels, side_titles, lang)
    ticks = list(range(-100, 101, 25))
    suffix = " %" if lang == "nb" else "%"
    height = 220 + 56 * len(rows)
    return figure(
        data,
        base_layout(x_title=x_title, height=height),
        {
            "barmode": "relative",
            "legend": {"traceorder": "normal"},
            "xaxis": {
                "range": [-100, 100],
                "tickvals": ticks,
                "ticktext": [f"{abs(t)}{suffix}" for t in ticks],
                "zeroline": True,
                "zerolinewidth": 2,
                "zerolinecolor": "#333",
            },
            "yaxis": {"autorange": "reversed"},
            # An item whose share is hidden is marked "–" at zero (the footnote says why), not left blank.
            "annotations": missing_marks([percent_list(rows["share"])], horizontal=True),
        },
        _legend_below(height),
    )
