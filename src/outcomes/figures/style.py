"""Shared look of all charts: a colour-blind-safe palette and a plain layout."""

from __future__ import annotations

from collections.abc import Iterable

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


_AXIS = {"showline": True, "linecolor": "#444", "linewidth": 1, "ticks": "outside", "tickcolor": "#444",
         "showgrid": False, "zeroline": False, "automargin": True}

#: A small template in the spirit of plotly's "simple_white". plotly's own templates
#: are large: loading and copying one cost ~0.1 s per figure and put ~8 kB of
#: styling into every chart of the bundle; this one holds only what we use.
TEMPLATE = go.layout.Template(layout={
    "paper_bgcolor": "white", "plot_bgcolor": "white", "colorway": list(PALETTE),
    "xaxis": _AXIS, "yaxis": _AXIS, "hovermode": "closest",
})


def base_layout(fig: go.Figure, *, y_title: str | None = None, x_title: str | None = None, height: int = 420) -> go.Figure:
    """Apply the common layout: white background, readable fonts, legend below."""
    fig.update_layout(
        template=TEMPLATE,
        height=height,
        margin={"l": 60, "r": 20, "t": 30, "b": 60},
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", "size": 14},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        hoverlabel={"namelength": -1},
    )
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    return fig
