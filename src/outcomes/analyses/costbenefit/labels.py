"""The four labels every headline ratio carries, and the numbers behind them.

A ratio alone says little: the labels say whose ratio it is (perspective),
against what (counterfactual), over how long and at what discount rate, and
in which year's kroner. They come from the translation catalogue
(``locales/<lang>/costbenefit.yml``) and the registry's values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from outcomes.analyses.costbenefit.analysis import CostBenefitAnalysis
from outcomes.core.formatting import format_number, format_percent
from outcomes.core.i18n import Translator
from outcomes.registries.assumptions import Registry

#: The four labels every headline ratio carries, in this order.
LABEL_KEYS: tuple[str, ...] = ("perspective", "counterfactual", "horizon_discount", "price_year")


def share_text(share: float, lang: str) -> str:
    """A share (0-1) as percent, whole unless the registry gives a finer value (0.555 -> 55,5 %)."""
    return format_percent(share, 0 if float(round(share * 100, 6)).is_integer() else 1, lang)


def schedule_text(steps: Sequence[tuple[float | None, float]], horizon: float, t: Translator) -> str:
    """The discount schedule in words, up to the step that covers the horizon.

    Parameters
    ----------
    steps
        ``(until_year, rate)`` per step, as :meth:`Registry.discount_steps`
        gives them (years after the programme year; shares per year).
    horizon
        The last year that counts (years); later steps are left out.
    t
        Translator in the report language.

    Returns
    -------
    str
        E.g. "4 % a year" when the horizon ends within the first step, or
        "4 % a year up to year 40, 3 % up to year 75, then 2 %".
    """
    shown: list[tuple[float | None, float]] = []
    for until, rate in steps:
        shown.append((until, rate))
        if until is None or horizon <= until:
            break
    pct = [share_text(rate, t.lang) for _, rate in shown]
    if len(shown) == 1:
        return t("costbenefit.schedule_one", rate=pct[0])
    years = [int(until) for until, _ in shown[:-1] if until is not None]
    parts = [t("costbenefit.schedule_first", rate=pct[0], until=years[0])]
    parts += [
        t("costbenefit.schedule_next", rate=rate, until=until) for rate, until in zip(pct[1:-1], years[1:], strict=True)
    ]
    parts.append(t("costbenefit.schedule_last", rate=pct[-1]))
    return ", ".join(parts)


def headline_labels(
    analysis: CostBenefitAnalysis, registry: Registry, group: str, lang: str
) -> tuple[dict[str, str], dict[str, Any]]:
    """The four labels of the headline ratio and the numbers behind them.

    Parameters
    ----------
    analysis
        The analysis the labels describe (its base case).
    registry
        The registry it ran with (after what-ifs).
    group
        The outcome group (``education_or_work``), split into work and education.
    lang
        Report language.

    Returns
    -------
    tuple
        ``{perspective, counterfactual, horizon_discount, price_year: text}``
        in ``lang`` and the facts (shares 0-1, years, price and comparison
        year, index and real-price growth).
    """
    t = Translator(lang)
    result = analysis.result
    values = registry.values()
    steps = registry.discount_steps()
    first, last = result.analysis_period
    labels = {
        "perspective": _perspective(result.tax_financing, result.tax_financing_rate, t),
        "counterfactual": _counterfactual(registry, values, t),
        "horizon_discount": t(
            "costbenefit.label_horizon",
            first=first,
            last=last,
            years=_years(values["analysis_period_years"], lang),
            comparison_year=result.comparison_year,
            # The steps shown are those that reach the last year with a flow (residual value included).
            schedule=schedule_text(steps, max(0.0, float(result.flows["year"].max()) - result.comparison_year), t),
            work_years=_years(values["work_duration_years"], lang),
            drop_off_work=share_text(values["drop_off_work"], lang),
            gain_years=_years(values["education_gain_years"], lang),
            drop_off_education=share_text(values["drop_off_education"], lang),
        ),
        "price_year": t(
            "costbenefit.label_price_year",
            year=result.report_price_year,
            index=t(f"costbenefit.index_{result.price_index}"),
            growth=share_text(values["real_price_growth"], lang),
        ),
    }
    return labels, _facts(analysis, registry, group)


def _years(value: float, lang: str) -> str:
    """A number of years, whole unless the registry gives a fraction."""
    return format_number(value, 0 if float(value).is_integer() else 1, lang)


def _facts(analysis: CostBenefitAnalysis, registry: Registry, group: str) -> dict[str, Any]:
    """The numbers behind the four labels (shares 0-1, years)."""
    result, values, steps = analysis.result, registry.values(), registry.discount_steps()
    null = registry.nullalternative
    return {
        "perspective": "society",
        "tax_financing": result.tax_financing,
        "tax_financing_rate": result.tax_financing_rate,
        "nullalternative": {s: values[getattr(null, s).default] for s in ("work", "education")} if null else {},
        "attribution": values["attribution"],
        "displacement": values["displacement"],
        "outcome_group": group,
        "comparison_year": result.comparison_year,
        "analysis_period": list(result.analysis_period),
        "work_duration_years": values["work_duration_years"],
        "drop_off_work": values["drop_off_work"],
        "education_gain_years": values["education_gain_years"],
        "drop_off_education": values["drop_off_education"],
        "discount_rates": [rate for _, rate in steps],
        "discount_breaks": [until for until, _ in steps if until is not None],
        "price_year": result.report_price_year,
        "price_index": result.price_index,
        "real_price_growth": values["real_price_growth"],
    }


def _perspective(tax_financing: bool, rate: float, t: Translator) -> str:
    """Whose ratio: society's, with the tax-financing cost at ``rate`` (share) when it applies."""
    if tax_financing:
        return t("costbenefit.label_perspective_tfc", rate=share_text(rate, t.lang))
    return t("costbenefit.label_perspective")


def _counterfactual(registry: Registry, values: dict[str, float], t: Translator) -> str:
    """Against what: the nullalternativ per stream, with attribution (and its reason) and displacement."""
    null = registry.nullalternative
    assert null is not None  # the model refuses a registry without one
    text = t(
        "costbenefit.label_counterfactual",
        work=share_text(values[null.work.default], t.lang),
        education=share_text(values[null.education.default], t.lang),
        displacement=share_text(values["displacement"], t.lang),
    )
    if null.work.by_year or null.education.by_year:
        years = sorted({*null.work.by_year, *null.education.by_year})
        text += " " + t("costbenefit.label_counterfactual_by_year", years=", ".join(map(str, years)))
    if values["attribution"] > 0:
        text += " " + t(
            "costbenefit.label_attribution",
            attribution=share_text(values["attribution"], t.lang),
            reason=null.attribution_reason or "",
        )
    return text
