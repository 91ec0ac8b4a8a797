"""The four labels every headline ratio carries, and the numbers behind them.

A ratio alone says little: the labels say whose ratio it is (perspective),
against what (counterfactual), over how long and at what discount rate, and
in which year's kroner. They come from the translation catalogue
(``locales/<lang>/costbenefit.yml``) and the registry's values.
"""

from __future__ import annotations

from typing import Any

from outcomes.analyses.costbenefit.analysis import CostBenefitAnalysis
from outcomes.core.formatting import format_number, format_percent
from outcomes.core.i18n import Translator
from outcomes.registries.assumptions import Registry

#: The four labels every headline ratio carries, in this order.
LABEL_KEYS: tuple[str, ...] = ("perspective", "counterfactual", "horizon_discount", "price_year")


def _pct(share: float, lang: str) -> str:
    """A share as percent, whole unless the registry gives a finer value (0.555 -> 55,5 %)."""
    return format_percent(share, 0 if float(round(share * 100, 6)).is_integer() else 1, lang)


def _discount_schedule(values: dict[str, float], horizon: float, t: Translator) -> str:
    lang = t.lang
    r1, r2, r3 = (_pct(values[f"discount_rate_{i}"], lang) for i in (1, 2, 3))
    b1, b2 = int(values["discount_break_1"]), int(values["discount_break_2"])
    if horizon <= b1:
        return t("costbenefit.schedule_one", r1=r1)
    if horizon <= b2:
        return t("costbenefit.schedule_two", r1=r1, b1=b1, r2=r2)
    return t("costbenefit.schedule_three", r1=r1, b1=b1, r2=r2, b2=b2, r3=r3)


def headline_labels(
    analysis: CostBenefitAnalysis, registry: Registry, group: str, lang: str
) -> tuple[dict[str, str], dict[str, Any]]:
    """The four labels of the headline ratio and the numbers behind them.

    Returns
    -------
    tuple
        ``{perspective, counterfactual, horizon_discount, price_year: text}``
        in ``lang`` and the facts (shares 0-1, years, price year and index).
    """
    t = Translator(lang)
    result = analysis.result
    values = registry.values()
    pct = lambda share: _pct(share, lang)  # noqa: E731
    outcome = t(f"costbenefit.outcome_{group}")
    perspective = (
        t("costbenefit.label_perspective_tfc", rate=pct(result.tax_financing_rate))
        if result.tax_financing
        else t("costbenefit.label_perspective")
    )
    if result.counterfactual == "comparison_rate":
        counterfactual = t(
            "costbenefit.label_counterfactual_comparison",
            rate=pct(values["comparison_rate"]),
            outcome=outcome,
            attribution=pct(values["attribution"]),
            displacement=pct(values["displacement"]),
        )
    else:
        counterfactual = t(
            "costbenefit.label_counterfactual_deadweight",
            deadweight=pct(values["deadweight"]),
            outcome=outcome,
            attribution=pct(values["attribution"]),
            displacement=pct(values["displacement"]),
        )
    horizon = values["duration_years"]
    horizon_text = t(
        "costbenefit.label_horizon",
        years=format_number(horizon, 0 if float(horizon).is_integer() else 1, lang),
        drop_off=pct(values["drop_off"]),
        schedule=_discount_schedule(values, horizon, t),
    )
    price = t(
        "costbenefit.label_price_year",
        year=result.report_price_year,
        index=t(f"costbenefit.index_{result.price_index}"),
    )
    labels = {
        "perspective": perspective,
        "counterfactual": counterfactual,
        "horizon_discount": horizon_text,
        "price_year": price,
    }
    facts = {
        "perspective": "society",
        "tax_financing": result.tax_financing,
        "tax_financing_rate": result.tax_financing_rate,
        "counterfactual": result.counterfactual,
        "counterfactual_value": values.get(result.counterfactual),
        "attribution": values["attribution"],
        "displacement": values["displacement"],
        "outcome_group": group,
        "horizon_years": horizon,
        "drop_off": values["drop_off"],
        "discount_rates": [values[f"discount_rate_{i}"] for i in (1, 2, 3)],
        "discount_breaks": [values["discount_break_1"], values["discount_break_2"]],
        "price_year": result.report_price_year,
        "price_index": result.price_index,
    }
    return labels, facts
