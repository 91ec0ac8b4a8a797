"""What the baseline page shows of the positive-deviance model: its fit in words, the chart and the tables.

Built from :attr:`~.results.BaselineResults.deviance`; the notebook only
shows what :func:`deviance_section` returns. The model's warnings are
worded here from its numbers (n, R², left out) and the translation catalogue,
never from the English sentences the model records for ``--json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from outcomes.analyses.baseline.deviance import DEFAULT_MIN_N, LOW_R_SQUARED, DevianceResult
from outcomes.analyses.baseline.figures import positive_deviance_scatter
from outcomes.analyses.baseline.formatting import format_value
from outcomes.analyses.baseline.labels import indicator_title, source_lines
from outcomes.analyses.baseline.results import BaselineResults
from outcomes.analyses.baseline.views import FigureView, TableView
from outcomes.core.formatting import format_count, format_number
from outcomes.core.i18n import Translator

#: Which municipalities a deviance table lists: the positive deviants, the region's, or all (``None``).
DevianceRows = Literal["deviants", "region"] | None


@dataclass(frozen=True)
class DevianceSection:
    """The positive-deviance part of the page: fit in words, chart, deviants (``None`` when there are none), region."""

    fit_text: list[str]
    figure: FigureView
    deviants: TableView | None
    region: TableView


def deviance_fit_text(results: BaselineResults, t: Translator) -> list[str]:
    """The model's fit in words (R², n, left out) and every warning, translated."""
    dev = results.deviance
    if dev is None:
        return []
    lang = t.lang
    predictors = ", ".join(indicator_title(results, p, t) for p in dev.predictors)
    out = [
        t(
            "baseline.deviance_model",
            outcome=indicator_title(results, dev.outcome, t),
            predictors=predictors,
            year=dev.period_end,
        ),
        t(
            "baseline.deviance_fit",
            r2=format_number(dev.r_squared, 2, lang),
            n=format_count(dev.n, lang),
            threshold=format_number(dev.threshold_sd, 1, lang),
            deviants=format_count(int(dev.table["positive_deviant"].sum()), lang),
        ),
    ]
    if dev.n < DEFAULT_MIN_N:
        out.append(t("baseline.deviance_small_n", n=format_count(dev.n, lang), min_n=DEFAULT_MIN_N))
    if dev.n_dropped:
        out.append(t("baseline.deviance_dropped", n=format_count(dev.n_dropped, lang)))
    if np.isfinite(dev.r_squared) and dev.r_squared < LOW_R_SQUARED:
        out.append(t("baseline.deviance_low_fit", r2=format_number(dev.r_squared, 2, lang)))
    out.append(t("baseline.deviance_caveat"))
    return out


def _deviance_columns(t: Translator) -> list[str]:
    return [t(f"baseline.col_{c}") for c in ("municipality", "observed", "predicted", "performance", "deviant")]


def deviance_view(results: BaselineResults, t: Translator, *, only: DevianceRows = None) -> TableView:
    """Municipalities in the model: observed, predicted, and how far better than predicted.

    Parameters
    ----------
    results
        The baseline results.
    t
        Translator.
    only
        ``"deviants"`` for the positive deviants, ``"region"`` for the
        region's municipalities, ``None`` for every municipality (the chart's
        text alternative, with the sources).

    Returns
    -------
    TableView
        Observed and predicted values in the outcome's unit, performance in
        residual standard deviations (positive = better than predicted).
    """
    dev = results.deviance
    lang = t.lang
    cols = _deviance_columns(t)
    if dev is None:
        return TableView(pd.DataFrame(columns=cols), [], [])
    tab = dev.table
    if only == "deviants":
        tab = tab[tab["positive_deviant"]]
    elif only == "region":
        tab = tab[tab["region_code"].isin(results.municipalities)]
    unit = results.catalogue.get(dev.outcome).unit
    table = pd.DataFrame(
        {
            cols[0]: tab["region_name"].tolist(),
            cols[1]: [format_value(v, unit, lang) for v in tab["observed"].tolist()],
            cols[2]: [format_value(v, unit, lang) for v in tab["predicted"].tolist()],
            cols[3]: [format_number(v, 1, lang) for v in tab["performance"]],
            cols[4]: [t("baseline.answer_yes") if v else "" for v in tab["positive_deviant"]],
        },
        columns=cols,
    )
    notes = [t("baseline.note_performance", threshold=format_number(dev.threshold_sd, 1, lang))]
    if only is None:
        notes += source_lines(results, (dev.outcome, *dev.predictors), t)
    return TableView(table, notes, cols[1:4])


def deviance_labels(results: BaselineResults, dev: DevianceResult, t: Translator) -> dict[str, Any]:
    """Keyword arguments for :func:`outcomes.analyses.baseline.figures.positive_deviance_scatter`."""
    names = dev.table.set_index("region_code")["region_name"].to_dict()
    unit = t(f"baseline.unit_{results.catalogue.get(dev.outcome).unit}").lower()
    return {
        "x_title": t("baseline.axis_predicted", unit=unit),
        "y_title": t("baseline.axis_observed", unit=unit),
        "deviant_label": t("baseline.legend_deviant"),
        "other_label": t("baseline.legend_other"),
        "line_label": t("baseline.legend_as_predicted"),
        "highlight": {c: names[c] for c in results.municipalities if c in names},
        "highlight_label": t("baseline.legend_region", region=results.region_name),
    }


def deviance_section(results: BaselineResults, t: Translator) -> DevianceSection | None:
    """Everything the page shows of the model, or ``None`` when no model is configured."""
    dev = results.deviance
    if dev is None:
        return None
    figure = positive_deviance_scatter(dev.table, **deviance_labels(results, dev, t))
    caption = t("baseline.deviance_caption", indicator=indicator_title(results, dev.outcome, t))
    deviants = deviance_view(results, t, only="deviants")
    region = deviance_view(results, t, only="region")
    return DevianceSection(
        fit_text=deviance_fit_text(results, t),
        figure=FigureView(figure, "baseline-deviance", caption, deviance_view(results, t)),
        deviants=TableView(
            deviants.table, deviants.footnotes, deviants.numeric, t("baseline.deviance_deviants_caption")
        )
        if len(deviants.table)
        else None,
        region=TableView(
            region.table, [], region.numeric, t("baseline.deviance_region_caption", region=results.region_name)
        ),
    )
